/*
 * Specification of the <procfs>/modules reader: each line of the kernel's format gives the
 * module's name and its taint letters, any other line is refused, and a scan sees every line
 * whatever the size of the reads that bring them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/proc_modules.h"

static const struct {
	const char *line;
	int err;
	const char *name;
	const char *letters;
} cases[] = {
	{ "nvidia 56823808 12 nvidia_modeset, Live 0x0000000000000000 (POE)", 0, "nvidia", "POE" },
	{ "ext4 1048576 2 - Live 0xffffffffc0a00000", 0, "ext4", "" },
	{ "coming 16384 0 - Loading 0x0000000000000000 (OE+)", 0, "coming", "OE" },
	{ "going 16384 0 - Unloading 0x0000000000000000 (O-)", 0, "going", "O" },
	{ "nounload 16384 - - Live 0x0000000000000000 (P)", 0, "nounload",
	  "P" }, /* !MODULE_UNLOAD */
	{ "odd 16384 0 - Live 0x0 (Q?)", 0, "odd", "Q?" }, /* letters are the caller's to check */
	{ "empty 16384 0 - Live 0x0 ()", 0, "empty", "" },
	{ "", -EINVAL, NULL, NULL },
	{ "short 16384 0 - Live", -EINVAL, NULL, NULL },
	{ "noparens 16384 0 - Live 0x0 POE", -EINVAL, NULL, NULL },
	{ "open 16384 0 - Live 0x0 (POE", -EINVAL, NULL, NULL },
	{ "doubleblank 16384  0 - Live 0x0 (O)", -EINVAL, NULL, NULL },
	{ " leading 16384 0 - Live 0x0", -EINVAL, NULL, NULL },
	{ "trailing 16384 0 - Live 0x0 ", -EINVAL, NULL, NULL },
	{ "eight 16384 0 - Live 0x0 (O) extra", -EINVAL, NULL, NULL },
	{ "noaddress 16384 0 - Live (P)", -EINVAL, NULL, NULL },
};

static void each_line_gives_its_name_and_letters_or_is_refused(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proc_module_line got;
		int err = proc_modules_parse_line(cases[i].line, strlen(cases[i].line), &got);
		if (err != cases[i].err)
			fail_msg("line \"%s\": expected %d, got %d", cases[i].line, cases[i].err,
				 err);
		if (err)
			continue;
		if (got.name_len != strlen(cases[i].name) ||
		    memcmp(got.name, cases[i].name, got.name_len) != 0 ||
		    got.letters_len != strlen(cases[i].letters) ||
		    memcmp(got.letters, cases[i].letters, got.letters_len) != 0)
			fail_msg("line \"%s\": expected %s (%s), got %.*s (%.*s)", cases[i].line,
				 cases[i].name, cases[i].letters, (int)got.name_len, got.name,
				 (int)got.letters_len, got.letters);
	}
}

/* What a scan saw, one "name=letters" or "error" word per line. */
struct seen {
	char *text;
	size_t len;
	size_t lines;
};

static void remember(void *ctx, int err, const struct proc_module_line *line)
{
	struct seen *s = ctx;
	char word[512];
	int n = err ? snprintf(word, sizeof(word), "%s ", err == -EFBIG ? "EFBIG" : "EINVAL") :
		      snprintf(word, sizeof(word), "%.*s=%.*s ", (int)line->name_len, line->name,
			       (int)line->letters_len, line->letters);
	if (n >= (int)sizeof(word))
		n = (int)sizeof(word) - 1; /* what snprintf() kept */
	s->text = realloc(s->text, s->len + (size_t)n + 1);
	assert_non_null(s->text);
	memcpy(s->text + s->len, word, (size_t)n + 1);
	s->len += (size_t)n;
	s->lines++;
}

/* A scan of a regular file holding @content (a fixture's modules file). */
static struct seen scan_file(const char *content)
{
	char path[] = "/tmp/test_proc_modules.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	struct seen s = { 0 };
	assert_int_equal(proc_modules_scan(fd, remember, &s), 0);
	close(fd);
	return s;
}

