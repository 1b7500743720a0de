/*
 * Specification of the exposition, as whole output compared byte for byte with golden files
 * under tests/golden/ (found through the GOLDEN environment variable set by meson). The
 * goldens were written from TAINT.md and the README's metric table, not produced by this code;
 * every single bit's expected output is derived from the zero golden by the test itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buffer.h"
#include "decode/attribution.h"
#include "decode/taint_table.h"
#include "render/exposition.h"
#include "snapshot.h"

/* Fixed, so that the goldens do not depend on the build. */
static const struct build_labels build = { "1.2.3", "0123456789ab", "gcc 12.2.0" };

struct module {
	const char *name;
	const char *letters;
};

struct golden_case {
	const char *name; /* also the golden file, tests/golden/<name> */
	const char *layout;
	enum exposition_format format;
	/* the snapshot */
	int taint_error;
	uint64_t value;
	bool modules_collected;
	struct module modules[4];
	size_t modules_omitted;
	size_t module_read_errors;
	bool module_list_unread; /* the list could not be read: module_list_success 0 */
};

static const struct golden_case cases[] = {
	{ .name = "upstream-zero.txt", .layout = "upstream", .format = EXPOSITION_TEXT, .value = 0 },
	{ .name = "upstream-4609.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = 4609 },
	{ .name = "upstream-all-bits.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = UINT64_MAX },
	{ .name = "upstream-unknown-bits-40-63.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = (UINT64_C(1) << 40) | (UINT64_C(1) << 63) },
	{ .name = "rhel7-hardware-unsupported-tech-preview.txt",
	  .layout = "rhel7.3",
	  .format = EXPOSITION_TEXT,
	  .value = 268435456 + 536870912 },
	{ .name = "suse-2147561472-modules.txt",
	  .layout = "suse-6.0",
	  .format = EXPOSITION_TEXT,
	  .value = 2147561472u,
	  .modules_collected = true,
	  .modules = { { "kmp_vendor", "OEX" }, { "unsupported_fs", "n" } } },
	/* SLE 15 SP5: the same value, its no_support printed N (TEST came later). */
	{ .name = "suse15-2147561472-modules.txt",
	  .layout = "suse-5.3",
	  .format = EXPOSITION_TEXT,
	  .value = 2147561472u,
	  .modules_collected = true,
	  .modules = { { "kmp_vendor", "OEX" }, { "unsupported_fs", "N" } } },
	/* SLE 12 SP5: 30 no_support N and 31 external_support X, with O from the vendor's KMP. */
	{ .name = "suse12-3221229568-modules.txt",
	  .layout = "suse-4.4",
	  .format = EXPOSITION_TEXT,
	  .value = 3221229568u,
	  .modules_collected = true,
	  .modules = { { "kmp_vendor", "OX" }, { "unsupported_fs", "N" } } },
	/* A SUSE kernel of no known generation: bits 16, 30, 31 and letters N, X unknown. */
	{ .name = "suse-ambiguous-3221295104-modules.txt",
	  .layout = "suse-ambiguous",
	  .format = EXPOSITION_TEXT,
	  .value = 3221295104u,
	  .modules_collected = true,
	  .modules = { { "kmp_vendor", "OX" }, { "unsupported_fs", "N" } } },
	{ .name = "taint-error.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .taint_error = -ENOENT,
	  .value = 4609 }, /* a value left in the snapshot must not be shown */
	{ .name = "taint-error-modules.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .taint_error = -EINVAL,
	  .modules_collected = true,
	  .modules = { { "nvidia", "POE" } },
	  .module_read_errors = 1 },
	{ .name = "modules-escaping-unknown-letter.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = 4609,
	  .modules_collected = true,
	  .modules = { { "nvidia", "POE" }, { "we\\ird\"mod\nname", "O" }, { "future", "OQ" } },
	  .modules_omitted = 2,
	  .module_read_errors = 3 },
	{ .name = "modules-none-tainted.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = 0,
	  .modules_collected = true },
	/* Out of file descriptors, say: no module series, and the list said to be unread. */
	{ .name = "modules-list-unread.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = 4096,
	  .modules_collected = true,
	  .module_read_errors = 1,
	  .module_list_unread = true },
	/* P set with no module carrying it, and bit 25, unknown, with no unknown letter: both
	 * unattributed; O and E explained by vboxdrv. */
	{ .name = "modules-unattributed.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = 1 + 4096 + 8192 + (UINT64_C(1) << 25),
	  .modules_collected = true,
	  .modules = { { "vboxdrv", "OE" } } },
	/* The same, but a module carries a letter the layout does not know: it may be bit 25's. */
	{ .name = "modules-unknown-bit-attributed.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_TEXT,
	  .value = 1 + 4096 + 8192 + (UINT64_C(1) << 25),
	  .modules_collected = true,
	  .modules = { { "vboxdrv", "OE" }, { "future", "Q" } } },
	{ .name = "openmetrics-zero.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_OPENMETRICS,
	  .value = 0 },
	{ .name = "openmetrics-modules.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_OPENMETRICS,
	  .value = 12289,
	  .modules_collected = true,
	  .modules = { { "nvidia", "POE" }, { "vboxdrv", "OE" } } },
	{ .name = "openmetrics-taint-error.txt",
	  .layout = "upstream",
	  .format = EXPOSITION_OPENMETRICS,
	  .taint_error = -EFBIG },
};

static const struct golden_case *find_case(const char *name)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	}
	fail_msg("expected a case named %s", name);
	return NULL;
}

/* The golden file's bytes, NUL-terminated; the caller frees. */
static char *read_golden(const char *name, size_t *len)
{
	const char *dir = getenv("GOLDEN");
	char path[4096];
	if (!dir)
		fail_msg("GOLDEN is not set: run the unit tests through meson test");
	snprintf(path, sizeof(path), "%s/%s", dir, name);

	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("expected golden file %s, got %s", path, strerror(errno));
	struct buffer b = BUFFER_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buffer_append(&b, chunk, n);
	fclose(f);
	assert_non_null(buffer_cstr(&b));
	*len = b.len;
	return b.data;
}

/* Prints line @n (1-based) of @s, or a marker past its end. */
static void print_line(const char *prefix, const char *s, size_t len, size_t n)
{
	const char *p = s, *end = s + len;
	for (size_t i = 1; i < n && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p >= end) {
		print_error("%s(end of output)\n", prefix);
		return;
	}
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	int line_len = (int)((nl ? nl : end) - p);
	print_error("%s%.*s%s\n", prefix, line_len, p, nl ? "" : "  (no newline at end)");
}

/* Fails with a diff-like excerpt around the first differing line. */
static void assert_same_text(const char *what, const char *expected, size_t expected_len,
			     const char *actual, size_t actual_len)
{
	if (expected_len == actual_len && memcmp(expected, actual, actual_len) == 0)
		return;
	/*
	 * GOLDEN_UPDATE=1 meson test -C build exposition writes what the renderer gives: for a
	 * change meant to alter the expositions, whose diff is then read before it is committed.
	 */
	const char *dir = getenv("GOLDEN"), *update = getenv("GOLDEN_UPDATE");
	size_t n = strlen(what);
	if (update && strcmp(update, "1") == 0 && dir && n > 4 && !strchr(what, '/') &&
	    strcmp(what + n - 4, ".txt") == 0) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, what);
		FILE *f = fopen(path, "wb");
		if (f && fwrite(actual, 1, actual_len, f) == actual_len && fclose(f) == 0)
			return;
		fail_msg("cannot write %s", path);
	}

	size_t line = 1, i = 0;
	for (; i < expected_len && i < actual_len && expected[i] == actual[i]; i++) {
		if (expected[i] == '\n')
			line++;
	}
	print_error("--- expected %s\n+++ actual\n@@ line %zu (byte %zu) @@\n", what, line, i);
	if (line > 1)
		print_line("  ", expected, expected_len, line - 1);
	print_line("- ", expected, expected_len, line);
	print_line("+ ", actual, actual_len, line);
	fail_msg("%s: expected %zu bytes, got %zu bytes differing from line %zu", what,
		 expected_len, actual_len, line);
}

