#ifndef TAINT_EXPORTER_TAINT_H
#define TAINT_EXPORTER_TAINT_H

/*
 * The kernel's taint value: parsing /proc/sys/kernel/tainted and printing it the way the kernel
 * does. Pure functions over bytes and numbers; no I/O.
 */

#include <stddef.h>
#include <stdint.h>

#include "decode/taint_table.h"

/* Where the taint value lives, relative to the procfs root. */
#define TAINT_PROCFS_PATH "sys/kernel/tainted"

/*
 * The widest string a kernel prints after "Tainted:": one column per row of its print table,
 * 32 on Red Hat's (20 upstream since Linux 6.15). taint_string_columns() says how many.
 */
#define TAINT_KERNEL_STRING_COLUMNS 32

/*
 * taint_parse() - parse the contents of /proc/sys/kernel/tainted.
 * @buf: the bytes read (need not be NUL-terminated).
 * @len: how many.
 * @value: out, set only on success.
 *
 * Accepts a decimal unsigned number followed by optional trailing whitespace (the kernel
 * writes one newline). Returns 0, -ENODATA for an empty or blank file, -EINVAL for anything
 * that is not a plain decimal number (signs included), -ERANGE above 2^64-1.
 */
int taint_parse(const char *buf, size_t len, uint64_t *value);

/*
 * taint_parse_error() - a short phrase for an error of taint_parse() or of reading the file
 * (-EFBIG from file_read_at(), or any -errno, which reads as strerror()). For log lines
 * and the explain output. The string is static.
 */
const char *taint_parse_error(int err);

/*
 * taint_string_columns() - how many columns the kernel of @layout whose release is @osrelease
 * (the contents of /proc/sys/kernel/osrelease, e.g. "6.1.0-57-amd64") prints after
 * "Tainted:". Upstream kernels print one row per flag their release knows: 19 on Linux 6.1,
 * 20 from 6.15; for them it follows the release's version. A vendor layout follows a release
 * already (vendor.h), and its kernels print every row of their table. 0 when the layout's
 * table is not known; all of @layout's rows when @osrelease is NULL or has no version.
 */
unsigned int taint_string_columns(const struct taint_layout *layout, const char *osrelease);

/*
 * taint_kernel_string() - the string the kernel prints after "Tainted:": the first @columns
 * rows of @layout's print table (at most its rows; taint_string_columns() says how many),
 * each printed set or clear as the kernel does. Empty when the layout's table is not known.
 * @out must hold @columns + 1 bytes (TAINT_KERNEL_STRING_COLUMNS + 1 always do).
 */
void taint_kernel_string(const struct taint_layout *layout, uint64_t value, unsigned int columns,
			 char *out);

/*
 * taint_compact_letters() - the set bits' letters in bit order, without blanks: "POE" for
 * 4097+8192. Bits the layout does not know contribute '?'. Empty string for 0. @out must
 * hold TAINT_MAX_BITS + 1 bytes.
 */
void taint_compact_letters(const struct taint_layout *layout, uint64_t value, char *out);

#endif
