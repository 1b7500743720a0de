/*
 * Specification of snapshot_same(): a serving thread queues its last answer again only while
 * each scrape's snapshot is the same as the one that answer was rendered from, so every field
 * a renderer reads must count, and a difference in any of them must make it false.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "snapshot.h"

/* The snapshot both sides start from: 4609 with two tainted modules, every module read. */
static void build(struct taint_snapshot *snap)
{
	snap->value = 4609;
	snap->modules_collected = true;
	snap->module_list_read = true;
	snapshot_add_module(snap, "nvidia", "POE");
	snapshot_add_module(snap, "zfs", "PO");
}

static void no_change(struct taint_snapshot *snap)
{
	(void)snap;
}

static void other_value(struct taint_snapshot *snap)
{
	snap->value = 4097;
}

static void taint_unreadable(struct taint_snapshot *snap)
{
	snap->taint_error = -ENOENT;
}

static void letters_of_same_length(struct taint_snapshot *snap)
{
	buffer_reset(&snap->modules);
	snap->module_count = 0;
	snapshot_add_module(snap, "nvidia", "POE");
	snapshot_add_module(snap, "zfs", "OE"); /* PO before */
}

static void name_of_same_length(struct taint_snapshot *snap)
{
	buffer_reset(&snap->modules);
	snap->module_count = 0;
	snapshot_add_module(snap, "nvidia", "POE");
	snapshot_add_module(snap, "zfx", "PO");
}

static void one_more_module(struct taint_snapshot *snap)
{
	snapshot_add_module(snap, "vboxdrv", "OE");
}

/* A module beyond --collector.modules.max: in the letters (and the omitted count) alone. */
static void letters_of_an_omitted_module(struct taint_snapshot *snap)
{
	taint_letter_set_add(&snap->module_letters, "X");
}

static void one_omitted(struct taint_snapshot *snap)
{
	snap->modules_omitted = 1;
}

static void one_read_error(struct taint_snapshot *snap)
{
	snap->module_read_errors = 1;
}

static void list_not_read_whole(struct taint_snapshot *snap)
{
	snap->module_list_read = false;
}

static void modules_not_collected(struct taint_snapshot *snap)
{
	snap->modules_collected = false;
}

static struct taint_log kernel_log;

static void with_kernel_log(struct taint_snapshot *snap)
{
	snap->log = &kernel_log; /* not compared: never the same */
}

static void out_of_memory(struct taint_snapshot *snap)
{
	snap->modules.failed = true;
}

static const struct same_case {
	const char *name;
	void (*change)(struct taint_snapshot *snap);
	bool same;
} cases[] = {
	{ "nothing changed", no_change, true },
	{ "another value", other_value, false },
	{ "the taint file unreadable", taint_unreadable, false },
	{ "a module's letters, as many of them", letters_of_same_length, false },
	{ "a module's name, as long", name_of_same_length, false },
	{ "one more module", one_more_module, false },
	{ "an omitted module's letters", letters_of_an_omitted_module, false },
	{ "a module omitted", one_omitted, false },
	{ "a module read error", one_read_error, false },
	{ "the module list not read whole", list_not_read_whole, false },
	{ "modules not collected", modules_not_collected, false },
	{ "the kernel log's account", with_kernel_log, false },
	{ "a module list out of memory", out_of_memory, false },
};

static void each_field_counts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct taint_snapshot before = TAINT_SNAPSHOT_INIT, after = TAINT_SNAPSHOT_INIT;
		build(&before);
		build(&after);
		cases[i].change(&after);
		if (snapshot_same(&before, &after) != cases[i].same ||
		    snapshot_same(&after, &before) != cases[i].same)
			fail_msg("%s: expected %s", cases[i].name,
				 cases[i].same ? "same" : "not same");
		after.modules.failed = false; /* so that it is freed */
		snapshot_free(&before);
		snapshot_free(&after);
	}
}

static void empty_snapshots_are_the_same(void **state)
{
	(void)state;
	struct taint_snapshot a = TAINT_SNAPSHOT_INIT, b = TAINT_SNAPSHOT_INIT;
	assert_true(snapshot_same(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_field_counts),
		cmocka_unit_test(empty_snapshots_are_the_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
