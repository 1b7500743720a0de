/*
 * Which set taint flags no loaded module explains (decode/attribution.h), and the table
 * column it rests on: which flags a module can carry, as the kernel's taint_flags[] says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/attribution.h"
#include "decode/taint_table.h"
#include "snapshot.h" /* the letter set */

#define BIT(n) (UINT64_C(1) << (n))

/* kernel/panic.c taint_flags[]: the entries whose last field (module) is true. */
static void upstream_module_flags_are_the_kernels(void **state)
{
	const struct taint_layout *up = taint_layout_find("upstream");
	char letters[TAINT_MAX_BITS + 1];
	size_t n = 0;
	for (size_t i = 0; i < up->count; i++) {
		if (up->bits[i].module)
			letters[n++] = up->bits[i].letter;
	}
	letters[n] = '\0';
	assert_string_equal(letters, "PFCOEKXTNJ");
}

static void vendor_module_flags(void **state)
{
	/* SUSE's supported-flag patch sets both on the module (external and unsupported). */
	const struct taint_layout *suse = taint_layout_find("suse");
	assert_true(taint_layout_bit(suse, 16)->module);
	assert_true(taint_layout_bit(suse, 31)->module);
	/* Red Hat: tech preview can be a module's (mark_tech_preview(msg, mod)); hardware not. */
	const struct taint_layout *rhel7 = taint_layout_find("rhel7");
	assert_true(taint_layout_bit(rhel7, 29)->module);
	assert_false(taint_layout_bit(rhel7, 28)->module);
	assert_false(taint_layout_bit(taint_layout_find("rhel9"), 31)->module);
}

static void module_bits_are_set_module_flags_and_unknown_bits(void **state)
{
	const struct taint_layout *up = taint_layout_find("upstream");
	/* P, W (not a module's), O, and bit 40 (unknown) */
	uint64_t value = BIT(0) | BIT(9) | BIT(12) | BIT(40);
	assert_int_equal(taint_module_bits(up, value), BIT(0) | BIT(12) | BIT(40));
	assert_int_equal(taint_module_bits(up, 0), 0);
	assert_int_equal(taint_module_bits(up, BIT(9) | BIT(7) | BIT(4)), 0); /* W D M */
}

static void a_flag_no_module_carries_is_unattributed(void **state)
{
	const struct taint_layout *up = taint_layout_find("upstream");
	uint64_t value = BIT(0) | BIT(12) | BIT(13); /* P O E */
	struct taint_letter_set carried = TAINT_LETTER_SET_INIT;
	assert_int_equal(taint_unattributed(up, value, &carried), value); /* none loaded */
	taint_letter_set_add(&carried, "OE");
	assert_int_equal(taint_unattributed(up, value, &carried), BIT(0));
	taint_letter_set_add(&carried, "P");
	assert_int_equal(taint_unattributed(up, value, &carried), 0);
	/* a module's letter that the kernel does not show set changes nothing */
	taint_letter_set_add(&carried, "C");
	assert_int_equal(taint_unattributed(up, value, &carried), 0);
}

static void an_unknown_bit_is_explained_only_by_an_unknown_letter(void **state)
{
	const struct taint_layout *up = taint_layout_find("upstream");
	uint64_t value = BIT(25) | BIT(12);
	struct taint_letter_set carried = TAINT_LETTER_SET_INIT;
	taint_letter_set_add(&carried, "O");
	assert_int_equal(taint_unattributed(up, value, &carried), BIT(25));
	taint_letter_set_add(&carried, "Q"); /* no upstream flag: a newer kernel's, maybe bit 25 */
	assert_int_equal(taint_unattributed(up, value, &carried), 0);
}

static void the_letter_set_keeps_ascii_letters(void **state)
{
	struct taint_letter_set s = TAINT_LETTER_SET_INIT;
	taint_letter_set_add(&s, "Pn\x7f\xc3\xa9");
	assert_true(taint_letter_set_has(&s, 'P'));
	assert_true(taint_letter_set_has(&s, 'n'));
	assert_true(taint_letter_set_has(&s, '\x7f'));
	assert_false(taint_letter_set_has(&s, 'p'));
	assert_false(taint_letter_set_has(&s, 'N'));
	assert_false(taint_letter_set_has(&s, (char)0xc3)); /* not ASCII: never a letter */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(upstream_module_flags_are_the_kernels),
		cmocka_unit_test(vendor_module_flags),
		cmocka_unit_test(module_bits_are_set_module_flags_and_unknown_bits),
		cmocka_unit_test(a_flag_no_module_carries_is_unattributed),
		cmocka_unit_test(an_unknown_bit_is_explained_only_by_an_unknown_letter),
		cmocka_unit_test(the_letter_set_keeps_ascii_letters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
