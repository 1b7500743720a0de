/*
 * Specification of the <procfs>/modules decoder (decode/proc_modules.h): each line of the
 * kernel's format gives the module's name and its taint letters, any other line is refused
 * and counted by kind, a line repeated at a read boundary is dropped, and the tainted modules
 * go into the snapshot up to the cap.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buffer.h"
#include "decode/module.h"
#include "decode/proc_modules.h"
#include "snapshot.h"

static const struct {
	const char *line;
	int err;
	const char *name;
	const char *letters;
} lines[] = {
	{ "nvidia 56823808 12 nvidia_modeset, Live 0x0000000000000000 (POE)", 0, "nvidia", "POE" },
	{ "ext4 1048576 2 - Live 0xffffffffc0a00000", 0, "ext4", "" },
	{ "coming 16384 0 - Loading 0x0000000000000000 (OE+)", 0, "coming", "OE" },
	{ "going 16384 0 - Unloading 0x0000000000000000 (O-)", 0, "going", "O" },
	{ "nounload 16384 - - Live 0x0000000000000000 (P)", 0, "nounload",
	  "P" }, /* !MODULE_UNLOAD */
	{ "odd 16384 0 - Live 0x0 (Q?)", 0, "odd", "Q?" }, /* the letters are checked later */
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
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct proc_module_line got;
		int err = proc_modules_parse_line(lines[i].line, strlen(lines[i].line), &got);
		if (err != lines[i].err)
			fail_msg("line \"%s\": expected %d, got %d", lines[i].line, lines[i].err,
				 err);
		if (err)
			continue;
		if (got.name_len != strlen(lines[i].name) ||
		    memcmp(got.name, lines[i].name, got.name_len) != 0 ||
		    got.letters_len != strlen(lines[i].letters) ||
		    memcmp(got.letters, lines[i].letters, got.letters_len) != 0)
			fail_msg("line \"%s\": expected %s (%s), got %.*s (%.*s)", lines[i].line,
				 lines[i].name, lines[i].letters, (int)got.name_len, got.name,
				 (int)got.letters_len, got.letters);
	}
}

/* A name with a NUL in it would be read as a shorter one: the line is refused. */
static void a_nul_in_a_name_refuses_the_line(void **state)
{
	static const char line[] = "ab\0cd 1 0 - Live 0x0 (P)";
	struct proc_module_line got;
	assert_int_equal(proc_modules_parse_line(line, sizeof(line) - 1, &got), -EINVAL);
}

#define NOT_A_LINE (1U << PROC_MODULES_NOT_A_LINE)
#define NAME_TOO_LONG (1U << PROC_MODULES_NAME_TOO_LONG)
#define BAD_LETTERS (1U << PROC_MODULES_BAD_LETTERS)

/* A string literal as text and length, NULs inside it included. */
#define TEXT(s) .text = (s), .len = sizeof(s) - 1

