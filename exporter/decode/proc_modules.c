#include <errno.h>
#include <string.h>

#include "decode/module.h"
#include "decode/proc_modules.h"
#include "util.h"

/* Six fields, and a seventh when the module carries taint. */
#define FIELDS_MIN 6
#define FIELDS_MAX 7

static const char *const problem_text[PROC_MODULES_PROBLEMS] = {
	[PROC_MODULES_NOT_A_LINE] = "not a line of the kernel's format",
	[PROC_MODULES_NAME_TOO_LONG] = "module name too long",
	[PROC_MODULES_BAD_LETTERS] = "not a string of distinct taint letters",
};

const char *proc_modules_problem_text(enum proc_modules_problem problem)
{
	return problem < ARRAY_SIZE(problem_text) ? problem_text[problem] : "unknown";
}

int proc_modules_parse_line(const char *line, size_t len, struct proc_module_line *out)
{
	const char *field[FIELDS_MAX];
	size_t field_len[FIELDS_MAX];
	size_t count = 0;
	const char *p = line;
	const char *end = line + len;
	for (;;) {
		const char *blank = memchr(p, ' ', (size_t)(end - p));
		const char *stop = blank ? blank : end;
		if (stop == p || count == FIELDS_MAX)
			return -EINVAL; /* an empty field (two blanks, or at an end), or an eighth */
		field[count] = p;
		field_len[count] = (size_t)(stop - p);
		count++;
		if (!blank)
			break;
		p = blank + 1;
	}
	if (count < FIELDS_MIN)
		return -EINVAL;
	/* Six fields end in the address: a sixth in parentheses is a line without its address. */
	if (count == FIELDS_MIN && field[FIELDS_MIN - 1][0] == '(')
		return -EINVAL;
	/* A NUL would end the name early for everything that reads it as a string. */
	if (memchr(field[0], '\0', field_len[0]))
		return -EINVAL;

	out->name = field[0];
	out->name_len = field_len[0];
	out->letters = "";
	out->letters_len = 0;
	if (count == FIELDS_MAX) {
		const char *t = field[FIELDS_MAX - 1];
		size_t n = field_len[FIELDS_MAX - 1];
		if (n < 2 || t[0] != '(' || t[n - 1] != ')')
			return -EINVAL;
		t++;
		n -= 2;
		/* module_flags(): '-' while unloading, '+' while loading, after the letters. */
		if (n > 0 && (t[n - 1] == '+' || t[n - 1] == '-'))
			n--;
		out->letters = t;
		out->letters_len = n;
	}
	return 0;
}

/* One line: recorded when its module carries taint; returns what was wrong with it, or -1. */
static int decode_line(const char *line, size_t len, size_t modules_max, struct taint_snapshot *snap)
{
	struct proc_module_line parsed;
	if (proc_modules_parse_line(line, len, &parsed) < 0)
		return PROC_MODULES_NOT_A_LINE;
	if (parsed.letters_len == 0)
		return -1; /* a clean module */
	if (parsed.name_len > MODULE_NAME_MAX)
		return PROC_MODULES_NAME_TOO_LONG;
	if (!module_letters_valid(parsed.letters, parsed.letters_len))
		return PROC_MODULES_BAD_LETTERS;
	char name[MODULE_NAME_UTF8_MAX + 1];
	char letters[MODULE_LETTERS_MAX + 1];
	module_name_utf8(parsed.name, parsed.name_len, name);
	memcpy(letters, parsed.letters, parsed.letters_len); /* valid: at most 52 letters */
	letters[parsed.letters_len] = '\0';
	snapshot_add_module(snap, name, letters, modules_max);
	return -1;
}

void proc_modules_decode(const char *text, size_t len, size_t modules_max,
			 struct taint_snapshot *snap, unsigned int *problems)
{
	const char *end = text + len;
	const char *previous = NULL; /* the name of the line before */
	size_t previous_len = 0;
	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t line_len = (size_t)((nl ? nl : end) - line);
		const char *blank = memchr(line, ' ', line_len);
		size_t name_len = (size_t)((blank ? blank : line + line_len) - line);
		/* by name: the module that was loaded may be using it, its use count changed */
		bool repeated = previous && name_len == previous_len &&
				memcmp(line, previous, name_len) == 0;
		int problem = repeated ? -1 : decode_line(line, line_len, modules_max, snap);
		if (problem >= 0) {
			snap->module_read_errors++;
			*problems |= 1U << problem;
		}
		previous = line;
		previous_len = name_len;
		line += line_len + 1;
	}
}
