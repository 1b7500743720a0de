/*
 * Specification of the read layer (read/collect.h) against fixture trees laid out like /proc
 * (tests/fixtures/<tree>/proc/sys/kernel/tainted and .../proc/modules) and trees made in a
 * temporary directory: every good value decodes, every bad input gives taint_error < 0 and
 * never a value, the module list is read from <procfs>/modules alone and its lines are
 * skipped, counted and capped as documented, and every call reads what the paths name now.
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

/* Opens FIXTURES/<tree>/proc, as main() opens --path.procfs; module taint needs no sysfs. */
static struct collect_config open_tree(const char *tree, bool modules, size_t modules_max)
{
	struct collect_config cfg = {
		.procfs_fd = fixture_open(tree, "proc"),
		.sysfs_fd = -1,
		.modules = modules,
		.modules_max = modules_max,
	};
	return cfg;
}

static void close_tree(struct collect_config *cfg)
{
	close(cfg->procfs_fd);
}

/* One scrape with a module text buffer of its own, as --explain makes. */
static void collect_once(const struct collect_config *cfg, struct taint_snapshot *snap)
{
	struct buffer text = BUFFER_INIT;
	assert_int_equal(collect_snapshot(cfg, &text, snap), 0);
	buffer_free(&text);
}

static void value_is(const char *tree, uint64_t expected)
{
	struct collect_config cfg = open_tree(tree, false, 0);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	collect_once(&cfg, &snap);
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
 * the same (reused) snapshot and buffer must not survive: never a stale value.
 */
static void error_is(const char *tree, int expected)
{
	struct collect_config good = open_tree("value-4609", false, 0);
	struct collect_config cfg = open_tree(tree, false, 0);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer text = BUFFER_INIT; /* both reused across the scrapes, as a thread's */

	assert_int_equal(collect_snapshot(&good, &text, &snap), 0);
	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 4609);

	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
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
	assert_int_equal(collect_snapshot(&good, &text, &snap), 0);
	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 4609);

	/* The same error again on the next scrape: a failure leaves nothing behind. */
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	assert_int_equal(snap.taint_error, expected);

	buffer_free(&text);
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

/* The outcome of the last read is kept in the shared log, so that each change is told once. */
static void the_taint_log_keeps_the_last_outcome(void **state)
{
	struct collect_taint_log log = { 0 };
	struct collect_config good = open_tree("value-4609", false, 0);
	struct collect_config bad = open_tree("missing", false, 0);
	good.taint_log = &log;
	bad.taint_log = &log;
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	collect_once(&bad, &snap);
	assert_int_equal(atomic_load(&log.last_error), -ENOENT);
	collect_once(&bad, &snap);
	assert_int_equal(atomic_load(&log.last_error), -ENOENT);
	collect_once(&good, &snap);
	assert_int_equal(atomic_load(&log.last_error), 0);

	snapshot_free(&snap);
	close_tree(&bad);
	close_tree(&good);
}

/* Collects the modules of FIXTURES/<tree> with @max as --collector.modules.max. */
static void collect_modules(const char *tree, size_t max, struct taint_snapshot *snap)
{
	struct collect_config cfg = open_tree(tree, true, max);
	collect_once(&cfg, snap);
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

/* Fails unless @name is listed with exactly @letters. */
static void module_is(const struct taint_snapshot *snap, const char *name, const char *letters)
{
	const char *got = module_letters(snap, name);
	if (!got || strcmp(got, letters) != 0)
		fail_msg("expected module %s with %s, got %s", name, letters,
			 got ? got : "no such module");
}

static void print_modules(const struct taint_snapshot *snap)
{
	size_t cursor = 0;
	const char *n, *letters;
	while (snapshot_next_module(snap, &cursor, &n, &letters))
		print_message("module %s: %s\n", n, letters);
}

static void tainted_modules_are_present_with_their_letters(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules", 1000, &snap);

	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 12289);
	module_is(&snap, "nvidia", "POE");
	module_is(&snap, "vboxdrv", "OE");
	snapshot_free(&snap);
}