static const struct decode_case {
	const char *name; /* the behaviour */
	const char *text;
	size_t len;
	const char *modules; /* what the snapshot lists: "name=letters ..." */
	size_t errors; /* module_read_errors */
	unsigned int problems;
} cases[] = {
	{ "an empty list has no modules", TEXT(""), .modules = "" },
	{ "a clean module is not listed", TEXT("ext4 1048576 2 - Live 0x0000000000000000\n"),
	  .modules = "" },
	{ "a tainted module is listed with its letters",
	  TEXT("nvidia 56823808 12 nvidia_modeset, Live 0x0000000000000000 (POE)\n"),
	  .modules = "nvidia=POE" },
	{ "a module being loaded: its '+' is no letter",
	  TEXT("coming 16384 0 - Loading 0x0000000000000000 (OE+)\n"), .modules = "coming=OE" },
	{ "a module being unloaded: its '-' is no letter",
	  TEXT("going 16384 0 - Unloading 0x0000000000000000 (O-)\n"), .modules = "going=O" },
	{ "a clean module being loaded is clean",
	  TEXT("coming 16384 0 - Loading 0x0000000000000000 (+)\n"), .modules = "" },
	{ "empty parentheses are clean", TEXT("empty 16384 0 - Live 0x0 ()\n"), .modules = "" },
	{ "a kernel without module unloading: use count and users are '- -'",
	  TEXT("nounload 16384 - - Live 0x0000000000000000 (P)\n"), .modules = "nounload=P" },
	{ "letters no layout knows are kept", TEXT("future 16384 0 - Live 0x0 (OQ)\n"),
	  .modules = "future=OQ" },
	{ "every ASCII letter once is a valid string",
	  TEXT("all 1 0 - Live 0x0 (ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz)\n"),
	  .modules = "all=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" },
	{ "a name that is not UTF-8 is listed escaped", TEXT("caf\xe9 1 0 - Live 0x0 (PO)\n"),
	  .modules = "caf\\xe9=PO" },
	{ "modules keep the kernel's order, clean ones left out",
	  TEXT("b 1 0 - Live 0x0 (P)\next4 1 2 - Live 0x0\na 1 0 - Live 0x0 (O)\n"),
	  .modules = "b=P a=O" },
	{ "the last line may lack its newline", TEXT("a 1 0 - Live 0x0 (P)\nb 1 0 - Live 0x0 (O)"),
	  .modules = "a=P b=O" },

	/* Lines of another shape: one error each, the lines around them still read. */
	{ "five fields", TEXT("short 16384 0 - Live\n"), .modules = "", .errors = 1,
	  .problems = NOT_A_LINE },
	{ "eight fields", TEXT("eight 16384 0 - Live 0x0 (O) extra\n"), .modules = "", .errors = 1,
	  .problems = NOT_A_LINE },
	{ "letters without parentheses", TEXT("noparens 16384 0 - Live 0x0 POE\n"), .modules = "",
	  .errors = 1, .problems = NOT_A_LINE },
	{ "letters without their closing parenthesis", TEXT("open 16384 0 - Live 0x0 (POE\n"),
	  .modules = "", .errors = 1, .problems = NOT_A_LINE },
	{ "two blanks in a row", TEXT("doubleblank 16384  0 - Live 0x0 (O)\n"), .modules = "",
	  .errors = 1, .problems = NOT_A_LINE },
	{ "a leading blank", TEXT(" leading 16384 0 - Live 0x0\n"), .modules = "", .errors = 1,
	  .problems = NOT_A_LINE },
	{ "a trailing blank", TEXT("trailing 16384 0 - Live 0x0 \n"), .modules = "", .errors = 1,
	  .problems = NOT_A_LINE },
	{ "letters in place of the address", TEXT("noaddress 16384 0 - Live (P)\n"), .modules = "",
	  .errors = 1, .problems = NOT_A_LINE },
	{ "an empty line", TEXT("a 1 0 - Live 0x0 (P)\n\nb 1 0 - Live 0x0 (O)\n"),
	  .modules = "a=P b=O", .errors = 1, .problems = NOT_A_LINE },
	{ "a NUL in the name", TEXT("ab\0cd 1 0 - Live 0x0 (P)\n"), .modules = "", .errors = 1,
	  .problems = NOT_A_LINE },
	{ "a bad line among good ones costs only itself",
	  TEXT("a 1 0 - Live 0x0 (P)\nshort 16384 0 - Live\nb 1 0 - Live 0x0 (O)\n"),
	  .modules = "a=P b=O", .errors = 1, .problems = NOT_A_LINE },

	/* Letters that are no taint string. */
	{ "a digit among the letters", TEXT("digits 16384 0 - Live 0x0 (P1)\n"), .modules = "",
	  .errors = 1, .problems = BAD_LETTERS },
	{ "a letter twice", TEXT("duplicate 16384 0 - Live 0x0 (OEO)\n"), .modules = "",
	  .errors = 1, .problems = BAD_LETTERS },
	{ "a character that is not a letter", TEXT("odd 16384 0 - Live 0x0 (Q?)\n"), .modules = "",
	  .errors = 1, .problems = BAD_LETTERS },
	{ "a letter that is not ASCII", TEXT("accent 16384 0 - Live 0x0 (P\xc3\x89)\n"),
	  .modules = "", .errors = 1, .problems = BAD_LETTERS },
	{ "53 letters: one of them twice",
	  TEXT("many 1 0 - Live 0x0 (ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzA)\n"),
	  .modules = "", .errors = 1, .problems = BAD_LETTERS },
	{ "each kind of problem is told, each line counted",
	  TEXT("short 16384 0 - Live\nshort2 16384 0 - Live\nd 1 0 - Live 0x0 (P1)\n"
	       "ok 1 0 - Live 0x0 (E)\n"),
	  .modules = "ok=E", .errors = 3, .problems = NOT_A_LINE | BAD_LETTERS },

	/*
	 * The kernel resumes a read at a line number: a module loaded between two reads goes
	 * first, and the line that ended the first read begins the second.
	 */
	{ "a line repeated right after itself is dropped",
	  TEXT("a 1 0 - Live 0x0 (O)\na 1 0 - Live 0x0 (O)\nb 1 0 - Live 0x0 (E)\n"),
	  .modules = "a=O b=E" },
	{ "a clean line repeated is dropped, not an error",
	  TEXT("ext4 1 2 - Live 0x0\next4 1 2 - Live 0x0\n"), .modules = "" },
	{ "a malformed line repeated counts once", TEXT("short 1 0 - Live\nshort 1 0 - Live\n"),
	  .modules = "", .errors = 1, .problems = NOT_A_LINE },
	{ "a last line without newline repeating the one before is dropped",
	  TEXT("a 1 0 - Live 0x0 (O)\na 1 0 - Live 0x0 (O)"), .modules = "a=O" },
	{ "the same line twice, one line apart, is not a repeat",
	  TEXT("a 1 0 - Live 0x0 (O)\nb 1 0 - Live 0x0 (E)\na 1 0 - Live 0x0 (O)\n"),
	  .modules = "a=O b=E a=O" },
	{ "lines that differ only in the name are two modules",
	  TEXT("a1 1 0 - Live 0x0 (O)\na2 1 0 - Live 0x0 (O)\n"), .modules = "a1=O a2=O" },
	{ "a line naming the module of the line before is the kernel's repeat, its use count "
	  "changed by the module loaded between two reads",
	  TEXT("x 1 0 - Live 0x0 (O)\nx 1 1 y, Live 0x0 (O)\n"), .modules = "x=O" },
	{ "a repeat of a malformed line is dropped with it",
	  TEXT("x 1 0 - Live\nx 1 0 - Live 0x0 (O)\n"), .modules = "", .errors = 1,
	  .problems = NOT_A_LINE },
};

