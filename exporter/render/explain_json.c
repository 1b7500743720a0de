#include <stdio.h>

#include "decode/attribution.h"
#include "decode/taint.h"
#include "render/escape.h"
#include "render/explain_json.h"
#include "render/kernel_log.h"

static void json_key(struct buffer *out, const char *key)
{
	buffer_puts(out, ",\n  \"");
	buffer_puts(out, key);
	buffer_puts(out, "\": ");
}

static void json_bits(const struct explain_input *in, struct buffer *out)
{
	const char *sep = "\n    ";
	json_key(out, "bits");
	buffer_putc(out, '[');
	taint_for_each_set_bit(bit, in->value) {
		const struct taint_bit *entry = taint_layout_bit(in->layout, bit);
		char letter[2] = { entry->letter, '\0' };
		buffer_puts(out, sep);
		buffer_puts(out, "{\"bit\": ");
		buffer_put_u64(out, bit);
		buffer_puts(out, ", \"flag\": ");
		escape_json_string(out, letter);
		buffer_puts(out, ", \"name\": ");
		escape_json_string(out, entry->name);
		buffer_puts(out, ", \"known\": ");
		buffer_puts(out, taint_bit_known(entry) ? "true" : "false");
		buffer_puts(out, ", \"description\": ");
		escape_json_string(out, entry->description);
		buffer_putc(out, '}');
		sep = ",\n    ";
	}
	buffer_puts(out, *sep == '\n' ? "]" : "\n  ]");

	json_key(out, "unknown_bits");
	buffer_putc(out, '[');
	sep = "";
	taint_for_each_set_bit(bit, in->value & ~taint_layout_mask(in->layout)) {
		buffer_puts(out, sep);
		buffer_put_u64(out, bit);
		sep = ", ";
	}
	buffer_putc(out, ']');
}

static void json_value(const struct explain_input *in, struct buffer *out)
{
	if (in->error) {
		json_key(out, "tainted");
		buffer_puts(out, "null");
		json_key(out, "error");
		escape_json_string(out, taint_parse_error(in->error));
		return;
	}
	char kernel[TAINT_KERNEL_STRING_COLUMNS + 1];
	char letters[TAINT_MAX_BITS + 1];
	taint_kernel_string(in->layout, in->value, in->string_columns, kernel);
	taint_compact_letters(in->layout, in->value, letters);

	json_key(out, "tainted");
	buffer_puts(out, in->value ? "true" : "false");
	/* A JSON number: exact for parsers with 64-bit integers; "hex" is exact for all. */
	json_key(out, "value");
	buffer_put_u64(out, in->value);
	json_key(out, "hex");
	buffer_putc(out, '"');
	buffer_put_hex(out, in->value);
	buffer_putc(out, '"');
	json_key(out, "kernel_string");
	if (in->layout->column_count == 0)
		buffer_puts(out, "null"); /* no source gives this kernel's table */
	else
		escape_json_string(out, kernel);
	json_key(out, "flags");
	escape_json_string(out, letters);
	json_bits(in, out);
}

/*
 * The set flags a module can carry that no loaded module carries (attribution.h); null when
 * the module list could not be read whole.
 */
static void json_unattributed(const struct explain_input *in, struct buffer *out)
{
	const struct taint_snapshot *snap = in->snapshot;
	json_key(out, "unattributed");
	if (!snapshot_attribution_known(snap)) {
		buffer_puts(out, "null");
		return;
	}
	const char *sep = "\n    ";
	buffer_putc(out, '[');
	taint_for_each_set_bit(bit, snap->unattributed) {
		const struct taint_bit *entry = taint_layout_bit(in->layout, bit);
		buffer_puts(out, sep);
		buffer_puts(out, "{\"bit\": ");
		buffer_put_u64(out, bit);
		buffer_puts(out, ", \"flag\": ");
		escape_json_string(out, (char[]){ entry->letter, '\0' });
		buffer_puts(out, ", \"name\": ");
		escape_json_string(out, entry->name);
		buffer_puts(out, "}");
		sep = ",\n    ";
	}
	buffer_puts(out, *sep == '\n' ? "]" : "\n  ]");
}

