/*
 * Specification of the read layer against fixture trees laid out like /proc and /sys
 * (tests/fixtures/<tree>/proc/sys/kernel/tainted, .../sys/module/<name>/taint): every good
 * value decodes, every bad input gives taint_error < 0 and never a value, and the module
 * reader (<procfs>/modules where the tree has it, /sys/module otherwise) skips, counts and
 * caps as documented.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/module.h"
#include "fixture.h"
#include "read/collect.h"
#include "tmptree.h"

/* Opens FIXTURES/<tree>/proc (and .../sys when @modules is set). */
static struct collect_config open_tree(const char *tree, bool modules, size_t modules_max)
{
	struct collect_config cfg = {
		.procfs_fd = fixture_open(tree, "proc"),
		.sysfs_fd = modules ? fixture_open(tree, "sys") : -1,
		.modules = modules,
		.modules_max = modules_max,
	};
	return cfg;
}

static void close_tree(struct collect_config *cfg)
{
	close(cfg->procfs_fd);
	if (cfg->sysfs_fd >= 0)
		close(cfg->sysfs_fd);
}

static void value_is(const char *tree, uint64_t expected)
{
	struct collect_config cfg = open_tree(tree, false, 0);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	assert_int_equal(collect_snapshot_once(&cfg, &snap), 0);
	if (snap.taint_error != 0)
		fail_msg("tree %s: expected value %ju, got error %d (%s)", tree,
			 (uintmax_t)expected, snap.taint_error, strerror(-snap.taint_error));
	if (snap.value != expected)
		fail_msg("tree %s: expected value %ju, got %ju", tree, (uintmax_t)expected,
			 (uintmax_t)snap.value);
	assert_false(snap.modules_collected);
	snapshot_free(&snap);
	close_tree(&cfg);
}

/*
 * A bad tree must give the expected error, and the value of an earlier good scrape through
 * the same (reused) snapshot must not survive: never a stale value.
 */
static void error_is(const char *tree, int expected)
{
	struct collect_config good = open_tree("value-4609", false, 0);
	struct collect_config cfg = open_tree(tree, false, 0);
	struct collect_reader good_reader, reader; /* each held across the scrapes, as a thread's */
	collect_reader_init(&good_reader, &good);
	collect_reader_init(&reader, &cfg);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	assert_int_equal(collect_snapshot(&good_reader, &snap), 0);
	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 4609);

	assert_int_equal(collect_snapshot(&reader, &snap), 0);
	if (snap.taint_error >= 0)
		fail_msg("tree %s: expected error %d (%s), got taint_error %d and value %ju", tree,
			 expected, strerror(-expected), snap.taint_error, (uintmax_t)snap.value);
	if (snap.taint_error != expected)
		fail_msg("tree %s: expected error %d (%s), got %d (%s)", tree, expected,
			 strerror(-expected), snap.taint_error, strerror(-snap.taint_error));
	if (snap.value == 4609)
		fail_msg("tree %s: expected no value, got the stale 4609 of the previous scrape",
			 tree);

	/* And the file being good again is seen on the next scrape. */
	assert_int_equal(collect_snapshot(&good_reader, &snap), 0);
	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 4609);

	/* The same error again on the next scrape: a failure leaves nothing half-open behind. */
	assert_int_equal(collect_snapshot(&reader, &snap), 0);
	assert_int_equal(snap.taint_error, expected);

	collect_reader_close(&reader);
	collect_reader_close(&good_reader);
	snapshot_free(&snap);
	close_tree(&cfg);
	close_tree(&good);
}

static void reads_zero_as_untainted(void **state)
{
	value_is("value-0", 0);
}

static void reads_the_seed_values(void **state)
{
	value_is("value-4609", 4609);
	value_is("value-12288", 12288);
	value_is("rhel7-268435456", 268435456);
	value_is("rhel7-536870912", 536870912);
	value_is("suse-2147561472", 2147561472u);
}

static void reads_all_64_bits_set(void **state)
{
	value_is("value-max", UINT64_MAX);
}

static void reads_a_value_without_trailing_newline(void **state)
{
	value_is("no-trailing-newline", 4609);
}

static void reads_a_64_byte_file_the_largest_accepted(void **state)
{
	value_is("leading-zeros-64-bytes", 4609);
}

