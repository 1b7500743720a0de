#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>

#include "config/webconfig.h"
#include "log.h"
#include "serve/auth_queue.h"
#include "serve/policy.h"
#include "serve/request.h"
#include "serve/request_auth.h"
#include "serve/request_size.h"
#include "serve/routes.h"
#include "serve/server.h"
#include "serve/tls.h"

struct body_headers {
	unsigned int content_lengths; /* how many Content-Length headers */
	bool nonzero_length; /* one of them is not "0" */
	bool transfer_encoding; /* a Transfer-Encoding header: a chunked body */
	bool malformed_name; /* a name that is no token, or a body header's name run on */
};

/* RFC 9110's tchar: what a field name is made of. Never a blank, a colon or a control. */
static bool token_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_token(const char *s)
{
	for (; *s; s++) {
		if (!token_char((unsigned char)*s))
			return false;
	}
	return true;
}

/* Whether @key begins with @name, in any case: libmicrohttpd 0.9.75 runs a folded line on. */
static bool begins_with(const char *key, const char *name)
{
	return strncasecmp(key, name, strlen(name)) == 0;
}

static MHD_RESULT note_body_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct body_headers *b = cls;
	/*
	 * As libmicrohttpd 0.9.75 hands them over, "Content-Length : 34" is the name
	 * "Content-Length " (a blank or a tab before the colon), and an obs-folded line is run on
	 * into the name ("X-A: y\r\n Content-Length: 34" gives "X-AContent-Length: 34",
	 * "Content-Length: 0\r\n 34" gives "Content-Length34"). libmicrohttpd then reads no body,
	 * and the body would be read as a second request, where a proxy in front may have taken
	 * it as a body: refused, as RFC 9112 says a server must refuse both forms.
	 */
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		b->content_lengths++;
		b->nonzero_length |= !value || strcmp(value, "0") != 0;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		b->transfer_encoding = true;
	} else if (!is_token(key) || begins_with(key, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
		   begins_with(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		b->malformed_name = true;
	}
	return MHD_YES;
}

/*
 * Whether the request announces a body, in any form, or more than one Content-Length, or has a
 * field name that is no token. A GET or HEAD with a body has no use here, and one trickled a byte at a time would hold its --web.max-requests
 * slot for as long as it lasts; differing Content-Lengths are read one way here and another
 * way by a proxy in front (request smuggling). Both are answered 400 from the headers alone,
 * before a byte of the body is read, and the connection is closed.
 */
static bool refuses_body(struct MHD_Connection *conn)
{
	struct body_headers b = { 0 };
	MHD_get_connection_values(conn, MHD_HEADER_KIND, note_body_header, &b);
	return b.content_lengths > 1 || b.nonzero_length || b.transfer_encoding || b.malformed_name;
}

/*
 * What *req_cls points to between the calls for one request: its request line has been read
 * (request_uri_seen()) or refused there; the headers have been seen, and for a scrape whether it
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

void request_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
		       enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	if (*req_cls == &scrape_counted)
		atomic_fetch_sub(&srv->scrapes_in_flight, 1);
	if (*req_cls == &scrape_counted || *req_cls == &scrape_refused || *req_cls == &request_seen)
		atomic_fetch_sub(&srv->requests_in_flight, 1);
	if (is_pending_auth(*req_cls)) /* closed once resumed: the job is done (generation_stop()) */
		request_auth_pending_free(*req_cls);
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
		return request_auth_refuse(conn, pol, MHD_HTTP_UNAUTHORIZED);
	if (auth == AUTH_BUSY)
		return MHD_queue_response(conn, MHD_HTTP_TOO_MANY_REQUESTS, pol->fixed.auth_busy);
	if (!route_allows(srv->cfg->telemetry_path, url, method))
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
void *request_uri_seen(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct generation *gen = cls;
	if (strlen(uri) <= gen->srv->cfg->limits.max_request_bytes)
		return &request_line_read;
	struct policy *pol = server_policy(gen->srv);
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

/*
 * The path of a request target in absolute form ("http://host:19110/metrics"), which RFC 9112
 * says a server must accept, as the origin form would give it ("/metrics"); any other target
 * as it is. Proxies send the absolute form.
 */
static const char *origin_path(const char *url)
{
	const char *rest = strncasecmp(url, "http://", 7) == 0	? url + 7 :
			   strncasecmp(url, "https://", 8) == 0 ? url + 8 :
								  NULL;
	if (!rest)
		return url;
	const char *slash = strchr(rest, '/');
	return slash ? slash : "/";
}

/*
 * A request's first call, with its headers alone: its size, the client certificate and
 * basic auth, then admit(); or the connection suspended for the auth queue.
 */
static MHD_RESULT first_call(struct generation *gen, struct MHD_Connection *conn, const char *url,
			     const char *target, const char *method, const char *version,
			     void **req_cls)
{
	struct http_server *srv = gen->srv;
	MHD_RESULT ret;
	/* Users and headers as they are now, so a reload revokes at once. */
	struct policy *pol = server_policy(srv);
	if (oversized(gen, pol, conn, method, target, version)) {
		policy_unref(pol);
		return MHD_NO; /* answered 414 or 431 already; libmicrohttpd closes it */
	}
	/* Client certificates against the CA this daemon was started with. */
	if (request_auth_client_cert(conn, gen->policy->web) < 0) {
		ret = request_auth_refuse(conn, pol, MHD_HTTP_FORBIDDEN);
		policy_unref(pol);
		return ret;
	}
	enum auth_outcome auth = request_auth_start(gen, pol, conn, req_cls);
	if (auth == AUTH_PENDING) {
		policy_unref(pol);
		return MHD_YES; /* called again once the auth queue has the answer */
	}
	ret = admit(srv, pol, conn, url, method, auth, req_cls);
	policy_unref(pol);
	return ret;
}

MHD_RESULT request_handle(void *cls, struct MHD_Connection *conn, const char *url,
			  const char *method, const char *version, const char *upload_data,
			  size_t *upload_data_size, void **req_cls)
{
	struct generation *gen = cls;
	struct http_server *srv = gen->srv;
	MHD_RESULT ret;
	const char *target = url; /* as it came, for its size */
	url = origin_path(url);

	/*
	 * The first call comes with the headers alone: who the client is and what it asks are
	 * checked there, so that a refused request is answered before any body is read.
	 * Answering a good request only on the second call, once the request has been read to
	 * its end, lets libmicrohttpd keep the connection alive.
	 */
	if (*req_cls == &request_line_refused)
		return MHD_NO; /* answered 414 from the request line; libmicrohttpd closes it */
	if (*req_cls == &request_line_read || *req_cls == NULL)
		return first_call(gen, conn, url, target, method, version, req_cls);
	if (is_pending_auth(*req_cls)) { /* resumed: the auth queue's answer */
		struct pending_auth *p = *req_cls;
		enum auth_outcome auth = request_auth_result(p);
		request_auth_pending_free(p);
		*req_cls = &request_line_read;
		struct policy *pol = server_policy(srv);
		ret = admit(srv, pol, conn, url, method, auth, req_cls);
		policy_unref(pol);
		return ret;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0; /* refused above; cannot come, but never served */
		return MHD_YES;
	}
	struct policy *pol = server_policy(srv);
	if (*req_cls == &scrape_refused)
		ret = MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE, pol->fixed.unavailable);
	else
		ret = route_serve(srv, pol, conn, url);
	policy_unref(pol);
	return ret;
}

/*
 * Where a certificate is required, ask GnuTLS to require it in the handshake, as Go does, so
 * that a client without one fails there rather than at the first request.
 */
void request_connection_started(void *cls, struct MHD_Connection *conn, void **socket_context,
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
size_t request_unescape_path(char *s)
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

size_t request_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return request_unescape_path(s);
}
