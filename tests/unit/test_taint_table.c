/*
 * Specification of the taint bit tables: the invariants every layout keeps, the upstream bits
 * as /work/shared/TAINT.md lists them (Linux include/linux/panic.h, kernel/panic.c), and what
 * each vendor layout changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/taint_table.h"

/* An independent copy of TAINT.md's upstream table: letter and TAINT_ constant, lower-cased. */
static const struct {
	unsigned int bit;
	char letter;
	const char *name;
} upstream_expected[] = {
	{ 0, 'P', "proprietary_module" },
	{ 1, 'F', "forced_module" },
	{ 2, 'S', "cpu_out_of_spec" },
	{ 3, 'R', "forced_rmmod" },
	{ 4, 'M', "machine_check" },
	{ 5, 'B', "bad_page" },
	{ 6, 'U', "user" },
	{ 7, 'D', "die" },
	{ 8, 'A', "overridden_acpi_table" },
	{ 9, 'W', "warn" },
	{ 10, 'C', "crap" },
	{ 11, 'I', "firmware_workaround" },
	{ 12, 'O', "oot_module" },
	{ 13, 'E', "unsigned_module" },
	{ 14, 'L', "softlockup" },
	{ 15, 'K', "livepatch" },
	{ 16, 'X', "aux" },
	{ 17, 'T', "randstruct" },
	{ 18, 'N', "test" },
	{ 19, 'J', "fwctl" },
};

#define UPSTREAM_COUNT (sizeof(upstream_expected) / sizeof(upstream_expected[0]))

static const struct taint_layout *layout(const char *id)
{
	const struct taint_layout *l = taint_layout_find(id);
	if (!l)
		fail_msg("expected a layout with id \"%s\", found none", id);
	return l;
}

static bool is_snake_case(const char *s)
{
	if (!*s || *s == '_')
		return false;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
		if (*p == '_' && (p[1] == '_' || p[1] == '\0'))
			return false;
	}
	return true;
}

static bool is_ascii_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static void layouts_have_unique_ids_upstream_first_and_the_old_ids_still_name_one(void **state)
{
	size_t count = 0;
	const struct taint_layout *all = taint_layout_all(&count);

	assert_true(count > 10);
	assert_string_equal(all[0].id, "upstream");
	for (size_t i = 0; i < count; i++) {
		assert_ptr_equal(taint_layout_find(all[i].id), &all[i]);
		assert_true(all[i].title && all[i].title[0]);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(all[i].id, all[j].id);
	}
	/* --kernel.vendor's values before layouts followed releases: the newest of each line */
	static const char *const old[][2] = { { "rhel6", "rhel6.7" },  { "rhel7", "rhel7.3" },
					      { "rhel8", "rhel8" },    { "rhel9", "rhel9.3" },
					      { "suse", "suse-6.0" },  { "suse15", "suse-5.3" },
					      { "suse12", "suse-4.4" } };
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++)
		assert_string_equal(taint_layout_find(old[i][0])->id, old[i][1]);
}

/*
 * The print table and the bits agree: a column's letter is its bit's, every bit a source
 * names is printed by some column or has no letter ('?'), and a reserved column's bit is
 * one no source names.
 */
static void every_column_prints_its_bits_letter(void **state)
{
	size_t count = 0;
	const struct taint_layout *all = taint_layout_all(&count);

	for (size_t i = 0; i < count; i++) {
		const struct taint_layout *l = &all[i];
		for (size_t c = 0; c < l->column_count; c++) {
			const struct taint_column *col = &l->columns[c];
			const struct taint_bit *b = taint_layout_bit(l, col->bit);
			if (b->letter != col->set)
				fail_msg("%s column %zu (bit %u): prints '%c', the bit's letter is '%c'",
					 l->id, c, col->bit, col->set, b->letter);
			if (col->clear != (col->set == '?' ? '-' : col->bit == 0 ? 'G' : ' '))
				fail_msg("%s column %zu: clear character '%c'", l->id, c,
					 col->clear);
		}
		for (size_t j = 0; j < l->count && l->column_count; j++) {
			bool printed = false;
			for (size_t c = 0; c < l->column_count; c++)
				printed |= l->columns[c].bit == l->bits[j].bit;
			if (!printed && l->bits[j].letter != '?' && !l->columns_follow_release)
				fail_msg("%s bit %u '%c': no column prints it", l->id,
					 l->bits[j].bit, l->bits[j].letter);
		}
	}
}

static void an_unknown_layout_id_is_not_found(void **state)
{
	assert_null(taint_layout_find("redhat"));
	assert_null(taint_layout_find(""));
	assert_null(taint_layout_find("auto")); /* a flag value, not a layout */
}

