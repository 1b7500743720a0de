/*
 * Specification of the logger: each line as a whole (after its timestamp) in logfmt and JSON,
 * how values are escaped in each, the threshold, errno kept, and the parsers of --log.level
 * and --log.format. Lines are read back from a memfd given to log_set_fd().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "util.h"

static int log_fd = -1;

static int open_log(void **state)
{
	log_fd = memfd_create("test_log", MFD_CLOEXEC);
	if (log_fd < 0)
		return -1;
	log_set_fd(log_fd);
	return 0;
}

static int close_log(void **state)
{
	log_set_fd(STDERR_FILENO);
	close(log_fd);
	return 0;
}

/* Everything logged since the last call, and the file emptied for the next. */
static const char *take_log(void)
{
	static char text[4096];
	off_t len = lseek(log_fd, 0, SEEK_CUR);
	assert_true(len >= 0 && (size_t)len < sizeof(text));
	assert_int_equal(pread(log_fd, text, (size_t)len, 0), len);
	text[len] = '\0';
	assert_int_equal(ftruncate(log_fd, 0), 0);
	assert_int_equal(lseek(log_fd, 0, SEEK_SET), 0);
	return text;
}

/* "2026-11-28T07:28:22.123Z": digits where digits go, the punctuation where it goes. */
static void assert_stamp(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	for (size_t i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			fail_msg("expected a timestamp like %s, got %.24s", shape, s);
	}
}

/* Checks one logged line: @before, the timestamp, then @after. */
static void assert_line(const char *line, const char *before, const char *after)
{
	size_t n = strlen(before);
	if (strncmp(line, before, n) != 0)
		fail_msg("expected a line starting %s, got %s", before, line);
	assert_stamp(line + n);
	assert_string_equal(line + n + 24, after);
}

static void logfmt_lines_quote_only_what_needs_it(void **state)
{
	log_setup(LOG_INFO, LOG_FORMAT_LOGFMT);
	log_msg(LOG_INFO, "Listening on", "address", "[::]:19110", NULL);
	assert_line(take_log(), "time=", " level=info msg=\"Listening on\" address=[::]:19110\n");
	log_msg(LOG_ERROR, "Cannot read", "path", "/a b", "err", NULL, "n", "3", NULL);
	assert_line(take_log(),
		    "time=", " level=error msg=\"Cannot read\" path=\"/a b\" err=\"\" n=3\n");
}

static void json_lines_are_one_object_of_strings(void **state)
{
	log_setup(LOG_DEBUG, LOG_FORMAT_JSON);
	log_msg(LOG_WARN, "Running as root", "uid", "0", NULL);
	assert_line(take_log(), "{\"time\":\"",
		    "\",\"level\":\"warn\",\"msg\":\"Running as root\",\"uid\":\"0\"}\n");
	log_msg(LOG_DEBUG, "x", "empty", NULL, NULL);
	assert_line(take_log(), "{\"time\":\"",
		    "\",\"level\":\"debug\",\"msg\":\"x\",\"empty\":\"\"}\n");
}

static void values_are_escaped_for_each_format(void **state)
{
	static const char hostile[] = "a \"b\"\\c\nd\x1b\x7f=";
	log_setup(LOG_INFO, LOG_FORMAT_LOGFMT);
	log_msg(LOG_INFO, "m", "v", hostile, "ok", "a\\b", NULL);
	assert_line(take_log(), "time=",
		    " level=info msg=m v=\"a \\\"b\\\"\\\\c\\nd\\u001b\\u007f=\" ok=a\\b\n");
	log_setup(LOG_INFO, LOG_FORMAT_JSON);
	log_msg(LOG_INFO, "m", "v", hostile, NULL);
	assert_line(take_log(), "{\"time\":\"",
		    "\",\"level\":\"info\",\"msg\":\"m\","
		    "\"v\":\"a \\\"b\\\"\\\\c\\nd\\u001b\\u007f=\"}\n");
}

static void lines_below_the_threshold_are_dropped(void **state)
{
	static const enum log_level levels[] = { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
	static const char *const names[] = { "debug", "info", "warn", "error" };
	log_setup(LOG_WARN, LOG_FORMAT_LOGFMT);
	for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
		log_msg(levels[i], "m", NULL);
		const char *text = take_log();
		if (levels[i] < LOG_WARN) {
			assert_string_equal(text, "");
			continue;
		}
		char after[64];
		snprintf(after, sizeof(after), " level=%s msg=m\n", names[i]);
		assert_line(text, "time=", after);
	}
}

static void logging_keeps_errno(void **state)
{
	log_setup(LOG_INFO, LOG_FORMAT_LOGFMT);
	errno = EMFILE;
	log_msg(LOG_INFO, "m", NULL);
	assert_int_equal(errno, EMFILE);
	take_log();
}

static void levels_and_formats_parse_by_name(void **state)
{
	static const struct {
		const char *s;
		enum log_level level;
	} levels[] = { { "debug", LOG_DEBUG },
		       { "info", LOG_INFO },
		       { "warn", LOG_WARN },
		       { "error", LOG_ERROR } };
	for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
		enum log_level level = LOG_ERROR + 1;
		assert_int_equal(log_level_parse(levels[i].s, &level), 0);
		assert_int_equal(level, levels[i].level);
	}
	enum log_level level;
	assert_int_equal(log_level_parse("warning", &level), -EINVAL);
	assert_int_equal(log_level_parse("INFO", &level), -EINVAL);
	enum log_format format;
	assert_int_equal(log_format_parse("logfmt", &format), 0);
	assert_int_equal(format, LOG_FORMAT_LOGFMT);
	assert_int_equal(log_format_parse("json", &format), 0);
	assert_int_equal(format, LOG_FORMAT_JSON);
	assert_int_equal(log_format_parse("text", &format), -EINVAL);
}

static void first_time_is_true_once_per_key(void **state)
{
	assert_true(log_first_time("test_log:a"));
	assert_false(log_first_time("test_log:a"));
	assert_true(log_first_time("test_log:b"));
	assert_false(log_first_time("test_log:b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(logfmt_lines_quote_only_what_needs_it),
		cmocka_unit_test(json_lines_are_one_object_of_strings),
		cmocka_unit_test(values_are_escaped_for_each_format),
		cmocka_unit_test(lines_below_the_threshold_are_dropped),
		cmocka_unit_test(logging_keeps_errno),
		cmocka_unit_test(levels_and_formats_parse_by_name),
		cmocka_unit_test(first_time_is_true_once_per_key),
	};
	return cmocka_run_group_tests(tests, open_log, close_log);
}