static void clean_and_malformed_modules_are_left_out(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules", 1000, &snap);

	/* Only nvidia and vboxdrv: ext4 is clean, and the malformed lines give no module. */
	if (snap.module_count != 2) {
		print_modules(&snap);
		fail_msg("expected 2 modules (nvidia, vboxdrv), got %zu", snap.module_count);
	}
	static const char *const absent[] = { "ext4", "malformed_digits", "malformed_duplicate",
					      "malformed_oversized", "malformed_fields" };
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		if (module_letters(&snap, absent[i]))
			fail_msg("expected module %s to be left out, got it with \"%s\"", absent[i],
				 module_letters(&snap, absent[i]));
	}
	snapshot_free(&snap);
}

/*
 * Digits, a repeated letter, 200 letters and a line of five fields: one read error each. The
 * list itself was read: a malformed line, which whoever loads a module can cause, must not
 * make the list look unreadable, so attribution stays known.
 */
static void each_malformed_line_counts_one_error_and_the_list_stays_read(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules", 1000, &snap);

	if (snap.module_read_errors != 4)
		fail_msg("expected 4 module read errors, got %zu", snap.module_read_errors);
	assert_int_equal(snap.modules_omitted, 0);
	assert_true(snap.module_list_read);
	assert_true(snapshot_attribution_known(&snap));
	snapshot_free(&snap);
}

/*
 * A list in the kernel's format: the letters in parentheses, without the loading and
 * unloading marks, whatever the users and the use count ("- -" without module unloading).
 */
static void modules_come_from_the_letters_in_parentheses(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("proc-modules", 1000, &snap);

	static const char *const expected[][2] = {
		{ "nvidia", "POE" }, { "vboxdrv", "OE" }, { "coming", "OE" },
		{ "going", "O" },    { "nounload", "P" },
	};
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		module_is(&snap, expected[i][0], expected[i][1]);
	if (snap.module_count != 5) {
		print_modules(&snap);
		fail_msg("expected 5 modules (ext4 is clean, the bad lines left out), got %zu",
			 snap.module_count);
	}
	/* short, noparens, doubleblank, digits (P1), eight fields: each a read error. */
	if (snap.module_read_errors != 5)
		fail_msg("expected 5 module read errors, got %zu", snap.module_read_errors);
	snapshot_free(&snap);
}

static void clean_modules_give_an_empty_list(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("modules-clean", 1000, &snap);

	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.module_read_errors, 0);
	assert_int_equal(snap.modules_omitted, 0);
	assert_true(snap.module_list_read);
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

	/* The same snapshot reused with a cap of the count: all 5, nothing omitted. */
	collect_modules("modules-many", 5, &snap);
	assert_int_equal(snap.module_count, 5);
	assert_int_equal(snap.modules_omitted, 0);
	assert_int_equal(snap.module_read_errors, 0);

	/* A cap of 0 lists none and counts all. */
	collect_modules("modules-many", 0, &snap);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.modules_omitted, 5);
	assert_true(taint_letter_set_has(&snap.module_letters, 'O'));
	snapshot_free(&snap);
}

static void module_collector_off_reads_no_modules(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct collect_config cfg = open_tree("modules", false, 1000);

	/* A module list from an earlier scrape must not survive either. */
	snapshot_add_module(&snap, "stale", "P", 1000);
	snap.module_read_errors = 3;
	collect_once(&cfg, &snap);
	assert_false(snap.modules_collected);
	assert_false(snap.module_list_read);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.module_read_errors, 0);
	assert_false(taint_letter_set_has(&snap.module_letters, 'P'));
	assert_int_equal(snap.value, 12289);
	size_t cursor = 0;
	const char *n, *letters;
	assert_false(snapshot_next_module(&snap, &cursor, &n, &letters));
	snapshot_free(&snap);
	close_tree(&cfg);
}

/*
 * A module list that cannot be read: one error, the list said to be unread (so that no
 * module flag is called unattributed), no module, and the taint value read all the same.
 */
static void module_list_is_unread(const char *tree, uint64_t value)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules(tree, 1000, &snap);

	if (snap.module_list_read)
		fail_msg("tree %s: expected the module list to be unread, got it read", tree);
	if (snap.module_read_errors != 1)
		fail_msg("tree %s: expected 1 module read error, got %zu", tree,
			 snap.module_read_errors);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, value);
	assert_false(snapshot_attribution_known(&snap));
	snapshot_free(&snap);
}