/* The snapshot's modules as "name=letters ..." into @out. */
static void describe_modules(const struct taint_snapshot *snap, struct buffer *out)
{
	buffer_reset(out);
	size_t cursor = 0;
	const char *name, *letters;
	while (snapshot_next_module(snap, &cursor, &name, &letters)) {
		if (out->len)
			buffer_putc(out, ' ');
		buffer_puts(out, name);
		buffer_putc(out, '=');
		buffer_puts(out, letters);
	}
	assert_non_null(buffer_cstr(out));
}

/* Decodes @text into a new snapshot with @max as --collector.modules.max. */
static void decode(const char *text, size_t len, size_t max, struct taint_snapshot *snap,
		   unsigned int *problems)
{
	*snap = (struct taint_snapshot)TAINT_SNAPSHOT_INIT;
	*problems = 0;
	proc_modules_decode(text, len, max, snap, problems);
}

static void each_list_gives_its_modules_and_counts_its_bad_lines(void **state)
{
	struct buffer got = BUFFER_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct decode_case *c = &cases[i];
		struct taint_snapshot snap;
		unsigned int problems;
		decode(c->text, c->len, SIZE_MAX, &snap, &problems);
		describe_modules(&snap, &got);
		if (strcmp(got.data, c->modules) != 0)
			fail_msg("%s: expected modules \"%s\", got \"%s\"", c->name, c->modules,
				 got.data);
		if (snap.module_read_errors != c->errors)
			fail_msg("%s: expected %zu read errors, got %zu", c->name, c->errors,
				 snap.module_read_errors);
		if (problems != c->problems)
			fail_msg("%s: expected problems 0x%x, got 0x%x", c->name, c->problems,
				 problems);
		assert_int_equal(snap.modules_omitted, 0);
		snapshot_free(&snap);
	}
	buffer_free(&got);
}

/* Problems are added to those the caller has, never cleared: one mask for a whole scrape. */
static void problems_are_added_to_the_callers(void **state)
{
	static const char text[] = "d 1 0 - Live 0x0 (P1)\n";
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	unsigned int problems = NOT_A_LINE;
	proc_modules_decode(text, strlen(text), SIZE_MAX, &snap, &problems);
	assert_int_equal(problems, NOT_A_LINE | BAD_LETTERS);
	snapshot_free(&snap);
}

static void each_problem_has_words_for_the_log(void **state)
{
	for (int p = 0; p < PROC_MODULES_PROBLEMS; p++) {
		const char *text = proc_modules_problem_text(p);
		if (!text || !*text || strcmp(text, "unknown") == 0)
			fail_msg("problem %d: expected words of its own, got \"%s\"", p,
				 text ? text : "(null)");
	}
	assert_string_equal(proc_modules_problem_text(PROC_MODULES_PROBLEMS), "unknown");
}

