#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "render/landing.h"
#include "serve/accept.h"
#include "serve/auth.h"
#include "serve/auth_queue.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/policy.h"
#include "serve/request_size.h"
#include "serve/tls.h"
#include "serve/webconfig.h"
#include "util.h"

/* libmicrohttpd 0.9.71 turned the handlers' int results into enum MHD_Result. */
#if MHD_VERSION >= 0x00097002
#define MHD_RESULT enum MHD_Result
#else
#define MHD_RESULT int
#endif

#define CONTENT_TYPE_HTML "text/html; charset=utf-8"

/*
 * After a reload, the old daemons stop accepting at once but finish what they serve; they are
 * stopped when their last connection closes, or after this long (idle keep-alive connections
 * time out after 10 s, so only a stuck client is cut).
 */
#define DRAIN_SECONDS 30

/*
 * One daemon per listening socket, all started with the same TLS settings. A reload starts a
 * new generation on the same sockets (dup()ed, so each daemon owns its fd) before the old one
 * stops accepting, so no connection attempt finds nobody listening.
 */
struct generation {
	struct http_server *srv;
	struct policy *policy; /* the TLS settings these daemons run with */
	size_t pool_bytes; /* each connection's memory (request_pool_bytes()) */
	time_t quiesced_at; /* 0 while the daemons still accept */
	struct generation *next; /* in the list of generations draining */
	size_t daemon_count;
	struct MHD_Daemon *daemons[LISTEN_MAX];
	MHD_socket listen_fds[LISTEN_MAX]; /* handed back by MHD_quiesce_daemon() */
};

struct http_server {
	const struct http_config *cfg;
	pthread_key_t scratch_key; /* each serving thread's struct scratch */
	atomic_uint scrapes_in_flight; /* counted against limits.max_requests */
	atomic_uint requests_in_flight; /* admitted, until their answer is sent (http_drain()) */
	struct auth_queue *auth_queue; /* the bcrypt checks, off the serving threads */
	pthread_mutex_t lock; /* guards policy */
	struct policy *policy;
	struct generation *current;
	struct generation *draining;
	size_t fd_count;
	int fds[LISTEN_MAX];
};

/*
 * What a serving thread reuses from one request to the next: its open procfs and sysfs
 * files, the snapshot and the rendered body, so that a scrape opens no file and grows no
 * buffer once the first scrapes have sized them. One per thread, not per connection: the
 * bench measured per-connection buffers costing 12 KiB of Private_Dirty per open connection,
 * and the heap growing as connections came and went. The price is one copy of the body into
 * libmicrohttpd's response (a few KiB, freed once sent), because the thread renders the next
 * scrape while this one may still be sending.
 */
struct scratch {
	struct collect_reader reader; /* the procfs and sysfs files this thread holds open */
	struct taint_snapshot snapshot;
	struct buffer body;
};

/* The pthread_key_t destructor: runs as each serving thread ends. */
static void scratch_free(void *p)
{
	struct scratch *s = p;
	collect_reader_close(&s->reader);
	snapshot_free(&s->snapshot);
	buffer_free(&s->body);
	free(s);
}

/* The calling thread's scratch; NULL when it could not be allocated. */
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
	collect_reader_init(&s->reader, srv->cfg->collect);
	return s;
}

/* The policy in force now, with a reference for the caller to policy_unref(). */
static struct policy *policy_get(struct http_server *srv)
{
	pthread_mutex_lock(&srv->lock);
	struct policy *pol = srv->policy;
	policy_ref(pol);
	pthread_mutex_unlock(&srv->lock);
	return pol;
}

/* @body is the thread's scratch, reused at once: the response takes a copy. */
static MHD_RESULT queue_body(struct MHD_Connection *conn, const struct policy *pol,
			     struct buffer *body, const char *content_type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(body->len, body->data, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_RESULT ret = MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) == MHD_YES &&
	    policy_add_headers(pol, r) == 0)
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
	if (collect_snapshot(&s->reader, &s->snapshot) < 0)
		return NULL;
	return s;
}

