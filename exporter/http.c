#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accept.h"
#include "http.h"
#include "landing.h"
#include "log.h"

/* libmicrohttpd 0.9.71 turned the handlers' int results into enum MHD_Result. */
#if MHD_VERSION >= 0x00097002
#define MHD_RESULT enum MHD_Result
#else
#define MHD_RESULT int
#endif

/*
 * libmicrohttpd's memory pool per connection holds the request line, the request headers and
 * the answer's headers, and is zeroed between two requests of a kept-alive connection, so its
 * size is paid on every scrape. The default is 32 KiB; a scrape's request is a few hundred
 * bytes (Prometheus sends five headers), so 16 KiB leaves room for long Authorization headers.
 */
#define HTTP_CONNECTION_MEMORY (8 * 1024)

#define CONTENT_TYPE_PLAIN "text/plain; charset=utf-8"
#define CONTENT_TYPE_HTML  "text/html; charset=utf-8"

/* Answers that never change are built once and queued again and again (MHD counts refs). */
struct fixed_responses {
	struct MHD_Response *healthy;
	struct MHD_Response *ready;
	struct MHD_Response *not_found;
	struct MHD_Response *method_not_allowed;
	struct MHD_Response *internal_error;
};

struct http_server {
	const struct http_config *cfg;
	struct fixed_responses fixed;
	size_t daemon_count;
	struct MHD_Daemon *daemons[];
};

/*
 * What a connection reuses from one request to the next, so that a scrape allocates nothing
 * of ours. It belongs to the connection rather than to the thread because the body is handed
 * to libmicrohttpd without a copy (MHD_RESPMEM_PERSISTENT): a thread serves many connections
 * at once, but a connection reads its next request only once the previous answer has been
 * sent, so the body is not rewritten while it is still being sent. Freed when the connection
 * closes.
 */
struct scratch {
	struct taint_snapshot snapshot;
	struct buffer body;
};

static void scratch_free(struct scratch *s)
{
	collect_snapshot_free(&s->snapshot);
	buffer_free(&s->body);
	free(s);
}

/* Each connection gets its scratch when it opens (an empty one: it grows on the first scrape). */
static void notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			      enum MHD_ConnectionNotificationCode toe)
{
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = calloc(1, sizeof(struct scratch));
	} else if (*socket_context) {
		scratch_free(*socket_context);
		*socket_context = NULL;
	}
}

/* The connection's scratch; NULL when it could not be allocated. */
static struct scratch *scratch_get(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

static struct MHD_Response *fixed_text(const char *body, const char *content_type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								  MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	return r;
}

static void fixed_free(struct fixed_responses *f)
{
	struct MHD_Response *all[] = {f->healthy, f->ready, f->not_found, f->method_not_allowed,
				      f->internal_error};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i])
			MHD_destroy_response(all[i]);
	}
}

static int fixed_init(struct fixed_responses *f)
{
	f->healthy = fixed_text("Healthy\n", CONTENT_TYPE_PLAIN);
	f->ready = fixed_text("Ready\n", CONTENT_TYPE_PLAIN);
	f->not_found = fixed_text("Not Found\n", CONTENT_TYPE_PLAIN);
	f->method_not_allowed = fixed_text("Method Not Allowed\n", CONTENT_TYPE_PLAIN);
	f->internal_error = fixed_text("Internal Server Error\n", CONTENT_TYPE_PLAIN);
	if (!f->healthy || !f->ready || !f->not_found || !f->method_not_allowed ||
	    !f->internal_error)
		return -ENOMEM;
	if (MHD_add_response_header(f->method_not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") !=
	    MHD_YES)
		return -ENOMEM;
	return 0;
}

/* @body belongs to the connection's scratch and outlives the response: no copy is made. */
static MHD_RESULT queue_body(struct MHD_Connection *conn, struct buffer *body,
			     const char *content_type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(body->len, body->data, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_RESULT ret = MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) == MHD_YES)
		ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* Reads procfs and sysfs for this request; NULL when out of memory. */
static struct scratch *fresh_snapshot(struct http_server *srv, struct MHD_Connection *conn)
{
	struct scratch *s = scratch_get(conn);
	if (!s)
		return NULL;
	buffer_reset(&s->body);
	if (collect_snapshot(srv->cfg->collect, &s->snapshot) < 0)
		return NULL;
	return s;
}

static MHD_RESULT serve_metrics(struct http_server *srv, struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
	enum exposition_format format = accept_negotiate(accept);
	struct scratch *s = fresh_snapshot(srv, conn);
	if (!s || exposition_render(srv->cfg->exposition, &s->snapshot, format, &s->body) < 0)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  srv->fixed.internal_error);
	return queue_body(conn, &s->body,
			  format == EXPOSITION_OPENMETRICS ? EXPOSITION_CONTENT_TYPE_OPENMETRICS
							   : EXPOSITION_CONTENT_TYPE_TEXT);
}

