#ifndef TAINT_EXPORTER_READ_FILE_H
#define TAINT_EXPORTER_READ_FILE_H

/*
 * The one file reader of the program: every file the exporter reads (procfs, sysfs, the web
 * config and the certificates it names) is opened and read through these, relative to a
 * directory fd where it lives under an injected root. Errors follow util.h's convention.
 */

#include <stddef.h>

#include "buffer.h"

/*
 * file_pread_whole() - read a whole small file from offset 0 of the open file @fd.
 * @buf:   caller's buffer; always NUL-terminated on success.
 * @size:  size of @buf, including the room for the terminating NUL.
 * @len:   out: number of bytes read, not counting the NUL.
 *
 * Retries EINTR. A read that returns less than asked for is taken as the end of the file
 * (procfs and sysfs attributes give their whole content to one read), which saves the read
 * that would return 0. A file that does not fit in @size - 1 bytes is refused, so a
 * truncated read can never be mistaken for the whole value. Reads with pread() at offset 0,
 * so the file position of @fd is neither used nor changed.
 *
 * Returns 0, -EFBIG when the file is larger than the buffer, or the -errno of pread().
 */
int file_pread_whole(int fd, char *buf, size_t size, size_t *len);

/*
 * file_open_regular_at() - openat(@dirfd, @path, @flags) for a regular file, never blocking.
 *
 * Every file this exporter reads is a regular file on procfs and sysfs; a tree given by
 * --path.procfs or --path.sysfs could hold a FIFO (open() would wait for a writer for good)
 * or a device. Opens with O_NONBLOCK, O_CLOEXEC and O_NOCTTY added, then refuses anything
 * that is not a regular file.
 *
 * Returns the fd (>= 0); -EISDIR for a directory, -ESPIPE for anything else that is not a
 * regular file (taint_parse_error() words it), or the -errno of openat().
 */
int file_open_regular_at(int dirfd, const char *path, int flags);

/*
 * file_read_at() - open @path relative to the directory fd @dirfd (for example the
 * procfs root and "sys/kernel/tainted"), read it whole as file_pread_whole() does, close it.
 *
 * Returns 0, or the -errno of file_open_regular_at() or file_pread_whole().
 */
int file_read_at(int dirfd, const char *path, char *buf, size_t size, size_t *len);

/*
 * file_read_buffer_at() - open the regular file @path relative to @dirfd, read it to its end
 * into @out (emptied first; its memory is reused from one call to the next), close it.
 * @max: the largest file accepted, in bytes.
 *
 * For files of any length that the kernel makes up as they are read, such as
 * <procfs>/modules (a page or so per read()). Retries EINTR.
 * Returns 0, -EFBIG when the file is larger than @max, -ENOMEM, or the -errno of
 * file_open_regular_at() or read().
 */
int file_read_buffer_at(int dirfd, const char *path, size_t max, struct buffer *out);

/*
 * file_read_alloc_at() - read the whole file at @path, relative to the directory fd @dirfd
 * (AT_FDCWD for the working directory), into a new buffer, for files of no known size such as
 * a web config or a CA bundle.
 * @max:  the largest file accepted, in bytes.
 * @out:  on success a new NUL-terminated buffer the caller frees; untouched on failure.
 * @len:  out, unless NULL: the bytes read, not counting the NUL.
 *
 * A regular file only, opened without blocking (file_open_regular_at()): a FIFO or a device
 * is refused at once. Retries EINTR. Returns 0, -EFBIG when the file is larger than @max,
 * -ENOMEM, or the -errno of file_open_regular_at() or read().
 */
int file_read_alloc_at(int dirfd, const char *path, size_t max, char **out, size_t *len);

/*
 * file_error_text() - words for an error of these readers: "not a regular file" for -ESPIPE,
 * "larger than the limit" for -EFBIG, strerror() of anything else. The string is static.
 */
const char *file_error_text(int err);

/*
 * file_open_dir() - open a directory for later openat() calls.
 * Returns the fd (>= 0) or -errno.
 */
int file_open_dir(const char *path);

#endif
