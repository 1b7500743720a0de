#ifndef TAINT_EXPORTER_SERVER_H
#define TAINT_EXPORTER_SERVER_H

/*
 * The running server's state, shared by the files of the serve layer and by nothing else:
 * http.c starts, reloads and stops it; generation.c runs its daemons; request.c admits each
 * request; routes.c answers it. Everything outside serve/ sees only include/serve/http.h.
 */

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "serve/http.h"
#include "serve/listen.h"

struct auth_queue;
struct policy;

/*
 * What libmicrohttpd last logged from the thread starting a daemon, while it starts one: why a
 * start failed (generation.c).
 */
struct daemon_start_log {
	pthread_t starter;
	atomic_bool starting;
	char reason[256];
};

/*
 * One daemon per listening socket, all started with the same TLS settings. A reload starts a
 * new generation on the same sockets (dup()ed, so each daemon owns its fd) before the old one
 * stops accepting, so no connection attempt finds nobody listening.
 */
struct generation {
	struct http_server *srv;
	struct policy *policy; /* the TLS settings these daemons run with */
	size_t pool_bytes; /* each connection's memory (request_pool_bytes()) */
	time_t quiesced_at; /* 0 while the daemons still accept */
	struct generation *next; /* in the list of generations draining */
	size_t daemon_count;
	struct MHD_Daemon *daemons[LISTEN_MAX];
	MHD_socket listen_fds[LISTEN_MAX]; /* handed back by MHD_quiesce_daemon() */
	struct daemon_start_log start_log; /* the logger's: outlives every daemon of @daemons */
};

struct http_server {
	const struct http_config *cfg;
	pthread_key_t scratch_key; /* each serving thread's struct scratch (routes.h) */
	atomic_uint scrapes_in_flight; /* counted against limits.max_requests */
	atomic_uint requests_in_flight; /* admitted, until their answer is sent (http_drain()) */
	struct auth_queue *auth_queue; /* the bcrypt checks, off the serving threads */
	pthread_mutex_t lock; /* guards policy */
	struct policy *policy;
	struct generation *current;
	struct generation *draining;
	size_t fd_count;
	int fds[LISTEN_MAX];
};

/*
 * server_policy() - the policy in force now, with a reference for the caller to
 * policy_unref(). Any thread.
 */
struct policy *server_policy(struct http_server *srv);

#endif
