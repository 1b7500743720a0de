#ifndef TAINT_EXPORTER_MODULE_FILES_H
#define TAINT_EXPORTER_MODULE_FILES_H

/*
 * The per-module taint files of <sysfs>/module: the source of module taint only where the
 * procfs tree has no modules file (proc_modules.h), as in a tree given by --path.sysfs alone
 * or a fixture. The directory is listed and each module's taint file opened, read and closed
 * on every scan: nothing is kept, so nothing can be stale.
 */

#include <stddef.h>

/* Larger files are refused (-EFBIG): a taint file holds at most 64 letters and a newline. */
#define MODULE_FILES_CONTENT_MAX 128

/*
 * module_files_visit_fn - told about each module directory found by module_files_scan().
 * @ctx:     the caller's context.
 * @name:    the directory's name; names that start with a dot, or longer than NAME_MAX
 *           (possible on FUSE), are skipped.
 * @err:     0, or why the taint file could not be read: -ENOENT or -ENOTDIR when there is
 *           none (built in, or not a module), -ENODEV when the module was unloaded while
 *           being read, other -errno values as file_read_at().
 * @content: the file's bytes, NUL-terminated; meaningful only when @err is 0. A file of
 *           MODULE_FILES_CONTENT_MAX bytes or more gives -EFBIG.
 * @len:     the number of bytes in @content.
 */
typedef void (*module_files_visit_fn)(void *ctx, const char *name, int err, const char *content,
				      size_t len);

/*
 * module_files_scan() - list <sysfs>/module and read each module's taint file.
 * @sysfs_fd: the sysfs root.
 * @visit:    called for each module directory, in directory order.
 *
 * Returns 0, or the -errno of opening or listing the directory (modules visited before a
 * listing error stay visited).
 */
int module_files_scan(int sysfs_fd, module_files_visit_fn visit, void *ctx);

#endif
