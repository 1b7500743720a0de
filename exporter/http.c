#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
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

#define CONTENT_TYPE_PLAIN "text/plain; charset=utf-8"
#define CONTENT_TYPE_HTML  "text/html; charset=utf-8"

/* Answers that never change are built once and queued again and again (MHD counts refs). */
struct fixed_responses {
	struct MHD_Response *healthy;
	struct MHD_Response *ready;
	struct MHD_Response *not_found;
	struct MHD_Response *method_not_allowed;
	struct MHD_Response *internal_error;
	struct MHD_Response *unavailable;
};

struct http_server {
	const struct http_config *cfg;
	struct fixed_responses fixed;
	pthread_key_t scratch_key;
	atomic_uint scrapes_in_flight; /* counted against limits.max_requests */
	size_t daemon_count;
	struct MHD_Daemon *daemons[];
};

/* What a serving thread reuses from one request to the next, so a scrape allocates nothing. */
struct scratch {
	struct taint_snapshot snapshot;
	struct buffer body;
};

static void scratch_free(void *p)
{
	struct scratch *s = p;
	collect_snapshot_free(&s->snapshot);
	buffer_free(&s->body);
	free(s);
}

static struct scratch *scratch_get(struct http_server *srv)
{
	struct scratch *s = pthread_getspecific(srv->scratch_key);
	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s || pthread_setspecific(srv->scratch_key, s) != 0) {
		free(s);
		return NULL;
	}
	return s;
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
				      f->internal_error, f->unavailable};
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
	f->unavailable = fixed_text("Too many scrapes in flight (--web.max-requests)\n",
				    CONTENT_TYPE_PLAIN);
	if (!f->healthy || !f->ready || !f->not_found || !f->method_not_allowed ||
	    !f->internal_error || !f->unavailable)
		return -ENOMEM;
	if (MHD_add_response_header(f->method_not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") !=
	    MHD_YES)
		return -ENOMEM;
	return 0;
}

static MHD_RESULT queue_body(struct MHD_Connection *conn, struct buffer *body,
			     const char *content_type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(body->len, body->data, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_RESULT ret = MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) == MHD_YES)
		ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* Reads procfs and sysfs for this request; NULL when out of memory. */
static struct scratch *fresh_snapshot(struct http_server *srv)
{
	struct scratch *s = scratch_get(srv);
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
	struct scratch *s = fresh_snapshot(srv);
	if (!s || exposition_render(srv->cfg->exposition, &s->snapshot, format, &s->body) < 0)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  srv->fixed.internal_error);
	return queue_body(conn, &s->body,
			  format == EXPOSITION_OPENMETRICS ? EXPOSITION_CONTENT_TYPE_OPENMETRICS
							   : EXPOSITION_CONTENT_TYPE_TEXT);
}

static MHD_RESULT serve_landing(struct http_server *srv, struct MHD_Connection *conn)
{
	struct scratch *s = fresh_snapshot(srv);
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

/*
 * What *req_cls points to between the calls for one request: the headers have been seen, and
 * for a scrape whether it counts against --web.max-requests or was refused.
 */
static char request_seen, scrape_counted, scrape_refused;

/*
 * A scrape is in flight from its headers until libmicrohttpd has sent the whole answer
 * (request_completed()), so a client that sends a body or reads the answer slowly counts.
 */
static void *admit_scrape(struct http_server *srv)
{
	unsigned int max = srv->cfg->limits.max_requests;
	if (max == 0)
		return &request_seen;
	if (atomic_fetch_add(&srv->scrapes_in_flight, 1) < max)
		return &scrape_counted;
	atomic_fetch_sub(&srv->scrapes_in_flight, 1);
	if (log_first_time("max-requests"))
		log_msg(LOG_WARN, "Too many scrapes in flight; answering 503 (logged once)", "flag",
			"--web.max-requests", NULL);
	return &scrape_refused;
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			      enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	if (*req_cls == &scrape_counted)
		atomic_fetch_sub(&srv->scrapes_in_flight, 1);
	*req_cls = NULL;
}

static MHD_RESULT handle_request(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **req_cls)
{
	struct http_server *srv = cls;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return MHD_queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
					  srv->fixed.method_not_allowed);
	/* url is the path alone: libmicrohttpd has already split off the query string. */
	bool scrape = strcmp(url, srv->cfg->telemetry_path) == 0;
	/*
	 * The first call comes with the headers alone. Answering only on the second, once the
	 * request has been read to its end, lets libmicrohttpd keep the connection alive.
	 */
	if (*req_cls == NULL) {
		*req_cls = scrape ? admit_scrape(srv) : &request_seen;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* a GET with a body: the body is read and ignored */
		return MHD_YES;
	}
	if (*req_cls == &scrape_refused)
		return MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
					  srv->fixed.unavailable);
	if (scrape)
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
__attribute__((format(printf, 2, 0))) static void mhd_logger(void *cls, const char *fmt,
							     va_list ap)
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
	pthread_key_delete(srv->scratch_key);
	free(srv);
}

int http_start(const struct http_config *cfg, const int *fds, size_t count,
	       struct http_server **out)
{
	struct http_server *srv = calloc(1, sizeof(*srv) + count * sizeof(srv->daemons[0]));
	if (!srv)
		return -ENOMEM;
	srv->cfg = cfg;
	int err = -pthread_key_create(&srv->scratch_key, scratch_free);
	if (err < 0) {
		free(srv);
		return err;
	}
	err = fixed_init(&srv->fixed);
	const struct http_limits *lim = &cfg->limits;
	for (size_t i = 0; err == 0 && i < count; i++) {
		/*
		 * One polling thread: idle and slow connections cost no thread, so they cannot
		 * starve a scrape; the limits bound how many there are (per address too) and
		 * what each may hold. poll(), not epoll: libmicrohttpd 0.9.75's edge-triggered
		 * epoll misses a FIN that arrives with the request's last bytes, and such a
		 * connection then sits in CLOSE-WAIT until the idle timeout, counted against
		 * the connection limits (tests/hardening catches it).
		 */
		srv->daemons[i] = MHD_start_daemon(
			MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG, 0,
			NULL, NULL, handle_request, srv,
			/* first, or libmicrohttpd warns that earlier options log elsewhere */
			MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
			MHD_OPTION_LISTEN_SOCKET, fds[i],
			MHD_OPTION_NOTIFY_COMPLETED, request_completed, srv,
			MHD_OPTION_CONNECTION_TIMEOUT, lim->connection_timeout,
			MHD_OPTION_CONNECTION_LIMIT, lim->max_connections,
			MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->max_connections_per_ip,
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, lim->max_request_bytes, MHD_OPTION_END);
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
