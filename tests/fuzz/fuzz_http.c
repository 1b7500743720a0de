/*
 * The request handler, driven for real: the harness starts the exporter's HTTP server
 * (http_start(), libmicrohttpd and all) on a loopback socket against a fixture tree, and
 * writes each input as the raw bytes of a connection. Routing, methods, the scrape cap,
 * content negotiation and rendering all run as they do in production, through whatever
 * libmicrohttpd makes of the bytes; a pure routing function would have skipped exactly the
 * part where hostile input meets our code.
 *
 * libmicrohttpd itself is not instrumented (the Debian library), so coverage guides the
 * fuzzer through our code only; ASan still sees every misuse of our memory.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "read/collect.h"
#include "read/file.h"
#include "read/scrape.h"
#include "render/exposition.h"
#include "serve/http.h"
#include "serve/listen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sockaddr_in server_addr;
static struct collect_config collect;
static struct scrape_config scrape_cfg;
static struct exposition exposition;
static struct http_config config;
static struct http_server *server;

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/*
 * A fixture tree under a fresh temporary directory, as tests/hardening builds it: every bit
 * set, and a module list with a name to escape (a quote, a backslash, a byte not UTF-8).
 */
static void make_fixtures(char *root)
{
	char path[512];
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	const char *dirs[] = { "proc", "proc/sys", "proc/sys/kernel" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755) < 0) {
			perror(path);
			exit(1);
		}
	}
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/tainted", root);
	write_file(path, "18446744073709551615\n");
	snprintf(path, sizeof(path), "%s/proc/modules", root);
	write_file(path, "nvidia 56823808 0 - Live 0x0000000000000000 (POE)\n"
			 "e\"vil\\mod\xff 16384 0 - Live 0x0000000000000000 (QZ)\n"
			 "ext4 1048576 2 - Live 0x0000000000000000\n");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char root[] = "/tmp/taint-fuzz-http-XXXXXX";
	char proc[64];
	make_fixtures(root);
	snprintf(proc, sizeof(proc), "%s/proc", root);

	log_setup(LOG_ERROR, LOG_FORMAT_LOGFMT);
	collect.procfs_fd = file_open_dir(proc);
	collect.sysfs_fd = -1; /* module taint comes from <procfs>/modules alone */
	collect.modules = true;
	collect.modules_max = 1000;
	scrape_cfg.collect = &collect;
	scrape_cfg.layout = taint_layout_find("upstream");
	const struct build_labels build = { "0.0.0-fuzz", "fuzz", "clang" };
	if (collect.procfs_fd < 0 || exposition_init(&exposition, scrape_cfg.layout, &build) < 0)
		abort();

	struct listen_address loopback;
	int fd = listen_parse("127.0.0.1:0", &loopback) < 0 ? -EINVAL : listen_open(&loopback);
	socklen_t len = sizeof(server_addr);
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&server_addr, &len) < 0)
		abort();
	config = (struct http_config){
		.telemetry_path = "/metrics",
		.version = "0.0.0-fuzz",
		.scrape = &scrape_cfg,
		.exposition = &exposition,
		.threads = 1,
		/* small limits, so that inputs reach them */
		.limits = { .connection_timeout = 2,
			    .max_connections = 64,
			    .max_connections_per_ip = 0,
			    .max_requests = 2,
			    .max_request_bytes = 4096 },
	};
	char why[512];
	if (http_start(&config, &fd, 1, NULL, &server, why, sizeof(why)) < 0) { /* plain HTTP */
		fprintf(stderr, "fuzz_http: %s\n", why);
		abort();
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* connect(), finishing it when libFuzzer's timer signal interrupts it. Returns 0 or -1. */
static int connect_server(int s)
{
	if (connect(s, (struct sockaddr *)&server_addr, sizeof(server_addr)) == 0)
		return 0;
	if (errno != EINTR)
		return -1;
	struct pollfd p = { s, POLLOUT, 0 };
	int err = 0;
	socklen_t len = sizeof(err);
	while (poll(&p, 1, 5000) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
		errno = err ? err : errno;
		return -1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/*
	 * Close with a reset, leaving no TIME_WAIT behind: at ~15,000 connections a second the
	 * ephemeral ports would run out within seconds, and connect() would fail.
	 */
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset)) < 0) {
		perror("socket");
		abort();
	}
	if (connect_server(s) < 0) {
		perror("connect"); /* the server stopped accepting */
		abort();
	}
	/* Write what the server takes; it may answer and close before reading everything. */
	for (size_t off = 0; off < size;) {
		ssize_t n = send(s, data + off, size - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	shutdown(s, SHUT_WR);

	/* Read the answer until the server closes; bounded, as a hung server is a finding. */
	char buf[65536], first[16] = "";
	size_t got = 0;
	double deadline = now() + 5;
	for (;;) {
		struct pollfd p = { s, POLLIN, 0 };
		int left_ms = (int)((deadline - now()) * 1000);
		if (left_ms <= 0)
			abort(); /* no end of answer within 5 s, after the client closed */
		if (poll(&p, 1, left_ms) < 0 && errno != EINTR)
			abort();
		ssize_t n = recv(s, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			break;
		if (n > 0 && got < sizeof(first) - 1) {
			size_t take = (size_t)n < sizeof(first) - 1 - got ? (size_t)n :
									    sizeof(first) - 1 - got;
			memcpy(first + got, buf, take);
			got += take;
		}
	}
	close(s);
	/* Whatever the input, an answer is HTTP/1.x (libmicrohttpd answers 0.9 as 1.1). */
	if (got >= 7 && memcmp(first, "HTTP/1.", 7) != 0)
		abort();
	return 0;
}