static void build_snapshot(const struct golden_case *c, struct taint_snapshot *snap)
{
	*snap = (struct taint_snapshot)TAINT_SNAPSHOT_INIT;
	snap->taint_error = c->taint_error;
	snap->value = c->value;
	snap->modules_collected = c->modules_collected;
	for (size_t i = 0; i < sizeof(c->modules) / sizeof(c->modules[0]); i++) {
		if (c->modules[i].name)
			snapshot_add_module(snap, c->modules[i].name, c->modules[i].letters,
					    SIZE_MAX);
	}
	snap->modules_omitted = c->modules_omitted;
	snap->module_read_errors = c->module_read_errors;
	snap->module_list_read = c->modules_collected && !c->module_list_unread;
	/* What scrape() works out; the renderer only prints it. */
	if (snapshot_attribution_known(snap))
		snap->unattributed = taint_unattributed(taint_layout_find(c->layout), snap->value,
							&snap->module_letters);
}

/* Renders @snap with @layout_id and @format into @out (reset first). */
static void render(const char *layout_id, const struct taint_snapshot *snap,
		   enum exposition_format format, struct buffer *out)
{
	struct exposition e;
	const struct taint_layout *layout = taint_layout_find(layout_id);
	assert_non_null(layout);
	assert_int_equal(exposition_init(&e, layout, &build), 0);
	buffer_reset(out);
	assert_int_equal(exposition_render(&e, snap, format, out), 0);
	exposition_free(&e);
}

