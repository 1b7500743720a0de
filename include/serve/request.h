#ifndef TAINT_EXPORTER_REQUEST_H
#define TAINT_EXPORTER_REQUEST_H

/*
 * libmicrohttpd's callbacks for one request, from its request line to its answer: the size
 * limits, client certificates, basic auth, the method and body checks, --web.max-requests,
 * then the route (routes.h). Each daemon is started with its struct generation as the
 * callbacks' @cls, but request_completed() takes the struct http_server.
 */

#include <microhttpd.h>
#include <stddef.h>

#include "serve/mhd_compat.h"

/* MHD_AccessHandlerCallback: answers each request (@cls: its struct generation). */
MHD_RESULT request_handle(void *cls, struct MHD_Connection *conn, const char *url,
			  const char *method, const char *version, const char *upload_data,
			  size_t *upload_data_size, void **req_cls);

/*
 * MHD_OPTION_URI_LOG_CALLBACK: the request line has been read, the headers not yet; an
 * overlong URL is answered 414 here (@cls: the struct generation).
 */
void *request_uri_seen(void *cls, const char *uri, struct MHD_Connection *conn);

/* MHD_OPTION_NOTIFY_COMPLETED: the answer is sent (@cls: the struct http_server). */
void request_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
		       enum MHD_RequestTerminationCode toe);

/*
 * MHD_OPTION_NOTIFY_CONNECTION: where a client certificate is required, the handshake
 * requires it (@cls: the struct generation).
 */
void request_connection_started(void *cls, struct MHD_Connection *conn, void **socket_context,
				enum MHD_ConnectionNotificationCode toe);

/*
 * request_unescape_path() - decode the %HH escapes of @s in place, except "%00", which stays
 * as it is (decoded, it would end the path early for everything that reads it as a string).
 * Returns the new length. Also the daemons' MHD_OPTION_UNESCAPE_CALLBACK, through
 * request_unescape().
 */
size_t request_unescape_path(char *s);

/* MHD_OPTION_UNESCAPE_CALLBACK: request_unescape_path(). */
size_t request_unescape(void *cls, struct MHD_Connection *conn, char *s);

#endif
