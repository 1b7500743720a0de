#include <stddef.h>
#include <string.h>

#include "decode/taint_table.h"
#include "util.h"

/* Lookups in the tables of decode/taint_table.c. */

/* clang-format off */
/*
 * The names --kernel.vendor took before layouts followed releases: each is the newest table
 * of its line, so that a unit or a script written for them still starts.
 */
static const struct {
	const char *alias, *id;
} aliases[] = {
	{"rhel6", "rhel6.7"}, {"rhel7", "rhel7.3"}, {"rhel9", "rhel9.3"}, {"suse", "suse-6.0"},
	{"suse15", "suse-5.3"}, {"suse12", "suse-4.4"},
};
/* clang-format on */

const struct taint_bit taint_bit_unknown = {
	TAINT_MAX_BITS, '?',
	"unknown",	"Not a bit of this layout (a newer kernel's, or another vendor's)",
	true, /* it may be a module flag of a newer kernel: attribution.h */
};

const struct taint_layout *taint_layout_all(size_t *count)
{
	*count = taint_layout_count;
	return taint_layouts;
}

const struct taint_layout *taint_layout_find(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
		if (strcmp(aliases[i].alias, id) == 0)
			id = aliases[i].id;
	}
	for (size_t i = 0; i < taint_layout_count; i++) {
		if (strcmp(taint_layouts[i].id, id) == 0)
			return &taint_layouts[i];
	}
	return NULL;
}

const struct taint_bit *taint_layout_bit(const struct taint_layout *layout, unsigned int bit)
{
	for (size_t i = 0; i < layout->count; i++) {
		if (layout->bits[i].bit == bit)
			return &layout->bits[i];
	}
	return &taint_bit_unknown;
}

const struct taint_bit *taint_layout_letter(const struct taint_layout *layout, char letter)
{
	for (size_t i = 0; letter != '?' && i < layout->count; i++) {
		if (layout->bits[i].letter == letter)
			return &layout->bits[i];
	}
	return &taint_bit_unknown;
}

uint64_t taint_layout_mask(const struct taint_layout *layout)
{
	uint64_t mask = 0;
	for (size_t i = 0; i < layout->count; i++)
		mask |= UINT64_C(1) << layout->bits[i].bit;
	return mask;
}
