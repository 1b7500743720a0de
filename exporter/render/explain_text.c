#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decode/attribution.h"
#include "decode/taint.h"
#include "render/escape.h"
#include "render/explain_text.h"
#include "render/kernel_log.h"

static void put_spaces(struct buffer *out, size_t n)
{
	while (n--)
		buffer_putc(out, ' ');
}

/* Appends @v right-aligned in @width columns. */
static void put_u64_right(struct buffer *out, uint64_t v, size_t width)
{
	char digits[21];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	if ((size_t)n < width)
		put_spaces(out, width - (size_t)n);
	buffer_puts(out, digits);
}

static size_t name_width(const struct taint_layout *layout, uint64_t value)
{
	size_t width = strlen("name");
	taint_for_each_set_bit(bit, value) {
		size_t len = strlen(taint_layout_bit(layout, bit)->name);
		if (len > width)
			width = len;
	}
	return width;
}

static void text_summary(const struct explain_input *in, struct buffer *out)
{
	if (in->error) {
		buffer_puts(out, "Cannot tell whether the kernel is tainted: ");
		buffer_puts(out, in->source);
		buffer_puts(out, ": ");
		buffer_puts(out, taint_parse_error(in->error));
		buffer_puts(out, ".\n\n");
		return;
	}
	buffer_puts(out,
		    in->value ? "The kernel is tainted.\n\n" : "The kernel is not tainted.\n\n");

	char kernel[TAINT_KERNEL_STRING_COLUMNS + 1];
	char letters[TAINT_MAX_BITS + 1];
	taint_kernel_string(in->layout, in->value, in->string_columns, kernel);
	taint_compact_letters(in->layout, in->value, letters);
	buffer_puts(out, "  value:   ");
	buffer_put_u64(out, in->value);
	buffer_puts(out, " (");
	buffer_put_hex(out, in->value);
	if (in->layout->column_count == 0) {
		buffer_puts(out, ")\n  string:  (not known: no source gives this kernel's table)\n");
	} else {
		buffer_puts(out, ")\n  string:  \"");
		buffer_puts(out, kernel);
		buffer_puts(out, in->value ? "\"  (as the kernel prints it after \"Tainted:\")\n" :
					     "\"  (the kernel prints \"Not tainted\")\n");
	}
	buffer_puts(out, "  flags:   ");
	buffer_puts(out, in->value ? letters : "(none)");
	buffer_putc(out, '\n');
}

static void text_context(const struct explain_input *in, struct buffer *out)
{
	buffer_puts(out, "  layout:  ");
	buffer_puts(out, in->layout->id);
	buffer_puts(out, " (");
	buffer_puts(out, in->layout->title);
	buffer_putc(out, ')');
	if (in->layout_reason) {
		buffer_puts(out, ", from ");
		buffer_puts(out, in->layout_reason);
	}
	buffer_puts(out, "\n  source:  ");
	buffer_puts(out, in->source);
	buffer_putc(out, '\n');
}

static void text_bits(const struct explain_input *in, struct buffer *out)
{
	if (in->error || in->value == 0)
		return;
	size_t width = name_width(in->layout, in->value);
	buffer_puts(out, "\nSet flags:\n  bit  flag  name");
	put_spaces(out, width - strlen("name"));
	buffer_puts(out, "  description\n");
	taint_for_each_set_bit(bit, in->value) {
		const struct taint_bit *entry = taint_layout_bit(in->layout, bit);
		buffer_puts(out, "  ");
		put_u64_right(out, bit, 3);
		buffer_puts(out, "  ");
		buffer_putc(out, entry->letter);
		buffer_puts(out, "     ");
		buffer_puts(out, entry->name);
		put_spaces(out, width - strlen(entry->name));
		buffer_puts(out, "  ");
		buffer_puts(out, entry->description);
		buffer_putc(out, '\n');
	}
}

static void text_unknown_bits(const struct explain_input *in, struct buffer *out)
{
	if (in->error)
		return;
	const char *sep = "";
	taint_for_each_set_bit(bit, in->value & ~taint_layout_mask(in->layout)) {
		if (!*sep) {
			buffer_puts(out, "\nBits the ");
			buffer_puts(out, in->layout->id);
			buffer_puts(out, " layout does not know: ");
		}
		buffer_puts(out, sep);
		buffer_put_u64(out, bit);
		sep = ", ";
	}
	if (*sep)
		buffer_putc(out, '\n');
}

/* The names of a module's letters, comma separated; unknown letters read "unknown". */
static void put_letter_names(const struct taint_layout *layout, const char *letters,
			     struct buffer *out)
{
	for (const char *l = letters; *l; l++) {
		if (l != letters)
			buffer_puts(out, ", ");
		buffer_puts(out, taint_layout_letter(layout, *l)->name);
	}
}

