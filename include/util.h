#ifndef TAINT_EXPORTER_UTIL_H
#define TAINT_EXPORTER_UTIL_H

/*
 * The error convention of this project, in one place:
 *
 *   A function that can fail returns int: 0 on success, a negative errno value on failure
 *   (-ENOENT, -EINVAL, ...). A function that has more than one successful outcome documents
 *   its positive return values. Failures are logged once, by the caller that decides what to
 *   do about them, never by the helper that found them. main() unwinds with goto labels.
 */

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * util_read_file_at() - read a whole small file relative to a directory fd.
 * @dirfd: directory the path is relative to (for example the procfs root).
 * @path:  relative path, such as "sys/kernel/tainted".
 * @buf:   caller's buffer; always NUL-terminated on success.
 * @size:  size of @buf, including the room for the terminating NUL.
 * @len:   out: number of bytes read, not counting the NUL.
 *
 * Retries EINTR. A read that returns less than asked for is taken as the end of the file
 * (procfs and sysfs attributes give their whole content to one read), which saves the read()
 * that would return 0. A file that does not fit in @size - 1 bytes is refused, so a
 * truncated read can never be mistaken for the whole value.
 *
 * Returns 0, -EFBIG when the file is larger than the buffer, or the -errno of openat()/read().
 */
int util_read_file_at(int dirfd, const char *path, char *buf, size_t size, size_t *len);

/*
 * util_open_dir() - open a directory for later openat() calls.
 * Returns the fd (>= 0) or -errno.
 */
int util_open_dir(const char *path);

#endif
