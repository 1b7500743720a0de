#ifndef TAINT_EXPORTER_MODULE_FILES_H
#define TAINT_EXPORTER_MODULE_FILES_H

/*
 * The per-module taint files one scraping thread keeps open between scrapes: the
 * <sysfs>/module directory, listed afresh on every scrape, and a held file (held_file.h) for
 * each module in it, read afresh on every scrape. Opening and closing every module's taint
 * file on every scrape was most of a scrape's system calls.
 *
 * A module directory without a taint file is a module built into the kernel, which never gets
 * one, or, for a moment, a module being loaded. It is looked for again once a second rather
 * than on every scrape: a typical host has a hundred built-in modules, and a failed lookup
 * costs as much as a read. Prometheus scrapes seldom come faster than that.
 *
 * Not thread-safe: each thread has its own (the directory's file position is per fd).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "held_file.h"

/* How long a module directory without a taint file is believed to stay without one. */
#define MODULE_FILES_ABSENT_RECHECK_NS INT64_C(1000000000)

/* Larger files are refused (-EFBIG): a taint file holds at most 64 letters and a newline. */
#define MODULE_FILES_CONTENT_MAX 128

/* The most taint files one reader holds; more than that are opened on each read. */
#define MODULE_FILES_HELD_MAX 1024

struct module_file;

struct module_files {
	struct held_file dir;         /* <sysfs>/module */
	struct module_file *entries;  /* in the order of the last listing */
	size_t count;
	size_t cap;
	size_t held_max;              /* taint files held open; the rest are opened each time.
				       * Lowered for good if the process runs out of fds. */
};

/*
 * module_files_init() - an empty table that will hold at most @held_max taint files open
 * (capped at MODULE_FILES_HELD_MAX; 0 holds none, only the directory).
 */
void module_files_init(struct module_files *mf, size_t held_max);

/*
 * module_files_visit_fn - told about each module directory found by module_files_scan().
 * @ctx:     the caller's context.
 * @name:    the directory's name; names that start with a dot, or longer than NAME_MAX
 *           (possible on FUSE), are skipped.
 * @err:     0, or why the taint file could not be read: -ENOENT or -ENOTDIR when there is
 *           none (built in, or not a module), -ENODEV when the module was unloaded while
 *           being read, other -errno values as held_file_read().
 * @content: the file's bytes, NUL-terminated; meaningful only when @err is 0. A file of
 *           MODULE_FILES_CONTENT_MAX bytes or more gives -EFBIG.
 * @len:     the number of bytes in @content.
 */
typedef void (*module_files_visit_fn)(void *ctx, const char *name, int err, const char *content,
				      size_t len);

/*
 * module_files_scan() - list <sysfs>/module and read each module's taint file.
 * @mf:        the held files, reused from the previous scan; updated to the new listing.
 * @group:     the group they belong to (held_file_group_refresh() called for this scrape).
 * @sysfs_fd:  the sysfs root; must be the same directory on every call with the same @mf.
 * @now_ns:    a monotonic clock reading (CLOCK_MONOTONIC_COARSE will do), for the once-a-second
 *             look at directories without a taint file.
 * @visit:     called for each module directory, in directory order.
 *
 * Returns 0, or the -errno of opening or listing the directory (modules visited before a
 * listing error stay visited). Out of memory for the table, files are read without being held.
 */
int module_files_scan(struct module_files *mf, struct held_file_group *group, int sysfs_fd,
		      int64_t now_ns, module_files_visit_fn visit, void *ctx);

/* module_files_close() - close every held file and free the table; @mf is then empty. */
void module_files_close(struct module_files *mf);

#endif