static void every_case_matches_its_golden_file(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct golden_case *c = &cases[i];
		struct taint_snapshot snap;
		struct buffer out = BUFFER_INIT;
		size_t len;

		build_snapshot(c, &snap);
		render(c->layout, &snap, c->format, &out);
		char *golden = read_golden(c->name, &len);
		assert_same_text(c->name, golden, len, out.data, out.len);
		free(golden);
		buffer_free(&out);
		snapshot_free(&snap);
	}
}

/* Replaces the first occurrence of @from in @b's contents with @to; fails if absent. */
static void replace(struct buffer *b, const char *from, const char *to)
{
	const char *s = buffer_cstr(b);
	const char *at = strstr(s, from);
	if (!at)
		fail_msg("expected \"%s\" in the zero golden", from);
	struct buffer r = BUFFER_INIT;
	buffer_append(&r, s, (size_t)(at - s));
	buffer_puts(&r, to);
	buffer_puts(&r, at + strlen(from));
	buffer_free(b);
	*b = r;
}

/*
 * For each upstream bit alone, the expected output is the zero golden with three lines
 * changed: the raw value, that bit's series set to 1, and the info letters. The letters come
 * from TAINT.md, written out here, not from the table under test.
 */
static void every_single_upstream_bit_changes_exactly_its_three_lines(void **state)
{
	static const char letters[] = "PFSRMBUDAWCIOELKXTNJ";
	size_t zero_len;
	char *zero = read_golden("upstream-zero.txt", &zero_len);

	for (unsigned int bit = 0; bit < 20; bit++) {
		struct buffer expected = BUFFER_INIT;
		char from[64], to[64], what[64];
		buffer_append(&expected, zero, zero_len);

		snprintf(to, sizeof(to), "\nkernel_tainted %ju\n", (uintmax_t)1 << bit);
		replace(&expected, "\nkernel_tainted 0\n", to);
		/* The bit's series: find its line, then the " 0\n" that ends it. */
		snprintf(from, sizeof(from), "kernel_taint_flag{bit=\"%u\",", bit);
		const char *line = strstr(buffer_cstr(&expected), from);
		if (!line)
			fail_msg("expected a series for bit %u in the zero golden", bit);
		size_t off = (size_t)(strstr(line, "} 0\n") - expected.data);
		expected.data[off + 2] = '1';
		snprintf(to, sizeof(to), "kernel_taint_info{flags=\"%c\"} 1\n", letters[bit]);
		replace(&expected, "kernel_taint_info{flags=\"\"} 1\n", to);

		struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
		struct buffer out = BUFFER_INIT;
		snap.value = UINT64_C(1) << bit;
		render("upstream", &snap, EXPOSITION_TEXT, &out);
		snprintf(what, sizeof(what), "upstream-zero.txt with bit %u set", bit);
		assert_same_text(what, expected.data, expected.len, out.data, out.len);
		buffer_free(&out);
		buffer_free(&expected);
	}
	free(zero);
}

/* Renders @c and returns whether the output contains @needle. */
static bool case_output_contains(const struct golden_case *c, const char *needle)
{
	struct taint_snapshot snap;
	struct buffer out = BUFFER_INIT;
	build_snapshot(c, &snap);
	render(c->layout, &snap, c->format, &out);
	bool found = strstr(buffer_cstr(&out), needle) != NULL;
	buffer_free(&out);
	snapshot_free(&snap);
	return found;
}