static void every_layout_has_sorted_unique_bits_below_64(void **state)
{
	size_t count = 0;
	const struct taint_layout *all = taint_layout_all(&count);

	for (size_t i = 0; i < count; i++) {
		const struct taint_layout *l = &all[i];
		assert_true(l->count > 0);
		for (size_t j = 0; j < l->count; j++) {
			if (l->bits[j].bit >= TAINT_MAX_BITS)
				fail_msg("%s: expected bits below %d, got %u", l->id,
					 TAINT_MAX_BITS, l->bits[j].bit);
			if (j > 0 && l->bits[j - 1].bit >= l->bits[j].bit)
				fail_msg("%s: expected bits strictly increasing, got %u then %u",
					 l->id, l->bits[j - 1].bit, l->bits[j].bit);
		}
	}
}

/* Module taint strings are validated as ASCII letters, so every table letter must be one. */
static void every_layout_has_unique_ascii_letters(void **state)
{
	size_t count = 0;
	const struct taint_layout *all = taint_layout_all(&count);

	for (size_t i = 0; i < count; i++) {
		const struct taint_layout *l = &all[i];
		for (size_t j = 0; j < l->count; j++) {
			char c = l->bits[j].letter;
			if (c == '?') /* a bit a source names but its kernel prints nothing for */
				continue;
			if (!is_ascii_letter(c))
				fail_msg("%s bit %u: expected an ASCII letter, got 0x%02x", l->id,
					 l->bits[j].bit, (unsigned char)c);
			for (size_t k = j + 1; k < l->count; k++) {
				if (l->bits[k].letter == c)
					fail_msg("%s: expected unique letters, bits %u and %u are "
						 "both '%c'",
						 l->id, l->bits[j].bit, l->bits[k].bit, c);
			}
		}
	}
}

static void every_layout_has_snake_case_names_and_descriptions(void **state)
{
	size_t count = 0;
	const struct taint_layout *all = taint_layout_all(&count);

	for (size_t i = 0; i < count; i++) {
		const struct taint_layout *l = &all[i];
		for (size_t j = 0; j < l->count; j++) {
			const struct taint_bit *b = &l->bits[j];
			if (!b->name || !is_snake_case(b->name))
				fail_msg("%s bit %u: expected a snake_case name, got \"%s\"", l->id,
					 b->bit, b->name ? b->name : "(null)");
			if (!b->description || !b->description[0])
				fail_msg("%s bit %u: expected a description, got none", l->id,
					 b->bit);
			if (strchr(b->description, '\n'))
				fail_msg("%s bit %u: expected a one-line description", l->id,
					 b->bit);
		}
	}
}

static void upstream_has_exactly_the_twenty_bits_of_taint_md(void **state)
{
	const struct taint_layout *up = layout("upstream");

	assert_int_equal(up->count, UPSTREAM_COUNT);
	for (size_t i = 0; i < UPSTREAM_COUNT; i++) {
		const struct taint_bit *b = taint_layout_bit(up, upstream_expected[i].bit);
		if (!taint_bit_known(b))
			fail_msg("expected upstream bit %u, found none", upstream_expected[i].bit);
		if (b->letter != upstream_expected[i].letter ||
		    strcmp(b->name, upstream_expected[i].name) != 0)
			fail_msg("upstream bit %u: expected %c %s, got %c %s",
				 upstream_expected[i].bit, upstream_expected[i].letter,
				 upstream_expected[i].name, b->letter, b->name);
	}
	for (unsigned int bit = 20; bit < TAINT_MAX_BITS; bit++) {
		if (taint_bit_known(taint_layout_bit(up, bit)))
			fail_msg("expected upstream bit %u to be unknown", bit);
	}
}

/* Asserts that @l has upstream's entry for every bit in [from, to]. */
static void assert_upstream_range(const struct taint_layout *l, unsigned int from, unsigned int to)
{
	for (unsigned int bit = from; bit <= to; bit++) {
		const struct taint_bit *b = taint_layout_bit(l, bit);
		if (!taint_bit_known(b))
			fail_msg("%s: expected upstream bit %u, found none", l->id, bit);
		if (b->letter != upstream_expected[bit].letter ||
		    strcmp(b->name, upstream_expected[bit].name) != 0)
			fail_msg("%s bit %u: expected upstream's %c %s, got %c %s", l->id, bit,
				 upstream_expected[bit].letter, upstream_expected[bit].name,
				 b->letter, b->name);
	}
}

static void assert_bit(const struct taint_layout *l, unsigned int bit, char letter, const char *name)
{
	const struct taint_bit *b = taint_layout_bit(l, bit);
	if (!taint_bit_known(b))
		fail_msg("%s: expected bit %u (%c %s), found none", l->id, bit, letter, name);
	if (b->letter != letter || strcmp(b->name, name) != 0)
		fail_msg("%s bit %u: expected %c %s, got %c %s", l->id, bit, letter, name,
			 b->letter, b->name);
}

