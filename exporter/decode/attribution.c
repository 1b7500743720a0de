#include "decode/attribution.h"

uint64_t taint_module_bits(const struct taint_layout *layout, uint64_t value)
{
	uint64_t bits = 0;
	taint_for_each_set_bit(bit, value) {
		if (taint_layout_bit(layout, bit)->module)
			bits |= UINT64_C(1) << bit;
	}
	return bits;
}

/* Whether a module carries a letter that @layout does not know. */
static bool carries_unknown_letter(const struct taint_layout *layout,
				   const struct taint_letter_set *carried)
{
	for (unsigned char l = 1; l < 128; l++) {
		if (taint_letter_set_has(carried, (char)l) &&
		    !taint_bit_known(taint_layout_letter(layout, (char)l)))
			return true;
	}
	return false;
}

uint64_t taint_unattributed(const struct taint_layout *layout, uint64_t value,
			    const struct taint_letter_set *carried)
{
	uint64_t unattributed = 0;
	taint_for_each_set_bit(bit, taint_module_bits(layout, value)) {
		const struct taint_bit *entry = taint_layout_bit(layout, bit);
		bool explained = taint_bit_known(entry) ?
					 taint_letter_set_has(carried, entry->letter) :
					 carries_unknown_letter(layout, carried);
		if (!explained)
			unattributed |= UINT64_C(1) << bit;
	}
	return unattributed;
}
