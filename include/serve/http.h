#ifndef TAINT_EXPORTER_HTTP_H
#define TAINT_EXPORTER_HTTP_H

/*
 * The serve layer, the only code that knows HTTP: routes, methods, content negotiation and
 * libmicrohttpd. Each scrape reads procfs afresh through scrape().
 */

#include <stdbool.h>
#include <stddef.h>

#include "read/scrape.h"
#include "render/exposition.h"

/*
 * What clients may hold, so that hostile or broken ones cannot starve a scrape or grow the
 * exporter's memory. The connection limits apply to each listening address.
 */
struct http_limits {
	unsigned int connection_timeout; /* seconds idle before the connection is closed */
	unsigned int max_connections; /* open connections */
	unsigned int max_connections_per_ip; /* open connections from one address; 0: no limit */
	unsigned int max_requests; /* scrapes in flight, then 503; 0: no limit */
	size_t max_request_bytes; /* memory for a request's line and headers: 414 or 431 past it */
};

struct http_config {
	const char *telemetry_path;
	const char *version;
	const struct scrape_config *scrape;
	const struct exposition *exposition;
	unsigned int string_columns; /* of the kernel's "Tainted:" string, for the landing page */
	bool landing_kernel_log_lines; /* --web.landing-page.kernel-log-lines */
	unsigned int threads; /* --web.threads: polling threads, each with its share of connections */
	struct http_limits limits;
};

struct http_server;

struct webconfig;

/*
 * http_start() - serve on each of the @count (at most LISTEN_MAX) listening sockets in
 * @fds, which the server takes over.
 * @cfg: kept by pointer; must outlive the server.
 * @web: the loaded --web.config.file (TLS, client certificates, basic auth, headers), or NULL
 *       for plain HTTP open to all. A heap object the server takes over, even on failure.
 * @out: the running server, for http_stop().
 * @errbuf, @errlen: on failure, one line saying what failed (for a daemon that would not
 *       start, its address and libmicrohttpd's reason).
 * Returns 0 or -errno (the sockets are then closed).
 */
int http_start(const struct http_config *cfg, const int *fds, size_t count, struct webconfig *web,
	       struct http_server **out, char *errbuf, size_t errlen);

/*
 * http_reload() - serve new connections with @web (taken over, as in http_start()), which
 * webconfig_load() has checked. Basic auth users and headers change at once for every
 * request; connections already open keep their TLS session and drain (see http_reap()).
 * Call from one thread only (main's signal loop). Returns 0 or -errno (old settings stay),
 * with @errbuf saying what failed as in http_start().
 */
int http_reload(struct http_server *srv, struct webconfig *web, char *errbuf, size_t errlen);

/*
 * http_web_config() - the web config in force (NULL: plain HTTP without auth), for the
 * thread that calls http_reload(); valid until its next http_reload() or http_stop().
 */
const struct webconfig *http_web_config(const struct http_server *srv);

/*
 * http_reap() - stop the daemons of earlier configurations once their connections are done
 * (or after 30 s). Call every second or so from the thread that calls http_reload().
 */
void http_reap(struct http_server *srv);

/*
 * http_drain() - stop accepting connections, then wait up to @seconds for the requests being
 * answered to be answered (a scrape's whole body sent), as a server shut down gracefully
 * does. Idle keep-alive connections do not hold it up. Returns false when time ran out.
 */
bool http_drain(struct http_server *srv, unsigned int seconds);

/* http_stop() - stop serving, close the sockets and free the server. NULL is ignored. */
void http_stop(struct http_server *srv);

#endif