static void assert_unknown_bits(const struct taint_layout *l, const unsigned int *bits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (taint_bit_known(taint_layout_bit(l, bits[i])))
			fail_msg("%s: expected bit %u to be unknown, got %s", l->id, bits[i],
				 taint_layout_bit(l, bits[i])->name);
	}
}

/* What every lookup gives for a bit or a letter the layout does not know, and how it is shown. */
static void assert_unknown(const struct taint_bit *b)
{
	assert_ptr_equal(b, &taint_bit_unknown);
	assert_int_equal(b->letter, '?');
	assert_string_equal(b->name, "unknown");
	assert_string_equal(b->description,
			    "Not a bit of this layout (a newer kernel's, or another vendor's)");
}

/*
 * The names each vendor gives its bits (the letters and strings are test_vendor_tables.c's,
 * against the vendors' own tables): what a rule or a dashboard reads in name="".
 */
static void vendor_bits_carry_the_vendors_names(void **state)
{
	assert_upstream_range(layout("rhel8"), 0, 17);
	assert_bit(layout("rhel8"), 27, 'r', "support_removed");
	assert_bit(layout("rhel8"), 29, 't', "tech_preview");
	assert_bit(layout("rhel8"), 30, 'u', "unprivileged_bpf");
	assert_bit(layout("rhel9.3"), 26, 'p', "partner_supported");
	assert_bit(layout("rhel9.3"), 27, 'h', "support_removed");
	assert_bit(layout("rhel9.3"), 31, 'u', "unprivileged_bpf");
	assert_bit(layout("rhel6.3"), 27, 'Z', "bit_by_zombie");
	assert_bit(layout("rhel7.3"), 28, 'H', "hardware_unsupported");
	assert_bit(layout("rhel7.3"), 29, 'T', "tech_preview");
	assert_bit(layout("suse-4.4"), 30, 'N', "no_support");
	assert_bit(layout("suse-4.4"), 31, 'X', "external_support");
	assert_bit(layout("suse-5.3"), 16, 'X', "external_support");
	assert_bit(layout("suse-5.3"), 31, 'N', "no_support");
	assert_bit(layout("suse-6.0"), 31, 'n', "no_support");
	assert_bit(layout("suse-4.12"), 30, '?', "no_support");
	/* A bit no source names is unknown, whatever other layouts call it. */
	static const unsigned int rhel7_unknown[] = { 16, 17, 18, 19, 20, 26, 27, 30, 31, 63 };
	assert_unknown_bits(layout("rhel7.3"), rhel7_unknown,
			    sizeof(rhel7_unknown) / sizeof(rhel7_unknown[0]));
	static const unsigned int rhel9_unknown[] = { 19, 20, 25, 28, 29, 30 };
	assert_unknown_bits(layout("rhel9.3"), rhel9_unknown,
			    sizeof(rhel9_unknown) / sizeof(rhel9_unknown[0]));
	assert_unknown(taint_layout_letter(layout("rhel9.3"), 'J'));
	static const unsigned int ambiguous[] = { 16, 18, 30, 31 };
	assert_unknown_bits(layout("suse-ambiguous"), ambiguous,
			    sizeof(ambiguous) / sizeof(ambiguous[0]));
	assert_int_equal(taint_layout_letter(layout("suse-5.3"), 'N')->bit, 31); /* not TEST */
}

static void seed_values_decode_on_rhel7_as_hardware_unsupported_and_tech_preview(void **state)
{
	const struct taint_layout *l = layout("rhel7");

	/* 268435456 = 1 << 28, 536870912 = 1 << 29 */
	assert_string_equal(taint_layout_bit(l, 28)->name, "hardware_unsupported");
	assert_string_equal(taint_layout_bit(l, 29)->name, "tech_preview");
	assert_unknown(taint_layout_bit(layout("upstream"), 28));
	assert_unknown(taint_layout_bit(layout("upstream"), 29));
}

static void lookup_by_letter_finds_each_bit_of_every_layout(void **state)
{
	size_t count = 0;
	const struct taint_layout *all = taint_layout_all(&count);

	for (size_t i = 0; i < count; i++) {
		for (size_t j = 0; j < all[i].count; j++) {
			const struct taint_bit *b = &all[i].bits[j];
			if (b->letter != '?' && taint_layout_letter(&all[i], b->letter) != b)
				fail_msg("%s: expected letter '%c' to find bit %u", all[i].id,
					 b->letter, b->bit);
			if (taint_layout_bit(&all[i], b->bit) != b)
				fail_msg("%s: expected bit %u to find its own entry", all[i].id,
					 b->bit);
		}
	}
}