/* Stated apart from the goldens, so that a golden regenerated by mistake cannot hide it. */
static void a_taint_error_shows_success_0_and_no_taint_families(void **state)
{
	static const char *const absent[] = { "kernel_tainted", "kernel_taint_flag",
					      "kernel_taint_info", "4609" };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct golden_case *c = &cases[i];
		if (c->taint_error == 0)
			continue;
		if (!case_output_contains(c, "\ntaint_exporter_scrape_success 0\n"))
			fail_msg("%s: expected taint_exporter_scrape_success 0", c->name);
		for (size_t j = 0; j < sizeof(absent) / sizeof(absent[0]); j++) {
			if (case_output_contains(c, absent[j]))
				fail_msg("%s: expected no %s after a taint error", c->name,
					 absent[j]);
		}
	}
}

static void openmetrics_ends_in_eof_and_text_does_not(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct golden_case *c = &cases[i];
		struct taint_snapshot snap;
		struct buffer out = BUFFER_INIT;
		build_snapshot(c, &snap);
		render(c->layout, &snap, c->format, &out);
		const char *s = buffer_cstr(&out);
		bool eof = out.len >= 6 && strcmp(s + out.len - 6, "# EOF\n") == 0;
		if (c->format == EXPOSITION_OPENMETRICS && !eof)
			fail_msg("%s: expected OpenMetrics to end in \"# EOF\\n\"", c->name);
		if (c->format == EXPOSITION_TEXT && strstr(s, "# EOF"))
			fail_msg("%s: expected no # EOF in the text format", c->name);
		buffer_free(&out);
		snapshot_free(&snap);
	}
}

static void rendering_twice_with_one_exposition_gives_the_same_bytes(void **state)
{
	struct exposition e;
	struct buffer first = BUFFER_INIT, second = BUFFER_INIT;
	struct taint_snapshot snap;

	build_snapshot(find_case("modules-escaping-unknown-letter.txt"), &snap);
	assert_int_equal(exposition_init(&e, taint_layout_find("upstream"), &build), 0);
	assert_int_equal(exposition_render(&e, &snap, EXPOSITION_TEXT, &first), 0);
	assert_int_equal(exposition_render(&e, &snap, EXPOSITION_TEXT, &second), 0);
	assert_same_text("the second rendering", first.data, first.len, second.data, second.len);
	exposition_free(&e);
	buffer_free(&first);
	buffer_free(&second);
	snapshot_free(&snap);
}

/*
 * OpenMetrics 1.0 escapes '"' and '\\' in HELP text and the 0.0.4 text format does not, so a
 * HELP text that holds neither reads the same in both.
 */
/*
 * --collector.kmsg: the series of each set flag with a record, the label values escaped, the
 * time exact to the microsecond; none for a flag without one; collector_up 0 and nothing else
 * of the log when it cannot be read.
 */
