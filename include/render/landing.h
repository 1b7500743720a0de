#ifndef TAINT_EXPORTER_LANDING_H
#define TAINT_EXPORTER_LANDING_H

/*
 * The HTML page at "/": the taint state read for this request in words (tainted or not, the
 * set flags, the tainted modules, the kernel's string), the layout, the exporter's version and
 * links to the metrics and health endpoints. Plain HTML with inline CSS: no script, nothing
 * loaded from elsewhere.
 */

#include "buffer.h"
#include "decode/taint_table.h"
#include "snapshot.h"

/* A link of the page's navigation: the server's route table gives them (serve/routes). */
struct landing_link {
	const char *path;
	const char *label;
	const char *id; /* the element's id, for scripts and tests; NULL: none */
};

struct landing_context {
	const struct landing_link *links; /* in the order shown */
	size_t link_count;
	const char *version;
	const struct taint_layout *layout;
	unsigned int string_columns; /* of the kernel's "Tainted:" string: taint_string_columns() */
	const struct taint_snapshot *snapshot; /* read for this request */
	bool kernel_log_lines; /* --web.landing-page.kernel-log-lines: show the records' lines */
};

/*
 * landing_render() - append the page for @ctx to @out. Every value that comes from the command
 * line, procfs, sysfs or the bit tables is HTML-escaped. An unreadable taint file is shown as
 * such. Returns 0 or -ENOMEM.
 */
int landing_render(const struct landing_context *ctx, struct buffer *out);

#endif
