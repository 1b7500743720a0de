/*
 * Specification of the command line: defaults, both --flag=value and --flag value, and a
 * message naming the flag for every bad value (main() then exits 2).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "flags.h"

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])))

struct parsed {
	struct options opts;
	char err[256];
	int ret;
};

static void parse(int argc, char **argv, struct parsed *p)
{
	memset(p, 0, sizeof(*p));
	p->ret = flags_parse(argc, argv, &p->opts, p->err, sizeof(p->err));
}

/* Parses @argv, which must fail with -EINVAL and a message that contains @needle. */
static void refused(int argc, char **argv, const char *needle)
{
	struct parsed p;
	parse(argc, argv, &p);
	if (p.ret != -EINVAL)
		fail_msg("%s %s: expected -EINVAL, got %d", argv[1], argc > 2 ? argv[2] : "", p.ret);
	if (!strstr(p.err, needle))
		fail_msg("%s: expected a message naming %s, got \"%s\"", argv[1], needle, p.err);
}

static void no_flags_give_the_defaults(void **state)
{
	char *argv[] = { "taint_exporter" };
	struct parsed p;
	parse(ARGC(argv), argv, &p);

	assert_int_equal(p.ret, 0);
	assert_int_equal(p.opts.listen_count, 1);
	assert_string_equal(p.opts.listen[0].spec, ":19110");
	assert_false(p.opts.systemd_socket);
	assert_string_equal(p.opts.telemetry_path, "/metrics");
	assert_string_equal(p.opts.procfs, "/proc");
	assert_string_equal(p.opts.sysfs, "/sys");
	assert_string_equal(p.opts.vendor, "auto");
	assert_true(p.opts.modules);
	assert_int_equal(p.opts.modules_max, 1000);
	assert_int_equal(p.opts.log_level, LOG_INFO);
	assert_int_equal(p.opts.log_format, LOG_FORMAT_LOGFMT);
	assert_false(p.opts.version);
	assert_false(p.opts.help);
}

static void flag_equals_value_sets_each_option(void **state)
{
	char *argv[] = { "taint_exporter",
			 "--web.listen-address=127.0.0.1:0",
			 "--web.telemetry-path=/taint",
			 "--path.procfs=/host/proc",
			 "--path.sysfs=/host/sys",
			 "--kernel.vendor=rhel7",
			 "--collector.modules.max=7",
			 "--log.level=debug",
			 "--log.format=json",
			 "--web.systemd-socket" };
	struct parsed p;
	parse(ARGC(argv), argv, &p);

	if (p.ret != 0)
		fail_msg("expected success, got %d: %s", p.ret, p.err);
	assert_int_equal(p.opts.listen_count, 1);
	assert_string_equal(p.opts.listen[0].spec, "127.0.0.1:0");
	assert_string_equal(p.opts.telemetry_path, "/taint");
	assert_string_equal(p.opts.procfs, "/host/proc");
	assert_string_equal(p.opts.sysfs, "/host/sys");
	assert_string_equal(p.opts.vendor, "rhel7");
	assert_int_equal(p.opts.modules_max, 7);
	assert_int_equal(p.opts.log_level, LOG_DEBUG);
	assert_int_equal(p.opts.log_format, LOG_FORMAT_JSON);
	assert_true(p.opts.systemd_socket);
}

static void flag_space_value_sets_each_option(void **state)
{
	char *argv[] = {
		"taint_exporter", "--web.listen-address", "[::1]:0",	"--web.telemetry-path",
		"/taint",	  "--path.procfs",	  "/host/proc", "--path.sysfs",
		"/host/sys",	  "--kernel.vendor",	  "suse",	"--collector.modules.max",
		"1000000",	  "--log.level",	  "error",	"--log.format",
		"logfmt"
	};
	struct parsed p;
	parse(ARGC(argv), argv, &p);

	if (p.ret != 0)
		fail_msg("expected success, got %d: %s", p.ret, p.err);
	assert_string_equal(p.opts.listen[0].spec, "[::1]:0");
	assert_string_equal(p.opts.telemetry_path, "/taint");
	assert_string_equal(p.opts.procfs, "/host/proc");
	assert_string_equal(p.opts.sysfs, "/host/sys");
	assert_string_equal(p.opts.vendor, "suse");
	assert_int_equal(p.opts.modules_max, 1000000);
	assert_int_equal(p.opts.log_level, LOG_ERROR);
	assert_int_equal(p.opts.log_format, LOG_FORMAT_LOGFMT);
}

