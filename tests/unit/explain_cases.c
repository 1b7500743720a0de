/* The runner of the explain case tables, and the live snapshots both tables show. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "decode/attribution.h"
#include "decode/taint.h"
#include "explain_cases.h"
#include "snapshot.h"

const struct snapshot_spec nvidia_vboxdrv = {
	.modules = { { "nvidia", "POE" }, { "vboxdrv", "OE" } },
	.collected = true,
};

const struct snapshot_spec hostile_and_counted = {
	/* A module name with an escape sequence and a quote; Q is no upstream letter. */
	.modules = { { "evil\x1b[31m\"x", "OQ" } },
	.collected = true,
	.omitted = 2,
	.read_errors = 1,
};

const struct snapshot_spec no_modules = { .collected = true };

/* Explains O and E, not P. */
const struct snapshot_spec vboxdrv_only = {
	.modules = { { "vboxdrv", "OE" } },
	.collected = true,
};

static void fill_snapshot(const struct snapshot_spec *spec, struct taint_snapshot *snap)
{
	for (size_t i = 0; i < 4 && spec->modules[i][0]; i++)
		snapshot_add_module(snap, spec->modules[i][0], spec->modules[i][1], SIZE_MAX);
	snap->modules_collected = spec->collected;
	snap->modules_omitted = spec->omitted;
	snap->module_read_errors = spec->read_errors;
	snap->module_list_read = spec->collected && !spec->list_unread;
}

void explain_cases_check(const struct explain_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct explain_case *c = &cases[i];
		struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
		struct buffer out = BUFFER_INIT;
		struct explain_input in = {
			.layout = taint_layout_find(c->layout),
			.string_columns = TAINT_KERNEL_STRING_COLUMNS,
			.layout_reason = c->reason,
			.source = c->source,
			.error = c->error,
			.value = c->value,
		};
		if (c->live) {
			fill_snapshot(c->live, &snap);
			snap.taint_error = c->error;
			snap.value = c->value;
			/* What scrape() works out; the renderers only print it. */
			if (snapshot_attribution_known(&snap))
				snap.unattributed = taint_unattributed(in.layout, snap.value,
								       &snap.module_letters);
			in.snapshot = &snap;
		}
		print_message("case: %s\n", c->name);
		assert_int_equal(explain_render(&in, c->format, &out), 0);
		assert_string_equal(buffer_cstr(&out), c->expected);
		buffer_free(&out);
		snapshot_free(&snap);
	}
}
