#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/webconfig.h"
#include "serve/auth_queue.h"
#include "serve/generation.h"
#include "serve/http.h"
#include "serve/policy.h"
#include "serve/routes.h"
#include "serve/server.h"

/* The policy in force now, with a reference for the caller to policy_unref(). */
struct policy *server_policy(struct http_server *srv)
{
	pthread_mutex_lock(&srv->lock);
	struct policy *pol = srv->policy;
	policy_ref(pol);
	pthread_mutex_unlock(&srv->lock);
	return pol;
}

bool http_drain(struct http_server *srv, unsigned int seconds)
{
	generation_quiesce(srv->current); /* those of earlier reloads accept nothing already */
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	const struct timespec tick = { 0, 10000000 }; /* 10 ms */
	for (;;) {
		if (atomic_load(&srv->requests_in_flight) == 0)
			return true;
		clock_gettime(CLOCK_MONOTONIC, &now);
		int64_t ms = (int64_t)(now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms >= (int64_t)seconds * 1000)
			return false;
		nanosleep(&tick, NULL);
	}
}

void http_stop(struct http_server *srv)
{
	if (!srv)
		return;
	generation_stop(srv->current);
	while (srv->draining) {
		struct generation *next = srv->draining->next;
		generation_stop(srv->draining);
		srv->draining = next;
	}
	for (size_t i = 0; i < srv->fd_count; i++)
		close(srv->fds[i]);
	auth_queue_free(srv->auth_queue);
	policy_unref(srv->policy);
	pthread_mutex_destroy(&srv->lock);
	pthread_key_delete(srv->scratch_key); /* the threads, and so the scratches, are gone */
	free(srv);
}

int http_start(const struct http_config *cfg, const int *fds, size_t count, struct webconfig *web,
	       struct http_server **out, char *errbuf, size_t errlen)
{
	snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
	int err = -ENOMEM;
	struct http_server *srv = count <= LISTEN_MAX ? calloc(1, sizeof(*srv)) : NULL;
	if (!srv)
		goto out_fds;
	srv->cfg = cfg;
	err = -pthread_key_create(&srv->scratch_key, route_scratch_free);
	if (err < 0) {
		snprintf(errbuf, errlen, "%s", strerror(-err));
		goto out_srv;
	}
	/* From here http_stop() undoes everything, the sockets and the config included. */
	pthread_mutex_init(&srv->lock, NULL);
	memcpy(srv->fds, fds, count * sizeof(fds[0]));
	srv->fd_count = count;
	srv->policy = policy_new(web, NULL);
	err = srv->policy ? auth_queue_new(&srv->auth_queue) : -ENOMEM;
	if (err < 0)
		snprintf(errbuf, errlen, "%s", strerror(-err));
	else
		err = generation_start(srv, srv->policy, &srv->current, errbuf, errlen);
	if (err < 0) {
		http_stop(srv);
		return err;
	}
	*out = srv;
	return 0;

out_srv:
	free(srv);
out_fds:
	webconfig_free(web);
	for (size_t i = 0; i < count; i++)
		close(fds[i]);
	return err;
}

int http_reload(struct http_server *srv, struct webconfig *web, char *errbuf, size_t errlen)
{
	struct policy *pol = policy_new(web, srv->policy);
	if (!pol) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	struct generation *gen;
	int err = generation_start(srv, pol, &gen, errbuf, errlen);
	if (err < 0) {
		policy_unref(pol);
		return err;
	}
	/* The new daemons accept already: the old ones stop accepting and drain. */
	struct generation *old = srv->current;
	generation_quiesce(old);
	old->next = srv->draining;
	srv->draining = old;
	srv->current = gen;

	pthread_mutex_lock(&srv->lock);
	struct policy *prev = srv->policy;
	srv->policy = pol;
	pthread_mutex_unlock(&srv->lock);
	policy_unref(prev);
	return 0;
}

const struct webconfig *http_web_config(const struct http_server *srv)
{
	return srv->policy->web; /* written by http_reload() alone, on this same thread */
}

void http_reap(struct http_server *srv)
{
	time_t now = time(NULL);
	struct generation **link = &srv->draining;
	while (*link) {
		struct generation *gen = *link;
		if (generation_drained(gen, now)) {
			*link = gen->next;
			generation_stop(gen);
		} else {
			link = &gen->next;
		}
	}
}
