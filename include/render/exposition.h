#ifndef TAINT_EXPORTER_EXPOSITION_H
#define TAINT_EXPORTER_EXPOSITION_H

/*
 * The format layer: a taint snapshot into Prometheus text (0.0.4) or OpenMetrics 1.0 text.
 * Everything that does not change between scrapes (HELP and TYPE lines, every bit's label set,
 * the build info) is rendered once by exposition_init(); a scrape only appends values.
 */

#include <stddef.h>
#include <stdint.h>

#include "buffer.h"
#include "decode/taint_table.h"
#include "snapshot.h"

enum exposition_format { EXPOSITION_TEXT, EXPOSITION_OPENMETRICS };

#define EXPOSITION_CONTENT_TYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define EXPOSITION_CONTENT_TYPE_OPENMETRICS \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct build_labels {
	const char *version;
	const char *revision;
	const char *compiler;
};

struct exposition {
	const struct taint_layout *layout;
	struct buffer text; /* every precomputed piece, addressed by the offsets below */
	uint64_t known_bits; /* the layout's: taint_layout_mask() */
	size_t flag_off[TAINT_MAX_BITS], flag_len[TAINT_MAX_BITS]; /* labels; len 0: bit unknown */
	size_t letter_off[128], letter_len[128]; /* module series tail per letter; 0: unknown */
	size_t tail_off, tail_len; /* layout info and build info families */
};

/*
 * exposition_init() - precompute everything that is the same for every scrape.
 * @e: filled; release with exposition_free().
 * @layout: the active bit table (kept by pointer; tables are static).
 * @build: the values of taint_exporter_build_info (copied).
 * Returns 0 or -ENOMEM.
 */
int exposition_init(struct exposition *e, const struct taint_layout *layout,
		    const struct build_labels *build);

/* exposition_free() - release what exposition_init() allocated. */
void exposition_free(struct exposition *e);

/*
 * exposition_render() - append the exposition of @snap to @out in @format.
 * Returns 0 or -ENOMEM (then @out holds a partial exposition and must not be served).
 */
int exposition_render(const struct exposition *e, const struct taint_snapshot *snap,
		      enum exposition_format format, struct buffer *out);

#endif
