/*
 * Specification of the escapers, one table of cases per output language: what each special
 * byte becomes, that control bytes (DEL included) never pass through where the language can
 * carry them escaped, and that other bytes, UTF-8 or not, are copied as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "buffer.h"
#include "render/escape.h"
#include "util.h"

struct escape_case {
	const char *in, *out;
};

static void check_cases(const char *language, void (*escape)(struct buffer *, const char *),
			const struct escape_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct buffer b = BUFFER_INIT;
		escape(&b, cases[i].in);
		const char *got = buffer_cstr(&b);
		assert_non_null(got);
		if (strcmp(got, cases[i].out) != 0)
			fail_msg("%s of \"%s\": expected \"%s\", got \"%s\"", language, cases[i].in,
				 cases[i].out, got);
		buffer_free(&b);
	}
}

static void label_values_escape_backslash_quote_and_newline_only(void **state)
{
	static const struct escape_case cases[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "a\\b", "a\\\\b" },
		{ "say \"hi\"", "say \\\"hi\\\"" },
		{ "two\nlines\n", "two\\nlines\\n" },
		{ "\\\"\n", "\\\\\\\"\\n" },
		{ "caf\xc3\xa9\ttab", "caf\xc3\xa9\ttab" }, /* UTF-8 and tabs pass through */
		{ "\x1b[31m\x7f\r", "\x1b[31m\x7f\r" }, /* the format escapes nothing else */
		{ "\xff\xfe", "\xff\xfe" },
	};
	check_cases("label value", escape_label_value, cases, ARRAY_SIZE(cases));
}

static void json_strings_are_quoted_utf8_and_carry_no_control_byte(void **state)
{
	static const struct escape_case cases[] = {
		{ "", "\"\"" },
		{ "plain", "\"plain\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "a\\b", "\"a\\\\b\"" },
		{ "two\nlines", "\"two\\nlines\"" },
		{ "\t\r\x01\x1f", "\"\\u0009\\u000d\\u0001\\u001f\"" },
		{ "evil\x1b[31m", "\"evil\\u001b[31m\"" },
		{ "del\x7f", "\"del\\u007f\"" },
		{ " ~/<>&'", "\" ~/<>&'\"" },
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "\xe2\x82\xac \xf0\x9f\x90\xa7", "\"\xe2\x82\xac \xf0\x9f\x90\xa7\"" },
		/* Not UTF-8 (a Latin-1 name, stray bytes, overlong, surrogate): U+FFFD each. */
		{ "\xe9t\xe9", "\"\\ufffdt\\ufffd\"" },
		{ "\x80\xff", "\"\\ufffd\\ufffd\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" }, /* cut short by the end */
	};
	check_cases("JSON string", escape_json_string, cases, ARRAY_SIZE(cases));
}

static void logfmt_values_are_quoted_only_when_they_must_be(void **state)
{
	static const struct escape_case cases[] = {
		{ "", "\"\"" },
		{ "plain", "plain" },
		{ "[::]:19110", "[::]:19110" },
		{ "a\\b", "a\\b" }, /* a backslash alone needs no quotes */
		{ "two words", "\"two words\"" },
		{ "k=v", "\"k=v\"" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
		{ "two\nlines", "\"two\\nlines\"" },
		{ "tab\there", "\"tab\\u0009here\"" },
		{ "del\x7f", "\"del\\u007f\"" },
		{ "a\\b c", "\"a\\\\b c\"" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};
	check_cases("logfmt value", escape_logfmt_value, cases, ARRAY_SIZE(cases));
}

static void html_escapes_the_five_special_characters(void **state)
{
	static const struct escape_case cases[] = {
		{ "", "" },
		{ "plain text", "plain text" },
		{ "a&b", "a&amp;b" },
		{ "<>", "&lt;&gt;" },
		{ "\"'", "&quot;&#39;" },
		{ "&amp;", "&amp;amp;" },
		{ "x<y>z\"w'v&", "x&lt;y&gt;z&quot;w&#39;v&amp;" },
		{ "a\\b\n\x7f", "a\\b\n\x7f" }, /* HTML text carries them as they are */
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};
	check_cases("HTML", escape_html, cases, ARRAY_SIZE(cases));
}

static void text_shows_control_bytes_and_backslashes_as_escapes(void **state)
{
	static const struct escape_case cases[] = {
		{ "", "" },
		{ "plain \"text\"", "plain \"text\"" },
		{ "a\\b", "a\\\\b" },
		{ "evil\x1b[31m", "evil\\x1b[31m" },
		{ "\n\t\r\x01\x1f", "\\x0a\\x09\\x0d\\x01\\x1f" },
		{ "del\x7f", "del\\x7f" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\x80\xff", "\x80\xff" },
	};
	check_cases("text", escape_text, cases, ARRAY_SIZE(cases));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (escape_text_len(cases[i].in) != strlen(cases[i].out))
			fail_msg("escape_text_len(\"%s\"): expected %zu, got %zu", cases[i].in,
				 strlen(cases[i].out), escape_text_len(cases[i].in));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_values_escape_backslash_quote_and_newline_only),
		cmocka_unit_test(json_strings_are_quoted_utf8_and_carry_no_control_byte),
		cmocka_unit_test(logfmt_values_are_quoted_only_when_they_must_be),
		cmocka_unit_test(html_escapes_the_five_special_characters),
		cmocka_unit_test(text_shows_control_bytes_and_backslashes_as_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
