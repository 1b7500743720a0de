#include <stdint.h>

#include "decode/attribution.h"
#include "decode/taint.h"
#include "render/escape.h"
#include "render/kernel_log.h"
#include "render/landing.h"

/*
 * Everything the page needs is inline: no script, no font, no stylesheet from elsewhere, so
 * it renders the same on an air-gapped host and leaks nothing to third parties.
 */
static const char style[] =
	"<style>\n"
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;margin:2em auto;"
	"max-width:64em;padding:0 1em;color:#1f2328;background:#fff}\n"
	"h1{font-size:1.6em;margin-bottom:.2em}\n"
	"h2{font-size:1.15em;margin-top:1.6em}\n"
	".state{padding:.7em 1em;border-radius:6px;font-weight:600;font-size:1.1em}\n"
	".ok{background:#dafbe1;border:1px solid #4ac26b}\n"
	".tainted{background:#fff8c5;border:1px solid #d4a72c}\n"
	".error{background:#ffebe9;border:1px solid #ff8182}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{text-align:left;padding:.35em .8em;border-bottom:1px solid #d0d7de;"
	"vertical-align:top}\n"
	"th{background:#f6f8fa}\n"
	"td.num,th.num{text-align:right;width:3em}\n"
	"td.letter,td.letters{font-family:ui-monospace,monospace;font-weight:600}\n"
	"code{font-family:ui-monospace,monospace;background:#f6f8fa;padding:.1em .3em;"
	"border-radius:4px}\n"
	"code.kernel{white-space:pre;border:1px solid #d0d7de}\n"
	"#kernel-log li{line-height:1.7}\n"
	"dl{display:grid;grid-template-columns:max-content auto;gap:.3em 1.2em}\n"
	"dt{font-weight:600}\n"
	"dd{margin:0}\n"
	"nav{margin-top:2em;padding-top:.8em;border-top:1px solid #d0d7de}\n"
	"nav a{margin-right:1.2em}\n"
	"</style>\n";

static void put_cell(struct buffer *out, const char *class, const char *text)
{
	buffer_puts(out, class ? "<td class=\"" : "<td>");
	if (class) {
		buffer_puts(out, class);
		buffer_puts(out, "\">");
	}
	escape_html(out, text);
	buffer_puts(out, "</td>");
}

static void put_state(const struct landing_context *ctx, struct buffer *out)
{
	const struct taint_snapshot *snap = ctx->snapshot;
	char letters[TAINT_MAX_BITS + 1];

	if (snap->taint_error) {
		buffer_puts(out, "<p id=\"state\" class=\"state error\">Cannot read the taint file "
				 "<code>" TAINT_PROCFS_PATH "</code>: ");
		escape_html(out, taint_parse_error(snap->taint_error));
		buffer_puts(out, ". Whether the kernel is tainted is unknown.</p>\n");
		return;
	}
	if (snap->value == 0) {
		buffer_puts(out,
			    "<p id=\"state\" class=\"state ok\">The kernel is not tainted.</p>\n");
		return;
	}
	taint_compact_letters(ctx->layout, snap->value, letters);
	buffer_puts(out, "<p id=\"state\" class=\"state tainted\">The kernel is tainted: <code>");
	escape_html(out, letters);
	buffer_puts(out, "</code>.</p>\n"); /* the raw value is in the details, once */
}

static void put_flags(const struct landing_context *ctx, struct buffer *out)
{
	const struct taint_snapshot *snap = ctx->snapshot;
	if (snap->taint_error)
		return;
	buffer_puts(out, "<h2>Set taint flags</h2>\n");
	if (snap->value == 0) {
		buffer_puts(out, "<p id=\"no-flags\">No taint flag is set.</p>\n");
		return;
	}
	buffer_puts(out, "<table id=\"flags\">\n<thead><tr><th "
			 "class=\"num\">bit</th><th>letter</th><th>name</th>"
			 "<th>description</th></tr></thead>\n<tbody>\n");
	taint_for_each_set_bit(bit, snap->value) {
		const struct taint_bit *entry = taint_layout_bit(ctx->layout, bit);
		char letter[2] = { entry->letter, '\0' };
		buffer_puts(out, "<tr><td class=\"num\">");
		buffer_put_u64(out, bit);
		buffer_puts(out, "</td>");
		put_cell(out, "letter", letter);
		put_cell(out, NULL, entry->name);
		put_cell(out, NULL, entry->description);
		buffer_puts(out, "</tr>\n");
	}
	buffer_puts(out, "</tbody>\n</table>\n");
}

