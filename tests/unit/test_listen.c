/*
 * Specification of --web.listen-address: how "host:port" is split, and that a listening
 * socket really is opened on an ephemeral loopback port (never a fixed one: other servers run
 * on this machine at the same time).
 */
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "serve/listen.h"

static void parses_to(const char *spec, const char *host, const char *port)
{
	struct listen_address addr;
	memset(&addr, 'x', sizeof(addr));
	int ret = listen_parse(spec, &addr);
	if (ret != 0)
		fail_msg("\"%s\": expected host \"%s\" port \"%s\", got error %d", spec, host, port,
			 ret);
	if (strcmp(addr.host, host) != 0 || strcmp(addr.port, port) != 0)
		fail_msg("\"%s\": expected host \"%s\" port \"%s\", got \"%s\" \"%s\"", spec, host,
			 port, addr.host, addr.port);
}

static void refused(const char *spec)
{
	struct listen_address addr;
	int ret = listen_parse(spec, &addr);
	if (ret != -EINVAL)
		fail_msg("\"%s\": expected -EINVAL, got %d", spec, ret);
}

static void colon_port_means_every_interface(void **state)
{
	parses_to(":19110", "", "19110");
	parses_to(":0", "", "0");
}

static void ipv4_host_and_port(void **state)
{
	parses_to("127.0.0.1:0", "127.0.0.1", "0");
	parses_to("0.0.0.0:65535", "0.0.0.0", "65535");
}

static void bracketed_ipv6_host_and_port(void **state)
{
	parses_to("[::1]:19110", "::1", "19110");
	parses_to("[::]:80", "::", "80");
	parses_to("[fe80::1%lo]:80", "fe80::1%lo", "80");
}

static void host_name_and_port(void **state)
{
	parses_to("localhost:80", "localhost", "80");
}

static void addresses_without_a_usable_port_are_refused(void **state)
{
	refused("19110"); /* no colon */
	refused("localhost"); /* no colon */
	refused("127.0.0.1:");
	refused(":");
	refused("");
	refused("host:65536");
	refused("host:99999");
	refused("host:8o");
	refused("host:http");
	refused("host:-1");
	refused("host:+80");
	refused("host: 80");
	refused("host:000080"); /* more digits than any port */
}

static void ipv6_without_brackets_or_unbalanced_is_refused(void **state)
{
	refused("::1:80");
	refused("[::1");
	refused("[::1]");
	refused("::1]:80");
	refused("[::1:80");
	refused("[::1]x:80");
}

static void over_long_host_is_refused(void **state)
{
	char spec[300];
	memset(spec, 'a', 260);
	strcpy(spec + 260, ":80");
	refused(spec);
}

/* The port of a bound address "host:port" or "[host]:port". */
static unsigned long bound_port(const char *bound)
{
	const char *colon = strrchr(bound, ':');
	if (!colon)
		fail_msg("expected a bound address with a port, got \"%s\"", bound);
	return strtoul(colon + 1, NULL, 10);
}

static unsigned long socket_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	assert_int_equal(sin.sin_family, AF_INET);
	return ntohs(sin.sin_port);
}

/* listen_open() of @spec, which must parse. */
static int open_spec(const char *spec)
{
	struct listen_address addr;
	if (listen_parse(spec, &addr) < 0)
		fail_msg("\"%s\" does not parse", spec);
	return listen_open(&addr);
}

static void opening_port_0_binds_a_real_ephemeral_port(void **state)
{
	char bound[128] = "";
	int fd = open_spec("127.0.0.1:0");
	if (fd < 0)
		fail_msg("expected a listening socket on 127.0.0.1:0, got %s", strerror(-fd));
	listen_describe(fd, bound, sizeof(bound));

	unsigned long port = bound_port(bound);
	if (strncmp(bound, "127.0.0.1:", 10) != 0 || port == 0)
		fail_msg("expected bound address 127.0.0.1:<port>, got \"%s\"", bound);
	assert_int_equal(port, socket_port(fd));

	int listening = 0;
	socklen_t len = sizeof(listening);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len), 0);
	assert_true(listening);
	close(fd);
}

static void opening_a_port_in_use_is_eaddrinuse(void **state)
{
	char bound[128] = "";
	int fd = open_spec("127.0.0.1:0");
	if (fd < 0)
		fail_msg("expected a listening socket on 127.0.0.1:0, got %s", strerror(-fd));
	listen_describe(fd, bound, sizeof(bound));

	int second = open_spec(bound);
	if (second >= 0) {
		close(second);
		close(fd);
		fail_msg("expected -EADDRINUSE opening %s twice, got a second socket", bound);
	}
	close(fd);
	if (second != -EADDRINUSE)
		fail_msg("expected -EADDRINUSE opening %s twice, got %d (%s)", bound, second,
			 strerror(-second));
}

/* Parsed once, by the flags: an address that does not parse never reaches listen_open(). */
static void a_bad_address_does_not_parse(void **state)
{
	struct listen_address addr;
	assert_int_equal(listen_parse("127.0.0.1", &addr), -EINVAL);
	assert_int_equal(listen_parse("::1:80", &addr), -EINVAL);
}

static void describe_names_the_bound_address(void **state)
{
	char described[128], expected[128];
	int fd = open_spec("127.0.0.1:0");
	assert_true(fd >= 0);
	listen_describe(fd, described, sizeof(described));
	snprintf(expected, sizeof(expected), "127.0.0.1:%lu", socket_port(fd));
	assert_string_equal(described, expected);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(colon_port_means_every_interface),
		cmocka_unit_test(ipv4_host_and_port),
		cmocka_unit_test(bracketed_ipv6_host_and_port),
		cmocka_unit_test(host_name_and_port),
		cmocka_unit_test(addresses_without_a_usable_port_are_refused),
		cmocka_unit_test(ipv6_without_brackets_or_unbalanced_is_refused),
		cmocka_unit_test(over_long_host_is_refused),
		cmocka_unit_test(opening_port_0_binds_a_real_ephemeral_port),
		cmocka_unit_test(opening_a_port_in_use_is_eaddrinuse),
		cmocka_unit_test(a_bad_address_does_not_parse),
		cmocka_unit_test(describe_names_the_bound_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