/*
 * 400 modules are 20 KB: lines cross the reads, and every tainted one is seen once, in order;
 * the clean ones are checked, not handed over.
 */
static void a_scan_sees_every_line_of_a_long_list(void **state)
{
	size_t size = 400 * 80 + 1;
	char *content = calloc(1, size);
	char *expected = calloc(1, size);
	assert_non_null(content);
	assert_non_null(expected);
	for (int i = 0; i < 400; i++) {
		const char *letters = i % 7 ? "" : "OE";
		snprintf(content + strlen(content), size - strlen(content),
			 "module_%03d %d %d - Live 0x0000000000000000%s%s%s\n", i, 16384 + i, i % 3,
			 *letters ? " (" : "", letters, *letters ? ")" : "");
		if (*letters)
			snprintf(expected + strlen(expected), size - strlen(expected),
				 "module_%03d=%s ", i, letters);
	}
	struct seen s = scan_file(content);
	assert_int_equal(s.lines, 58); /* 0, 7, ..., 399 */
	assert_string_equal(s.text, expected);
	free(s.text);
	free(content);
	free(expected);
}

/* A line without taint that has not six fields is malformed all the same. */
static void malformed_lines_without_taint_are_reported(void **state)
{
	struct seen s = scan_file("short 16384 0 - Live\n"
				  "ok 16384 0 - Live 0x0\n"
				  "eight 16384 0 - Live 0x0 (O) extra\n"
				  " leading 16384 0 - Live 0x0\n"
				  "trailing 16384 0 - Live \n"
				  "a 1 0 - Live 0x0 (P)\n"
				  "\n");
	assert_string_equal(s.text, "EINVAL EINVAL EINVAL EINVAL a=P EINVAL ");
	free(s.text);
}

static void a_last_line_without_newline_is_seen(void **state)
{
	struct seen s = scan_file("a 1 0 - Live 0x0 (P)\nb 1 0 - Live 0x0 (O)");
	assert_string_equal(s.text, "a=P b=O ");
	free(s.text);
}

static void an_empty_list_has_no_lines(void **state)
{
	struct seen s = scan_file("");
	assert_int_equal(s.lines, 0);
}

/* A line too long for the buffer is one error, and the lines after it are still read. */
static void an_overlong_line_is_one_error_and_the_next_lines_are_read(void **state)
{
	size_t long_len = 3 * PROC_MODULES_LINE_MAX;
	char *content = calloc(1, long_len + 100);
	assert_non_null(content);
	strcpy(content, "a 1 0 - Live 0x0 (P)\n");
	memset(content + strlen(content), 'x', long_len);
	strcat(content, "\nb 1 0 - Live 0x0 (O)\n");
	struct seen s = scan_file(content);
	assert_string_equal(s.text, "a=P EFBIG b=O ");
	free(s.text);
	free(content);
}

/* A name with a NUL in it would be read as a shorter one: the line is refused. */
static void a_nul_in_a_name_refuses_the_line(void **state)
{
	static const char line[] = "ab\0cd 1 0 - Live 0x0 (P)";
	struct proc_module_line got;
	assert_int_equal(proc_modules_parse_line(line, sizeof(line) - 1, &got), -EINVAL);
}

/*
 * A line and its newline fit in PROC_MODULES_LINE_MAX bytes, or the line is too long: also a
 * line that begins part-way into a read and ends in the next one (a regular file is read a
 * page at a time, at page offsets), wherever it begins.
 */
