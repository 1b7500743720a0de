/*
 * The benchmark's HTTP floor: libmicrohttpd serving a fixed body exactly as the exporter
 * queues its scrapes (the same daemon flags, thread pool, per-connection memory, connection
 * timeout; the body copied into each response with a Content-Type header), and doing nothing
 * else: no file read, no parsing, no rendering. What it costs per request is what any exporter
 * built on this libmicrohttpd pays before it reads a byte of procfs, so the bench can say how
 * much of the gap to nginx is the HTTP library and how much the exporter's own work.
 *
 *   http_floor PORT BODY_FILE THREADS POOL_BYTES TIMEOUT_S
 *
 * (the exporter's --web.threads, the pool its default --web.max-request-bytes gives, and its
 * default --web.connection-timeout; 512 connections at most, its --web.max-connections)
 *
 * Listens on 127.0.0.1:PORT and serves the file's bytes on every path until SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#if MHD_VERSION >= 0x00097002
#define HANDLER_RESULT enum MHD_Result
#else
#define HANDLER_RESULT int
#endif

/* The exporter's Content-Type for the text format (include/render/exposition.h). */
#define CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct body {
	char *data;
	size_t len;
};

static HANDLER_RESULT answer(void *cls, struct MHD_Connection *conn, const char *url,
			     const char *method, const char *version, const char *upload_data,
			     size_t *upload_data_size, void **req_cls)
{
	(void)url, (void)method, (void)version, (void)upload_data, (void)upload_data_size;
	const struct body *body = cls;
	if (!*req_cls) { /* the first call, with the headers: answer on the second, as the exporter */
		*req_cls = conn;
		return MHD_YES;
	}
	struct MHD_Response *r =
		MHD_create_response_from_buffer(body->len, body->data, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	HANDLER_RESULT ret = MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CONTENT_TYPE) == MHD_YES)
		ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static struct body read_body(const char *path)
{
	struct body b = { NULL, 0 };
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (b.len = (size_t)ftell(f)) == 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || !(b.data = malloc(b.len)) ||
	    fread(b.data, 1, b.len, f) != b.len) {
		fprintf(stderr, "http_floor: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: http_floor PORT BODY_FILE THREADS POOL_BYTES TIMEOUT_S\n");
		return 2;
	}
	uint16_t port = (uint16_t)strtoul(argv[1], NULL, 10);
	struct body body = read_body(argv[2]);
	unsigned int threads = (unsigned int)strtoul(argv[3], NULL, 10);
	size_t pool = strtoul(argv[4], NULL, 10);
	unsigned int timeout = (unsigned int)strtoul(argv[5], NULL, 10);

	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL); /* the daemon's threads inherit the mask */

	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* The exporter's flags (exporter/serve/generation.c), TLS aside. */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG |
			     MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, answer, &body,
						MHD_OPTION_SOCK_ADDR, &addr,
						MHD_OPTION_THREAD_POOL_SIZE, threads,
						MHD_OPTION_CONNECTION_TIMEOUT, timeout,
						MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool,
						MHD_OPTION_CONNECTION_LIMIT, 512, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "http_floor: could not start libmicrohttpd on port %u\n", port);
		return 1;
	}
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	free(body.data);
	return 0;
}
