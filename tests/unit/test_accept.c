/*
 * Specification of content negotiation: OpenMetrics 1.0 only when the Accept header prefers
 * it, the 0.0.4 text format otherwise, with the headers real Prometheus versions send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "serve/accept.h"

#define PROMETHEUS_2_42_ACCEPT                                                                   \
	"application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;" \
	"q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

#define PROMETHEUS_3_ACCEPT                                                                   \
	"application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/"  \
	"openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;" \
	"q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

static const char *format_name(enum exposition_format f)
{
	return f == EXPOSITION_OPENMETRICS ? "OpenMetrics" : "text";
}

static void negotiates(const char *accept, enum exposition_format expected)
{
	enum exposition_format got = accept_negotiate(accept);
	if (got != expected)
		fail_msg("Accept: %s\nexpected %s, got %s", accept ? accept : "(none)",
			 format_name(expected), format_name(got));
}

static void no_accept_header_gives_text(void **state)
{
	negotiates(NULL, EXPOSITION_TEXT);
	negotiates("", EXPOSITION_TEXT);
}

static void text_plain_gives_text(void **state)
{
	negotiates("text/plain", EXPOSITION_TEXT);
	negotiates("text/plain;version=0.0.4", EXPOSITION_TEXT);
	negotiates("*/*", EXPOSITION_TEXT);
}

static void prometheus_2_42_default_gets_openmetrics(void **state)
{
	negotiates(PROMETHEUS_2_42_ACCEPT, EXPOSITION_OPENMETRICS);
}

static void prometheus_3_default_gets_openmetrics(void **state)
{
	negotiates(PROMETHEUS_3_ACCEPT, EXPOSITION_OPENMETRICS);
}

static void openmetrics_with_a_lower_q_than_text_gives_text(void **state)
{
	negotiates("application/openmetrics-text;version=1.0.0;q=0.4,text/plain;q=0.5",
		   EXPOSITION_TEXT);
	negotiates("application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.9", EXPOSITION_TEXT);
	/* A tie is not a preference: text. */
	negotiates("application/openmetrics-text;version=1.0.0;q=0.5,text/plain;q=0.5",
		   EXPOSITION_TEXT);
}

static void openmetrics_without_version_or_with_1_0_0_alone_gives_openmetrics(void **state)
{
	negotiates("application/openmetrics-text", EXPOSITION_OPENMETRICS);
	negotiates("application/openmetrics-text;version=1.0.0", EXPOSITION_OPENMETRICS);
	negotiates("application/openmetrics-text;version=1.0.0;q=0.1", EXPOSITION_OPENMETRICS);
}

static void openmetrics_version_0_0_1_only_gives_text(void **state)
{
	negotiates("application/openmetrics-text;version=0.0.1", EXPOSITION_TEXT);
	negotiates("application/openmetrics-text;version=0.0.1,text/plain;q=0.1", EXPOSITION_TEXT);
}

static void garbage_gives_text(void **state)
{
	negotiates(";;;,,,", EXPOSITION_TEXT);
	negotiates("=,;q=,q", EXPOSITION_TEXT);
	negotiates("application/json", EXPOSITION_TEXT);
	negotiates("\x01\xff", EXPOSITION_TEXT);
	negotiates("application/openmetrics-text;q=abc", EXPOSITION_TEXT);
	negotiates("application/openmetrics-text;q=2", EXPOSITION_TEXT);
	negotiates("application/openmetrics-text;q=-1", EXPOSITION_TEXT);
}

static void q_zero_means_not_acceptable(void **state)
{
	negotiates("application/openmetrics-text;version=1.0.0;q=0", EXPOSITION_TEXT);
	negotiates("application/openmetrics-text;version=1.0.0;q=0.000,text/plain;q=0",
		   EXPOSITION_TEXT);
	negotiates("text/plain;q=0,application/openmetrics-text;version=1.0.0",
		   EXPOSITION_OPENMETRICS);
}

static void spaces_and_case_are_ignored(void **state)
{
	negotiates("  application/openmetrics-text ; version=1.0.0 ; q=0.9 ,  text/plain ; q=0.5 ",
		   EXPOSITION_OPENMETRICS);
	negotiates("text/plain; q=0.9, application/openmetrics-text; version=1.0.0; q=0.5",
		   EXPOSITION_TEXT);
	negotiates("Application/OpenMetrics-Text;Version=1.0.0", EXPOSITION_OPENMETRICS);
	negotiates("\tapplication/openmetrics-text\t;\tq=0.8\t,\ttext/plain;q=0.2",
		   EXPOSITION_OPENMETRICS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_accept_header_gives_text),
		cmocka_unit_test(text_plain_gives_text),
		cmocka_unit_test(prometheus_2_42_default_gets_openmetrics),
		cmocka_unit_test(prometheus_3_default_gets_openmetrics),
		cmocka_unit_test(openmetrics_with_a_lower_q_than_text_gives_text),
		cmocka_unit_test(openmetrics_without_version_or_with_1_0_0_alone_gives_openmetrics),
		cmocka_unit_test(openmetrics_version_0_0_1_only_gives_text),
		cmocka_unit_test(garbage_gives_text),
		cmocka_unit_test(q_zero_means_not_acceptable),
		cmocka_unit_test(spaces_and_case_are_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
