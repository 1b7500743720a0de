#ifndef TAINT_EXPORTER_ROUTES_H
#define TAINT_EXPORTER_ROUTES_H

/*
 * What the exporter serves, as one table: each path, the methods it answers, its handler and
 * its link on the landing page. A new endpoint is a row and a handler.
 */

#include <microhttpd.h>
#include <stdbool.h>

#include "serve/mhd_compat.h"

struct http_server;
struct policy;

/*
 * route_allows() - whether a request for @url may use @method: the methods of @url's route,
 * or, for a path no route serves, those of the 404 answer (GET and HEAD). @telemetry_path
 * is the route whose table path is NULL.
 */
bool route_allows(const char *telemetry_path, const char *url, const char *method);

/*
 * route_serve() - answer @url (the path alone: libmicrohttpd splits off the query string)
 * from its route, or 404. Reads procfs and sysfs afresh for the metrics and the landing page.
 */
MHD_RESULT route_serve(struct http_server *srv, const struct policy *pol,
		       struct MHD_Connection *conn, const char *url);

/*
 * route_scratch_free() - the destructor of the server's scratch_key: frees what a serving
 * thread kept from one request to the next (its open files, snapshot and body).
 */
void route_scratch_free(void *scratch);

#endif