/* Three tainted modules, among clean ones, through a cap of 0 to 4. */
static void modules_beyond_the_cap_are_omitted_but_their_letters_kept(void **state)
{
	static const char text[] = "a 1 0 - Live 0x0 (P)\n"
				   "clean 1 0 - Live 0x0\n"
				   "b 1 0 - Live 0x0 (O)\n"
				   "c 1 0 - Live 0x0 (E)\n";
	static const struct {
		size_t max;
		const char *modules;
		size_t omitted;
	} caps[] = {
		{ 0, "", 3 },
		{ 1, "a=P", 2 },
		{ 2, "a=P b=O", 1 },
		{ 3, "a=P b=O c=E", 0 },
		{ 4, "a=P b=O c=E", 0 },
	};
	struct buffer got = BUFFER_INIT;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		struct taint_snapshot snap;
		unsigned int problems;
		decode(text, strlen(text), caps[i].max, &snap, &problems);
		describe_modules(&snap, &got);
		if (strcmp(got.data, caps[i].modules) != 0 ||
		    snap.modules_omitted != caps[i].omitted)
			fail_msg("cap %zu: expected \"%s\" and %zu omitted, got \"%s\" and %zu",
				 caps[i].max, caps[i].modules, caps[i].omitted, got.data,
				 snap.modules_omitted);
		for (const char *l = "POE"; *l; l++) {
			if (!taint_letter_set_has(&snap.module_letters, *l))
				fail_msg("cap %zu: expected %c among the modules' letters",
					 caps[i].max, *l);
		}
		assert_int_equal(snap.module_read_errors, 0);
		assert_int_equal(problems, 0);
		snapshot_free(&snap);
	}
	buffer_free(&got);
}

/* A tainted module's line with a name of @len bytes of @fill. */
static void line_with_name(struct buffer *b, size_t len, char fill, const char *letters)
{
	buffer_reset(b);
	for (size_t i = 0; i < len; i++)
		buffer_putc(b, fill);
	buffer_puts(b, " 16384 0 - Live 0x0");
	if (*letters) {
		buffer_puts(b, " (");
		buffer_puts(b, letters);
		buffer_putc(b, ')');
	}
	buffer_putc(b, '\n');
	assert_non_null(buffer_cstr(b));
}

/*
 * MODULE_NAME_MAX bytes is the longest name exported, every byte escaped if need be; a longer
 * tainted name is an error. A clean module is not exported, so its name is no problem.
 */
static void a_name_longer_than_module_name_max_is_refused_when_tainted(void **state)
{
	struct buffer line = BUFFER_INIT;
	struct taint_snapshot snap;
	unsigned int problems;
	const char *name, *letters;
	size_t cursor = 0;

	line_with_name(&line, MODULE_NAME_MAX, 'n', "P");
	decode(line.data, line.len, SIZE_MAX, &snap, &problems);
	assert_int_equal(snap.module_count, 1);
	assert_true(snapshot_next_module(&snap, &cursor, &name, &letters));
	assert_int_equal(strlen(name), MODULE_NAME_MAX);
	snapshot_free(&snap);

	line_with_name(&line, MODULE_NAME_MAX, '\xff', "P");
	decode(line.data, line.len, SIZE_MAX, &snap, &problems);
	cursor = 0;
	assert_true(snapshot_next_module(&snap, &cursor, &name, &letters));
	assert_int_equal(strlen(name), MODULE_NAME_UTF8_MAX);
	assert_int_equal(strncmp(name, "\\xff\\xff", 8), 0);
	snapshot_free(&snap);

	line_with_name(&line, MODULE_NAME_MAX + 1, 'n', "P");
	decode(line.data, line.len, SIZE_MAX, &snap, &problems);
	if (snap.module_count != 0 || snap.module_read_errors != 1 || problems != NAME_TOO_LONG)
		fail_msg("a tainted name of %d bytes: expected no module, 1 error and problem "
			 "0x%x, got %zu modules, %zu errors and 0x%x",
			 MODULE_NAME_MAX + 1, NAME_TOO_LONG, snap.module_count,
			 snap.module_read_errors, problems);
	snapshot_free(&snap);

	line_with_name(&line, MODULE_NAME_MAX + 1, 'n', "");
	decode(line.data, line.len, SIZE_MAX, &snap, &problems);
	assert_int_equal(snap.module_read_errors, 0);
	assert_int_equal(problems, 0);
	snapshot_free(&snap);
	buffer_free(&line);
}