static void text_module_counts(const struct taint_snapshot *snap, struct buffer *out)
{
	if (snap->modules_omitted) {
		buffer_puts(out, "  ... and ");
		buffer_put_u64(out, snap->modules_omitted);
		buffer_puts(out, " more, not listed because of --collector.modules.max\n");
	}
	if (snap->module_read_errors) {
		buffer_puts(out, "  (");
		buffer_put_u64(out, snap->module_read_errors);
		buffer_puts(out, snap->module_read_errors == 1 ?
					 " line of the module list could not be used)\n" :
					 " lines of the module list could not be used)\n");
	}
}

/* The set flags a module can carry that no loaded module carries (attribution.h). */
static void text_unattributed(const struct explain_input *in, struct buffer *out)
{
	const struct taint_snapshot *snap = in->snapshot;
	if (in->error)
		return; /* no value to attribute */
	if (!snapshot_attribution_known(snap)) {
		if (taint_module_bits(in->layout, in->value))
			buffer_puts(out,
				    "\nWhether a loaded module explains each module flag: unknown "
				    "(the module list could not be read whole)\n");
		return;
	}
	uint64_t unattributed = snap->unattributed;
	if (!unattributed)
		return;
	buffer_puts(out, "\nNot explained by a loaded module (" TAINT_UNATTRIBUTED_WHY "):\n");
	taint_for_each_set_bit(bit, unattributed) {
		const struct taint_bit *entry = taint_layout_bit(in->layout, bit);
		if (taint_bit_known(entry)) {
			buffer_puts(out, "  ");
			buffer_putc(out, entry->letter);
			buffer_puts(out, " is set but no loaded module carries it (");
			buffer_puts(out, entry->name);
			buffer_puts(out, ")\n");
		} else {
			buffer_puts(out, "  bit ");
			buffer_put_u64(out, bit);
			buffer_puts(out, " is set and this layout does not know it, but no loaded "
					 "module carries a letter this layout does not know\n");
		}
	}
}

static void text_modules(const struct explain_input *in, struct buffer *out)
{
	const struct taint_snapshot *snap = in->snapshot;
	if (!snap)
		return;
	if (!snap->modules_collected) {
		buffer_puts(out, "\nTainted modules: not read (--no-collector.modules)\n");
		return;
	}
	const char *name, *letters;
	size_t cursor = 0, width = strlen("module");
	while (snapshot_next_module(snap, &cursor, &name, &letters)) {
		if (escape_text_len(name) > width)
			width = escape_text_len(name);
	}
	if (snap->module_count == 0 && !snap->module_list_read)
		buffer_puts(out, "\nTainted modules: unknown (the module list could not be read)\n");
	else if (snap->module_count == 0)
		buffer_puts(out, "\nTainted modules: none\n");
	else {
		buffer_puts(out, "\nTainted modules:\n  module");
		put_spaces(out, width - strlen("module"));
		buffer_puts(out, "  flags  names\n");
	}
	for (cursor = 0; snapshot_next_module(snap, &cursor, &name, &letters);) {
		buffer_puts(out, "  ");
		escape_text(out, name);
		put_spaces(out, width - escape_text_len(name) + 2);
		buffer_puts(out, letters); /* validated by the reader: ASCII letters */
		put_spaces(out, strlen(letters) < 5 ? 5 - strlen(letters) + 2 : 2);
		put_letter_names(in->layout, letters, out);
		buffer_putc(out, '\n');
	}
	text_module_counts(snap, out);
	text_unattributed(in, out);
}

/* Under each set flag, the kernel log's first record of it (--collector.kmsg). */
static void text_kernel_log(const struct explain_input *in, struct buffer *out)
{
	const struct taint_snapshot *snap = in->snapshot;
	if (!snap || !snap->log || in->error)
		return;
	if (snap->log->error) {
		buffer_puts(out, "\nThe kernel log: not read (");
		buffer_puts(out, kernel_log_why_off(snap->log));
		buffer_puts(out, ")\n");
		return;
	}
	if (!in->value)
		return;
	buffer_puts(out, "\nThe kernel log's first record of each flag:\n");
	taint_for_each_set_bit(bit, in->value & taint_layout_mask(in->layout)) {
		const struct taint_bit *entry = taint_layout_bit(in->layout, bit);
		const struct taint_log_entry *logged = kernel_log_entry(snap->log, in->layout, bit);
		char when[40];
		buffer_puts(out, "  ");
		buffer_putc(out, entry->letter);
		if (!logged) {
			buffer_puts(out, "  " KERNEL_LOG_GONE "\n");
			continue;
		}
		kernel_log_time(logged->time_usec, when, sizeof(when));
		buffer_puts(out, "  ");
		buffer_puts(out, when);
		buffer_puts(out, "  ");
		buffer_puts(out, logged->line); /* printable ASCII (taint_log.h) */
		buffer_putc(out, '\n');
	}
}

void explain_text_render(const struct explain_input *in, struct buffer *out)
{
	text_summary(in, out);
	text_context(in, out);
	text_bits(in, out);
	text_unknown_bits(in, out);
	text_modules(in, out);
	text_kernel_log(in, out);
}
