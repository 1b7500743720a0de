#ifndef TAINT_EXPORTER_REQUEST_SIZE_H
#define TAINT_EXPORTER_REQUEST_SIZE_H

/*
 * --web.max-request-bytes, enforced so that every request gets a status line.
 *
 * libmicrohttpd 0.9.75 keeps a request's line and headers in the connection's memory pool
 * and builds the answer's headers in what is left of it. Sized at the limit alone, a request
 * a little under it (3,762-3,902 bytes of 4,096) left too little for the answer, and the
 * connection was closed without a status line; security headers from the web config widened
 * that gap until nothing could be served. So the pool is the limit plus a reserve for the
 * largest answer's headers, and the limit is checked here, on the headers: a request over
 * it is answered 414 (its request line alone is over) or 431, written straight to the
 * connection, because a request near the pool's end leaves no room for an answer built there.
 * A URL over the limit is answered as soon as the request line is read: near the pool's end,
 * libmicrohttpd fails to record the headers and closes the connection without a word.
 *
 * Why this writes behind libmicrohttpd's back: 0.9.75 builds every answer, its own 414 and 431
 * included, in what is left of the pool. Answered through MHD_queue_response() instead, a
 * request near the pool's end was closed without a status line (a 4,244-byte header with a
 * 4,608-byte pool; with the pool doubled, 1,470 bytes of short headers, whose records filled
 * it). This file is the one place that knows libmicrohttpd's insides (PER_FIELD_BYTES), and
 * hardening.py's request_sizes scenario, which sweeps every size around the limit, fails when
 * a libmicrohttpd release changes them.
 */

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/webconfig.h"

/*
 * request_size_bytes() - what a request's line and headers take in the pool: their bytes,
 * and libmicrohttpd's record of each header and query argument.
 * @line_only: out: the request line's part alone (for 414).
 */
size_t request_size_bytes(struct MHD_Connection *conn, const char *method, const char *url,
			  const char *version, size_t *line_only);

/*
 * request_pool_bytes() - the memory pool for one connection: @max_request_bytes, plus room
 * for the headers of the largest answer, with @web's security headers (NULL: none).
 */
size_t request_pool_bytes(size_t max_request_bytes, const struct webconfig *web);

/*
 * request_refuse_oversized() - write "414 URI Too Long" (@url_too_long) or "431 Request Header
 * Fields Too Large", with @web's security headers and Connection: close, straight to the
 * connection (through its TLS session when it has one), and shut the connection for writing,
 * so that nothing libmicrohttpd might still write follows it. The caller then returns MHD_NO
 * (or makes its handler do so), and libmicrohttpd closes the connection.
 */
void request_refuse_oversized(struct MHD_Connection *conn, const struct webconfig *web,
			      bool url_too_long);

#endif