static void json_modules(const struct explain_input *in, struct buffer *out)
{
	const struct taint_snapshot *snap = in->snapshot;
	if (!snap || !snap->modules_collected)
		return;
	const char *name, *letters, *sep = "\n    ";
	json_key(out, "modules");
	buffer_putc(out, '[');
	for (size_t cursor = 0; snapshot_next_module(snap, &cursor, &name, &letters);) {
		buffer_puts(out, sep);
		buffer_puts(out, "{\"module\": ");
		escape_json_string(out, name);
		buffer_puts(out, ", \"flags\": ");
		escape_json_string(out, letters);
		buffer_puts(out, ", \"names\": [");
		for (const char *l = letters; *l; l++) {
			buffer_puts(out, l == letters ? "" : ", ");
			escape_json_string(out, taint_layout_letter(in->layout, *l)->name);
		}
		buffer_puts(out, "]}");
		sep = ",\n    ";
	}
	buffer_puts(out, *sep == '\n' ? "]" : "\n  ]");
	json_key(out, "modules_omitted");
	buffer_put_u64(out, snap->modules_omitted);
	json_key(out, "module_read_errors");
	buffer_put_u64(out, snap->module_read_errors);
	json_key(out, "module_list_read");
	buffer_puts(out, snap->module_list_read ? "true" : "false");
	json_unattributed(in, out);
}

static void json_logged(const struct taint_log_entry *logged, struct buffer *out)
{
	char when[40];
	buffer_puts(out, ", \"logged\": true, \"time\": ");
	kernel_log_seconds(logged->time_usec, when, sizeof(when));
	buffer_puts(out, when);
	kernel_log_time(logged->time_usec, when, sizeof(when));
	buffer_puts(out, ", \"time_text\": ");
	escape_json_string(out, when);
	buffer_puts(out, ", \"line\": ");
	escape_json_string(out, logged->line);
	buffer_puts(out, ", \"module\": ");
	escape_json_string(out, logged->module);
	buffer_puts(out, ", \"location\": ");
	escape_json_string(out, logged->location);
}

/* "kernel_log": the log's first record of each set flag (--collector.kmsg only). */
static void json_kernel_log(const struct explain_input *in, struct buffer *out)
{
	const struct taint_snapshot *snap = in->snapshot;
	if (!snap || !snap->log || in->error)
		return;
	json_key(out, "kernel_log");
	if (snap->log->error) {
		buffer_puts(out, "{\"read\": false, \"error\": ");
		escape_json_string(out, kernel_log_why_off(snap->log));
		buffer_puts(out, "}");
		return;
	}
	buffer_puts(out, "{\"read\": true, \"records_lost\": ");
	buffer_put_u64(out, snap->log->lost);
	buffer_puts(out, ", \"flags\": [");
	const char *sep = "\n    ";
	taint_for_each_set_bit(bit, in->value & taint_layout_mask(in->layout)) {
		const struct taint_bit *entry = taint_layout_bit(in->layout, bit);
		const struct taint_log_entry *logged = kernel_log_entry(snap->log, in->layout, bit);
		buffer_puts(out, sep);
		buffer_puts(out, "{\"bit\": ");
		buffer_put_u64(out, bit);
		buffer_puts(out, ", \"flag\": ");
		escape_json_string(out, (char[]){ entry->letter, '\0' });
		if (logged)
			json_logged(logged, out);
		else
			buffer_puts(out, ", \"logged\": false");
		buffer_puts(out, "}");
		sep = ",\n    ";
	}
	buffer_puts(out, *sep == '\n' ? "]}" : "\n  ]}");
}

void explain_json_render(const struct explain_input *in, struct buffer *out)
{
	buffer_puts(out, "{\n  \"source\": ");
	escape_json_string(out, in->source);
	json_key(out, "layout");
	escape_json_string(out, in->layout->id);
	if (in->layout_reason) {
		json_key(out, "layout_reason");
		escape_json_string(out, in->layout_reason);
	}
	json_value(in, out);
	json_modules(in, out);
	json_kernel_log(in, out);
	buffer_puts(out, "\n}\n");
}
