#ifndef TAINT_EXPORTER_GENERATION_H
#define TAINT_EXPORTER_GENERATION_H

/*
 * The daemons of one web configuration (struct generation, serve/server.h): started on dup()s
 * of the server's listening sockets, quiesced when a reload replaces them, stopped once their
 * connections are done.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "serve/server.h"

/*
 * generation_start() - daemons with @pol's TLS settings on dup()s of @srv's sockets, one per
 * socket. The generation takes a reference on @pol. On failure, @errbuf says what failed
 * (the address and libmicrohttpd's reason for a daemon that would not start).
 * Returns 0 with *@out set, or -errno.
 */
int generation_start(struct http_server *srv, struct policy *pol, struct generation **out,
		     char *errbuf, size_t errlen);

/*
 * generation_quiesce() - stop accepting; connections already open are still served. The
 * listening fds stay open until generation_stop().
 */
void generation_quiesce(struct generation *gen);

/*
 * generation_drained() - whether @gen (quiesced) has no connection left, or has drained for
 * long enough that the rest are cut.
 */
bool generation_drained(const struct generation *gen, time_t now);

/* generation_stop() - stop the daemons, close their fds and free @gen. NULL is ignored. */
void generation_stop(struct generation *gen);

#endif
