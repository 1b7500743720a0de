#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "config/webconfig.h"
#include "serve/auth.h"
#include "serve/policy.h"
#include "serve/request_size.h"

/* Adds the web config's security headers (http_server_config.headers) to @r. */
int policy_add_headers(const struct policy *pol, struct MHD_Response *r)
{
	if (!pol->web)
		return 0;
	for (size_t i = 0; i < pol->web->header_count; i++) {
		if (MHD_add_response_header(r, pol->web->headers[i].name,
					    pol->web->headers[i].value) != MHD_YES)
			return -ENOMEM;
	}
	return 0;
}

struct MHD_Response *policy_text(const struct policy *pol, const char *body,
				 const char *content_type)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return NULL;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) != MHD_YES ||
	    policy_add_headers(pol, r) < 0) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

static void fixed_free(struct fixed_responses *f)
{
	struct MHD_Response *all[] = { f->healthy,	  f->ready,
				       f->not_found,	  f->method_not_allowed,
				       f->internal_error, f->unavailable,
				       f->body_refused,	  f->auth_busy };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i])
			MHD_destroy_response(all[i]);
	}
}

static struct MHD_Response *plain(const struct policy *pol, const char *body)
{
	return policy_text(pol, body, POLICY_CONTENT_TYPE_PLAIN);
}

static int fixed_init(struct fixed_responses *f, const struct policy *pol)
{
	f->healthy = plain(pol, "Healthy\n");
	f->ready = plain(pol, "Ready\n");
	f->not_found = plain(pol, "Not Found\n");
	f->method_not_allowed = plain(pol, "Method Not Allowed\n");
	f->internal_error = plain(pol, "Internal Server Error\n");
	f->unavailable = plain(pol, "Too many scrapes in flight (--web.max-requests)\n");
	f->body_refused = plain(pol, "Bad Request: a request here has no body, at most one "
				     "Content-Length, and field names without blanks or folds\n");
	f->auth_busy = plain(pol, "Too Many Requests: too many password checks waiting; retry\n");
	if (!f->healthy || !f->ready || !f->not_found || !f->method_not_allowed ||
	    !f->internal_error || !f->unavailable || !f->body_refused || !f->auth_busy)
		return -ENOMEM;
	if (MHD_add_response_header(f->auth_busy, "Retry-After", "1") != MHD_YES)
		return -ENOMEM;
	/* What follows such headers cannot be trusted to be a next request: none is read. */
	if (MHD_add_response_header(f->body_refused, MHD_HTTP_HEADER_CONNECTION, "close") != MHD_YES)
		return -ENOMEM;
	if (MHD_add_response_header(f->method_not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") !=
	    MHD_YES)
		return -ENOMEM;
	return 0;
}

void policy_unref(struct policy *pol)
{
	if (!pol || atomic_fetch_sub(&pol->refs, 1) != 1)
		return;
	fixed_free(&pol->fixed);
	auth_unref(pol->auth);
	webconfig_free(pol->web);
	free(pol);
}

struct policy *policy_new(struct webconfig *web, const struct policy *previous)
{
	struct policy *pol = calloc(1, sizeof(*pol));
	if (!pol) {
		webconfig_free(web);
		return NULL;
	}
	atomic_init(&pol->refs, 1);
	pol->web = web;
	pol->answer_reserve = request_pool_bytes(0, web);
	if ((web && web->user_count > 0 &&
	     auth_new(web->users, web->user_count, previous ? previous->auth : NULL, &pol->auth) <
		     0) ||
	    fixed_init(&pol->fixed, pol) < 0) {
		policy_unref(pol);
		return NULL;
	}
	return pol;
}

void policy_ref(struct policy *pol)
{
	atomic_fetch_add(&pol->refs, 1);
}
