#ifndef TAINT_EXPORTER_POLICY_H
#define TAINT_EXPORTER_POLICY_H

/*
 * What a request is checked against and answered with, as one reference-counted object, so
 * that a reload can swap it while requests still use the old one.
 */

#include <microhttpd.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define POLICY_CONTENT_TYPE_PLAIN "text/plain; charset=utf-8"

struct webconfig;

/* Answers that never change are built once and queued again and again (MHD counts refs). */
struct fixed_responses {
	struct MHD_Response *healthy;
	struct MHD_Response *ready;
	struct MHD_Response *not_found;
	struct MHD_Response *method_not_allowed;
	struct MHD_Response *internal_error;
	struct MHD_Response *unavailable;
	struct MHD_Response *body_refused;
	struct MHD_Response *auth_busy;
};

/*
 * What a request is checked against and answered with: the web config (NULL without
 * --web.config.file), its basic auth users, and the fixed answers carrying its security
 * headers. Reference-counted, so that a reload can swap it while requests use the old one.
 */
struct policy {
	atomic_uint refs;
	struct webconfig *web;
	struct auth *auth;
	struct fixed_responses fixed;
	size_t answer_reserve; /* request_pool_bytes(0, web): room kept for an answer's headers */
};

/*
 * policy_new() - a policy for @web (NULL: no web config), which it takes over even on
 * failure: its users' checker and its fixed answers. @previous (NULL at start) is the policy
 * it replaces, whose checker hands over what still holds (auth_new()). One reference, for
 * policy_unref(). Returns NULL when out of memory.
 */
struct policy *policy_new(struct webconfig *web, const struct policy *previous);

/* policy_ref() - take one more reference on @pol. */
void policy_ref(struct policy *pol);

/* policy_unref() - drop a reference; the last one frees @pol and its web config. NULL is ignored. */
void policy_unref(struct policy *pol);

/* policy_add_headers() - add @pol's security headers to @r. Returns 0 or -ENOMEM. */
int policy_add_headers(const struct policy *pol, struct MHD_Response *r);

/*
 * policy_text() - a response with the static text @body, @content_type and @pol's security
 * headers, for the caller to MHD_destroy_response(). NULL when out of memory.
 */
struct MHD_Response *policy_text(const struct policy *pol, const char *body,
				 const char *content_type);

#endif
