#include <gnutls/gnutls.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "buffer.h"
#include "serve/mhd_compat.h"
#include "serve/request_size.h"

/*
 * What libmicrohttpd 0.9.75 allocates from the pool for each header and query argument
 * besides its bytes: a struct MHD_HTTP_Header (56 bytes on 64-bit) and alignment.
 */
#define PER_FIELD_BYTES 64

/*
 * The headers of the largest answer but for the web config's security headers: the status
 * line, Date, Content-Type, Content-Length, Connection and Keep-Alive, WWW-Authenticate,
 * Allow: about 300 bytes at most, so 512 leaves room. Each byte of it is kept per connection
 * (50 connections: 25 KiB for 512 more), so it is not set generously.
 */
#define ANSWER_HEADER_BYTES 512

struct tally {
	size_t bytes;
};

static MHD_RESULT add_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct tally *t = cls;
	(void)kind;
	t->bytes += strlen(key) + (value ? strlen(value) : 0) + 4 + PER_FIELD_BYTES;
	return MHD_YES;
}

size_t request_size_bytes(struct MHD_Connection *conn, const char *method, const char *url,
			  const char *version, size_t *line_only)
{
	struct tally args = { 0 }, headers = { 0 };
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_field, &args);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_field, &headers);
	*line_only = strlen(method) + strlen(url) + strlen(version) + 4 + args.bytes;
	return *line_only + headers.bytes + 2;
}

size_t request_pool_bytes(size_t max_request_bytes, const struct webconfig *web)
{
	size_t reserve = ANSWER_HEADER_BYTES;
	for (size_t i = 0; web && i < web->header_count; i++)
		reserve += strlen(web->headers[i].name) + strlen(web->headers[i].value) + 4;
	return max_request_bytes + reserve;
}

void request_refuse_oversized(struct MHD_Connection *conn, const struct webconfig *web,
			      bool url_too_long)
{
	const char *status = url_too_long ? "414 URI Too Long" :
					    "431 Request Header Fields Too Large";
	char body[96];
	int body_len = snprintf(body, sizeof(body), "%s (--web.max-request-bytes)\n", status + 4);
	struct buffer answer = BUFFER_INIT;
	buffer_puts(&answer, "HTTP/1.1 ");
	buffer_puts(&answer, status);
	buffer_puts(&answer, "\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n");
	for (size_t i = 0; web && i < web->header_count; i++) {
		buffer_puts(&answer, web->headers[i].name);
		buffer_puts(&answer, ": ");
		buffer_puts(&answer, web->headers[i].value);
		buffer_puts(&answer, "\r\n");
	}
	buffer_puts(&answer, "Content-Length: ");
	buffer_put_u64(&answer, (uint64_t)body_len);
	buffer_puts(&answer, "\r\n\r\n");
	buffer_append(&answer, body, (size_t)body_len);
	if (buffer_status(&answer) == 0) {
		/* The request has just been read whole: the socket's send buffer has room. */
		const union MHD_ConnectionInfo *tls =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (tls && tls->tls_session)
			(void)gnutls_record_send(tls->tls_session, answer.data, answer.len);
		else if (fd)
			(void)send(fd->connect_fd, answer.data, answer.len,
				   MSG_DONTWAIT | MSG_NOSIGNAL);
		/*
		 * Nothing more goes out: libmicrohttpd may still fail on the headers and try an
		 * answer of its own, which would come second.
		 */
		if (fd)
			(void)shutdown(fd->connect_fd, SHUT_WR);
	}
	buffer_free(&answer);
}
