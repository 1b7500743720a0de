/* Specification of the taint value parser and the kernel's taint string. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/taint.h"

static void parses_the_kernel_format_decimal_and_newline(void **state)
{
	uint64_t v = 0;
	assert_int_equal(taint_parse("4609\n", 5, &v), 0);
	assert_int_equal(v, 4609);
}

static void parses_zero_as_untainted(void **state)
{
	uint64_t v = 1;
	assert_int_equal(taint_parse("0\n", 2, &v), 0);
	assert_int_equal(v, 0);
}

static void accepts_a_value_without_trailing_newline(void **state)
{
	uint64_t v = 0;
	assert_int_equal(taint_parse("12288", 5, &v), 0);
	assert_int_equal(v, 12288);
}

static void accepts_the_largest_64_bit_value(void **state)
{
	uint64_t v = 0;
	const char *s = "18446744073709551615\n";
	assert_int_equal(taint_parse(s, strlen(s), &v), 0);
	assert_true(v == UINT64_MAX);
}

static void refuses_a_value_above_64_bits(void **state)
{
	uint64_t v = 7;
	const char *s = "18446744073709551616\n";
	assert_int_equal(taint_parse(s, strlen(s), &v), -ERANGE);
	assert_int_equal(v, 7); /* untouched on failure */
}

/* Found by tests/fuzz/fuzz_taint_parse: overflow used to be reported before the garbage. */
static void calls_garbage_after_many_digits_not_a_number_rather_than_too_large(void **state)
{
	uint64_t v = 7;
	const char *s = "555222522555222522522522222u2\n";
	assert_int_equal(taint_parse(s, strlen(s), &v), -EINVAL);
	assert_int_equal(v, 7);
}

static void refuses_an_empty_or_blank_file(void **state)
{
	uint64_t v = 0;
	assert_int_equal(taint_parse("", 0, &v), -ENODATA);
	assert_int_equal(taint_parse("\n", 1, &v), -ENODATA);
}

static void refuses_signs_garbage_and_embedded_space(void **state)
{
	static const char *const bad[] = { "-1\n",  "+1\n",   "abc\n", "12a\n",
					   "1 2\n", "0x10\n", " 1\n",  "1.5\n" };
	uint64_t v = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("input %s", bad[i]);
		assert_int_equal(taint_parse(bad[i], strlen(bad[i]), &v), -EINVAL);
	}
}

static void kernel_string_matches_what_the_kernel_prints(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	char s[TAINT_KERNEL_STRING_COLUMNS + 1];

	taint_kernel_string(upstream, 4609, TAINT_KERNEL_STRING_COLUMNS, s);
	assert_string_equal(s, "P        W  O       ");
	taint_kernel_string(upstream, 12288, TAINT_KERNEL_STRING_COLUMNS, s);
	assert_string_equal(s, "G           OE      ");
	taint_kernel_string(upstream, 0, TAINT_KERNEL_STRING_COLUMNS, s);
	assert_string_equal(s, "G                   ");
}

/* Linux 6.1 prints 19 columns: the kernel test bed read this off Debian's 6.1 kernel. */
static void kernel_string_of_linux_6_1_has_19_columns(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	char s[TAINT_KERNEL_STRING_COLUMNS + 1];

	unsigned int columns = taint_string_columns(upstream, "6.1.0-57-amd64\n");
	assert_int_equal(columns, 19);
	taint_kernel_string(upstream, 1 + 512 + 4096 + 8192, columns, s);
	assert_string_equal(s, "P        W  OE     ");
}