static void repeated_listen_address_keeps_every_address_in_order(void **state)
{
	char *argv[] = { "taint_exporter", "--web.listen-address=127.0.0.1:0",
			 "--web.listen-address", "[::1]:19110", "--web.listen-address=:8080" };
	struct parsed p;
	parse(ARGC(argv), argv, &p);

	assert_int_equal(p.ret, 0);
	assert_int_equal(p.opts.listen_count, 3);
	assert_string_equal(p.opts.listen[0].spec, "127.0.0.1:0");
	assert_string_equal(p.opts.listen[1].spec, "[::1]:19110");
	assert_string_equal(p.opts.listen[2].spec, ":8080");
}

static void more_listen_addresses_than_the_maximum_are_refused(void **state)
{
	char *argv[LISTEN_MAX + 2];
	argv[0] = "taint_exporter";
	for (int i = 1; i <= LISTEN_MAX + 1; i++)
		argv[i] = "--web.listen-address=:0";
	refused(ARGC(argv), argv, "--web.listen-address");
}

static void no_collector_modules_turns_the_module_collector_off(void **state)
{
	char *off[] = { "taint_exporter", "--no-collector.modules" };
	char *back_on[] = { "taint_exporter", "--no-collector.modules", "--collector.modules" };
	struct parsed p;

	parse(ARGC(off), off, &p);
	assert_int_equal(p.ret, 0);
	assert_false(p.opts.modules);
	parse(ARGC(back_on), back_on, &p);
	assert_int_equal(p.ret, 0);
	assert_true(p.opts.modules);
}

static void version_and_help_are_recorded(void **state)
{
	char *argv[] = { "taint_exporter", "--version", "--help" };
	struct parsed p;
	parse(ARGC(argv), argv, &p);
	assert_int_equal(p.ret, 0);
	assert_true(p.opts.version);
	assert_true(p.opts.help);
	struct buffer usage = BUFFER_INIT;
	assert_int_equal(flags_usage(&usage), 0);
	assert_non_null(strstr(buffer_cstr(&usage), "--web.listen-address"));
	buffer_free(&usage);
}

static void bad_listen_addresses_are_refused_naming_the_flag(void **state)
{
	static const char *const bad[] = { "19110", "::1:80",	  "[::1",
					   "host:", "host:65536", "host:8o" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char arg[64];
		snprintf(arg, sizeof(arg), "--web.listen-address=%s", bad[i]);
		char *argv[] = { "taint_exporter", arg };
		refused(ARGC(argv), argv, "--web.listen-address");
	}
}

static void bad_telemetry_paths_are_refused_naming_the_flag(void **state)
{
	static const char *const bad[] = {
		"metrics", "/", "/-/metrics", "/metrics?x=1", "/metrics#top", "/my metrics", ""
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char arg[64];
		snprintf(arg, sizeof(arg), "--web.telemetry-path=%s", bad[i]);
		char *argv[] = { "taint_exporter", arg };
		refused(ARGC(argv), argv, "--web.telemetry-path");
	}
}

static void bad_vendor_is_refused_naming_the_flag(void **state)
{
	char *argv[] = { "taint_exporter", "--kernel.vendor=redhat" };
	refused(ARGC(argv), argv, "--kernel.vendor");
	char *empty[] = { "taint_exporter", "--kernel.vendor=" };
	refused(ARGC(empty), empty, "--kernel.vendor");
}

static void bad_modules_max_is_refused_naming_the_flag(void **state)
{
	static const char *const bad[] = {
		"0", "-1", "+5", "abc", "12x", "1000001", "99999999999999999999999", ""
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char arg[64];
		snprintf(arg, sizeof(arg), "--collector.modules.max=%s", bad[i]);
		char *argv[] = { "taint_exporter", arg };
		refused(ARGC(argv), argv, "--collector.modules.max");
	}
}

static void bad_log_level_and_format_are_refused_naming_the_flag(void **state)
{
	char *level[] = { "taint_exporter", "--log.level=verbose" };
	char *format[] = { "taint_exporter", "--log.format", "xml" };
	refused(ARGC(level), level, "--log.level");
	refused(ARGC(format), format, "--log.format");
}