static MHD_RESULT serve_metrics(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
	enum exposition_format format = accept_negotiate(accept);
	struct scratch *s = fresh_snapshot(srv);
	if (!s || exposition_render(srv->cfg->exposition, &s->snapshot, format, &s->body) < 0)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  pol->fixed.internal_error);
	return queue_body(conn, pol, &s->body,
			  format == EXPOSITION_OPENMETRICS ? EXPOSITION_CONTENT_TYPE_OPENMETRICS :
							     EXPOSITION_CONTENT_TYPE_TEXT);
}

typedef MHD_RESULT (*route_fn)(struct http_server *srv, const struct policy *pol,
			       struct MHD_Connection *conn);

static MHD_RESULT serve_landing(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn);
static MHD_RESULT serve_healthy(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn);
static MHD_RESULT serve_ready(struct http_server *srv, const struct policy *pol,
			      struct MHD_Connection *conn);

/*
 * The routes, matched in this order, each answering GET and HEAD (admit() answers 405 to the
 * rest); those with a label are the landing page's links, in the same order.
 */
static const struct route {
	const char *path; /* NULL: --web.telemetry-path */
	route_fn serve;
	const char *label; /* the landing page's link; NULL: not shown */
	const char *id; /* the link's element id */
} routes[] = {
	{ NULL, serve_metrics, "Metrics", "metrics-link" },
	{ "/", serve_landing, NULL, NULL },
	{ "/-/healthy", serve_healthy, "Health", NULL },
	{ "/-/ready", serve_ready, "Readiness", NULL },
};

static const char *route_path(const struct http_server *srv, const struct route *r)
{
	return r->path ? r->path : srv->cfg->telemetry_path;
}

/* The landing page's links from the route table, into @links (room for every route). */
static size_t landing_links(const struct http_server *srv, struct landing_link *links)
{
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		if (routes[i].label)
			links[n++] = (struct landing_link){ route_path(srv, &routes[i]),
							    routes[i].label, routes[i].id };
	}
	return n;
}

static MHD_RESULT serve_landing(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn)
{
	struct scratch *s = fresh_snapshot(srv);
	if (!s)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  pol->fixed.internal_error);
	struct landing_link links[ARRAY_SIZE(routes)];
	struct landing_context ctx = {
		.links = links,
		.link_count = landing_links(srv, links),
		.version = srv->cfg->version,
		.layout = srv->cfg->exposition->layout,
		.string_columns = srv->cfg->string_columns,
		.snapshot = &s->snapshot,
	};
	if (landing_render(&ctx, &s->body) < 0)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  pol->fixed.internal_error);
	return queue_body(conn, pol, &s->body, CONTENT_TYPE_HTML);
}

/* 401 or 403, built per request: MHD would add WWW-Authenticate to a shared response again. */
static MHD_RESULT refuse(struct MHD_Connection *conn, const struct policy *pol, unsigned int status)
{
	const char *body = status == MHD_HTTP_UNAUTHORIZED ? "Unauthorized\n" : "Forbidden\n";
	struct MHD_Response *r = policy_text(pol, body, POLICY_CONTENT_TYPE_PLAIN);
	if (!r)
		return MHD_NO;
	MHD_RESULT ret = MHD_NO;
	if (status != MHD_HTTP_UNAUTHORIZED ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
				    "Basic realm=\"taint_exporter\", charset=\"UTF-8\"") == MHD_YES)
		ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/*
 * The client certificate against client_auth_type. The handshake already refuses a missing
 * certificate where one is required (see notify_connection()); this is the check of record,
 * on every request, against the CA the connection's daemon was started with.
 * Returns 0 or -EACCES.
 */
static int check_client_cert(struct MHD_Connection *conn, const struct webconfig *web)
{
	if (!web || !web->tls)
		return 0;
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	return tls_check_peer(info ? info->tls_session : NULL, web->client_auth);
}