static void put_module_row(const struct landing_context *ctx, const char *name, const char *letters,
			   struct buffer *out)
{
	buffer_puts(out, "<tr>");
	put_cell(out, "module", name);
	put_cell(out, "letters", letters);
	buffer_puts(out, "<td>");
	for (const char *l = letters; *l; l++) {
		if (l != letters)
			buffer_puts(out, ", ");
		escape_html(out, taint_layout_letter(ctx->layout, *l)->name);
	}
	buffer_puts(out, "</td></tr>\n");
}

static void put_module_counts(const struct taint_snapshot *snap, struct buffer *out)
{
	if (snap->modules_omitted) {
		buffer_puts(out, "<p id=\"modules-omitted\">");
		buffer_put_u64(out, snap->modules_omitted);
		buffer_puts(out, " more tainted modules are not listed "
				 "(<code>--collector.modules.max</code>).</p>\n");
	}
	if (snap->module_read_errors) {
		buffer_puts(out, "<p id=\"module-errors\">");
		buffer_put_u64(out, snap->module_read_errors);
		buffer_puts(out, snap->module_read_errors == 1 ?
					 " line of the module list could not be used.</p>\n" :
					 " lines of the module list could not be used.</p>\n");
	}
}

static void put_modules(const struct landing_context *ctx, struct buffer *out)
{
	const struct taint_snapshot *snap = ctx->snapshot;
	const char *name, *letters;

	buffer_puts(out, "<h2>Tainted modules</h2>\n");
	if (!snap->modules_collected) {
		buffer_puts(out, "<p id=\"no-modules\">Module taint is not collected "
				 "(<code>--no-collector.modules</code>).</p>\n");
		return;
	}
	if (snap->module_count == 0 && !snap->module_list_read) {
		buffer_puts(out, "<p id=\"no-modules\">The module list could not be read: which "
				 "modules are tainted is unknown.</p>\n");
	} else if (snap->module_count == 0) {
		buffer_puts(out, "<p id=\"no-modules\">No loaded module is tainted.</p>\n");
	} else {
		buffer_puts(out,
			    "<table id=\"modules\">\n<thead><tr><th>module</th><th>letters</th>"
			    "<th>flags</th></tr></thead>\n<tbody>\n");
		for (size_t cursor = 0; snapshot_next_module(snap, &cursor, &name, &letters);)
			put_module_row(ctx, name, letters, out);
		buffer_puts(out, "</tbody>\n</table>\n");
	}
	put_module_counts(snap, out);
}

/* The set module flags that no loaded module carries (attribution.h), one item each. */
static void put_unattributed(const struct landing_context *ctx, struct buffer *out)
{
	const struct taint_snapshot *snap = ctx->snapshot;
	if (!snapshot_attribution_known(snap))
		return;
	uint64_t unattributed = snap->unattributed;
	if (!unattributed)
		return;
	buffer_puts(out, "<h2>Not explained by a loaded module</h2>\n<ul id=\"unattributed\">\n");
	taint_for_each_set_bit(bit, unattributed) {
		const struct taint_bit *entry = taint_layout_bit(ctx->layout, bit);
		buffer_puts(out, "<li><code>");
		if (taint_bit_known(entry)) {
			buffer_putc(out, entry->letter);
			buffer_puts(out, "</code> (");
			escape_html(out, entry->name);
			buffer_puts(out, ") is set but no loaded module carries it: ");
		} else {
			buffer_puts(out, "bit ");
			buffer_put_u64(out, bit);
			buffer_puts(out,
				    "</code> is set, this layout does not know it, and no loaded "
				    "module carries a letter this layout does not know: ");
		}
		buffer_puts(out, TAINT_UNATTRIBUTED_WHY ".</li>\n");
	}
	buffer_puts(out, "</ul>\n");
}

/* "@label<code>@value</code>", when @value is not empty. */
static void put_log_detail(struct buffer *out, const char *label, const char *value)
{
	if (!value[0])
		return;
	buffer_puts(out, label);
	buffer_puts(out, "<code>");
	escape_html(out, value);
	buffer_puts(out, "</code>");
}

/*
 * The kernel log's first record of each set flag (--collector.kmsg), one item each: its time,
 * its kind, the module and the location it names, and the line itself when asked.
 */
