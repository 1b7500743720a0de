/*
 * Specification of the snapshot (snapshot.h): module records kept up to the cap and counted
 * beyond it, their letters kept either way; a reset that empties every field and keeps the
 * memory; attribution known only when the value and the whole module list were read.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "snapshot.h"

/* The snapshot's modules as "name=letters ..." into @out (at least 128 bytes). */
static void describe_modules(const struct taint_snapshot *snap, char *out, size_t size)
{
	size_t cursor = 0, n = 0;
	const char *name, *letters;
	out[0] = '\0';
	while (snapshot_next_module(snap, &cursor, &name, &letters))
		n += (size_t)snprintf(out + n, size - n, "%s%s=%s", n ? " " : "", name, letters);
}

static void modules_are_listed_in_the_order_added(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	char got[128];
	snapshot_add_module(&snap, "nvidia", "POE", 1000);
	snapshot_add_module(&snap, "zfs", "PO", 1000);
	describe_modules(&snap, got, sizeof(got));
	assert_string_equal(got, "nvidia=POE zfs=PO");
	assert_int_equal(snap.module_count, 2);
	assert_int_equal(snap.modules_omitted, 0);
	snapshot_free(&snap);
}

/* Beyond @max listed modules, a module is only counted, and its letters kept. */
static void modules_beyond_the_cap_are_counted_and_their_letters_kept(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	char got[128];
	snapshot_add_module(&snap, "nvidia", "POE", 2);
	snapshot_add_module(&snap, "zfs", "PO", 2);
	snapshot_add_module(&snap, "future", "Q", 2);
	snapshot_add_module(&snap, "vboxdrv", "OE", 2);
	describe_modules(&snap, got, sizeof(got));
	if (strcmp(got, "nvidia=POE zfs=PO") != 0 || snap.module_count != 2 ||
	    snap.modules_omitted != 2)
		fail_msg("4 modules, cap 2: expected \"nvidia=POE zfs=PO\" and 2 omitted, got "
			 "\"%s\" (%zu) and %zu omitted",
			 got, snap.module_count, snap.modules_omitted);
	/* Q only an omitted module carries: it still explains the kernel's flags. */
	for (const char *l = "POEQ"; *l; l++) {
		if (!taint_letter_set_has(&snap.module_letters, *l))
			fail_msg("expected %c among the modules' letters", *l);
	}
	assert_false(taint_letter_set_has(&snap.module_letters, 'X'));
	snapshot_free(&snap);
}

static void a_cap_of_zero_lists_no_module(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	snapshot_add_module(&snap, "nvidia", "POE", 0);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.modules_omitted, 1);
	assert_true(taint_letter_set_has(&snap.module_letters, 'P'));
	size_t cursor = 0;
	const char *name, *letters;
	assert_false(snapshot_next_module(&snap, &cursor, &name, &letters));
	snapshot_free(&snap);
}

/* A list that ran out of memory shows no module rather than a part of one. */
static void a_module_list_out_of_memory_lists_nothing(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	snapshot_add_module(&snap, "nvidia", "POE", 1000);
	snap.modules.failed = true;
	size_t cursor = 0;
	const char *name, *letters;
	assert_false(snapshot_next_module(&snap, &cursor, &name, &letters));
	snap.modules.failed = false;
	snapshot_free(&snap);
}

/* Every field a scrape sets, set to something other than the empty snapshot's. */
static struct taint_log kernel_log;

static void fill(struct taint_snapshot *snap)
{
	snap->taint_error = -ENOENT;
	snap->value = 4609;
	snap->modules_collected = true;
	snap->module_list_read = true;
	snapshot_add_module(snap, "nvidia", "POE", 1);
	snapshot_add_module(snap, "zfs", "PO", 1);
	snap->module_read_errors = 3;
	snap->unattributed = 1;
	snap->log = &kernel_log;
}

