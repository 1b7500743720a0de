/* Specification of the growable output buffer. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buffer.h"

static void an_empty_buffer_is_an_empty_string(void **state)
{
	struct buffer b = BUFFER_INIT;
	assert_int_equal(b.len, 0);
	assert_string_equal(buffer_cstr(&b), "");
	assert_int_equal(buffer_status(&b), 0);
	buffer_free(&b);
}

static void appends_grow_past_4096_bytes_keeping_every_byte(void **state)
{
	struct buffer b = BUFFER_INIT;
	/* 10000 bytes in pieces of 7, so that pieces straddle each growth. */
	for (size_t i = 0; i < 10000 / 7; i++)
		buffer_append(&b, "0123456", 7);
	buffer_puts(&b, "abc");
	buffer_putc(&b, 'Z');

	size_t expected_len = 10000 / 7 * 7 + 4;
	assert_int_equal(buffer_status(&b), 0);
	assert_int_equal(b.len, expected_len);
	assert_true(b.cap > b.len);
	const char *s = buffer_cstr(&b);
	for (size_t i = 0; i < 10000 / 7 * 7; i++) {
		if (s[i] != (char)('0' + i % 7))
			fail_msg("byte %zu: expected '%c', got '%c'", i, (char)('0' + i % 7), s[i]);
	}
	assert_string_equal(s + 10000 / 7 * 7, "abcZ");
	assert_int_equal(strlen(s), expected_len);
	buffer_free(&b);
}

/* buffer_cstr() must find room for its NUL at every length around the first capacity. */
static void cstr_is_terminated_at_every_length_around_4096(void **state)
{
	for (size_t n = 4090; n <= 4100; n++) {
		struct buffer b = BUFFER_INIT;
		for (size_t i = 0; i < n; i++)
			buffer_putc(&b, 'x');
		const char *s = buffer_cstr(&b);
		assert_non_null(s);
		if (strlen(s) != n)
			fail_msg("after %zu bytes: expected strlen %zu, got %zu", n, n, strlen(s));
		buffer_free(&b);
	}
}

static void put_u64_writes_zero_and_the_largest_value(void **state)
{
	struct buffer b = BUFFER_INIT;
	buffer_put_u64(&b, 0);
	buffer_putc(&b, ' ');
	buffer_put_u64(&b, UINT64_MAX);
	buffer_putc(&b, ' ');
	buffer_put_u64(&b, 4609);
	buffer_putc(&b, ' ');
	buffer_put_u64(&b, UINT64_C(10000000000000000000));
	assert_string_equal(buffer_cstr(&b), "0 18446744073709551615 4609 10000000000000000000");
	buffer_free(&b);
}

static void put_hex_writes_lowercase_with_a_0x_prefix(void **state)
{
	struct buffer b = BUFFER_INIT;
	buffer_put_hex(&b, 0);
	buffer_putc(&b, ' ');
	buffer_put_hex(&b, 4609);
	buffer_putc(&b, ' ');
	buffer_put_hex(&b, UINT64_MAX);
	assert_string_equal(buffer_cstr(&b), "0x0 0x1201 0xffffffffffffffff");
	buffer_free(&b);
}

static void reset_forgets_contents_but_keeps_memory(void **state)
{
	struct buffer b = BUFFER_INIT;
	buffer_puts(&b, "first scrape");
	char *data = b.data;
	size_t cap = b.cap;
	buffer_reset(&b);
	assert_int_equal(b.len, 0);
	buffer_puts(&b, "second");
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	assert_string_equal(buffer_cstr(&b), "second");
	buffer_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void an_impossible_reservation_fails_sticky_until_reset(void **state)
{
	struct buffer b = BUFFER_INIT;
	buffer_puts(&b, "kept");
	assert_false(buffer_reserve(&b, SIZE_MAX - 8));
	assert_int_equal(buffer_status(&b), -ENOMEM);

	/* Appends after a failure do nothing, so a partial output is never mistaken for one. */
	size_t len = b.len;
	buffer_puts(&b, "more");
	assert_int_equal(b.len, len);
	assert_null(buffer_cstr(&b));
	assert_int_equal(buffer_status(&b), -ENOMEM);

	buffer_reset(&b);
	assert_int_equal(buffer_status(&b), 0);
	buffer_puts(&b, "again");
	assert_string_equal(buffer_cstr(&b), "again");
	buffer_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_buffer_is_an_empty_string),
		cmocka_unit_test(appends_grow_past_4096_bytes_keeping_every_byte),
		cmocka_unit_test(cstr_is_terminated_at_every_length_around_4096),
		cmocka_unit_test(put_u64_writes_zero_and_the_largest_value),
		cmocka_unit_test(put_hex_writes_lowercase_with_a_0x_prefix),
		cmocka_unit_test(reset_forgets_contents_but_keeps_memory),
		cmocka_unit_test(an_impossible_reservation_fails_sticky_until_reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
