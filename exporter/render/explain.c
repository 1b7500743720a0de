#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decode/taint.h"
#include "render/escape.h"
#include "render/explain.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int explain_parse_value(const char *s, uint64_t *value)
{
	unsigned int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return -EINVAL;
	uint64_t v = 0;
	for (; *s; s++) {
		int d = hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			return -ERANGE;
		v = v * base + (unsigned int)d;
	}
	*value = v;
	return 0;
}

static void put_hex(struct buffer *out, uint64_t v)
{
	char hex[2 + 16 + 1];
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)v);
	buffer_puts(out, hex);
}

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

/* ---- text ---- */

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
	put_hex(out, in->value);
	buffer_puts(out, ")\n  string:  \"");
	buffer_puts(out, kernel);
	buffer_puts(out, in->value ? "\"  (as the kernel prints it after \"Tainted:\")\n"
	                           : "\"  (the kernel prints \"Not tainted\")\n");
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
                             const char *sep, bool json, struct buffer *out)
{
	for (const char *l = letters; *l; l++) {
		const char *name = taint_layout_letter(layout, *l)->name;
		if (l != letters)
			buffer_puts(out, sep);
		if (json)
			escape_json_string(out, name);
		else
			buffer_puts(out, name);
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
		buffer_puts(out, snap->module_read_errors == 1
		                     ? " module taint file could not be read)\n"
		                     : " module taint files could not be read)\n");
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
		put_letter_names(in->layout, letters, ", ", false, out);
		buffer_putc(out, '\n');
	}
	text_module_counts(snap, out);
}

static void render_text(const struct explain_input *in, struct buffer *out)
{
	text_summary(in, out);
	text_context(in, out);
	text_bits(in, out);
	text_unknown_bits(in, out);
	text_modules(in, out);
}

/* ---- JSON ---- */

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
		char letter[2] = {entry->letter, '\0'};
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
	put_hex(out, in->value);
	buffer_putc(out, '"');
	json_key(out, "kernel_string");
	escape_json_string(out, kernel);
	json_key(out, "flags");
	escape_json_string(out, letters);
	json_bits(in, out);
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
		put_letter_names(in->layout, letters, ", ", true, out);
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
}

static void render_json(const struct explain_input *in, struct buffer *out)
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
	buffer_puts(out, "\n}\n");
}

int explain_render(const struct explain_input *in, enum explain_format format, struct buffer *out)
{
	if (format == EXPLAIN_JSON)
		render_json(in, out);
	else
		render_text(in, out);
	return buffer_status(out);
}