static void a_reset_snapshot_is_empty(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	fill(&snap);
	snapshot_reset(&snap);

	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 0);
	assert_false(snap.modules_collected);
	assert_false(snap.module_list_read);
	assert_int_equal(snap.module_count, 0);
	assert_int_equal(snap.modules_omitted, 0);
	assert_int_equal(snap.module_read_errors, 0);
	assert_int_equal(snap.unattributed, 0);
	assert_null(snap.log);
	assert_int_equal(snap.modules.len, 0);
	for (int c = 0; c < 128; c++) {
		if (taint_letter_set_has(&snap.module_letters, (char)c))
			fail_msg("expected no letter after a reset, got %c", c);
	}
	size_t cursor = 0;
	const char *name, *letters;
	assert_false(snapshot_next_module(&snap, &cursor, &name, &letters));
	snapshot_free(&snap);
}

/* The module records' memory is kept, so that a scrape reusing it allocates nothing. */
static void a_reset_keeps_the_memory_of_the_module_list(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	fill(&snap);
	const char *data = snap.modules.data;
	size_t cap = snap.modules.cap;
	assert_non_null(data);
	snapshot_reset(&snap);
	assert_ptr_equal(snap.modules.data, data);
	assert_int_equal(snap.modules.cap, cap);

	snapshot_add_module(&snap, "vboxdrv", "OE", 1000);
	assert_ptr_equal(snap.modules.data, data);
	char got[128];
	describe_modules(&snap, got, sizeof(got));
	assert_string_equal(got, "vboxdrv=OE");
	snapshot_free(&snap);
}

/* A list that ran out of memory in one scrape can hold the next one's. */
static void a_reset_forgets_an_allocation_failure(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	snapshot_add_module(&snap, "nvidia", "POE", 1000);
	snap.modules.failed = true;
	snapshot_reset(&snap);
	assert_false(snap.modules.failed);
	snapshot_add_module(&snap, "zfs", "PO", 1000);
	char got[128];
	describe_modules(&snap, got, sizeof(got));
	assert_string_equal(got, "zfs=PO");
	snapshot_free(&snap);
}

static void attribution_is_known_only_with_the_value_and_the_whole_list(void **state)
{
	static const struct {
		const char *name;
		int taint_error;
		bool collected;
		bool list_read;
		bool known;
	} cases[] = {
		{ "value and whole list read", 0, true, true, true },
		{ "the taint file unreadable", -ENOENT, true, true, false },
		{ "the module list unread", 0, true, false, false },
		{ "modules not collected", 0, false, false, false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
		snap.taint_error = cases[i].taint_error;
		snap.modules_collected = cases[i].collected;
		snap.module_list_read = cases[i].list_read;
		if (snapshot_attribution_known(&snap) != cases[i].known)
			fail_msg("%s: expected attribution %s, got it %s", cases[i].name,
				 cases[i].known ? "known" : "unknown",
				 cases[i].known ? "unknown" : "known");
	}
}

static void an_empty_snapshot_has_nothing(void **state)
{
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	assert_int_equal(snap.module_count, 0);
	assert_false(snap.modules_collected);
	assert_null(snap.log);
	assert_false(snapshot_attribution_known(&snap));
	size_t cursor = 0;
	const char *name, *letters;
	assert_false(snapshot_next_module(&snap, &cursor, &name, &letters));
	snapshot_free(&snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(modules_are_listed_in_the_order_added),
		cmocka_unit_test(modules_beyond_the_cap_are_counted_and_their_letters_kept),
		cmocka_unit_test(a_cap_of_zero_lists_no_module),
		cmocka_unit_test(a_module_list_out_of_memory_lists_nothing),
		cmocka_unit_test(a_reset_snapshot_is_empty),
		cmocka_unit_test(a_reset_keeps_the_memory_of_the_module_list),
		cmocka_unit_test(a_reset_forgets_an_allocation_failure),
		cmocka_unit_test(attribution_is_known_only_with_the_value_and_the_whole_list),
		cmocka_unit_test(an_empty_snapshot_has_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
