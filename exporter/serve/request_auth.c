#include <errno.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/webconfig.h"
#include "serve/auth.h"
#include "serve/auth_queue.h"
#include "serve/policy.h"
#include "serve/request_auth.h"
#include "serve/server.h"
#include "serve/tls.h"

MHD_RESULT request_auth_refuse(struct MHD_Connection *conn, const struct policy *pol,
			       unsigned int status)
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
 * certificate where one is required (request_connection_started()); this is the check of record,
 * on every request, against the CA the connection's daemon was started with.
 * Returns 0 or -EACCES.
 */
int request_auth_client_cert(struct MHD_Connection *conn, const struct webconfig *web)
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

/* Records that the answer is in (@answered) or that the connection is suspended; true when
 * the other has happened already, so that the caller resumes the connection now. */
static bool pending_step(struct pending_auth *p, bool answered)
{
	pthread_mutex_lock(&p->lock);
	if (answered)
		p->answered = true;
	else
		p->suspended = true;
	bool both = p->answered && p->suspended;
	pthread_mutex_unlock(&p->lock);
	return both;
}

/* auth_job_done_fn, on the worker thread: the answer is in, let the connection go on. */
static void auth_done(struct auth_job *job, void *ctx)
{
	struct pending_auth *p = ctx;
	(void)job;
	if (pending_step(p, true))
		MHD_resume_connection(p->conn);
}

enum auth_outcome request_auth_result(const struct pending_auth *p)
{
	int result = auth_job_result(p->job);
	return result == 0 ? AUTH_OK : result == -EBUSY ? AUTH_BUSY : AUTH_REFUSED;
}

void request_auth_pending_free(struct pending_auth *p)
{
	auth_job_free(p->job);
	policy_unref(p->policy);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/*
 * Basic auth for a request's first call: no users configured, or a remembered pair, is
 * AUTH_OK at once; a missing or malformed header AUTH_REFUSED; anything else goes to the
 * auth queue (AUTH_PENDING: the connection is suspended and *@req_cls holds the pending check)
 * or, when the queue's bounds are reached, AUTH_BUSY.
 */
enum auth_outcome request_auth_start(struct generation *gen, struct policy *pol,
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
		if (p) { /* all that auth_done() reads, before the worker can run it */
			p->conn = conn;
			pthread_mutex_init(&p->lock, NULL);
		}
		int err = !p ? -ENOMEM :
			       auth_queue_submit(gen->srv->auth_queue, pol->auth, text, password,
						 from ? from->client_addr : NULL, gen, auth_done, p,
						 &p->job);
		if (err == 0) {
			p->policy = pol;
			policy_ref(pol);
			*req_cls = p;
			MHD_suspend_connection(conn);
			if (pending_step(p, false)) /* answered already */
				MHD_resume_connection(conn);
			outcome = AUTH_PENDING;
		} else {
			if (p)
				pthread_mutex_destroy(&p->lock);
			free(p);
			outcome = err == -EBUSY || err == -EAGAIN ? AUTH_BUSY : AUTH_REFUSED;
		}
	}
	wipe_credentials(text, password);
	return outcome;
}