/*
 * The credentials of an "Authorization: Basic" header, decoded with GnuTLS's base64 rather
 * than libmicrohttpd's: 0.9.75 hands user and password over as C strings, so a password with a
 * NUL in it was cut there ("hunter2\0anything" passed as "hunter2"). Credentials holding a
 * NUL are refused. On 0, *@text is "user\0password" (wipe and free it) and *@password points
 * into it; -EACCES when the header is absent or malformed.
 */
static int decode_basic_auth(struct MHD_Connection *conn, char **text, const char **password)
{
	const char *header =
		MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (!header || strncasecmp(header, "Basic ", 6) != 0)
		return -EACCES;
	const char *encoded = header + 6;
	while (*encoded == ' ')
		encoded++;
	gnutls_datum_t in = { (unsigned char *)(uintptr_t)encoded, (unsigned int)strlen(encoded) };
	gnutls_datum_t out = { NULL, 0 };
	if (gnutls_base64_decode2(&in, &out) < 0)
		return -EACCES;
	int ret = -EACCES;
	*text = NULL;
	if (out.size > 0 && !memchr(out.data, '\0', out.size) && (*text = malloc(out.size + 1))) {
		memcpy(*text, out.data, out.size);
		(*text)[out.size] = '\0';
		char *colon = strchr(*text, ':');
		if (colon) {
			*colon = '\0';
			*password = colon + 1;
			ret = 0;
		} else {
			explicit_bzero(*text, out.size);
			free(*text);
			*text = NULL;
		}
	}
	explicit_bzero(out.data, out.size);
	gnutls_free(out.data);
	return ret;
}

static void wipe_credentials(char *text, const char *password)
{
	if (!text)
		return;
	explicit_bzero(text, (size_t)(password - text) + strlen(password));
	free(text);
}

/*
 * A request whose credentials the auth queue is checking: its connection is suspended until
 * the worker has the answer (auth_queue.h). *req_cls points here meanwhile.
 */
struct pending_auth {
	struct MHD_Connection *conn;
	struct policy *policy; /* holds the auth the job checks against */
	struct auth_job *job;
};

/* auth_job_done_fn, on the worker thread: the answer is in, let the connection go on. */
static void auth_done(struct auth_job *job, void *ctx)
{
	struct pending_auth *p = ctx;
	(void)job;
	MHD_resume_connection(p->conn);
}

static void pending_auth_free(struct pending_auth *p)
{
	auth_job_free(p->job);
	policy_unref(p->policy);
	free(p);
}

enum auth_outcome { AUTH_OK, AUTH_REFUSED, AUTH_PENDING, AUTH_BUSY };

/*
 * Basic auth for a request's first call: no users configured, or a remembered pair, is
 * AUTH_OK at once; a missing or malformed header AUTH_REFUSED; anything else goes to the
 * auth queue (AUTH_PENDING: the connection is suspended and *@req_cls holds the pending check)
 * or, when the queue's bounds are reached, AUTH_BUSY.
 */
static enum auth_outcome start_basic_auth(struct generation *gen, struct policy *pol,
					  struct MHD_Connection *conn, void **req_cls)
{
	if (!pol->auth)
		return AUTH_OK;
	char *text;
	const char *password;
	if (decode_basic_auth(conn, &text, &password) < 0)
		return AUTH_REFUSED;
	enum auth_outcome outcome = AUTH_OK;
	if (auth_check_cached(pol->auth, text, password) != 0) {
		struct pending_auth *p = calloc(1, sizeof(*p));
		const union MHD_ConnectionInfo *from =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		int err = !p ? -ENOMEM :
			       auth_queue_submit(gen->srv->auth_queue, pol->auth, text, password,
						 from ? from->client_addr : NULL, gen, auth_done, p,
						 &p->job);
		if (err == 0) {
			p->conn = conn;
			p->policy = pol;
			policy_ref(pol);
			*req_cls = p;
			MHD_suspend_connection(conn);
			outcome = AUTH_PENDING;
		} else {
			free(p);
			outcome = err == -EBUSY || err == -EAGAIN ? AUTH_BUSY : AUTH_REFUSED;
		}
	}
	wipe_credentials(text, password);
	return outcome;
}