static MHD_RESULT serve_landing(struct http_server *srv, struct MHD_Connection *conn)
{
	struct scratch *s = fresh_snapshot(srv, conn);
	if (!s)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  srv->fixed.internal_error);
	struct landing_context ctx = {
		.telemetry_path = srv->cfg->telemetry_path,
		.version = srv->cfg->version,
		.layout = srv->cfg->exposition->layout,
		.snapshot = &s->snapshot,
	};
	if (landing_render(&ctx, &s->body) < 0)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  srv->fixed.internal_error);
	return queue_body(conn, &s->body, CONTENT_TYPE_HTML);
}

static MHD_RESULT handle_request(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **req_cls)
{
	struct http_server *srv = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return MHD_queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
					  srv->fixed.method_not_allowed);
	/*
	 * The first call comes with the headers alone. Answering only on the second, once the
	 * request has been read to its end, lets libmicrohttpd keep the connection alive.
	 */
	static int headers_seen;
	if (*req_cls == NULL) {
		*req_cls = &headers_seen;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* a GET with a body: the body is read and ignored */
		return MHD_YES;
	}
	/* url is the path alone: libmicrohttpd has already split off the query string. */
	if (strcmp(url, srv->cfg->telemetry_path) == 0)
		return serve_metrics(srv, conn);
	if (strcmp(url, "/") == 0)
		return serve_landing(srv, conn);
	if (strcmp(url, "/-/healthy") == 0)
		return MHD_queue_response(conn, MHD_HTTP_OK, srv->fixed.healthy);
	if (strcmp(url, "/-/ready") == 0)
		return MHD_queue_response(conn, MHD_HTTP_OK, srv->fixed.ready);
	return MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, srv->fixed.not_found);
}

/* libmicrohttpd's own complaints (malformed requests, resource limits) are debug noise. */
static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char line[256];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	log_msg(LOG_DEBUG, "libmicrohttpd", "detail", line, NULL);
}

void http_stop(struct http_server *srv)
{
	if (!srv)
		return;
	for (size_t i = 0; i < srv->daemon_count; i++)
		MHD_stop_daemon(srv->daemons[i]);
	fixed_free(&srv->fixed);
	free(srv);
}

int http_start(const struct http_config *cfg, const int *fds, size_t count,
	       struct http_server **out)
{
	struct http_server *srv = calloc(1, sizeof(*srv) + count * sizeof(srv->daemons[0]));
	if (!srv)
		return -ENOMEM;
	srv->cfg = cfg;
	int err = fixed_init(&srv->fixed);
	for (size_t i = 0; err == 0 && i < count; i++) {
		srv->daemons[i] = MHD_start_daemon(
			MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
			NULL, NULL, handle_request, srv, MHD_OPTION_LISTEN_SOCKET, fds[i],
			MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			(size_t)HTTP_CONNECTION_MEMORY, MHD_OPTION_NOTIFY_CONNECTION,
			notify_connection, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10, MHD_OPTION_END);
		if (!srv->daemons[i])
			err = -EIO;
		else
			srv->daemon_count++;
	}
	if (err < 0) {
		http_stop(srv);
		return err;
	}
	*out = srv;
	return 0;
}
