#ifndef TAINT_EXPORTER_HTTP_H
#define TAINT_EXPORTER_HTTP_H

/*
 * The serve layer, the only code that knows HTTP: routes, methods, content negotiation and
 * libmicrohttpd. Each scrape reads procfs and sysfs afresh through collect_snapshot().
 */

#include <stddef.h>

#include "collect.h"
#include "exposition.h"

/*
 * What clients may hold, so that hostile or broken ones cannot starve a scrape or grow the
 * exporter's memory. The connection limits apply to each listening address.
 */
struct http_limits {
	unsigned int connection_timeout;     /* seconds idle before the connection is closed */
	unsigned int max_connections;        /* open connections */
	unsigned int max_connections_per_ip; /* open connections from one address; 0: no limit */
	unsigned int max_requests;           /* scrapes in flight, then 503; 0: no limit */
	size_t max_request_bytes; /* memory for a request's line and headers: 414 or 431 past it */
};

struct http_config {
	const char *telemetry_path;
	const char *version;
	const struct collect_config *collect;
	const struct exposition *exposition;
	struct http_limits limits;
};

struct http_server;

/*
 * http_start() - serve on each of the @count listening sockets in @fds.
 * @cfg: kept by pointer; must outlive the server.
 * @out: the running server, for http_stop().
 * Returns 0 or -errno (the sockets are then closed).
 */
int http_start(const struct http_config *cfg, const int *fds, size_t count,
	       struct http_server **out);

/* http_stop() - stop serving, close the sockets and free the server. NULL is ignored. */
void http_stop(struct http_server *srv);

#endif
