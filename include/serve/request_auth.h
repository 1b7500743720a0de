#ifndef TAINT_EXPORTER_REQUEST_AUTH_H
#define TAINT_EXPORTER_REQUEST_AUTH_H

#include <pthread.h>
#include <stdbool.h>

/*
 * Who a request comes from, for request.c: the client certificate against the web config's
 * client_auth_type, and the credentials of an "Authorization: Basic" header, checked at once
 * when remembered or on the auth queue (auth_queue.h) with the connection suspended.
 */

#include <microhttpd.h>

#include "serve/mhd_compat.h"

struct auth_job;
struct generation;
struct policy;
struct webconfig;

enum auth_outcome {
	AUTH_OK, /* no users configured, or the credentials are good */
	AUTH_REFUSED, /* missing, malformed or wrong: 401 */
	AUTH_PENDING, /* on the auth queue, the connection suspended until it answers */
	AUTH_BUSY, /* the auth queue's bounds are reached: 429 */
};

/*
 * A request whose credentials the auth queue is checking: its connection is suspended until
 * the worker has the answer (auth_queue.h). The request's *req_cls points here meanwhile.
 */
struct pending_auth {
	struct MHD_Connection *conn;
	struct policy *policy; /* holds the auth the job checks against */
	struct auth_job *job;
	/*
	 * The worker may answer before the serving thread has suspended the connection (a
	 * serving thread descheduled between the two, as under valgrind): whichever of the two
	 * comes second resumes it, so that it is resumed once, and only once suspended.
	 */
	pthread_mutex_t lock;
	bool suspended;
	bool answered;
};

/*
 * request_auth_client_cert() - the connection's client certificate against @web's
 * client_auth_type (@web: the web config its daemon was started with; NULL: plain HTTP).
 * Returns 0 or -EACCES.
 */
int request_auth_client_cert(struct MHD_Connection *conn, const struct webconfig *web);

/*
 * request_auth_start() - basic auth on a request's first call. On AUTH_PENDING, *@req_cls
 * is a struct pending_auth for request_auth_pending_free() once the connection is resumed
 * (or closed), and the connection is suspended.
 */
enum auth_outcome request_auth_start(struct generation *gen, struct policy *pol,
				     struct MHD_Connection *conn, void **req_cls);

/*
 * request_auth_result() - the auth queue's answer for @p, once resumed: AUTH_OK, AUTH_REFUSED,
 * or AUTH_BUSY when the check gave its place to another client's (auth_queue_submit()).
 */
enum auth_outcome request_auth_result(const struct pending_auth *p);

/* request_auth_pending_free() - free @p and drop its job and its policy reference. */
void request_auth_pending_free(struct pending_auth *p);

/*
 * request_auth_refuse() - queue 401 (with WWW-Authenticate) or 403, with @pol's security
 * headers. Built per request: libmicrohttpd would add WWW-Authenticate to a shared response
 * again each time it is queued.
 */
MHD_RESULT request_auth_refuse(struct MHD_Connection *conn, const struct policy *pol,
			       unsigned int status);

#endif