static void put_kernel_log(const struct landing_context *ctx, struct buffer *out)
{
	const struct taint_snapshot *snap = ctx->snapshot;
	if (!snap->log || snap->taint_error)
		return;
	buffer_puts(out, "<h2>The kernel log</h2>\n");
	if (snap->log->error) {
		buffer_puts(out, "<p id=\"kernel-log-off\">Not read: ");
		escape_html(out, kernel_log_why_off(snap->log));
		buffer_puts(out, ".</p>\n");
		return;
	}
	buffer_puts(out, "<ul id=\"kernel-log\">\n");
	taint_for_each_set_bit(bit, snap->value & taint_layout_mask(ctx->layout)) {
		const struct taint_bit *entry = taint_layout_bit(ctx->layout, bit);
		const struct taint_log_entry *logged =
			kernel_log_entry(snap->log, ctx->layout, bit);
		char when[40];
		buffer_puts(out, "<li data-flag=\"");
		buffer_putc(out, entry->letter);
		buffer_puts(out, "\"><code>");
		buffer_putc(out, entry->letter);
		buffer_puts(out, "</code> ");
		if (!logged) {
			buffer_puts(out, KERNEL_LOG_GONE "</li>\n");
			continue;
		}
		kernel_log_time(logged->time_usec, when, sizeof(when));
		buffer_puts(out, "<time>");
		buffer_puts(out, when);
		buffer_puts(out, "</time> ");
		escape_html(out, logged->kind);
		put_log_detail(out, ", module ", logged->module);
		put_log_detail(out, ", at ", logged->location);
		/*
		 * The line itself can hold kernel addresses (an oops's "address: ffff..."), which
		 * kernel.dmesg_restrict hides from users, and this page has no auth by default:
		 * shown only when the operator asks (--web.landing-page.kernel-log-lines).
		 */
		if (ctx->kernel_log_lines) {
			buffer_puts(out, " <code class=\"log-line\">");
			escape_html(out, logged->line);
			buffer_puts(out, "</code>");
		}
		buffer_puts(out, "</li>\n");
	}
	buffer_puts(out, "</ul>\n");
}

static void put_details(const struct landing_context *ctx, struct buffer *out)
{
	const struct taint_snapshot *snap = ctx->snapshot;
	char kernel[TAINT_KERNEL_STRING_COLUMNS + 1];

	buffer_puts(out, "<h2>Details</h2>\n<dl>\n");
	if (!snap->taint_error) {
		taint_kernel_string(ctx->layout, snap->value, ctx->string_columns, kernel);
		buffer_puts(out,
			    "<dt>Kernel string</dt><dd><code class=\"kernel\" id=\"kernel-string\">");
		escape_html(out, !snap->value ? "Not tainted" :
				 ctx->layout->column_count == 0 ?
						"(not known for this kernel release)" :
						kernel);
		buffer_puts(out, "</code></dd>\n<dt>Raw value</dt><dd id=\"raw-value\">");
		buffer_put_u64(out, snap->value);
		buffer_puts(out, "</dd>\n");
	}
	buffer_puts(out, "<dt>Layout</dt><dd id=\"layout\">");
	escape_html(out, ctx->layout->id);
	buffer_puts(out, " (");
	escape_html(out, ctx->layout->title);
	buffer_puts(out, ")</dd>\n<dt>Exporter version</dt><dd id=\"version\">");
	escape_html(out, ctx->version);
	buffer_puts(out, "</dd>\n</dl>\n");
}

static void put_attr(struct buffer *out, const char *name, const char *value)
{
	buffer_putc(out, ' ');
	buffer_puts(out, name);
	buffer_puts(out, "=\"");
	escape_html(out, value);
	buffer_putc(out, '"');
}

static void put_link(const struct landing_link *link, struct buffer *out)
{
	buffer_puts(out, "<a");
	if (link->id)
		put_attr(out, "id", link->id);
	put_attr(out, "href", link->path);
	buffer_putc(out, '>');
	escape_html(out, link->label);
	buffer_puts(out, "</a>");
}

int landing_render(const struct landing_context *ctx, struct buffer *out)
{
	const struct taint_snapshot *snap = ctx->snapshot;
	const char *title = snap->taint_error ? "unknown" : snap->value ? "tainted" : "not tainted";

	buffer_puts(out,
		    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>taint_exporter: ");
	buffer_puts(out, title);
	buffer_puts(out, "</title>\n");
	buffer_puts(out, style);
	buffer_puts(out, "</head>\n<body>\n<h1>taint_exporter</h1>\n"
			 "<p>Prometheus exporter for the Linux kernel taint state.</p>\n");
	put_state(ctx, out);
	put_flags(ctx, out);
	put_modules(ctx, out);
	put_unattributed(ctx, out);
	put_kernel_log(ctx, out);
	put_details(ctx, out);
	buffer_puts(out, "<nav>");
	for (size_t i = 0; i < ctx->link_count; i++)
		put_link(&ctx->links[i], out);
	buffer_puts(out, "</nav>\n</body>\n</html>\n");
	return buffer_status(out);
}