/*
 * The kernel has /proc/modules exactly when it can load modules (CONFIG_MODULES): without one,
 * the list is read and empty, so that no alert about an unreadable list fires on such a host.
 */
static void a_procfs_without_a_module_list_is_a_kernel_without_loadable_modules(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_modules("value-0", 1000, &snap);
	if (!snap.module_list_read)
		fail_msg("tree value-0 (no proc/modules): expected the module list read and empty, "
			 "got it unread");
	assert_int_equal(snap.module_read_errors, 0);
	assert_int_equal(snap.module_count, 0);
	assert_true(snapshot_attribution_known(&snap));
	snapshot_free(&snap);
}

static void a_directory_in_place_of_the_module_list_has_it_unread(void **state)
{
	module_list_is_unread("modules-list-directory", 4096);
}

static void a_symlink_loop_in_place_of_the_module_list_has_it_unread(void **state)
{
	module_list_is_unread("modules-list-symlink-loop", 4096);
}

/* A tree made in a temporary directory: taint 4097 and @modules as its proc/modules. */
static struct collect_config tree_with_proc_modules(struct tmptree *t, const char *modules)
{
	assert_int_equal(tmptree_make(t), 0);
	tmptree_mkdirs(t->fd, "proc/sys/kernel");
	tmptree_put(t->fd, "proc/sys/kernel/tainted", "4097\n");
	tmptree_put(t->fd, "proc/modules", modules);
	struct collect_config cfg = {
		.procfs_fd = openat(t->fd, "proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
		.sysfs_fd = -1,
		.modules = true,
		.modules_max = 1000,
	};
	assert_true(cfg.procfs_fd >= 0);
	return cfg;
}

static void remove_tree(struct tmptree *t, struct collect_config *cfg)
{
	close_tree(cfg);
	assert_int_equal(tmptree_remove(t), 0);
}

/* A kernel with no module loaded: a list read whole, with nothing in it. */
static void an_empty_module_list_is_read_and_has_no_modules(void **state)
{
	struct tmptree t;
	struct collect_config cfg = tree_with_proc_modules(&t, "");
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_once(&cfg, &snap);
	assert_true(snap.module_list_read);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.module_read_errors, 0);
	assert_true(snapshot_attribution_known(&snap));
	snapshot_free(&snap);
	remove_tree(&t, &cfg);
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
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer text = BUFFER_INIT;
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	assert_int_equal(snap.module_count, 1);
	assert_int_equal(snap.modules_omitted, 1);
	module_is(&snap, "vboxdrv", "OE");
	assert_true(taint_letter_set_has(&snap.module_letters, 'P'));
	assert_true(taint_letter_set_has(&snap.module_letters, 'O'));
	assert_true(taint_letter_set_has(&snap.module_letters, 'E'));
	assert_true(snapshot_attribution_known(&snap));

	tmptree_replace(t.fd, "proc/modules", "vboxdrv 1 0 - Live 0x0 (OE)\n");
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	assert_false(taint_letter_set_has(&snap.module_letters, 'P'));
	assert_true(taint_letter_set_has(&snap.module_letters, 'O'));
	assert_int_equal(snap.modules_omitted, 0);

	buffer_free(&text);
	snapshot_free(&snap);
	remove_tree(&t, &cfg);
}

/* Letters no layout knows may be a newer kernel's: the module is listed with them. */
static void letters_no_layout_knows_are_kept(void **state)
{
	struct tmptree t;
	struct collect_config cfg = tree_with_proc_modules(&t, "future 1 0 - Live 0x0 (OQ)\n");
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_once(&cfg, &snap);
	module_is(&snap, "future", "OQ");
	assert_true(taint_letter_set_has(&snap.module_letters, 'Q'));
	assert_int_equal(snap.module_read_errors, 0);
	snapshot_free(&snap);
	remove_tree(&t, &cfg);
}