static MHD_RESULT serve_healthy(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn)
{
	return MHD_queue_response(conn, MHD_HTTP_OK, pol->fixed.healthy);
}

static MHD_RESULT serve_ready(struct http_server *srv, const struct policy *pol,
			      struct MHD_Connection *conn)
{
	return MHD_queue_response(conn, MHD_HTTP_OK, pol->fixed.ready);
}

static MHD_RESULT route(struct http_server *srv, const struct policy *pol,
			struct MHD_Connection *conn, const char *url)
{
	/* url is the path alone: libmicrohttpd has already split off the query string. */
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		if (strcmp(url, route_path(srv, &routes[i])) == 0)
			return routes[i].serve(srv, pol, conn);
	}
	return MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, pol->fixed.not_found);
}

struct body_headers {
	unsigned int content_lengths; /* how many Content-Length headers */
	bool nonzero_length; /* one of them is not "0" */
	bool transfer_encoding; /* a Transfer-Encoding header: a chunked body */
};

static MHD_RESULT note_body_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct body_headers *b = cls;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		b->content_lengths++;
		b->nonzero_length |= !value || strcmp(value, "0") != 0;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		b->transfer_encoding = true;
	}
	return MHD_YES;
}

/*
 * Whether the request announces a body, or more than one Content-Length. A GET or HEAD with a
 * body has no use here, and one trickled a byte at a time would hold its --web.max-requests
 * slot for as long as it lasts; differing Content-Lengths are read one way here and another
 * way by a proxy in front (request smuggling). Both are answered 400 from the headers alone,
 * before a byte of the body is read, and the connection is closed.
 */
static bool refuses_body(struct MHD_Connection *conn)
{
	struct body_headers b = { 0, false, false };
	MHD_get_connection_values(conn, MHD_HEADER_KIND, note_body_header, &b);
	return b.content_lengths > 1 || b.nonzero_length || b.transfer_encoding;
}

/*
 * What *req_cls points to between the calls for one request: its request line has been read
 * (uri_seen()) or refused there; the headers have been seen, and for a scrape whether it
 * counts against --web.max-requests or was refused.
 */
static char request_line_read, request_line_refused, request_seen, scrape_counted, scrape_refused;

/* Whether *req_cls is a struct pending_auth rather than one of the markers above. */
static bool is_pending_auth(void *req_cls)
{
	return req_cls && req_cls != &request_line_read && req_cls != &request_line_refused &&
	       req_cls != &request_seen && req_cls != &scrape_counted && req_cls != &scrape_refused;
}

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
	if (*req_cls == &scrape_counted || *req_cls == &scrape_refused || *req_cls == &request_seen)
		atomic_fetch_sub(&srv->requests_in_flight, 1);
	if (is_pending_auth(*req_cls)) /* closed once resumed: the job is done (generation_stop()) */
		pending_auth_free(*req_cls);
	*req_cls = NULL;
}

/*
 * The rest of a request's first call, once basic auth has its @auth answer: the method, the
 * body, and for a scrape its --web.max-requests slot.
 */
static MHD_RESULT admit(struct http_server *srv, const struct policy *pol,
			struct MHD_Connection *conn, const char *url, const char *method,
			enum auth_outcome auth, void **req_cls)
{
	if (auth == AUTH_REFUSED)
		return refuse(conn, pol, MHD_HTTP_UNAUTHORIZED);
	if (auth == AUTH_BUSY)
		return MHD_queue_response(conn, MHD_HTTP_TOO_MANY_REQUESTS, pol->fixed.auth_busy);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return MHD_queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
					  pol->fixed.method_not_allowed);
	if (refuses_body(conn))
		return MHD_queue_response(conn, MHD_HTTP_BAD_REQUEST, pol->fixed.body_refused);
	bool scrape = strcmp(url, srv->cfg->telemetry_path) == 0;
	*req_cls = scrape ? admit_scrape(srv) : &request_seen;
	atomic_fetch_add(&srv->requests_in_flight, 1);
	return MHD_YES;
}

