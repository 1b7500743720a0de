#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/webconfig.h"
#include "log.h"
#include "serve/auth_queue.h"
#include "serve/generation.h"
#include "serve/listen.h"
#include "serve/policy.h"
#include "serve/request.h"
#include "serve/request_size.h"
#include "serve/tls.h"

/*
 * After a reload, the old daemons stop accepting at once but finish what they serve; they are
 * stopped when their last connection closes, or after this long (idle keep-alive connections
 * time out after 10 s, so only a stuck client is cut).
 */
#define DRAIN_SECONDS 30

/*
 * libmicrohttpd's own complaints (malformed requests, resource limits) are debug noise. But
 * while the starting thread runs MHD_start_daemon(), the last message it logs is kept in
 * @cls (the generation's struct daemon_start_log): libmicrohttpd's only way of saying why a
 * start failed (the call returns NULL and leaves errno as it likes). Only that thread's: the
 * daemons' own threads log too, with the same @cls.
 */
__attribute__((format(printf, 2, 0))) static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	struct daemon_start_log *start = cls;
	char line[256];
	vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	if (atomic_load(&start->starting) && pthread_equal(pthread_self(), start->starter))
		snprintf(start->reason, sizeof(start->reason), "%s", line);
	log_msg(LOG_DEBUG, "libmicrohttpd", "detail", line, NULL);
}

/*
 * Stops accepting: each daemon hands its listening fd (a dup()) back. The fds stay open until
 * generation_stop(): the daemons' threads may still have them in a poll() set, and closing
 * them now would let the fd numbers be reused under those threads (libmicrohttpd then closes
 * or accepts on someone else's socket, and aborts).
 */
void generation_quiesce(struct generation *gen)
{
	for (size_t i = 0; i < gen->daemon_count; i++)
		gen->listen_fds[i] = MHD_quiesce_daemon(gen->daemons[i]);
	gen->quiesced_at = time(NULL);
}

/* Stops a generation's daemons, then closes the listening fds they handed back, and frees it. */
void generation_stop(struct generation *gen)
{
	if (!gen)
		return;
	if (!gen->quiesced_at)
		generation_quiesce(gen);
	/* Its connections waiting for a password check are resumed before their daemons go. */
	if (gen->srv->auth_queue)
		auth_queue_cancel(gen->srv->auth_queue, gen);
	for (size_t i = 0; i < gen->daemon_count; i++) {
		MHD_stop_daemon(gen->daemons[i]);
		if (gen->listen_fds[i] != MHD_INVALID_SOCKET)
			close(gen->listen_fds[i]);
	}
	policy_unref(gen->policy);
	free(gen);
}

/* The TLS options of @web, into @opts (room for 6). */
static void tls_options(const struct webconfig *web, const char *priorities,
			struct MHD_OptionItem *opts)
{
	size_t n = 0;
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, web->cert_pem };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, web->key_pem };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)priorities };
	/*
	 * libmicrohttpd asks for client certificates only when it has a trust list; where the
	 * policy asks for a certificate without checking it, the server's own certificate
	 * stands in, and request_auth_client_cert() never verifies against it.
	 */
	if (web->client_auth != WEBCONFIG_NO_CLIENT_CERT)
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0,
						     web->client_ca_pem ? web->client_ca_pem :
									  web->cert_pem };
	opts[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
}

/*
 * One daemon for the listening socket @fd (taken over, closed on failure). Returns 0, or
 * -EIO with @errbuf saying which address and libmicrohttpd's reason.
 */
static int start_daemon(struct generation *gen, int fd, unsigned int flags,
			struct MHD_OptionItem *opts, char *errbuf, size_t errlen)
{
	struct http_server *srv = gen->srv;
	const struct http_limits *lim = &srv->cfg->limits;
	struct daemon_start_log *start = &gen->start_log;
	char where[300];
	listen_describe(fd, where, sizeof(where)); /* now: a failed start may have closed @fd */
	start->starter = pthread_self();
	start->reason[0] = '\0';
	atomic_store(&start->starting, true);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, request_handle, gen,
		/* first, or libmicrohttpd warns that earlier options log elsewhere */
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, start, MHD_OPTION_UNESCAPE_CALLBACK,
		request_unescape, NULL, MHD_OPTION_URI_LOG_CALLBACK, request_uri_seen, gen,
		MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_NOTIFY_CONNECTION,
		request_connection_started, gen, MHD_OPTION_NOTIFY_COMPLETED, request_completed,
		srv, MHD_OPTION_THREAD_POOL_SIZE, srv->cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT,
		lim->connection_timeout, MHD_OPTION_CONNECTION_LIMIT, lim->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, lim->max_connections_per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, gen->pool_bytes, MHD_OPTION_ARRAY, opts,
		MHD_OPTION_END);
	atomic_store(&start->starting, false);
	if (d) {
		gen->daemons[gen->daemon_count] = d;
		return 0;
	}
	close(fd);
	snprintf(errbuf, errlen, "could not start the HTTP daemon on %s: %s", where,
		 start->reason[0] ? start->reason : "libmicrohttpd gave no reason");
	return -EIO;
}

/* Starts daemons with @pol's TLS settings on dup()s of the server's sockets. */
int generation_start(struct http_server *srv, struct policy *pol, struct generation **out,
		     char *errbuf, size_t errlen)
{
	struct generation *gen = calloc(1, sizeof(*gen));
	if (!gen) {
		snprintf(errbuf, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	gen->srv = srv;
	gen->policy = pol;
	policy_ref(pol);

	const struct webconfig *web = pol->web;
	bool tls = web && web->tls;
	char priorities[1024] = "";
	struct MHD_OptionItem opts[6] = { { MHD_OPTION_END, 0, NULL } };
	if (tls) {
		tls_priorities(web, priorities, sizeof(priorities));
		tls_options(web, priorities, opts);
	}
	/*
	 * Polling threads (--web.threads, each with its share of the connections): idle and
	 * slow connections cost no thread, so they cannot starve a scrape; the limits bound how
	 * many there are (per address too) and what each may hold. poll(), not epoll:
	 * libmicrohttpd 0.9.75's edge-triggered epoll misses a FIN that arrives with the
	 * request's last bytes, so such a connection sits in CLOSE-WAIT until the idle timeout,
	 * counted against the connection limits (tests/hardening catches it); and its
	 * MHD_quiesce_daemon() with epoll and a thread pool can abort the process on a reload.
	 */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
			     MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | (tls ? MHD_USE_TLS : 0);
	gen->pool_bytes = request_pool_bytes(srv->cfg->limits.max_request_bytes, web);
	int err = 0;
	for (size_t i = 0; err == 0 && i < srv->fd_count; i++) {
		int fd = fcntl(srv->fds[i], F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			err = -errno;
			snprintf(errbuf, errlen, "%s", strerror(errno));
			break;
		}
		err = start_daemon(gen, fd, flags, opts, errbuf, errlen);
		if (err == 0)
			gen->daemon_count++;
	}
	if (err < 0) {
		generation_stop(gen);
		return err;
	}
	*out = gen;
	return 0;
}

bool generation_drained(const struct generation *gen, time_t now)
{
	if (now - gen->quiesced_at >= DRAIN_SECONDS)
		return true;
	for (size_t i = 0; i < gen->daemon_count; i++) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(gen->daemons[i], MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!info || info->num_connections > 0)
			return false;
	}
	return true;
}