/* The caller's buffer holds the list's bytes as read, and is reused from call to call. */
static void the_module_text_buffer_holds_the_list_as_read(void **state)
{
	static const char list[] = "nvidia 1 0 - Live 0x0 (PO)\next4 1 0 - Live 0x0\n";
	struct tmptree t;
	struct collect_config cfg = tree_with_proc_modules(&t, list);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer text = BUFFER_INIT;
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	assert_int_equal(text.len, strlen(list));
	assert_memory_equal(text.data, list, text.len);

	tmptree_put(t.fd, "proc/modules", "a 1 0 - Live 0x0 (O)\n");
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	assert_int_equal(text.len, strlen("a 1 0 - Live 0x0 (O)\n"));
	assert_int_equal(snap.module_count, 1);

	buffer_free(&text);
	snapshot_free(&snap);
	remove_tree(&t, &cfg);
}

/* A module whose name is not UTF-8 is still reported, under its escaped name. */
static void a_module_named_in_latin1_is_reported_with_an_escaped_name(void **state)
{
	struct tmptree t;
	struct collect_config cfg = tree_with_proc_modules(&t, "caf\xe9 1 0 - Live 0x0 (PO)\n");
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	collect_once(&cfg, &snap);
	module_is(&snap, "caf\\xe9", "PO");
	assert_int_equal(snap.module_read_errors, 0);
	snapshot_free(&snap);
	remove_tree(&t, &cfg);
}

/*
 * Freshness: each call opens every file again, so whatever the paths name now is read,
 * however it came to be there. A reader that kept the files open read the old ones.
 */
struct fresh {
	struct tmptree t;
	struct collect_config cfg;
	struct taint_snapshot snap;
	struct buffer text;
};

static int fresh_setup(void **state)
{
	struct fresh *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	f->cfg = tree_with_proc_modules(&f->t, "nvidia 1 0 - Live 0x0 (PO)\n");
	f->snap = (struct taint_snapshot)TAINT_SNAPSHOT_INIT;
	f->text = (struct buffer)BUFFER_INIT;
	return 0;
}

static int fresh_teardown(void **state)
{
	struct fresh *f = *state;
	buffer_free(&f->text);
	snapshot_free(&f->snap);
	close_tree(&f->cfg);
	int rc = tmptree_remove(&f->t);
	free(f);
	return rc;
}

/* The next scrape, through the same configuration, snapshot and buffer. */
static void scrape_again(struct fresh *f)
{
	assert_int_equal(collect_snapshot(&f->cfg, &f->text, &f->snap), 0);
}

static void value_now_is(struct fresh *f, uint64_t expected, const char *after)
{
	scrape_again(f);
	if (f->snap.taint_error != 0)
		fail_msg("after %s: expected value %ju, got error %d (%s)", after,
			 (uintmax_t)expected, f->snap.taint_error, strerror(-f->snap.taint_error));
	if (f->snap.value != expected)
		fail_msg("after %s: expected value %ju, got %ju", after, (uintmax_t)expected,
			 (uintmax_t)f->snap.value);
}

static void a_taint_file_renamed_over_is_read_on_the_next_call(void **state)
{
	struct fresh *f = *state;
	value_now_is(f, 4097, "the first scrape");
	tmptree_replace(f->t.fd, "proc/sys/kernel/tainted", "1\n");
	value_now_is(f, 1, "a new taint file renamed over the old one");
	tmptree_put(f->t.fd, "proc/sys/kernel/tainted", "4096\n");
	value_now_is(f, 4096, "the taint file rewritten in place");
}

/* The taint file a symlink, the symlink replaced by another to a file of another value. */
static void a_taint_symlink_swapped_to_another_file_is_followed_on_the_next_call(void **state)
{
	struct fresh *f = *state;
	tmptree_put(f->t.fd, "proc/sys/kernel/tainted.a", "4609\n");
	tmptree_put(f->t.fd, "proc/sys/kernel/tainted.b", "12288\n");
	assert_int_equal(unlinkat(f->t.fd, "proc/sys/kernel/tainted", 0), 0);
	assert_int_equal(symlinkat("tainted.a", f->t.fd, "proc/sys/kernel/tainted"), 0);
	value_now_is(f, 4609, "the taint file made a symlink to tainted.a");

	assert_int_equal(symlinkat("tainted.b", f->t.fd, "proc/sys/kernel/tainted.new"), 0);
	assert_int_equal(renameat(f->t.fd, "proc/sys/kernel/tainted.new", f->t.fd,
				  "proc/sys/kernel/tainted"),
			 0);
	value_now_is(f, 12288, "a symlink to tainted.b renamed over the one to tainted.a");
}