/*
 * libmicrohttpd's URI log callback: the request line has been read, the headers not yet. A URL
 * over --web.max-request-bytes is answered 414 here: near the end of the connection's memory,
 * libmicrohttpd would fail to record the headers and close the connection without a word.
 */
static void *uri_seen(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct generation *gen = cls;
	if (strlen(uri) <= gen->srv->cfg->limits.max_request_bytes)
		return &request_line_read;
	struct policy *pol = policy_get(gen->srv);
	request_refuse_oversized(conn, pol->web, true);
	policy_unref(pol);
	return &request_line_refused;
}

/*
 * Whether the request is over --web.max-request-bytes, or over what this connection's memory
 * can take with room left for an answer carrying the security headers in force now (a reload
 * may have added some since its daemon started); if so it has been answered 414 or 431.
 */
static bool oversized(const struct generation *gen, const struct policy *pol,
		      struct MHD_Connection *conn, const char *method, const char *url,
		      const char *version)
{
	size_t reserve = pol->answer_reserve;
	size_t limit = gen->srv->cfg->limits.max_request_bytes;
	if (gen->pool_bytes < limit + reserve)
		limit = gen->pool_bytes > reserve ? gen->pool_bytes - reserve : 0;
	size_t line;
	size_t bytes = request_size_bytes(conn, method, url, version, &line);
	if (bytes > limit)
		request_refuse_oversized(conn, pol->web, line > limit);
	return bytes > limit;
}

static MHD_RESULT handle_request(void *cls, struct MHD_Connection *conn, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **req_cls)
{
	struct generation *gen = cls;
	struct http_server *srv = gen->srv;
	MHD_RESULT ret;

	/*
	 * The first call comes with the headers alone: who the client is and what it asks are
	 * checked there, so that a refused request is answered before any body is read.
	 * Answering a good request only on the second call, once the request has been read to
	 * its end, lets libmicrohttpd keep the connection alive.
	 */
	if (*req_cls == &request_line_refused)
		return MHD_NO; /* answered 414 from the request line; libmicrohttpd closes it */
	if (*req_cls == &request_line_read || *req_cls == NULL) {
		/* Users and headers as they are now, so a reload revokes at once. */
		struct policy *pol = policy_get(srv);
		if (oversized(gen, pol, conn, method, url, version)) {
			policy_unref(pol);
			return MHD_NO; /* answered 414 or 431 already; libmicrohttpd closes it */
		}
		/* Client certificates against the CA this daemon was started with. */
		if (check_client_cert(conn, gen->policy->web) < 0) {
			ret = refuse(conn, pol, MHD_HTTP_FORBIDDEN);
			policy_unref(pol);
			return ret;
		}
		enum auth_outcome auth = start_basic_auth(gen, pol, conn, req_cls);
		if (auth == AUTH_PENDING) {
			policy_unref(pol);
			return MHD_YES; /* called again once the auth queue has the answer */
		}
		ret = admit(srv, pol, conn, url, method, auth, req_cls);
		policy_unref(pol);
		return ret;
	}
	if (is_pending_auth(*req_cls)) { /* resumed: the auth queue's answer */
		struct pending_auth *p = *req_cls;
		enum auth_outcome auth = auth_job_result(p->job) == 0 ? AUTH_OK : AUTH_REFUSED;
		pending_auth_free(p);
		*req_cls = &request_line_read;
		struct policy *pol = policy_get(srv);
		ret = admit(srv, pol, conn, url, method, auth, req_cls);
		policy_unref(pol);
		return ret;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* refused above; cannot come, but never served */
		return MHD_YES;
	}
	struct policy *pol = policy_get(srv);
	if (*req_cls == &scrape_refused)
		ret = MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE, pol->fixed.unavailable);
	else
		ret = route(srv, pol, conn, url);
	policy_unref(pol);
	return ret;
}