static void missing_file_is_enoent(void **state)
{
	error_is("missing", -ENOENT);
}

static void directory_in_place_of_the_file_is_unreadable(void **state)
{
	error_is("unreadable-directory", -EISDIR);
}

static void symlink_loop_is_unreadable(void **state)
{
	error_is("unreadable-symlink-loop", -ELOOP);
}

static void empty_file_is_enodata(void **state)
{
	error_is("empty", -ENODATA);
}

static void hex_is_not_a_decimal_number(void **state)
{
	error_is("not-decimal", -EINVAL);
}

static void negative_number_is_refused(void **state)
{
	error_is("negative", -EINVAL);
}

static void number_above_64_bits_is_erange(void **state)
{
	error_is("above-64-bits", -ERANGE);
}

static void oversized_file_is_efbig_even_when_its_digits_would_parse(void **state)
{
	error_is("oversized-65-bytes", -EFBIG);
	error_is("oversized", -EFBIG);
}

static void garbage_is_refused(void **state)
{
	error_is("garbage", -EINVAL);
}

/* Collects the modules of FIXTURES/<tree> with @max as --collector.modules.max. */
static void collect_modules(const char *tree, size_t max, struct taint_snapshot *snap)
{
	struct collect_config cfg = open_tree(tree, true, max);
	assert_int_equal(collect_snapshot_once(&cfg, snap), 0);
	assert_true(snap->modules_collected);
	close_tree(&cfg);
}

/* The letters recorded for @name, or NULL when the module is absent. */
static const char *module_letters(const struct taint_snapshot *snap, const char *name)
{
	size_t cursor = 0;
	const char *n, *letters;
	while (snapshot_next_module(snap, &cursor, &n, &letters)) {
		if (strcmp(n, name) == 0)
			return letters;
	}
	return NULL;
}

static void tainted_modules_are_present_with_their_letters(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules", 1000, &snap);

	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 12289);
	const char *nvidia = module_letters(&snap, "nvidia");
	const char *vboxdrv = module_letters(&snap, "vboxdrv");
	if (!nvidia || strcmp(nvidia, "POE") != 0)
		fail_msg("expected nvidia with POE, got %s", nvidia ? nvidia : "no nvidia");
	if (!vboxdrv || strcmp(vboxdrv, "OE") != 0)
		fail_msg("expected vboxdrv with OE, got %s", vboxdrv ? vboxdrv : "no vboxdrv");
	snapshot_free(&snap);
}

static void clean_vanished_malformed_and_unreadable_modules_are_left_out(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules", 1000, &snap);

	/* Only nvidia and vboxdrv: ext4 (clean), printk (no taint file) and the bad ones not. */
	if (snap.module_count != 2) {
		size_t cursor = 0;
		const char *n, *letters;
		while (snapshot_next_module(&snap, &cursor, &n, &letters))
			print_message("module %s: %s\n", n, letters);
		fail_msg("expected 2 modules (nvidia, vboxdrv), got %zu", snap.module_count);
	}
	static const char *const absent[] = { "ext4",
					      "printk",
					      "malformed_digits",
					      "malformed_duplicate",
					      "malformed_oversized",
					      "unreadable_directory",
					      "unreadable_loop" };
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		if (module_letters(&snap, absent[i]))
			fail_msg("expected module %s to be left out, got it with \"%s\"", absent[i],
				 module_letters(&snap, absent[i]));
	}
	snapshot_free(&snap);
}

static void malformed_and_unreadable_modules_are_counted_but_vanished_ones_are_not(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules", 1000, &snap);

	/* digits, duplicate letters, oversized, a directory, a symlink loop: 5; printk is not. */
	if (snap.module_read_errors != 5)
		fail_msg("expected 5 module read errors, got %zu", snap.module_read_errors);
	assert_int_equal(snap.modules_omitted, 0);
	snapshot_free(&snap);
}

/*
 * A tree with <procfs>/modules reads module taint from it, not from /sys/module (whose nvidia
 * says P there): the letters in parentheses, without the loading and unloading marks.
 */