/* proc/sys/kernel itself replaced: the path is looked up afresh from the procfs root. */
static void a_directory_above_the_taint_file_replaced_is_seen_on_the_next_call(void **state)
{
	struct fresh *f = *state;
	value_now_is(f, 4097, "the first scrape");
	tmptree_mkdirs(f->t.fd, "proc/sys/kernel.new");
	tmptree_put(f->t.fd, "proc/sys/kernel.new/tainted", "8192\n");
	assert_int_equal(renameat(f->t.fd, "proc/sys/kernel", f->t.fd, "proc/sys/kernel.old"), 0);
	assert_int_equal(renameat(f->t.fd, "proc/sys/kernel.new", f->t.fd, "proc/sys/kernel"), 0);
	value_now_is(f, 8192, "proc/sys/kernel replaced by another directory");

	/* And the directory gone: the file is missing, not the old value. */
	assert_int_equal(renameat(f->t.fd, "proc/sys/kernel", f->t.fd, "proc/sys/kernel.gone"), 0);
	scrape_again(f);
	assert_int_equal(f->snap.taint_error, -ENOENT);
}

/* The same through a symlink: proc/sys/kernel a link to one directory, then to another. */
static void
a_directory_above_reached_through_a_swapped_symlink_is_seen_on_the_next_call(void **state)
{
	struct fresh *f = *state;
	tmptree_mkdirs(f->t.fd, "proc/sys/kernel.a");
	tmptree_put(f->t.fd, "proc/sys/kernel.a/tainted", "4609\n");
	tmptree_mkdirs(f->t.fd, "proc/sys/kernel.b");
	tmptree_put(f->t.fd, "proc/sys/kernel.b/tainted", "12288\n");
	tmptree_rm(&f->t, "proc/sys/kernel");
	assert_int_equal(symlinkat("kernel.a", f->t.fd, "proc/sys/kernel"), 0);
	value_now_is(f, 4609, "proc/sys/kernel made a symlink to kernel.a");

	assert_int_equal(symlinkat("kernel.b", f->t.fd, "proc/sys/kernel.new"), 0);
	assert_int_equal(renameat(f->t.fd, "proc/sys/kernel.new", f->t.fd, "proc/sys/kernel"), 0);
	value_now_is(f, 12288, "a symlink to kernel.b renamed over the one to kernel.a");
}

/*
 * The module list rewritten in place (as the kernel's changes), renamed over (as a fixture's
 * is), removed and put back: each change is in the next scrape, and nothing of the one before.
 */
static void a_module_list_rewritten_is_read_on_the_next_call(void **state)
{
	struct fresh *f = *state;
	scrape_again(f);
	module_is(&f->snap, "nvidia", "PO");

	tmptree_put(f->t.fd, "proc/modules", "zfs 1 0 - Live 0x0 (O)\nnvidia 1 0 - Live 0x0 (PO)\n");
	scrape_again(f);
	module_is(&f->snap, "zfs", "O");
	module_is(&f->snap, "nvidia", "PO");
	assert_int_equal(f->snap.module_count, 2);

	tmptree_replace(f->t.fd, "proc/modules", "zfs 1 0 - Live 0x0 (OE)\n");
	scrape_again(f);
	assert_null(module_letters(&f->snap, "nvidia"));
	module_is(&f->snap, "zfs", "OE");
	assert_int_equal(f->snap.module_count, 1);
	assert_int_equal(f->snap.module_read_errors, 0);

	tmptree_rm(&f->t, "proc/modules"); /* as on a kernel without loadable modules */
	scrape_again(f);
	assert_true(f->snap.module_list_read);
	assert_int_equal(f->snap.module_count, 0);
	assert_int_equal(f->snap.module_read_errors, 0);

	tmptree_put(f->t.fd, "proc/modules", "ext4 1 0 - Live 0x0\n");
	scrape_again(f);
	assert_true(f->snap.module_list_read);
	assert_int_equal(f->snap.module_count, 0);
	assert_int_equal(f->snap.module_read_errors, 0);
}