/*
 * Where a certificate is required, ask GnuTLS to require it in the handshake, as Go does, so
 * that a client without one fails there rather than at the first request.
 */
static void notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			      enum MHD_ConnectionNotificationCode toe)
{
	const struct generation *gen = cls;
	const struct webconfig *web = gen->policy->web;
	if (toe != MHD_CONNECTION_NOTIFY_STARTED || !web || !web->tls ||
	    !tls_requires_client_cert(web->client_auth))
		return;
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (info && info->tls_session)
		gnutls_certificate_server_set_request(info->tls_session, GNUTLS_CERT_REQUIRE);
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 :
				      -1;
}

/*
 * libmicrohttpd's unescaping of the path (%HH), except that "%00" stays as it is: decoded, it
 * would end the path for everything that reads it as a string, and /metrics%00junk would be
 * served as /metrics. Kept, it matches no route: 404.
 */
static size_t unescape_keeping_nul(void *cls, struct MHD_Connection *conn, char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		int hi = r[0] == '%' ? hex_value(r[1]) : -1;
		int lo = hi >= 0 ? hex_value(r[2]) : -1;
		if (lo >= 0 && (hi || lo)) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* libmicrohttpd's own complaints (malformed requests, resource limits) are debug noise. */
/*
 * While this thread runs MHD_start_daemon(), the last message libmicrohttpd logs: its only
 * way of saying why a start failed (the call returns NULL and leaves errno as it likes).
 * Thread-local, because the daemons' own threads log too.
 */
#define START_REASON_SIZE 256
static _Thread_local char *start_reason;

__attribute__((format(printf, 2, 0))) static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char line[256];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	if (start_reason)
		snprintf(start_reason, START_REASON_SIZE, "%s", line);
	log_msg(LOG_DEBUG, "libmicrohttpd", "detail", line, NULL);
}

/*
 * Stops accepting: each daemon hands its listening fd (a dup()) back. The fds stay open until
 * generation_stop(): the daemons' threads may still have them in a poll() set, and closing
 * them now would let the fd numbers be reused under those threads (libmicrohttpd then closes
 * or accepts on someone else's socket, and aborts).
 */
static void generation_quiesce(struct generation *gen)
{
	for (size_t i = 0; i < gen->daemon_count; i++)
		gen->listen_fds[i] = MHD_quiesce_daemon(gen->daemons[i]);
	gen->quiesced_at = time(NULL);
}

/* Stops a generation's daemons, then closes the listening fds they handed back, and frees it. */
static void generation_stop(struct generation *gen)
{
	if (!gen)
		return;
	if (!gen->quiesced_at)
		generation_quiesce(gen);
	/* Its connections waiting for a password check are resumed before their daemons go. */
	if (gen->srv->auth_queue)
		auth_queue_cancel(gen->srv->auth_queue, gen);
	for (size_t i = 0; i < gen->daemon_count; i++) {
		MHD_stop_daemon(gen->daemons[i]);
		if (gen->listen_fds[i] != MHD_INVALID_SOCKET)
			close(gen->listen_fds[i]);
	}
	policy_unref(gen->policy);
	free(gen);
}

/* The TLS options of @web, into @opts (room for 6). */
static void tls_options(const struct webconfig *web, const char *priorities,
			struct MHD_OptionItem *opts)
{
	size_t n = 0;
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, web->cert_pem };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, web->key_pem };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)priorities };
	/*
	 * libmicrohttpd asks for client certificates only when it has a trust list; where the
	 * policy asks for a certificate without checking it, the server's own certificate
	 * stands in, and check_client_cert() never verifies against it.
	 */
	if (web->client_auth != WEBCONFIG_NO_CLIENT_CERT)
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0,
						     web->client_ca_pem ? web->client_ca_pem :
									  web->cert_pem };
	opts[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
}

