/* Specification of the limit flags: defaults, accepted ranges, and the message for a bad value. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flags.h"

static int parse(const char *arg, struct options *opts, char *err, size_t errlen)
{
	char *argv[] = { "taint_exporter", (char *)arg, NULL };
	return flags_parse(arg ? 2 : 1, argv, opts, err, errlen);
}

static void limits_have_their_documented_defaults(void **state)
{
	struct options o;
	char err[256] = "";
	assert_int_equal(parse(NULL, &o, err, sizeof(err)), 0);
	assert_int_equal(o.limits.connection_timeout, 10);
	assert_int_equal(o.limits.max_connections, 512);
	assert_int_equal(o.limits.max_connections_per_ip, 32);
	assert_int_equal(o.limits.max_requests, 40);
	assert_int_equal(o.limits.max_request_bytes, 4096);
}

struct limit_case {
	const char *arg;
	size_t offset; /* of the field set in struct options: unsigned int, or the size_t below */
	unsigned int want;
};

static const struct limit_case accepted[] = {
	{ "--web.connection-timeout=1", offsetof(struct options, limits.connection_timeout), 1 },
	{ "--web.connection-timeout=3600", offsetof(struct options, limits.connection_timeout),
	  3600 },
	{ "--web.max-connections=1", offsetof(struct options, limits.max_connections), 1 },
	{ "--web.max-connections=65536", offsetof(struct options, limits.max_connections), 65536 },
	{ "--web.max-connections-per-ip=0", offsetof(struct options, limits.max_connections_per_ip),
	  0 },
	{ "--web.max-requests=0", offsetof(struct options, limits.max_requests), 0 },
	{ "--web.max-requests=7", offsetof(struct options, limits.max_requests), 7 },
	{ "--web.max-request-bytes=4096", offsetof(struct options, limits.max_request_bytes), 4096 },
	{ "--web.max-request-bytes=1048576", offsetof(struct options, limits.max_request_bytes),
	  1048576 },
};

static void each_limit_accepts_its_range(void **state)
{
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		struct options o;
		char err[256] = "";
		if (parse(accepted[i].arg, &o, err, sizeof(err)) != 0)
			fail_msg("%s refused: %s", accepted[i].arg, err);
		const char *field = (char *)&o + accepted[i].offset;
		unsigned int got = *(unsigned int *)field;
		if (accepted[i].offset == offsetof(struct options, limits.max_request_bytes))
			got = (unsigned int)*(size_t *)field;
		if (got != accepted[i].want)
			fail_msg("%s: expected %u, got %u", accepted[i].arg, accepted[i].want, got);
	}
}

static const char *const refused[][2] = {
	{ "--web.connection-timeout=0", "--web.connection-timeout: \"0\" is not a whole number "
					"from 1 to 3600" },
	{ "--web.connection-timeout=3601", "from 1 to 3600" },
	{ "--web.max-connections=0", "--web.max-connections: \"0\" is not a whole number from 1 "
				     "to 65536" },
	{ "--web.max-connections-per-ip=-1", "--web.max-connections-per-ip: \"-1\"" },
	{ "--web.max-requests=65537", "--web.max-requests: \"65537\"" },
	{ "--web.max-requests= 5", "--web.max-requests: \" 5\"" },
	{ "--web.max-requests=5s", "--web.max-requests: \"5s\"" },
	{ "--web.max-request-bytes=4095", "from 4096 to 1048576" },
	{ "--web.max-request-bytes=99999999999999999999999", "--web.max-request-bytes" },
};

static void each_limit_refuses_values_out_of_range_naming_the_flag(void **state)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct options o;
		char err[256] = "";
		if (parse(refused[i][0], &o, err, sizeof(err)) != -EINVAL)
			fail_msg("%s accepted", refused[i][0]);
		if (!strstr(err, refused[i][1]))
			fail_msg("%s: message \"%s\" lacks \"%s\"", refused[i][0], err,
				 refused[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limits_have_their_documented_defaults),
		cmocka_unit_test(each_limit_accepts_its_range),
		cmocka_unit_test(each_limit_refuses_values_out_of_range_naming_the_flag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
