#ifndef TAINT_EXPORTER_TAINT_TABLE_H
#define TAINT_EXPORTER_TAINT_TABLE_H

/*
 * The taint bit tables: the one place that knows what each bit means, for upstream Linux and
 * for each vendor layout. Metrics, explain output, the landing page and the alert rules'
 * severity table are all generated from (or checked against) these arrays.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A taint value is an unsigned long; 64 bits on every platform we decode for. */
#define TAINT_MAX_BITS 64

struct taint_bit {
	unsigned int bit;
	char letter; /* as the kernel prints it when the bit is set */
	const char *name; /* snake_case, for the name="" label */
	const char *description; /* one line, for people */
	bool module; /* a module can carry it, in /proc/modules: the kernel's taint_flags[].module */
};

/*
 * One column of the string a kernel's print_tainted() prints after "Tainted:": a row of its
 * tnts[] or taint_flags[], in the order printed. Old tables name the bit of each row, and may
 * skip bits; newer ones are indexed by bit.
 */
struct taint_column {
	unsigned char bit; /* the bit the row tests */
	char set; /* printed when the bit is set ('?' for a row the vendor reserves) */
	char clear; /* printed when it is clear (' ', 'G' for bit 0, '-' for a reserved row) */
};

struct taint_layout {
	const char *id; /* --kernel.vendor value: "upstream", "rhel7.3", ... */
	const char *title; /* for people: "Red Hat Enterprise Linux 7.3 to 7.9" */
	const struct taint_bit *bits; /* the bits a source names, sorted by bit, no duplicates */
	size_t count;
	/* The kernel's print table, row for row; NULL (0 rows) when no source gave it. */
	const struct taint_column *columns;
	size_t column_count;
	/*
	 * Whether the string is the first taint_string_columns() rows of @columns, as upstream
	 * kernels print one row per flag their release knows; vendor tables print every row.
	 */
	bool columns_follow_release;
};

/*
 * The layouts, upstream first (decode/taint_table.c, data only); read them through the
 * functions below (decode/taint_layout.c).
 */
extern const struct taint_layout taint_layouts[];
extern const size_t taint_layout_count;

/*
 * taint_bit_unknown - how a set bit, or a module's letter, that the active layout does not
 * know is shown (metrics, explain, landing page): letter '?', name "unknown". Its bit is
 * TAINT_MAX_BITS, which no layout has: take the bit's number from the loop, not from it.
 */
extern const struct taint_bit taint_bit_unknown;

/* taint_bit_known() - whether @entry is a layout's own entry rather than taint_bit_unknown. */
static inline bool taint_bit_known(const struct taint_bit *entry)
{
	return entry != &taint_bit_unknown;
}

/*
 * taint_layout_find() - the layout whose id is @id, or NULL. The ids of the releases before
 * layouts followed releases ("rhel7", "rhel9", "suse", "suse15", "suse12", "rhel6") name the
 * newest layout of their line.
 */
const struct taint_layout *taint_layout_find(const char *id);

/*
 * taint_layout_all() - every layout, an array of them, upstream first; @count receives how
 * many.
 */
const struct taint_layout *taint_layout_all(size_t *count);

/*
 * taint_layout_bit() - the entry for bit @bit in @layout, or &taint_bit_unknown when the
 * layout does not know that bit. Never NULL; the entry is static.
 */
const struct taint_bit *taint_layout_bit(const struct taint_layout *layout, unsigned int bit);

/*
 * taint_layout_letter() - the entry whose letter is @letter, or &taint_bit_unknown. Never
 * NULL. Letters are unique within a layout (checked by the unit tests); '?', the letter of a
 * bit a source names but its kernel prints nothing for, finds nothing.
 */
const struct taint_bit *taint_layout_letter(const struct taint_layout *layout, char letter);

/* taint_layout_mask() - the bits that @layout knows, one bit set per entry. */
uint64_t taint_layout_mask(const struct taint_layout *layout);

/*
 * taint_next_set_bit() - the lowest bit set in @value at or above *@bit: stores its number in
 * *@bit and returns true, or returns false when there is none. The step of
 * taint_for_each_set_bit().
 */
static inline bool taint_next_set_bit(uint64_t value, unsigned int *bit)
{
	if (*bit >= TAINT_MAX_BITS)
		return false;
	uint64_t rest = value >> *bit;
	if (rest == 0)
		return false;
	*bit += (unsigned int)__builtin_ctzll(rest);
	return true;
}

/*
 * taint_for_each_set_bit() - loop over the bits set in @value, lowest first. @bit names an
 * unsigned int that the macro declares, the bit's number in the body; @value is evaluated at
 * each step, so it must have no side effects.
 *
 *   taint_for_each_set_bit(bit, value)
 *           puts(taint_layout_bit(layout, bit)->name);
 */
#define taint_for_each_set_bit(bit, value) \
	for (unsigned int bit = 0; taint_next_set_bit((value), &bit); bit++)

#endif