static void modules_come_from_procfs_modules_when_the_tree_has_it(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("proc-modules", 1000, &snap);

	static const char *const expected[][2] = {
		{ "nvidia", "POE" }, { "vboxdrv", "OE" }, { "coming", "OE" },
		{ "going", "O" },    { "nounload", "P" },
	};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const char *got = module_letters(&snap, expected[i][0]);
		if (!got || strcmp(got, expected[i][1]) != 0)
			fail_msg("expected %s with %s, got %s", expected[i][0], expected[i][1],
				 got ? got : "nothing");
	}
	assert_int_equal(snap.module_count, 5); /* ext4 is clean; the bad lines are left out */
	/* short, noparens, doubleblank, digits (P1), eight fields: each a read error. */
	if (snap.module_read_errors != 5)
		fail_msg("expected 5 module read errors, got %zu", snap.module_read_errors);
	snapshot_free(&snap);
}

/* A tree made in a temporary directory: taint 4097 and @modules as its proc/modules. */
static struct collect_config tree_with_proc_modules(struct tmptree *t, const char *modules)
{
	assert_int_equal(tmptree_make(t), 0);
	tmptree_mkdirs(t->fd, "proc/sys/kernel");
	tmptree_mkdirs(t->fd, "sys/module");
	tmptree_put(t->fd, "proc/sys/kernel/tainted", "4097\n");
	tmptree_put(t->fd, "proc/modules", modules);
	struct collect_config cfg = {
		.procfs_fd = openat(t->fd, "proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
		.sysfs_fd = openat(t->fd, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
		.modules = true,
		.modules_max = 1000,
	};
	return cfg;
}

/*
 * The letters of every tainted module are kept for attribution (attribution.h), those left
 * out by --collector.modules.max too, and a scrape starts from none: the P of an omitted
 * module explains the kernel's P, and a module unloaded takes its letters with it.
 */
static void every_modules_letters_are_kept_even_beyond_the_cap(void **state)
{
	struct tmptree t;
	struct collect_config cfg = tree_with_proc_modules(
		&t, "vboxdrv 1 0 - Live 0x0 (OE)\nnvidia 1 0 - Live 0x0 (P)\next4 1 0 - Live 0x0\n");
	cfg.modules_max = 1;
	struct collect_reader reader;
	collect_reader_init(&reader, &cfg);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	assert_int_equal(collect_snapshot(&reader, &snap), 0);
	assert_int_equal(snap.module_count, 1);
	assert_int_equal(snap.modules_omitted, 1);
	assert_non_null(module_letters(&snap, "vboxdrv"));
	assert_true(taint_letter_set_has(&snap.module_letters, 'P'));
	assert_true(taint_letter_set_has(&snap.module_letters, 'O'));
	assert_true(taint_letter_set_has(&snap.module_letters, 'E'));
	assert_true(snapshot_attribution_known(&snap));

	tmptree_replace(t.fd, "proc/modules", "vboxdrv 1 0 - Live 0x0 (OE)\n");
	assert_int_equal(collect_snapshot(&reader, &snap), 0);
	assert_false(taint_letter_set_has(&snap.module_letters, 'P'));
	assert_true(taint_letter_set_has(&snap.module_letters, 'O'));

	collect_reader_close(&reader);
	snapshot_free(&snap);
	close_tree(&cfg);
	assert_int_equal(tmptree_remove(&t), 0);
}

/*
 * A thread's reader holds <procfs>/modules across scrapes: a module loaded or unloaded, the
 * list rewritten in place (as the kernel's is) or renamed over (as a fixture's is), and the
 * next scrape shows it.
 */
static void a_held_modules_file_shows_every_change_on_the_next_scrape(void **state)
{
	struct tmptree t;
	struct collect_config cfg = tree_with_proc_modules(&t, "nvidia 1 0 - Live 0x0 (PO)\n");
	struct collect_reader reader;
	collect_reader_init(&reader, &cfg);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	assert_int_equal(collect_snapshot(&reader, &snap), 0);
	assert_string_equal(module_letters(&snap, "nvidia"), "PO");

	tmptree_put(t.fd, "proc/modules", "nvidia 1 0 - Live 0x0 (PO)\nzfs 1 0 - Live 0x0 (O)\n");
	assert_int_equal(collect_snapshot(&reader, &snap), 0);
	assert_string_equal(module_letters(&snap, "zfs"), "O");

	tmptree_replace(t.fd, "proc/modules", "zfs 1 0 - Live 0x0 (OE)\n");
	assert_int_equal(collect_snapshot(&reader, &snap), 0);
	assert_null(module_letters(&snap, "nvidia"));
	assert_string_equal(module_letters(&snap, "zfs"), "OE");
	assert_int_equal(snap.module_count, 1);
	assert_int_equal(snap.module_read_errors, 0);

	collect_reader_close(&reader);
	snapshot_free(&snap);
	close_tree(&cfg);
	assert_int_equal(tmptree_remove(&t), 0);
}

static void a_module_directory_without_taint_file_is_skipped_silently(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules-vanished", 1000, &snap);

	assert_int_equal(snap.module_count, 0);
	if (snap.module_read_errors != 0)
		fail_msg("expected a vanished module not to count as an error, got %zu errors",
			 snap.module_read_errors);
	snapshot_free(&snap);
}

static void clean_modules_give_an_empty_list(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules-clean", 1000, &snap);

	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.module_read_errors, 0);
	assert_int_equal(snap.modules_omitted, 0);
	size_t cursor = 0;
	const char *n, *letters;
	assert_false(snapshot_next_module(&snap, &cursor, &n, &letters));
	snapshot_free(&snap);
}

static void modules_beyond_the_cap_are_counted_as_omitted(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	collect_modules("modules-many", 3, &snap);
	if (snap.module_count != 3 || snap.modules_omitted != 2)
		fail_msg("5 tainted modules, cap 3: expected 3 reported and 2 omitted, got %zu "
			 "and %zu",
			 snap.module_count, snap.modules_omitted);
	size_t cursor = 0, seen = 0;
	const char *n, *letters;
	while (snapshot_next_module(&snap, &cursor, &n, &letters)) {
		assert_string_equal(letters, "O");
		seen++;
	}
	assert_int_equal(seen, 3);

	/* The same snapshot reused with a cap above the count: all 5, nothing omitted. */
	collect_modules("modules-many", 5, &snap);
	assert_int_equal(snap.module_count, 5);
	assert_int_equal(snap.modules_omitted, 0);
	assert_int_equal(snap.module_read_errors, 0);
	snapshot_free(&snap);
}

static void module_collector_off_reads_no_modules(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct collect_config cfg = open_tree("modules", false, 1000);

	/* A module list from an earlier scrape must not survive either. */
	snapshot_add_module(&snap, "stale", "P");
	assert_int_equal(collect_snapshot_once(&cfg, &snap), 0);
	assert_false(snap.modules_collected);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.module_read_errors, 0);
	assert_int_equal(snap.value, 12289);
	size_t cursor = 0;
	const char *n, *letters;
	assert_false(snapshot_next_module(&snap, &cursor, &n, &letters));
	snapshot_free(&snap);
	close_tree(&cfg);
}