static void string_columns_follow_the_upstream_release(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	static const struct {
		const char *release;
		unsigned int columns;
	} cases[] = {
		{ "6.18.44-fc-v669", 20 },
		{ "6.15.0", 20 },
		{ "6.14.11-300.fc42.x86_64", 19 },
		{ "6.12.57+deb13-amd64", 19 },
		{ "6.1.0-57-amd64", 19 },
		{ "6.0.0", 19 },
		{ "5.19.17", 18 },
		{ "5.10.0-35-amd64", 18 },
		{ "4.19.0-27-amd64", 18 },
		{ "4.17.0", 18 },
		{ "4.16.13", 17 },
		{ "4.15.0-213-generic", 17 },
		{ "4.14.67", 16 },
		{ "4.13.0", 16 },
		{ "4.12.14", 16 },
		{ "4.4.0-210-generic", 16 },
		{ "4.0.9", 16 },
		{ "3.19.8", 15 },
		{ "3.17.0", 15 },
		{ "3.16.0-11-amd64", 14 },
		{ "3.15.5", 14 },
		{ "3.14.1", 13 },
		{ "3.2.0-4-amd64", 13 },
		{ "3.1.3", 12 },
		{ "2.6.35.6", 12 },
		{ "2.6.34", 11 },
		{ "2.6.32-5-amd64", 11 },
		{ "2.6.18", 11 },
		{ "10.0.0", 20 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int got = taint_string_columns(upstream, cases[i].release);
		if (got != cases[i].columns)
			fail_msg("release %s: expected %u columns, got %u", cases[i].release,
				 cases[i].columns, got);
	}
}

/* The rows of upstream's newest table: one per flag, 20 since Linux 6.15. */
#define UPSTREAM_COLUMNS 20

static void string_columns_are_the_widest_when_the_release_says_nothing(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	const char *unreadable[] = { NULL, "", "garbage", "6", "6.", ".1", "-6.1", "99999.1" };
	for (size_t i = 0; i < sizeof(unreadable) / sizeof(unreadable[0]); i++) {
		print_message("release %s\n", unreadable[i] ? unreadable[i] : "(none)");
		assert_int_equal(taint_string_columns(upstream, unreadable[i]), UPSTREAM_COLUMNS);
	}
	/* Vendor kernels print every row of their own tables: 32 on RHEL 9. */
	assert_int_equal(taint_string_columns(taint_layout_find("rhel9"), "5.14.0-427.el9.x86_64"),
			 32);
}

static void compact_letters_list_set_bits_in_order(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	char s[TAINT_MAX_BITS + 1];

	taint_compact_letters(upstream, 4096 + 8192 + 1, s);
	assert_string_equal(s, "POE");
	taint_compact_letters(upstream, 0, s);
	assert_string_equal(s, "");
	taint_compact_letters(upstream, UINT64_C(1) << 40, s);
	assert_string_equal(s, "?");
}

/* TAINT.md's letters for upstream bits 0..19, written out independently of the table. */
static const char upstream_letters[] = "PFSRMBUDAWCIOELKXTNJ";

static void kernel_string_of_each_single_bit_has_its_letter_in_its_column(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	char s[TAINT_KERNEL_STRING_COLUMNS + 1];
	char expected[UPSTREAM_COLUMNS + 1];

	for (unsigned int bit = 0; bit < UPSTREAM_COLUMNS; bit++) {
		memset(expected, ' ', UPSTREAM_COLUMNS);
		expected[UPSTREAM_COLUMNS] = '\0';
		expected[0] = 'G';
		expected[bit] = upstream_letters[bit];
		taint_kernel_string(upstream, UINT64_C(1) << bit, TAINT_KERNEL_STRING_COLUMNS, s);
		if (strcmp(s, expected) != 0)
			fail_msg("bit %u: expected \"%s\", got \"%s\"", bit, expected, s);
	}
}

static void kernel_string_has_no_column_for_bits_above_19(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	char s[TAINT_KERNEL_STRING_COLUMNS + 1];

	for (unsigned int bit = UPSTREAM_COLUMNS; bit < TAINT_MAX_BITS; bit++) {
		taint_kernel_string(upstream, UINT64_C(1) << bit, TAINT_KERNEL_STRING_COLUMNS, s);
		if (strcmp(s, "G                   ") != 0)
			fail_msg("bit %u: expected the untainted string, got \"%s\"", bit, s);
	}
}

static void all_64_bits_set_print_every_letter_then_unknowns(void **state)
{
	const struct taint_layout *upstream = taint_layout_find("upstream");
	char s[TAINT_MAX_BITS + 1];
	char expected[TAINT_MAX_BITS + 1];

	taint_kernel_string(upstream, UINT64_MAX, TAINT_KERNEL_STRING_COLUMNS, s);
	assert_string_equal(s, upstream_letters);

	memcpy(expected, upstream_letters, 20);
	memset(expected + 20, '?', TAINT_MAX_BITS - 20);
	expected[TAINT_MAX_BITS] = '\0';
	taint_compact_letters(upstream, UINT64_MAX, s);
	assert_string_equal(s, expected);
}

static void all_64_bits_set_on_rhel7_decode_its_vendor_bits(void **state)
{
	const struct taint_layout *rhel7 = taint_layout_find("rhel7");
	char s[TAINT_MAX_BITS + 1];
	char expected[TAINT_MAX_BITS + 1];

	/* RHEL 7.3 to 7.9 print 30 columns: 0-15, 16-27 reserved ('?' when set), H, T. */
	taint_kernel_string(rhel7, UINT64_MAX, TAINT_KERNEL_STRING_COLUMNS, s);
	assert_string_equal(s, "PFSRMBUDAWCIOELK????????????HT");

	memset(expected, '?', TAINT_MAX_BITS);
	expected[TAINT_MAX_BITS] = '\0';
	memcpy(expected, "PFSRMBUDAWCIOELK", 16);
	memcpy(expected + 28, "HT", 2);
	taint_compact_letters(rhel7, UINT64_MAX, s);
	assert_string_equal(s, expected);
}

static void compact_letters_of_the_suse_sample_value(void **state)
{
	char s[TAINT_MAX_BITS + 1];

	/* TAINT.md: a SLES host showed 2147561472 = bits 12, 13, 16, 31. */
	taint_compact_letters(taint_layout_find("suse"), 2147561472u, s);
	assert_string_equal(s, "OEXn");
	taint_compact_letters(taint_layout_find("upstream"), 2147561472u, s);
	assert_string_equal(s, "OEX?");
}

static void parse_error_phrases_name_each_cause(void **state)
{
	assert_string_equal(taint_parse_error(-ENODATA), "file is empty");
	assert_string_equal(taint_parse_error(-EINVAL), "not a non-negative decimal number");
	assert_string_equal(taint_parse_error(-ERANGE), "number is above 2^64-1");
	assert_string_equal(taint_parse_error(-EFBIG), "file is larger than any taint value");
	assert_string_equal(taint_parse_error(-ENOENT), strerror(ENOENT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_kernel_format_decimal_and_newline),
		cmocka_unit_test(parses_zero_as_untainted),
		cmocka_unit_test(accepts_a_value_without_trailing_newline),
		cmocka_unit_test(accepts_the_largest_64_bit_value),
		cmocka_unit_test(refuses_a_value_above_64_bits),
		cmocka_unit_test(calls_garbage_after_many_digits_not_a_number_rather_than_too_large),
		cmocka_unit_test(refuses_an_empty_or_blank_file),
		cmocka_unit_test(refuses_signs_garbage_and_embedded_space),
		cmocka_unit_test(kernel_string_matches_what_the_kernel_prints),
		cmocka_unit_test(kernel_string_of_linux_6_1_has_19_columns),
		cmocka_unit_test(string_columns_follow_the_upstream_release),
		cmocka_unit_test(string_columns_are_the_widest_when_the_release_says_nothing),
		cmocka_unit_test(compact_letters_list_set_bits_in_order),
		cmocka_unit_test(kernel_string_of_each_single_bit_has_its_letter_in_its_column),
		cmocka_unit_test(kernel_string_has_no_column_for_bits_above_19),
		cmocka_unit_test(all_64_bits_set_print_every_letter_then_unknowns),
		cmocka_unit_test(all_64_bits_set_on_rhel7_decode_its_vendor_bits),
		cmocka_unit_test(compact_letters_of_the_suse_sample_value),
		cmocka_unit_test(parse_error_phrases_name_each_cause),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