static void the_longest_line_fits_the_buffer_and_one_byte_more_does_not(void **state)
{
	static const size_t lead_lens[] = { 0, 22, 2048, 4095 };
	for (size_t i = 0; i < sizeof(lead_lens) / sizeof(lead_lens[0]); i++) {
		size_t lead = lead_lens[i];
		for (size_t len = PROC_MODULES_LINE_MAX - 1; len <= PROC_MODULES_LINE_MAX; len++) {
			char *content = calloc(1, lead + len + 64);
			assert_non_null(content);
			/* A line of @lead bytes and its newline before the long one. */
			if (lead > 0) {
				const char *first = "c 1 0 - Live 0x";
				strcpy(content, first);
				memset(content + strlen(first), '0', lead - 1 - strlen(first));
				content[lead - 1] = '\n';
			}
			const char *head = "long 1 0 - Live 0x0 (";
			char *line = content + lead;
			memcpy(line, head, strlen(head));
			memset(line + strlen(head), 'a', len - strlen(head) - 1);
			line[len - 1] = ')';
			strcpy(line + len, "\nb 1 0 - Live 0x0 (O)\n");
			struct seen s = scan_file(content);
			/* The letters are the caller's to check: here, many a's. */
			const char *want = len < PROC_MODULES_LINE_MAX ? "long=" : "EFBIG b=O ";
			if (strncmp(s.text, want, strlen(want)) != 0)
				fail_msg("a line of %zu bytes after %zu: expected \"%s...\", got "
					 "\"%.40s...\"",
					 len, lead, want, s.text);
			assert_true(strstr(s.text, "b=O ") != NULL);
			if (len >= PROC_MODULES_LINE_MAX)
				assert_string_equal(s.text, "EFBIG b=O ");
			free(s.text);
			free(content);
		}
	}
}

/*
 * The kernel resumes a read at a line number; a module loaded since goes first, and the
 * line read last comes again. A read that begins with the line the last one ended with
 * drops it. (A regular file read in buffer-sized pieces shows the same when a piece ends at
 * a line: the next piece begins with a copy of the line.)
 */
static void a_line_read_twice_across_two_reads_is_seen_once(void **state)
{
	const char *dup = "dup 1 0 - Live 0x0 (O)\n";
	char *content = calloc(1, 2 * PROC_MODULES_LINE_MAX);
	assert_non_null(content);
	/* Clean lines up to exactly one buffer, the last of them the tainted one. */
	size_t room = PROC_MODULES_LINE_MAX - strlen(dup);
	while (strlen(content) + 40 <= room)
		strcat(content, "clean_module 16384 0 - Live 0x00000000\n");
	size_t pad = room - strlen(content); /* one more clean line of exactly that length */
	char line[64];
	snprintf(line, sizeof(line), "x 1 0 - Live 0x%0*d\n", (int)(pad - 16), 0);
	assert_int_equal(strlen(line), pad);
	strcat(content, line);
	strcat(content, dup);
	assert_int_equal(strlen(content), PROC_MODULES_LINE_MAX);
	strcat(content, dup); /* the second read begins with it */
	strcat(content, "z 1 0 - Live 0x0 (E)\n");
	struct seen s = scan_file(content);
	assert_string_equal(s.text, "dup=O z=E ");
	free(s.text);
	free(content);
}

static void a_scan_of_an_unreadable_fd_is_its_error(void **state)
{
	struct seen s = { 0 };
	assert_int_equal(proc_modules_scan(-1, remember, &s), -EBADF);
	assert_int_equal(s.lines, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_line_gives_its_name_and_letters_or_is_refused),
		cmocka_unit_test(a_scan_sees_every_line_of_a_long_list),
		cmocka_unit_test(malformed_lines_without_taint_are_reported),
		cmocka_unit_test(a_last_line_without_newline_is_seen),
		cmocka_unit_test(an_empty_list_has_no_lines),
		cmocka_unit_test(an_overlong_line_is_one_error_and_the_next_lines_are_read),
		cmocka_unit_test(a_nul_in_a_name_refuses_the_line),
		cmocka_unit_test(the_longest_line_fits_the_buffer_and_one_byte_more_does_not),
		cmocka_unit_test(a_line_read_twice_across_two_reads_is_seen_once),
		cmocka_unit_test(a_scan_of_an_unreadable_fd_is_its_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