static void lookup_by_letter_is_case_sensitive_and_knows_no_g(void **state)
{
	const struct taint_layout *up = layout("upstream");

	assert_int_equal(taint_layout_letter(up, 'P')->bit, 0);
	assert_int_equal(taint_layout_letter(up, 'J')->bit, 19);
	/* G is how the kernel prints bit 0 clear: not a taint letter. */
	assert_unknown(taint_layout_letter(up, 'G'));
	assert_unknown(taint_layout_letter(up, 'p'));
	assert_unknown(taint_layout_letter(up, '?'));
	assert_unknown(taint_layout_letter(up, '\0'));
	/* The same letter means different bits in different layouts. */
	assert_int_equal(taint_layout_letter(layout("rhel7"), 'T')->bit, 29);
	assert_int_equal(taint_layout_letter(up, 'T')->bit, 17);
	assert_int_equal(taint_layout_letter(layout("suse"), 'n')->bit, 31);
	assert_unknown(taint_layout_letter(up, 'n'));
}

static void lookup_by_bit_beyond_64_finds_nothing(void **state)
{
	assert_int_equal(taint_bit_unknown.bit, TAINT_MAX_BITS);
	assert_unknown(taint_layout_bit(layout("upstream"), 64));
	assert_unknown(taint_layout_bit(layout("suse"), 1000));
}

static void for_each_set_bit_visits_the_set_bits_lowest_first(void **state)
{
	static const struct {
		uint64_t value;
		unsigned int bits[4], count;
	} cases[] = {
		{ 0, { 0 }, 0 },
		{ 1, { 0 }, 1 },
		{ 4097 + 8192, { 0, 12, 13 }, 3 },
		{ UINT64_C(1) << 63, { 63 }, 1 },
		{ (UINT64_C(1) << 63) | (UINT64_C(1) << 40) | 2, { 1, 40, 63 }, 3 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int seen = 0;
		taint_for_each_set_bit(bit, cases[i].value) {
			if (seen >= cases[i].count || bit != cases[i].bits[seen])
				fail_msg("value %#llx: step %u gave bit %u, expected %s",
					 (unsigned long long)cases[i].value, seen, bit,
					 seen >= cases[i].count ? "the end" : "another bit");
			seen++;
		}
		if (seen != cases[i].count)
			fail_msg("value %#llx: expected %u bits, got %u",
				 (unsigned long long)cases[i].value, cases[i].count, seen);
	}
	unsigned int all = 0;
	taint_for_each_set_bit(bit, UINT64_MAX)
		all++;
	assert_int_equal(all, TAINT_MAX_BITS);
}

static void layout_mask_has_one_bit_per_entry(void **state)
{
	size_t count = 0;
	const struct taint_layout *all = taint_layout_all(&count);

	assert_int_equal(taint_layout_mask(layout("upstream")), (UINT64_C(1) << 20) - 1);
	for (size_t i = 0; i < count; i++) {
		uint64_t mask = taint_layout_mask(&all[i]);
		assert_int_equal(__builtin_popcountll(mask), all[i].count);
		for (unsigned int bit = 0; bit < TAINT_MAX_BITS; bit++) {
			if (((mask >> bit) & 1) != taint_bit_known(taint_layout_bit(&all[i], bit)))
				fail_msg("%s: bit %u: the mask and the lookup disagree", all[i].id,
					 bit);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			layouts_have_unique_ids_upstream_first_and_the_old_ids_still_name_one),
		cmocka_unit_test(every_column_prints_its_bits_letter),
		cmocka_unit_test(an_unknown_layout_id_is_not_found),
		cmocka_unit_test(every_layout_has_sorted_unique_bits_below_64),
		cmocka_unit_test(every_layout_has_unique_ascii_letters),
		cmocka_unit_test(every_layout_has_snake_case_names_and_descriptions),
		cmocka_unit_test(upstream_has_exactly_the_twenty_bits_of_taint_md),
		cmocka_unit_test(for_each_set_bit_visits_the_set_bits_lowest_first),
		cmocka_unit_test(layout_mask_has_one_bit_per_entry),
		cmocka_unit_test(vendor_bits_carry_the_vendors_names),
		cmocka_unit_test(
			seed_values_decode_on_rhel7_as_hardware_unsupported_and_tech_preview),
		cmocka_unit_test(lookup_by_letter_finds_each_bit_of_every_layout),
		cmocka_unit_test(lookup_by_letter_is_case_sensitive_and_knows_no_g),
		cmocka_unit_test(lookup_by_bit_beyond_64_finds_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
