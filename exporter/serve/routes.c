#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "read/scrape.h"
#include "render/exposition.h"
#include "render/landing.h"
#include "serve/accept.h"
#include "serve/policy.h"
#include "serve/routes.h"
#include "serve/server.h"
#include "snapshot.h"
#include "util.h"

#define CONTENT_TYPE_HTML "text/html; charset=utf-8"

/*
 * What a serving thread reuses from one request to the next: the scrape's snapshot and module
 * text, and the rendered body, so that a scrape grows no buffer once the first scrapes have
 * sized them. One per thread, not per connection: per-connection buffers cost memory for
 * every open connection. A response takes a copy of the body (a few KiB), because the thread
 * renders the next scrape while this one may still be sending.
 */
struct scratch {
	struct scrape scrape;
	struct buffer body;
};

/* The pthread_key_t destructor: runs as each serving thread ends. */
void route_scratch_free(void *scratch)
{
	struct scratch *s = scratch;
	scrape_free(&s->scrape);
	buffer_free(&s->body);
	free(s);
}

/* The calling thread's scratch; NULL when it could not be allocated. */
static struct scratch *scratch_get(struct http_server *srv)
{
	struct scratch *s = pthread_getspecific(srv->scratch_key);
	if (s)
		return s;
	s = malloc(sizeof(*s));
	if (!s || pthread_setspecific(srv->scratch_key, s) != 0) {
		free(s);
		return NULL;
	}
	*s = (struct scratch){ .scrape = SCRAPE_INIT, .body = BUFFER_INIT };
	return s;
}

/*
 * Queues an answer with a copy of @body (the thread's scratch, reused at once), @content_type
 * and @pol's headers.
 */
static MHD_RESULT queue_body(struct MHD_Connection *conn, const struct policy *pol,
			     const struct buffer *body, const char *content_type)
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

/* Scrapes the host for this request; NULL when out of memory. */
static struct scratch *fresh_snapshot(struct http_server *srv)
{
	struct scratch *s = scratch_get(srv);
	if (!s || scrape(srv->cfg->scrape, &s->scrape) < 0)
		return NULL;
	buffer_reset(&s->body);
	return s;
}

static MHD_RESULT serve_metrics(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept");
	enum exposition_format format = accept_negotiate(accept);
	struct scratch *s = fresh_snapshot(srv);
	if (!s)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  pol->fixed.internal_error);
	if (exposition_render(srv->cfg->exposition, &s->scrape.snapshot, format, &s->body) < 0)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  pol->fixed.internal_error);
	const char *content_type = format == EXPOSITION_OPENMETRICS ?
					   EXPOSITION_CONTENT_TYPE_OPENMETRICS :
					   EXPOSITION_CONTENT_TYPE_TEXT;
	return queue_body(conn, pol, &s->body, content_type);
}

typedef MHD_RESULT (*route_fn)(struct http_server *srv, const struct policy *pol,
			       struct MHD_Connection *conn);

static MHD_RESULT serve_landing(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn);
static MHD_RESULT serve_healthy(struct http_server *srv, const struct policy *pol,
				struct MHD_Connection *conn);
static MHD_RESULT serve_ready(struct http_server *srv, const struct policy *pol,
			      struct MHD_Connection *conn);

/* The methods a route answers (a HEAD is answered as its GET, without the body). */
enum route_method {
	ROUTE_GET = 1 << 0,
	ROUTE_HEAD = 1 << 1,
};

static const struct route_method_name {
	const char *name;
	enum route_method bit;
} method_names[] = {
	{ MHD_HTTP_METHOD_GET, ROUTE_GET },
	{ MHD_HTTP_METHOD_HEAD, ROUTE_HEAD },
};

/*
 * The routes, matched in this order; request.c answers 405 to a method a route does not list.
 * Those with a label are the landing page's links, in the same order.
 */
static const struct route {
	const char *path; /* NULL: --web.telemetry-path */
	unsigned int methods; /* enum route_method bits */
	route_fn serve;
	const char *label; /* the landing page's link; NULL: not shown */
	const char *id; /* the link's element id */
} routes[] = {
	{ NULL, ROUTE_GET | ROUTE_HEAD, serve_metrics, "Metrics", "metrics-link" },
	{ "/", ROUTE_GET | ROUTE_HEAD, serve_landing, NULL, NULL },
	{ "/-/healthy", ROUTE_GET | ROUTE_HEAD, serve_healthy, "Health", NULL },
	{ "/-/ready", ROUTE_GET | ROUTE_HEAD, serve_ready, "Readiness", NULL },
};

/* What the 404 answer to a path no route serves accepts. */
#define NOT_FOUND_METHODS (ROUTE_GET | ROUTE_HEAD)

static const char *route_path(const char *telemetry_path, const struct route *r)
{
	return r->path ? r->path : telemetry_path;
}

/* The route serving @url; NULL: none. */
static const struct route *route_find(const char *telemetry_path, const char *url)
{
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		if (strcmp(url, route_path(telemetry_path, &routes[i])) == 0)
			return &routes[i];
	}
	return NULL;
}

bool route_allows(const char *telemetry_path, const char *url, const char *method)
{
	const struct route *r = route_find(telemetry_path, url);
	unsigned int allowed = r ? r->methods : NOT_FOUND_METHODS;
	for (size_t i = 0; i < ARRAY_SIZE(method_names); i++) {
		if (strcmp(method, method_names[i].name) == 0)
			return (allowed & method_names[i].bit) != 0;
	}
	return false;
}

/* The landing page's links from the route table, into @links (room for every route). */
static size_t landing_links(const struct http_server *srv, struct landing_link *links)
{
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		if (routes[i].label)
			links[n++] = (struct landing_link){ route_path(srv->cfg->telemetry_path,
								       &routes[i]),
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
		.snapshot = &s->scrape.snapshot,
		.kernel_log_lines = srv->cfg->landing_kernel_log_lines,
	};
	if (landing_render(&ctx, &s->body) < 0)
		return MHD_queue_response(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  pol->fixed.internal_error);
	return queue_body(conn, pol, &s->body, CONTENT_TYPE_HTML);
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

MHD_RESULT route_serve(struct http_server *srv, const struct policy *pol,
		       struct MHD_Connection *conn, const char *url)
{
	const struct route *r = route_find(srv->cfg->telemetry_path, url);
	if (!r)
		return MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, pol->fixed.not_found);
	return r->serve(srv, pol, conn);
}
