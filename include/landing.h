#ifndef TAINT_EXPORTER_LANDING_H
#define TAINT_EXPORTER_LANDING_H

/* The HTML page at "/": what this exporter is, its version, and where the metrics are. */

#include "buffer.h"
#include "collect.h"
#include "taint_table.h"

struct landing_context {
	const char *telemetry_path;
	const char *version;
	const struct taint_layout *layout;
	const struct taint_snapshot *snapshot; /* read for this request */
};

/*
 * landing_render() - append the page to @out. Every value that comes from the command line,
 * procfs or sysfs is HTML-escaped. Returns 0 or -ENOMEM.
 */
int landing_render(const struct landing_context *ctx, struct buffer *out);

/* landing_put_html() - append @s with &, <, >, " and ' escaped. */
void landing_put_html(struct buffer *out, const char *s);

#endif