/*
 * One daemon for the listening socket @fd (taken over, closed on failure). Returns 0, or
 * -EIO with @errbuf saying which address and libmicrohttpd's reason.
 */
static int start_daemon(struct generation *gen, int fd, unsigned int flags,
			struct MHD_OptionItem *opts, char *errbuf, size_t errlen)
{
	struct http_server *srv = gen->srv;
	const struct http_limits *lim = &srv->cfg->limits;
	char where[300], reason[START_REASON_SIZE] = "";
	listen_describe(fd, where, sizeof(where)); /* now: a failed start may have closed @fd */
	start_reason = reason;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, handle_request, gen,
		/* first, or libmicrohttpd warns that earlier options log elsewhere */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL, MHD_OPTION_UNESCAPE_CALLBACK,
		unescape_keeping_nul, NULL, MHD_OPTION_URI_LOG_CALLBACK, uri_seen, gen,
		MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_CONNECTION, notify_connection, gen,
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, srv, MHD_OPTION_THREAD_POOL_SIZE,
		srv->cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT, lim->connection_timeout,
		MHD_OPTION_CONNECTION_LIMIT, lim->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->max_connections_per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, gen->pool_bytes, MHD_OPTION_ARRAY, opts,
		MHD_OPTION_END);
	start_reason = NULL;
	if (d) {
		gen->daemons[gen->daemon_count] = d;
		return 0;
	}
	close(fd);
	snprintf(errbuf, errlen, "could not start the HTTP daemon on %s: %s", where,
		 reason[0] ? reason : "libmicrohttpd gave no reason");
	return -EIO;
}

/* Starts daemons with @pol's TLS settings on dup()s of the server's sockets. */
static int generation_start(struct http_server *srv, struct policy *pol, struct generation **out,
			    char *errbuf, size_t errlen)
{
	struct generation *gen = calloc(1, sizeof(*gen));
	if (!gen) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	gen->srv = srv;
	gen->policy = pol;
	policy_ref(pol);

	const struct webconfig *web = pol->web;
	bool tls = web && web->tls;
	char priorities[1024] = "";
	struct MHD_OptionItem opts[6] = { { MHD_OPTION_END, 0, NULL } };
	if (tls) {
		tls_priorities(web, priorities, sizeof(priorities));
		tls_options(web, priorities, opts);
	}
	/*
	 * Polling threads (--web.threads, each with its share of the connections): idle and
	 * slow connections cost no thread, so they cannot starve a scrape; the limits bound how
	 * many there are (per address too) and what each may hold. poll(), not epoll:
	 * libmicrohttpd 0.9.75's edge-triggered epoll misses a FIN that arrives with the
	 * request's last bytes, so such a connection sits in CLOSE-WAIT until the idle timeout,
	 * counted against the connection limits (tests/hardening catches it); and its
	 * MHD_quiesce_daemon() with epoll and a thread pool can abort the process on a reload.
	 */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
			     MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | (tls ? MHD_USE_TLS : 0);
	gen->pool_bytes = request_pool_bytes(srv->cfg->limits.max_request_bytes, web);
	int err = 0;
	for (size_t i = 0; err == 0 && i < srv->fd_count; i++) {
		int fd = fcntl(srv->fds[i], F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			err = -errno;
			snprintf(errbuf, errlen, "%s", strerror(errno));
			break;
		}
		err = start_daemon(gen, fd, flags, opts, errbuf, errlen);
		if (err == 0)
			gen->daemon_count++;
	}
	if (err < 0) {
		generation_stop(gen);
		return err;
	}
	*out = gen;
	return 0;
}

