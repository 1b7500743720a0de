#ifndef TAINT_EXPORTER_PROC_MODULES_H
#define TAINT_EXPORTER_PROC_MODULES_H

/*
 * The loaded modules and their taint, from the text of <procfs>/modules: one line per loaded
 * module,
 *
 *     nvidia 56823808 12 nvidia_modeset, Live 0x0000000000000000 (POE)
 *
 * name, size, use count, users ("-" for none), state, address (zero for an unprivileged
 * reader), and, only when the module carries taint, its letters in parentheses: the
 * module_flags_taint() letters, with '+' or '-' added while it is being loaded or unloaded
 * (kernel/module/main.c, m_show() and module_flags()). Without CONFIG_MODULE_UNLOAD the use
 * count and the users are "- -". Pure: the read layer hands over the bytes.
 */

#include <stddef.h>

#include "snapshot.h"

/* Where the list lives, relative to the procfs root. */
#define PROC_MODULES_PATH "modules"

/* A line of another shape, or a module whose name or letters cannot be exported. */
enum proc_modules_problem {
	PROC_MODULES_NOT_A_LINE, /* not the kernel's six or seven fields */
	PROC_MODULES_NAME_TOO_LONG, /* over MODULE_NAME_MAX bytes */
	PROC_MODULES_BAD_LETTERS, /* not a string of distinct ASCII letters */
	PROC_MODULES_PROBLEMS
};

/* proc_modules_problem_text() - @problem in the words the log uses. */
const char *proc_modules_problem_text(enum proc_modules_problem problem);

struct proc_module_line {
	const char *name; /* the first field, not NUL-terminated */
	size_t name_len;
	const char *letters; /* the taint letters without '(', ')', '+' and '-'; may be empty */
	size_t letters_len;
};

/*
 * proc_modules_parse_line() - one line of <procfs>/modules, without its newline.
 * @out: set on success; its pointers point into @line.
 *
 * A line has six fields separated by single spaces, the last an address, and a seventh,
 * "(LETTERS)", when the module carries taint. The letters are not checked here. Returns 0, or
 * -EINVAL for a line of another shape (too few or too many fields, an empty field, a seventh
 * field without its parentheses, a sixth with them, a NUL in the name).
 */
int proc_modules_parse_line(const char *line, size_t len, struct proc_module_line *out);

/*
 * proc_modules_decode() - every line of the text @text (@len bytes) into @snap: each tainted
 * module through snapshot_add_module(@snap, name as valid UTF-8, letters, @modules_max); each
 * line that cannot be used counted in @snap->module_read_errors, and its kind set in
 * *@problems (a bit per enum proc_modules_problem). A line that names the module of the line
 * before it is dropped: the kernel hands the list out about a page per read() and resumes at
 * a line number, so a module loaded between two reads makes the line at the boundary come
 * twice (its use count changed, when the new module uses it). (One unloaded between them
 * makes a line go missing: that module is missing from this scrape.)
 * The last line may lack its newline.
 */
void proc_modules_decode(const char *text, size_t len, size_t modules_max,
			 struct taint_snapshot *snap, unsigned int *problems);

#endif