static void a_sysfs_without_module_directory_counts_one_error(void **state)
{
	struct collect_config cfg = {
		.procfs_fd = fixture_open("value-0", "proc"),
		.sysfs_fd = fixture_open("vendor-upstream", "sys"), /* sys/kernel only */
		.modules = true,
		.modules_max = 1000,
	};
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	assert_int_equal(collect_snapshot_once(&cfg, &snap), 0);
	assert_int_equal(snap.taint_error, 0);
	assert_true(snap.modules_collected);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.module_read_errors, 1);
	snapshot_free(&snap);
	close_tree(&cfg);
}

/* Every byte sequence a name can hold comes out as valid UTF-8; valid UTF-8 is kept as is. */
static void module_names_that_are_not_utf8_are_written_with_hex_escapes(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "nvidia", "nvidia" },
		{ "na\xc3\xafve", "na\xc3\xafve" }, /* U+00EF: valid, kept */
		{ "\xf0\x9f\x90\xa7", "\xf0\x9f\x90\xa7" }, /* U+1F427: valid, kept */
		{ "caf\xe9", "caf\\xe9" }, /* Latin-1: escaped */
		{ "\xff\xfe", "\\xff\\xfe" },
		{ "\xc0\xaf", "\\xc0\\xaf" }, /* overlong '/' */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" }, /* a surrogate */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" }, /* above U+10FFFF */
		{ "ab\xe2\x82", "ab\\xe2\\x82" }, /* cut short */
		{ "\x80ok", "\\x80ok" }, /* a lone continuation byte */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[MODULE_NAME_UTF8_MAX + 1];
		size_t n = module_name_utf8(cases[i].in, strlen(cases[i].in), out);
		if (strcmp(out, cases[i].out) != 0 || n != strlen(cases[i].out))
			fail_msg("case %zu: expected \"%s\", got \"%s\"", i, cases[i].out, out);
	}
	/* The longest name, every byte invalid, fills the output exactly. */
	char name[MODULE_NAME_MAX], out[MODULE_NAME_UTF8_MAX + 1];
	memset(name, 0xff, sizeof(name));
	assert_int_equal(module_name_utf8(name, sizeof(name), out), MODULE_NAME_UTF8_MAX);
}