static void the_kernel_log_account_gives_one_series_per_set_flag_with_a_record(void **state)
{
	static struct taint_log log;
	memset(&log, 0, sizeof(log));
	log.lost = 7;
	log.count = 3;
	log.entries[0] = (struct taint_log_entry){ .letter = 'W', .time_usec = 1796245272000001 };
	strcpy(log.entries[0].module, "m\\x");
	strcpy(log.entries[0].location, "a\"b.c:8 f");
	log.entries[1] = (struct taint_log_entry){ .letter = 'O', .time_usec = 5 };
	log.entries[2] = (struct taint_log_entry){ .letter = 'D', .time_usec = 9 }; /* D is clear */
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	snap.value = 4609; /* P W O: P has no record */
	snap.log = &log;
	struct buffer out = BUFFER_INIT;
	render("upstream", &snap, EXPOSITION_TEXT, &out);
	buffer_putc(&out, '\0');
	static const char *const present[] = {
		"\ntaint_exporter_collector_up{collector=\"kmsg\"} 1\n",
		"\ntaint_exporter_kmsg_records_lost_total 7\n",
		"\nkernel_taint_flag_first_logged_timestamp_seconds{bit=\"9\",flag=\"W\",flag_name=\"warn\"} "
		"1796245272.000001\n",
		"\nkernel_taint_flag_first_logged_timestamp_seconds{bit=\"12\",flag=\"O\",flag_name=\"oot_"
		"module\"} 0.000005\n",
		"\nkernel_taint_flag_first_logged_info{bit=\"9\",flag=\"W\",flag_name=\"warn\",module="
		"\"m\\\\x\",location=\"a\\\"b.c:8 f\"} 1\n",
		"\nkernel_taint_flag_first_logged_info{bit=\"12\",flag=\"O\",flag_name=\"oot_module\","
		"module=\"\",location=\"\"} 1\n",
	};
	for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++) {
		if (!strstr(out.data, present[i]))
			fail_msg("expected %s in:\n%s", present[i], out.data);
	}
	if (strstr(out.data, "first_logged_timestamp_seconds{bit=\"0\"") ||
	    strstr(out.data, "first_logged_info{bit=\"0\""))
		fail_msg("P has no record, but a series:\n%s", out.data);
	if (strstr(out.data, "first_logged_timestamp_seconds{bit=\"7\"") ||
	    strstr(out.data, "first_logged_info{bit=\"7\""))
		fail_msg("D is not set, but a series:\n%s", out.data);

	/* OpenMetrics 1.0 names a counter's family without _total; only the sample has it. */
	buffer_reset(&out);
	render("upstream", &snap, EXPOSITION_OPENMETRICS, &out);
	buffer_putc(&out, '\0');
	if (!strstr(out.data, "\n# TYPE taint_exporter_kmsg_records_lost counter\n"
			      "taint_exporter_kmsg_records_lost_total 7\n") ||
	    strstr(out.data, "# TYPE taint_exporter_kmsg_records_lost_total") ||
	    strstr(out.data, "# HELP taint_exporter_kmsg_records_lost_total"))
		fail_msg("OpenMetrics: the counter's family must be named without _total:\n%s",
			 out.data);
	buffer_reset(&out);
	render("upstream", &snap, EXPOSITION_TEXT, &out);
	buffer_putc(&out, '\0');
	if (!strstr(out.data, "\n# TYPE taint_exporter_kmsg_records_lost_total counter\n"))
		fail_msg("the text format names the counter's family with _total:\n%s", out.data);

	log.error = -EPERM;
	buffer_reset(&out);
	render("upstream", &snap, EXPOSITION_TEXT, &out);
	buffer_putc(&out, '\0');
	if (!strstr(out.data, "\ntaint_exporter_collector_up{collector=\"kmsg\"} 0\n") ||
	    strstr(out.data, "first_logged") || strstr(out.data, "records_lost"))
		fail_msg("a log that cannot be read: collector_up 0 and nothing else:\n%s",
			 out.data);
	snap.log = NULL;
	buffer_reset(&out);
	render("upstream", &snap, EXPOSITION_TEXT, &out);
	buffer_putc(&out, '\0');
	if (strstr(out.data, "collector_up") || strstr(out.data, "first_logged"))
		fail_msg("without --collector.kmsg, no series of it:\n%s", out.data);
	buffer_free(&out);
}

static void help_texts_need_no_escaping_in_either_format(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer out = BUFFER_INIT;

	snap.modules_collected = true;
	render("upstream", &snap, EXPOSITION_OPENMETRICS, &out);
	const char *text = buffer_cstr(&out);
	size_t help_lines = 0;
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (strncmp(line, "# HELP ", 7) == 0) {
			help_lines++;
			for (size_t i = 0; i < len; i++) {
				if (line[i] == '"' || line[i] == '\\')
					fail_msg("HELP line needs escaping: %.*s", (int)len, line);
			}
		}
		line = end ? end + 1 : NULL;
	}
	assert_int_equal(help_lines, 11);
	buffer_free(&out);
	snapshot_free(&snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_case_matches_its_golden_file),
		cmocka_unit_test(every_single_upstream_bit_changes_exactly_its_three_lines),
		cmocka_unit_test(a_taint_error_shows_success_0_and_no_taint_families),
		cmocka_unit_test(openmetrics_ends_in_eof_and_text_does_not),
		cmocka_unit_test(rendering_twice_with_one_exposition_gives_the_same_bytes),
		cmocka_unit_test(help_texts_need_no_escaping_in_either_format),
		cmocka_unit_test(the_kernel_log_account_gives_one_series_per_set_flag_with_a_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
