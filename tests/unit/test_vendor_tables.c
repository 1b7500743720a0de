/*
 * Every layout against its kernel's own print table (tests/unit/vendor_tables/, copied from
 * each vendor's tree with its source): a model of that kernel's print_tainted() prints the
 * table, and the exporter must print the same string and name the same letters, for every
 * single bit, every pair of bits and 10,000 seeded random values per table, with the layout
 * it picks for a release of that kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "decode/taint.h"
#include "decode/vendor.h"
#include "vendor_tables/vendor_table.h"

static const struct vendor_table *const tables[] = {
	&vendor_rhel6_0,	 &vendor_rhel6_1,	  &vendor_rhel6_3,
	&vendor_rhel6_10,	 &vendor_rhel7_0,	  &vendor_rhel7_3,
	&vendor_rhel7_9,	 &vendor_rhel8,		  &vendor_rhel9_0,
	&vendor_rhel9_2,	 &vendor_rhel9_3,	  &vendor_suse_2_6_32,
	&vendor_suse_3_0,	 &vendor_suse_3_12,	  &vendor_suse_4_4,
	&vendor_suse_4_12,	 &vendor_suse_5_3,	  &vendor_suse_6_4,
	&vendor_suse_6_12,	 &vendor_upstream_2_6_32, &vendor_upstream_2_6_35,
	&vendor_upstream_3_2,	 &vendor_upstream_3_15,	  &vendor_upstream_3_17,
	&vendor_upstream_4_0,	 &vendor_upstream_4_10,	  &vendor_upstream_4_15,
	&vendor_upstream_4_17,	 &vendor_upstream_6_0,	  &vendor_upstream_7_1,
	&vendor_upstream_2_6_34, &vendor_upstream_3_14,	  &vendor_upstream_3_16,
	&vendor_upstream_3_19,	 &vendor_upstream_4_14,	  &vendor_upstream_4_16,
	&vendor_upstream_5_19,	 &vendor_upstream_6_14,
};

static bool test_bit(unsigned int bit, uint64_t mask)
{
	return bit < 64 && (mask >> bit) & 1;
}

/*
 * The kernel's loop: tnts[] row by row, testing each row's bit; taint_flags[] index by index.
 * A row with no character writes a NUL, which ends the string there (what 4.12's SUSE table
 * and RHEL 7.7's rows 30 and 31 do), unless the kernel skips such rows (SUSE's fix).
 */
static void model_print_tainted(const struct vendor_table *t, uint64_t mask, char *buf)
{
	char *s = buf;
	for (size_t i = 0; i < t->tnt_count; i++) {
		const struct tnt *r = &t->tnts[i];
		*s++ = test_bit(r->bit, mask) ? r->c_true : r->c_false;
	}
	for (size_t i = 0; i < t->flag_count; i++) {
		const struct taint_flag *f = &t->flags[i];
		if (t->skip_empty && !f->c_true)
			continue;
		*s++ = test_bit((unsigned int)i, mask) ? f->c_true : f->c_false;
	}
	*s = 0;
}

/* The character the kernel prints for @bit when set, 0 when its table has no row for it. */
static char model_letter(const struct vendor_table *t, unsigned int bit)
{
	for (size_t i = 0; i < t->tnt_count; i++) {
		if (t->tnts[i].bit == bit)
			return t->tnts[i].c_true;
	}
	return bit < t->flag_count ? t->flags[bit].c_true : 0;
}

/* The layout the exporter picks for the table's release, as --kernel.vendor=auto does. */
static const struct taint_layout *picked(const struct vendor_table *t)
{
	const char *reason = NULL;
	const struct taint_layout *l = t->suse ? vendor_suse_generation(t->osrelease, &reason) :
						 vendor_from_osrelease(t->osrelease, &reason);
	if (!l)
		l = taint_layout_find("upstream");
	if (strcmp(l->id, t->layout) != 0)
		fail_msg("%s: the exporter picks layout %s, not %s", t->osrelease, l->id, t->layout);
	return l;
}

static void compare(const struct vendor_table *t, const struct taint_layout *l, uint64_t value)
{
	char expected[80], got[TAINT_KERNEL_STRING_COLUMNS + 1];
	model_print_tainted(t, value, expected);
	taint_kernel_string(l, value, taint_string_columns(l, t->osrelease), got);
	if (strcmp(expected, got) != 0)
		fail_msg("%s (%s), value %#llx: the kernel prints \"%s\", the exporter \"%s\"",
			 t->osrelease, t->source, (unsigned long long)value, expected, got);
	taint_for_each_set_bit(bit, value) {
		char kernel = model_letter(t, bit);
		/*
		 * The upstream layout names every upstream flag whatever the release: a bit an older
		 * release's table lacks is one that kernel never sets (a write to the file aside).
		 */
		if (!kernel && l->columns_follow_release)
			continue;
		char want = kernel ? kernel : '?', have = taint_layout_bit(l, bit)->letter;
		if (want != have)
			fail_msg("%s (%s), bit %u: the kernel's letter is '%c', the exporter's '%c'",
				 t->osrelease, t->source, bit, want, have);
	}
}

static uint64_t next_random(uint64_t *state) /* xorshift64*, seeded: the same values each run */
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * UINT64_C(2685821657736338717);
}

static void every_table_prints_as_its_kernel_prints_it(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		const struct vendor_table *t = tables[i];
		const struct taint_layout *l = picked(t);
		for (unsigned int a = 0; a < 64; a++) {
			compare(t, l, UINT64_C(1) << a);
			for (unsigned int b = a + 1; b < 64; b++)
				compare(t, l, (UINT64_C(1) << a) | (UINT64_C(1) << b));
		}
		uint64_t seed = 0x7461696e74 + i; /* "taint" */
		for (int n = 0; n < 10000; n++) {
			uint64_t v = next_random(&seed);
			/* as dense as random, or a few bits: vendors' values are mostly sparse */
			if (n % 2)
				v &= next_random(&seed) & next_random(&seed);
			compare(t, l, v ? v : 1);
		}
	}
}

/* A release whose table no source gives prints no string rather than one of our making. */
static void a_release_without_a_table_prints_no_string(void **state)
{
	(void)state;
	const char *reason = NULL;
	const struct taint_layout *l = vendor_from_osrelease("3.10.0-327.el7.x86_64", &reason);
	assert_string_equal(l->id, "rhel7.2");
	assert_int_equal(taint_string_columns(l, "3.10.0-327.el7.x86_64"), 0);
	char s[TAINT_KERNEL_STRING_COLUMNS + 1];
	taint_kernel_string(l, 1, 0, s);
	assert_string_equal(s, "");
	l = vendor_suse_generation("5.0.1-1-default", &reason);
	assert_string_equal(l->id, "suse-ambiguous");
	assert_int_equal(taint_string_columns(l, "5.0.1-1-default"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_table_prints_as_its_kernel_prints_it),
		cmocka_unit_test(a_release_without_a_table_prints_no_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