bool http_drain(struct http_server *srv, unsigned int seconds)
{
	generation_quiesce(srv->current); /* those of earlier reloads accept nothing already */
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	const struct timespec tick = { 0, 10000000 }; /* 10 ms */
	for (;;) {
		if (atomic_load(&srv->requests_in_flight) == 0)
			return true;
		clock_gettime(CLOCK_MONOTONIC, &now);
		int64_t ms = (int64_t)(now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms >= (int64_t)seconds * 1000)
			return false;
		nanosleep(&tick, NULL);
	}
}

void http_stop(struct http_server *srv)
{
	if (!srv)
		return;
	generation_stop(srv->current);
	while (srv->draining) {
		struct generation *next = srv->draining->next;
		generation_stop(srv->draining);
		srv->draining = next;
	}
	for (size_t i = 0; i < srv->fd_count; i++)
		close(srv->fds[i]);
	auth_queue_free(srv->auth_queue);
	policy_unref(srv->policy);
	pthread_mutex_destroy(&srv->lock);
	pthread_key_delete(srv->scratch_key); /* the threads, and so the scratches, are gone */
	free(srv);
}

int http_start(const struct http_config *cfg, const int *fds, size_t count, struct webconfig *web,
	       struct http_server **out, char *errbuf, size_t errlen)
{
	snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
	int err = -ENOMEM;
	struct http_server *srv = count <= LISTEN_MAX ? calloc(1, sizeof(*srv)) : NULL;
	if (!srv)
		goto out_fds;
	srv->cfg = cfg;
	err = -pthread_key_create(&srv->scratch_key, scratch_free);
	if (err < 0) {
		snprintf(errbuf, errlen, "%s", strerror(-err));
		goto out_srv;
	}
	/* From here http_stop() undoes everything, the sockets and the config included. */
	pthread_mutex_init(&srv->lock, NULL);
	memcpy(srv->fds, fds, count * sizeof(fds[0]));
	srv->fd_count = count;
	srv->policy = policy_new(web);
	err = srv->policy ? auth_queue_new(&srv->auth_queue) : -ENOMEM;
	if (err < 0)
		snprintf(errbuf, errlen, "%s", strerror(-err));
	else
		err = generation_start(srv, srv->policy, &srv->current, errbuf, errlen);
	if (err < 0) {
		http_stop(srv);
		return err;
	}
	*out = srv;
	return 0;

out_srv:
	free(srv);
out_fds:
	webconfig_free(web);
	for (size_t i = 0; i < count; i++)
		close(fds[i]);
	return err;
}

int http_reload(struct http_server *srv, struct webconfig *web, char *errbuf, size_t errlen)
{
	struct policy *pol = policy_new(web);
	if (!pol) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	struct generation *gen;
	int err = generation_start(srv, pol, &gen, errbuf, errlen);
	if (err < 0) {
		policy_unref(pol);
		return err;
	}
	/* The new daemons accept already: the old ones stop accepting and drain. */
	struct generation *old = srv->current;
	generation_quiesce(old);
	old->next = srv->draining;
	srv->draining = old;
	srv->current = gen;

	pthread_mutex_lock(&srv->lock);
	struct policy *prev = srv->policy;
	srv->policy = pol;
	pthread_mutex_unlock(&srv->lock);
	policy_unref(prev);
	return 0;
}

static bool drained(const struct generation *gen, time_t now)
{
	if (now - gen->quiesced_at >= DRAIN_SECONDS)
		return true;
	for (size_t i = 0; i < gen->daemon_count; i++) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(gen->daemons[i], MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections > 0)
			return false;
	}
	return true;
}

void http_reap(struct http_server *srv)
{
	time_t now = time(NULL);
	struct generation **link = &srv->draining;
	while (*link) {
		struct generation *gen = *link;
		if (drained(gen, now)) {
			*link = gen->next;
			generation_stop(gen);
		} else {
			link = &gen->next;
		}
	}
}