/* The module list a symlink, swapped for one to another list. */
static void a_module_list_symlink_swapped_is_followed_on_the_next_call(void **state)
{
	struct fresh *f = *state;
	tmptree_put(f->t.fd, "proc/modules.a", "nvidia 1 0 - Live 0x0 (PO)\n");
	tmptree_put(f->t.fd, "proc/modules.b", "zfs 1 0 - Live 0x0 (O)\n");
	tmptree_rm(&f->t, "proc/modules");
	assert_int_equal(symlinkat("modules.a", f->t.fd, "proc/modules"), 0);
	scrape_again(f);
	module_is(&f->snap, "nvidia", "PO");

	assert_int_equal(symlinkat("modules.b", f->t.fd, "proc/modules.new"), 0);
	assert_int_equal(renameat(f->t.fd, "proc/modules.new", f->t.fd, "proc/modules"), 0);
	scrape_again(f);
	assert_null(module_letters(&f->snap, "nvidia"));
	module_is(&f->snap, "zfs", "O");
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
		{ "caf\\xe9", "caf\\x5cxe9" }, /* the text "\xe9", apart from the byte 0xe9 */
		{ "a\\b", "a\\x5cb" },
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
	/* Every letter once is the longest valid string; one more is one too many. */
	static const char all[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	assert_int_equal(strlen(all), MODULE_LETTERS_MAX);
	assert_true(module_letters_valid(all, MODULE_LETTERS_MAX));
	char more[MODULE_LETTERS_MAX + 2];
	memcpy(more, all, MODULE_LETTERS_MAX);
	more[MODULE_LETTERS_MAX] = 'A';
	more[MODULE_LETTERS_MAX + 1] = '\0';
	assert_false(module_letters_valid(more, MODULE_LETTERS_MAX + 1));
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
		cmocka_unit_test(the_taint_log_keeps_the_last_outcome),
		cmocka_unit_test(tainted_modules_are_present_with_their_letters),
		cmocka_unit_test(clean_and_malformed_modules_are_left_out),
		cmocka_unit_test(each_malformed_line_counts_one_error_and_the_list_stays_read),
		cmocka_unit_test(modules_come_from_the_letters_in_parentheses),
		cmocka_unit_test(clean_modules_give_an_empty_list),
		cmocka_unit_test(modules_beyond_the_cap_are_counted_as_omitted),
		cmocka_unit_test(module_collector_off_reads_no_modules),
		cmocka_unit_test(
			a_procfs_without_a_module_list_is_a_kernel_without_loadable_modules),
		cmocka_unit_test(a_directory_in_place_of_the_module_list_has_it_unread),
		cmocka_unit_test(a_symlink_loop_in_place_of_the_module_list_has_it_unread),
		cmocka_unit_test(an_empty_module_list_is_read_and_has_no_modules),
		cmocka_unit_test(every_modules_letters_are_kept_even_beyond_the_cap),
		cmocka_unit_test(letters_no_layout_knows_are_kept),
		cmocka_unit_test(the_module_text_buffer_holds_the_list_as_read),
		cmocka_unit_test(a_module_named_in_latin1_is_reported_with_an_escaped_name),
		cmocka_unit_test_setup_teardown(a_taint_file_renamed_over_is_read_on_the_next_call,
						fresh_setup, fresh_teardown),
		cmocka_unit_test_setup_teardown(
			a_taint_symlink_swapped_to_another_file_is_followed_on_the_next_call,
			fresh_setup, fresh_teardown),
		cmocka_unit_test_setup_teardown(
			a_directory_above_the_taint_file_replaced_is_seen_on_the_next_call,
			fresh_setup, fresh_teardown),
		cmocka_unit_test_setup_teardown(
			a_directory_above_reached_through_a_swapped_symlink_is_seen_on_the_next_call,
			fresh_setup, fresh_teardown),
		cmocka_unit_test_setup_teardown(a_module_list_rewritten_is_read_on_the_next_call,
						fresh_setup, fresh_teardown),
		cmocka_unit_test_setup_teardown(
			a_module_list_symlink_swapped_is_followed_on_the_next_call, fresh_setup,
			fresh_teardown),
		cmocka_unit_test(module_letters_must_be_distinct_ascii_letters),
		cmocka_unit_test(module_names_that_are_not_utf8_are_written_with_hex_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