static void unknown_flag_is_refused_naming_it(void **state)
{
	char *argv[] = { "taint_exporter", "--collector.textfile.directory=/tmp" };
	refused(ARGC(argv), argv, "--collector.textfile.directory");
	char *short_flag[] = { "taint_exporter", "-x" };
	refused(ARGC(short_flag), short_flag, "-x");
}

static void abbreviated_flags_are_refused_naming_the_full_flag(void **state)
{
	char *prefix[] = { "taint_exporter", "--log.l=debug" };
	refused(ARGC(prefix), prefix, "did you mean --log.level?");
	char *spaced[] = { "taint_exporter", "--path.proc", "/host/proc" };
	refused(ARGC(spaced), spaced, "did you mean --path.procfs?");
}

/* There are no short flags: in "-hx", h is the unknown flag, not the program name. */
static void unknown_short_flag_in_a_cluster_is_named(void **state)
{
	char *argv[] = { "taint_exporter", "-hx" };
	struct parsed p;
	parse(ARGC(argv), argv, &p);
	assert_int_equal(p.ret, -EINVAL);
	if (strstr(p.err, "taint_exporter") || !strstr(p.err, "-h"))
		fail_msg("expected a message naming -h, got \"%s\"", p.err);
}

static void switch_given_a_value_is_refused_naming_it(void **state)
{
	char *argv[] = { "taint_exporter", "--no-collector.modules=false" };
	refused(ARGC(argv), argv, "\"--no-collector.modules=false\" takes no value");
	char *version[] = { "taint_exporter", "--version=2" };
	refused(ARGC(version), version, "\"--version=2\" takes no value");
}

static void flag_without_its_value_is_refused_naming_it(void **state)
{
	char *argv[] = { "taint_exporter", "--path.procfs" };
	refused(ARGC(argv), argv, "--path.procfs");
	char *listen[] = { "taint_exporter", "--log.level=debug", "--web.listen-address" };
	refused(ARGC(listen), listen, "--web.listen-address");
}

static void stray_argument_is_refused_naming_it(void **state)
{
	char *argv[] = { "taint_exporter", "--log.level=debug", "extra" };
	refused(ARGC(argv), argv, "\"extra\"");
	char *first[] = { "taint_exporter", "stray", "--log.level=debug" };
	refused(ARGC(first), first, "\"stray\"");
}

static void parsing_twice_starts_from_the_defaults(void **state)
{
	char *first[] = { "taint_exporter", "--no-collector.modules", "--kernel.vendor=rhel9" };
	char *second[] = { "taint_exporter" };
	struct parsed p;

	parse(ARGC(first), first, &p);
	assert_int_equal(p.ret, 0);
	parse(ARGC(second), second, &p);
	assert_int_equal(p.ret, 0);
	assert_true(p.opts.modules);
	assert_string_equal(p.opts.vendor, "auto");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_flags_give_the_defaults),
		cmocka_unit_test(flag_equals_value_sets_each_option),
		cmocka_unit_test(flag_space_value_sets_each_option),
		cmocka_unit_test(repeated_listen_address_keeps_every_address_in_order),
		cmocka_unit_test(more_listen_addresses_than_the_maximum_are_refused),
		cmocka_unit_test(no_collector_modules_turns_the_module_collector_off),
		cmocka_unit_test(version_and_help_are_recorded),
		cmocka_unit_test(bad_listen_addresses_are_refused_naming_the_flag),
		cmocka_unit_test(bad_telemetry_paths_are_refused_naming_the_flag),
		cmocka_unit_test(bad_vendor_is_refused_naming_the_flag),
		cmocka_unit_test(bad_modules_max_is_refused_naming_the_flag),
		cmocka_unit_test(bad_log_level_and_format_are_refused_naming_the_flag),
		cmocka_unit_test(unknown_flag_is_refused_naming_it),
		cmocka_unit_test(unknown_short_flag_in_a_cluster_is_named),
		cmocka_unit_test(abbreviated_flags_are_refused_naming_the_full_flag),
		cmocka_unit_test(switch_given_a_value_is_refused_naming_it),
		cmocka_unit_test(flag_without_its_value_is_refused_naming_it),
		cmocka_unit_test(stray_argument_is_refused_naming_it),
		cmocka_unit_test(parsing_twice_starts_from_the_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
