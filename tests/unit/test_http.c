/*
 * The serve layer as a whole: the route table's methods, the path unescaping, and a real
 * server (libmicrohttpd on a loopback socket) started, asked, reloaded, drained and stopped.
 * The web config's parsing and TLS have their own tests (test_webconfig.c, security.sh).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/taint_table.h"
#include "read/collect.h"
#include "render/exposition.h"
#include "serve/http.h"
#include "serve/request.h"
#include "serve/routes.h"

static void every_route_answers_get_and_head_and_nothing_else(void **state)
{
	const char *paths[] = { "/metrics", "/", "/-/healthy", "/-/ready" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		assert_true(route_allows("/metrics", paths[i], "GET"));
		assert_true(route_allows("/metrics", paths[i], "HEAD"));
		assert_false(route_allows("/metrics", paths[i], "POST"));
		assert_false(route_allows("/metrics", paths[i], "OPTIONS"));
		assert_false(
			route_allows("/metrics", paths[i], "get")); /* methods are case-sensitive */
	}
	/* The telemetry path is the flag's, and a path no route serves answers 404 to GET. */
	assert_true(route_allows("/taint", "/taint", "GET"));
	assert_true(route_allows("/taint", "/nowhere", "GET"));
	assert_false(route_allows("/taint", "/nowhere", "DELETE"));
}

static void unescaping_decodes_every_escape_but_nul(void **state)
{
	struct {
		const char *in, *out;
	} cases[] = {
		{ "/metrics", "/metrics" },
		{ "/%6detrics", "/metrics" },
		{ "/%2D/healthy", "/-/healthy" },
		{ "/metrics%00junk", "/metrics%00junk" }, /* kept: matches no route, 404 */
		{ "/%zz%4", "/%zz%4" }, /* not escapes: kept as they are */
		{ "%", "%" },
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char s[64];
		snprintf(s, sizeof(s), "%s", cases[i].in);
		size_t len = request_unescape_path(s);
		assert_string_equal(s, cases[i].out);
		assert_int_equal(len, strlen(cases[i].out));
	}
}

/* A listening socket on 127.0.0.1 and a port the kernel picks; *@port gets it. */
static int loopback_listener(unsigned short *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 16), 0);
	socklen_t len = sizeof(a);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* One request on a new connection; returns the status code, the answer into @answer. */
static int ask(unsigned short port, const char *method, const char *path, char *answer, size_t size)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	char req[256];
	int n = snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", method,
			 path);
	assert_int_equal(write(fd, req, (size_t)n), n);
	size_t got = 0;
	ssize_t r;
	while (got + 1 < size && (r = read(fd, answer + got, size - 1 - got)) > 0)
		got += (size_t)r;
	answer[got] = '\0';
	close(fd);
	int status = 0;
	assert_int_equal(sscanf(answer, "HTTP/1.1 %d", &status), 1);
	return status;
}

struct served {
	int procfs_fd, sysfs_fd;
	struct collect_config collect;
	struct scrape_config scrape;
	struct exposition exposition;
	struct http_config cfg;
	struct http_server *srv;
	unsigned short port;
};

static int start_server(void **state)
{
	struct served *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	char path[4096];
	snprintf(path, sizeof(path), "%s/modules/proc", getenv("FIXTURES"));
	s->procfs_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/modules/sys", getenv("FIXTURES"));
	s->sysfs_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(s->procfs_fd >= 0 && s->sysfs_fd >= 0);
	s->collect = (struct collect_config){
		.procfs_fd = s->procfs_fd,
		.sysfs_fd = s->sysfs_fd,
		.modules = true,
		.modules_max = 1000,
	};
	s->scrape = (struct scrape_config){ .collect = &s->collect,
					    .layout = taint_layout_find("upstream") };
	struct build_labels build = { "test", "none", "cc" };
	assert_int_equal(exposition_init(&s->exposition, taint_layout_find("upstream"), &build), 0);
	s->cfg = (struct http_config){
		.telemetry_path = "/metrics",
		.version = "test",
		.scrape = &s->scrape,
		.exposition = &s->exposition,
		.string_columns = 19,
		.threads = 2,
		.limits = { 10, 16, 0, 0, 8192 },
	};
	int fd = loopback_listener(&s->port);
	char err[512] = "";
	assert_int_equal(http_start(&s->cfg, &fd, 1, NULL, &s->srv, err, sizeof(err)), 0);
	*state = s;
	return 0;
}

static int stop_server(void **state)
{
	struct served *s = *state;
	http_stop(s->srv);
	exposition_free(&s->exposition);
	close(s->procfs_fd);
	close(s->sysfs_fd);
	free(s);
	return 0;
}

static void a_started_server_answers_from_its_route_table(void **state)
{
	struct served *s = *state;
	static char answer[65536];
	assert_int_equal(ask(s->port, "GET", "/metrics", answer, sizeof(answer)), 200);
	/* read from the fixture on this request: its value and a tainted module */
	assert_non_null(strstr(answer, "\nkernel_tainted "));
	assert_non_null(strstr(answer, "module=\"nvidia\""));
	assert_int_equal(ask(s->port, "GET", "/-/healthy", answer, sizeof(answer)), 200);
	assert_int_equal(ask(s->port, "HEAD", "/-/ready", answer, sizeof(answer)), 200);
	assert_int_equal(ask(s->port, "GET", "/", answer, sizeof(answer)), 200);
	assert_non_null(strstr(answer, "href=\"/metrics\""));
	assert_int_equal(ask(s->port, "GET", "/nowhere", answer, sizeof(answer)), 404);
	assert_int_equal(ask(s->port, "GET", "/metrics%00x", answer, sizeof(answer)), 404);
	assert_int_equal(ask(s->port, "POST", "/metrics", answer, sizeof(answer)), 405);
}

static void a_reload_keeps_answering_and_a_drain_ends_it(void **state)
{
	struct served *s = *state;
	static char answer[65536];
	char err[512] = "";
	assert_int_equal(http_reload(s->srv, NULL, err, sizeof(err)), 0);
	assert_int_equal(ask(s->port, "GET", "/-/healthy", answer, sizeof(answer)), 200);
	http_reap(s->srv); /* the old generation has no connection left: stopped */
	assert_int_equal(ask(s->port, "GET", "/metrics", answer, sizeof(answer)), 200);
	assert_true(http_drain(s->srv, 5)); /* nothing in flight */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_route_answers_get_and_head_and_nothing_else),
		cmocka_unit_test(unescaping_decodes_every_escape_but_nul),
		cmocka_unit_test_setup_teardown(a_started_server_answers_from_its_route_table,
						start_server, stop_server),
		cmocka_unit_test_setup_teardown(a_reload_keeps_answering_and_a_drain_ends_it,
						start_server, stop_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