/* A module whose name is not UTF-8 is still reported, under its escaped name. */
static void a_module_named_in_latin1_is_reported_with_an_escaped_name(void **state)
{
	struct tmptree t;
	struct collect_config cfg = tree_with_proc_modules(&t, "caf\xe9 1 0 - Live 0x0 (PO)\n");
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	assert_int_equal(collect_snapshot_once(&cfg, &snap), 0);
	assert_string_equal(module_letters(&snap, "caf\\xe9"), "PO");
	assert_int_equal(snap.module_read_errors, 0);
	snapshot_free(&snap);
	close_tree(&cfg);
	assert_int_equal(tmptree_remove(&t), 0);
}

static void module_letters_must_be_distinct_ascii_letters(void **state)
{
	assert_true(module_letters_valid("POE", 3));
	assert_true(module_letters_valid("Xn", 2));
	assert_true(module_letters_valid("", 0));
	assert_false(module_letters_valid("P1", 2));
	assert_false(module_letters_valid("OEO", 3));
	assert_false(module_letters_valid("P E", 3));
	assert_false(module_letters_valid("(P)", 3));
	assert_false(module_letters_valid("P\xc3\x89", 3));
	/* P and p are different letters (SUSE prints n, upstream N). */
	assert_true(module_letters_valid("Nn", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_zero_as_untainted),
		cmocka_unit_test(reads_the_seed_values),
		cmocka_unit_test(reads_all_64_bits_set),
		cmocka_unit_test(reads_a_value_without_trailing_newline),
		cmocka_unit_test(reads_a_64_byte_file_the_largest_accepted),
		cmocka_unit_test(missing_file_is_enoent),
		cmocka_unit_test(directory_in_place_of_the_file_is_unreadable),
		cmocka_unit_test(symlink_loop_is_unreadable),
		cmocka_unit_test(empty_file_is_enodata),
		cmocka_unit_test(hex_is_not_a_decimal_number),
		cmocka_unit_test(negative_number_is_refused),
		cmocka_unit_test(number_above_64_bits_is_erange),
		cmocka_unit_test(oversized_file_is_efbig_even_when_its_digits_would_parse),
		cmocka_unit_test(garbage_is_refused),
		cmocka_unit_test(tainted_modules_are_present_with_their_letters),
		cmocka_unit_test(clean_vanished_malformed_and_unreadable_modules_are_left_out),
		cmocka_unit_test(
			malformed_and_unreadable_modules_are_counted_but_vanished_ones_are_not),
		cmocka_unit_test(modules_come_from_procfs_modules_when_the_tree_has_it),
		cmocka_unit_test(a_held_modules_file_shows_every_change_on_the_next_scrape),
		cmocka_unit_test(a_module_directory_without_taint_file_is_skipped_silently),
		cmocka_unit_test(clean_modules_give_an_empty_list),
		cmocka_unit_test(modules_beyond_the_cap_are_counted_as_omitted),
		cmocka_unit_test(module_collector_off_reads_no_modules),
		cmocka_unit_test(a_sysfs_without_module_directory_counts_one_error),
		cmocka_unit_test(module_letters_must_be_distinct_ascii_letters),
		cmocka_unit_test(module_names_that_are_not_utf8_are_written_with_hex_escapes),
		cmocka_unit_test(a_module_named_in_latin1_is_reported_with_an_escaped_name),
		cmocka_unit_test(every_modules_letters_are_kept_even_beyond_the_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
