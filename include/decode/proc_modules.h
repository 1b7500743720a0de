#ifndef TAINT_EXPORTER_PROC_MODULES_H
#define TAINT_EXPORTER_PROC_MODULES_H

/*
 * The loaded modules and their taint, from <procfs>/modules: one line per loaded module,
 *
 *     nvidia 56823808 12 nvidia_modeset, Live 0x0000000000000000 (POE)
 *
 * name, size, use count, users ("-" for none), state, address (zero for an unprivileged
 * reader), and, only when the module carries taint, its letters in parentheses: the same
 * module_flags_taint() letters as /sys/module/<name>/taint, with '+' or '-' added while it is
 * being loaded or unloaded. Without CONFIG_MODULE_UNLOAD the use count and the users are
 * "- -". One held file read at offset 0 gives every module's taint in a few reads (the
 * kernel's seq_file hands out about a page per read), where /sys/module costs a listing and
 * one read per module.
 */

#include <stddef.h>

/* Where the list lives, relative to the procfs root. */
#define PROC_MODULES_PATH "modules"

/*
 * A line and its newline must fit in this many bytes, the reader's buffer (a page: what the
 * kernel hands out per read); a longer line is malformed. The kernel's are under 1 KiB.
 */
#define PROC_MODULES_LINE_MAX 4096

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
 * "(LETTERS)", when the module carries taint. The letters are not checked here
 * (module_letters_valid()). Returns 0, or -EINVAL for a line of another shape (too
 * few or too many fields, an empty field, a seventh field without its parentheses, a sixth
 * with them, a NUL in the name).
 */
int proc_modules_parse_line(const char *line, size_t len, struct proc_module_line *out);

/*
 * proc_modules_visit_fn - told about each line of a scan that carries taint or is malformed;
 * a well-formed line without taint is only checked (six fields), not handed over.
 * @err: 0, or -EINVAL for a malformed line (as proc_modules_parse_line(), or a line without
 *       taint that has not six fields), or -EFBIG for a line that does not fit in
 *       PROC_MODULES_LINE_MAX bytes; @line is meaningful only when @err is 0.
 */
typedef void (*proc_modules_visit_fn)(void *ctx, int err, const struct proc_module_line *line);

/*
 * proc_modules_scan() - read the open <procfs>/modules @fd from offset 0 to its end with
 * pread(), and tell @visit about each line with taint, and each malformed line, in order.
 * Lines are parsed as they arrive, in a fixed buffer on the stack: memory does not grow with
 * the module count. A read that starts with the line the previous one ended with drops it:
 * the kernel gives it twice when a module was loaded between the two reads. (One unloaded
 * between them makes the kernel skip a line: that module is missing from this scan only.)
 * Returns 0, or the -errno of pread() (lines visited before it stay visited).
 */
int proc_modules_scan(int fd, proc_modules_visit_fn visit, void *ctx);

#endif
