#ifndef TAINT_EXPORTER_TAINT_TABLE_H
#define TAINT_EXPORTER_TAINT_TABLE_H

/*
 * The taint bit tables: the one place that knows what each bit means, for upstream Linux and
 * for each vendor layout. Metrics, explain output, the landing page and the alert rules'
 * severity table are all generated from (or checked against) these arrays.
 */

#include <stdbool.h>
#include <stddef.h>

/* How a set bit that the active layout does not know is shown (metrics, explain, landing page). */
#define TAINT_UNKNOWN_LETTER '?'
#define TAINT_UNKNOWN_NAME "unknown"
#define TAINT_UNKNOWN_DESCRIPTION "Not a bit of this layout (a newer kernel's, or another vendor's)"

/* A taint value is an unsigned long; 64 bits on every platform we decode for. */
#define TAINT_MAX_BITS 64

struct taint_bit {
	unsigned int bit;
	char letter;             /* as the kernel prints it when the bit is set */
	const char *name;        /* snake_case, for the name="" label */
	const char *description; /* one line, for people */
};

struct taint_layout {
	const char *id;          /* --kernel.vendor value: "upstream", "rhel7", ... */
	const char *title;       /* for people: "Red Hat Enterprise Linux 7" */
	const struct taint_bit *bits; /* sorted by bit, no duplicates */
	size_t count;
	/*
	 * Whether the width of the kernel's "Tainted:" string follows the upstream release
	 * (taint_string_columns()); vendor kernels print tables of their own, not confirmed.
	 */
	bool columns_follow_release;
};

/*
 * taint_layout_find() - the layout whose id is @id, or NULL.
 */
const struct taint_layout *taint_layout_find(const char *id);

/*
 * taint_layout_all() - every layout, upstream first; @count receives how many.
 */
const struct taint_layout *const *taint_layout_all(size_t *count);

/*
 * taint_layout_bit() - the entry for bit @bit in @layout, or NULL when the layout does not
 * know that bit.
 */
const struct taint_bit *taint_layout_bit(const struct taint_layout *layout, unsigned int bit);

/*
 * taint_layout_letter() - the entry whose letter is @letter, or NULL. Letters are unique
 * within a layout (checked by the unit tests).
 */
const struct taint_bit *taint_layout_letter(const struct taint_layout *layout, char letter);

#endif