/* No line is too long to decode: a line of 64 KiB is a line like any other. */
static void lines_longer_than_a_page_are_decoded_like_any_other(void **state)
{
	struct buffer text = BUFFER_INIT;
	/* A module used by thousands: its users field is long, its line legal. */
	buffer_puts(&text, "a 1 0 - Live 0x0 (P)\nbusy 16384 4000 ");
	for (int i = 0; i < 4000; i++) {
		char user[32];
		snprintf(user, sizeof(user), "user_%04d,", i);
		buffer_puts(&text, user);
	}
	buffer_puts(&text, " Live 0x0 (OE)\n");
	/* And 64 KiB of letters: one bad line, the next still read. */
	buffer_puts(&text, "letters 1 0 - Live 0x0 (");
	for (int i = 0; i < 65536; i++)
		buffer_putc(&text, 'O');
	buffer_puts(&text, ")\nb 1 0 - Live 0x0 (E)\n");
	assert_non_null(buffer_cstr(&text));

	struct taint_snapshot snap;
	unsigned int problems;
	struct buffer got = BUFFER_INIT;
	decode(text.data, text.len, SIZE_MAX, &snap, &problems);
	describe_modules(&snap, &got);
	assert_string_equal(got.data, "a=P busy=OE b=E");
	assert_int_equal(snap.module_read_errors, 1);
	assert_int_equal(problems, BAD_LETTERS);
	snapshot_free(&snap);
	buffer_free(&got);
	buffer_free(&text);
}

/* 400 modules (20 KiB): every tainted one listed once, in order. */
static void a_long_list_gives_every_tainted_module_in_order(void **state)
{
	struct buffer text = BUFFER_INIT, expected = BUFFER_INIT, got = BUFFER_INIT;
	for (int i = 0; i < 400; i++) {
		char line[128];
		const char *letters = i % 7 ? "" : "OE";
		snprintf(line, sizeof(line), "module_%03d %d %d - Live 0x0000000000000000%s%s%s\n",
			 i, 16384 + i, i % 3, *letters ? " (" : "", letters, *letters ? ")" : "");
		buffer_puts(&text, line);
		if (*letters) {
			snprintf(line, sizeof(line), "%smodule_%03d=%s", expected.len ? " " : "", i,
				 letters);
			buffer_puts(&expected, line);
		}
	}
	assert_non_null(buffer_cstr(&text));
	assert_non_null(buffer_cstr(&expected));

	struct taint_snapshot snap;
	unsigned int problems;
	decode(text.data, text.len, SIZE_MAX, &snap, &problems);
	describe_modules(&snap, &got);
	assert_int_equal(snap.module_count, 58); /* 0, 7, ..., 399 */
	assert_string_equal(got.data, expected.data);
	assert_int_equal(snap.module_read_errors, 0);
	snapshot_free(&snap);
	buffer_free(&text);
	buffer_free(&expected);
	buffer_free(&got);
}

/* The decoder reads @len bytes and no more: no NUL is needed after them. */
static void the_text_ends_at_its_length(void **state)
{
	static const char text[] = "a 1 0 - Live 0x0 (P)\nb 1 0 - Live 0x0 (O)\n";
	struct taint_snapshot snap;
	unsigned int problems;
	struct buffer got = BUFFER_INIT;
	/* The first line and the "b" of the second: a one-field line. */
	decode(text, strlen("a 1 0 - Live 0x0 (P)\nb"), SIZE_MAX, &snap, &problems);
	describe_modules(&snap, &got);
	assert_string_equal(got.data, "a=P");
	assert_int_equal(snap.module_read_errors, 1);
	snapshot_free(&snap);
	buffer_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_line_gives_its_name_and_letters_or_is_refused),
		cmocka_unit_test(a_nul_in_a_name_refuses_the_line),
		cmocka_unit_test(each_list_gives_its_modules_and_counts_its_bad_lines),
		cmocka_unit_test(problems_are_added_to_the_callers),
		cmocka_unit_test(each_problem_has_words_for_the_log),
		cmocka_unit_test(modules_beyond_the_cap_are_omitted_but_their_letters_kept),
		cmocka_unit_test(a_name_longer_than_module_name_max_is_refused_when_tainted),
		cmocka_unit_test(lines_longer_than_a_page_are_decoded_like_any_other),
		cmocka_unit_test(a_long_list_gives_every_tainted_module_in_order),
		cmocka_unit_test(the_text_ends_at_its_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
