/*
 * exposition_render() on arbitrary snapshots, in both formats and every layout. The input
 * gives the taint value, whether it could be read, the layout, the format, the counters and
 * module records (name NUL letters NUL ...); module names are any bytes, as a hostile module
 * could be named, and letters are kept only when the collector would keep them.
 *
 * The output must be well-formed line by line: every line a comment of ours or one of our
 * series, so that no module name can inject a line; OpenMetrics ends in exactly one # EOF.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/attribution.h"
#include "decode/module.h"
#include "render/exposition.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct reader *r, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && r->left; i++, r->left--)
		v = (v << 8) | *r->p++;
	return v;
}

/* The next NUL-terminated string, or NULL at the end of the input. Copied into @out. */
static const char *take_string(struct reader *r, char *out, size_t max)
{
	if (!r->left)
		return NULL;
	size_t n = 0;
	while (r->left && *r->p != '\0') {
		if (n < max)
			out[n++] = (char)*r->p;
		r->p++;
		r->left--;
	}
	if (r->left) { /* the NUL */
		r->p++;
		r->left--;
	}
	out[n] = '\0';
	return out;
}

static int line_is_ours(const char *line, size_t len)
{
	static const char *const starts[] = { "# HELP ", "# TYPE ", "# EOF", "kernel_",
					      "taint_exporter_" };
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		size_t n = strlen(starts[i]);
		if (len >= n && memcmp(line, starts[i], n) == 0)
			return 1;
	}
	return 0;
}

static void check_output(const struct buffer *out, enum exposition_format format,
			 size_t module_lines)
{
	const char *text = out->data;
	size_t len = out->len;
	if (len == 0 || text[len - 1] != '\n')
		abort();
	size_t eofs = 0, series = 0;
	for (size_t start = 0; start < len;) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t line_len = (size_t)(nl - (text + start));
		if (!line_is_ours(text + start, line_len))
			abort(); /* a line we did not write: injection through a label value */
		if (line_len == 5 && memcmp(text + start, "# EOF", 5) == 0)
			eofs++;
		if (line_len > 25 && memcmp(text + start, "kernel_module_taint_flag{", 25) == 0)
			series++;
		start += line_len + 1;
	}
	if (series != module_lines)
		abort();
	if (format == EXPOSITION_OPENMETRICS) {
		if (eofs != 1 || len < 6 || memcmp(text + len - 6, "# EOF\n", 6) != 0)
			abort();
	} else if (eofs != 0) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size };
	size_t layout_count;
	const struct taint_layout *layouts = taint_layout_all(&layout_count);

	uint64_t control = take(&r, 1);
	const struct taint_layout *layout = &layouts[(control >> 2) % layout_count];
	enum exposition_format format = (control & 1) ? EXPOSITION_OPENMETRICS : EXPOSITION_TEXT;

	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	snap.taint_error = (control & 2) ? -22 : 0;
	snap.value = take(&r, 8);
	snap.modules_collected = control & 0x80;
	snap.modules_omitted = take(&r, 2);
	snap.module_read_errors = take(&r, 2);

	size_t module_lines = 0;
	char name[MODULE_NAME_MAX + 1], letters[TAINT_MAX_BITS + 2];
	while (take_string(&r, name, MODULE_NAME_MAX) &&
	       take_string(&r, letters, TAINT_MAX_BITS + 1)) {
		size_t n = strlen(letters);
		if (name[0] == '\0' || n == 0 || !module_letters_valid(letters, n))
			continue;
		snapshot_add_module(&snap, name, letters, SIZE_MAX);
		module_lines += n;
	}
	if (!snap.modules_collected)
		module_lines = 0;
	/* The list read whole or not; when it was, the unattributed flags as scrape() has them. */
	snap.module_list_read = snap.modules_collected && (control & 0x40);
	if (snapshot_attribution_known(&snap))
		snap.unattributed = taint_unattributed(layout, snap.value, &snap.module_letters);

	struct build_labels build = { "0.0.0-fuzz", "a\"b\\c\nd", "clang" };
	struct exposition e;
	if (exposition_init(&e, layout, &build) < 0)
		abort();
	struct buffer out = BUFFER_INIT;
	if (exposition_render(&e, &snap, format, &out) < 0)
		abort(); /* only allocation failure may fail, and ASan's allocator does not */
	check_output(&out, format, module_lines);
	buffer_free(&out);
	exposition_free(&e);
	snapshot_free(&snap);
	return 0;
}
