/*
 * The benchmark's floor: libmicrohttpd serving a fixed body exactly as the exporter queues its
 * scrapes (the same daemon flags, thread pool, per-connection memory, connection timeout; the
 * body copied into each response with a Content-Type header), after the reads any scrape that
 * is fresh on every tree must make, and nothing else: no parsing, no rendering. Per request it
 * opens the taint file and /proc/modules anew, relative to the procfs root, reads each until
 * EOF and closes it. No descriptor of a file is held across requests: a held file goes stale
 * when another is renamed over it, a symlink is swapped or a directory above it is replaced.
 * What it costs per request is what any exporter built on this libmicrohttpd pays for those
 * reads, so the bench can say how much of the exporter's cost is the library's and the kernel
 * interface's, and how much its own work.
 *
 *   http_floor PORT BODY_FILE THREADS POOL_BYTES TIMEOUT_S [PROCFS_DIR]
 *
 * (the exporter's --web.threads, the pool its default --web.max-request-bytes gives, and its
 * default --web.connection-timeout; 512 connections at most, its --web.max-connections). With
 * PROCFS_DIR, each request reads PROCFS_DIR/sys/kernel/tainted and PROCFS_DIR/modules. The
 * allocator is glibc's, untuned.
 *
 * Listens on 127.0.0.1:PORT and serves the file's bytes on every path until SIGTERM or SIGINT.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_PATH */
#endif
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	int procfs_fd; /* the procfs root (O_PATH), the only descriptor held; -1: no reads */
};

/* Opens @path below @dirfd, reads it a page at a time until EOF, closes it. */
static int read_whole(int dirfd, const char *path)
{
	char buf[4096];
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0 ? -1 : 0;
}

/* The reads of a fresh scrape: the taint value, then the module list. */
static int read_like_a_scrape(const struct body *body)
{
	if (body->procfs_fd < 0)
		return 0;
	if (read_whole(body->procfs_fd, "sys/kernel/tainted") < 0)
		return -1;
	return read_whole(body->procfs_fd, "modules");
}

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
	if (read_like_a_scrape(body) < 0)
		return MHD_NO;
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
	struct body b = { NULL, 0, -1 };
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
	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: http_floor PORT BODY_FILE THREADS POOL_BYTES TIMEOUT_S "
				"[PROCFS_DIR]\n");
		return 2;
	}
	uint16_t port = (uint16_t)strtoul(argv[1], NULL, 10);
	struct body body = read_body(argv[2]);
	if (argc == 7 && (body.procfs_fd = open(argv[6], O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		perror("http_floor: open");
		return 1;
	}
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
