#ifndef TAINT_EXPORTER_HELD_FILE_H
#define TAINT_EXPORTER_HELD_FILE_H

/*
 * Small files opened once and read again from offset 0 on every scrape.
 *
 * The kernel generates a procfs or sysfs file's content when it is read at offset 0 (sysctls
 * such as sys/kernel/tainted call their handler on each read; sysfs attributes and seq_files
 * start again from the first record), so pread(fd, ..., 0) on a file kept open reads the
 * kernel's state as fresh as openat()+read()+close() does, in one system call instead of
 * three. The bench measured those two saved calls per file as the largest cost of a scrape.
 *
 * Files on other filesystems, such as the fixture trees of the tests, can be replaced
 * (renamed over, deleted and written again, renamed away) while the old one is held. A group
 * of held files watches those with one inotify instance, which a scrape asks once whether
 * anything changed (one read() that fails with EAGAIN), and reopens them all when something
 * did. Where inotify is not available, they are not kept: opened for each use, as before.
 */

#include <stdbool.h>
#include <stddef.h>

/* How a held file is known to be the file its path names. */
enum held_file_kind {
	HELD_ON_KERNEL_FS, /* procfs or sysfs: never replaced; a removed one reads -ENODEV */
	HELD_WATCHED, /* elsewhere, watched by the group's inotify instance */
	HELD_NOT_KEPT, /* elsewhere, without inotify: closed after each use */
};

/* The files one reader (one thread) holds: they share the inotify instance. */
struct held_file_group {
	int inotify_fd; /* -1 until a file needs watching; HELD_FILE_GROUP_NO_INOTIFY */
	unsigned generation; /* bumped when a watched file changed; older ones are reopened */
	bool all_on_kernel_fs; /* tests only: treat every file as on procfs or sysfs */
};

#define HELD_FILE_GROUP_INIT \
	{                    \
		-1, 0, false \
	}

/* inotify_fd when inotify_init1() failed (out of instances): files are HELD_NOT_KEPT. */
#define HELD_FILE_GROUP_NO_INOTIFY (-2)

struct held_file {
	int fd; /* -1 while not open */
	enum held_file_kind kind;
	unsigned generation; /* of the group, when it was opened (HELD_WATCHED) */
};

#define HELD_FILE_INIT                   \
	{                                \
		-1, HELD_ON_KERNEL_FS, 0 \
	}

/*
 * held_file_group_refresh() - learn whether any watched file was replaced since the last call;
 * if so, every watched file of @g is reopened on its next use. Call once per scrape, before
 * the reads. Costs nothing when no file is watched (procfs and sysfs).
 */
void held_file_group_refresh(struct held_file_group *g);

/* held_file_group_close() - release the inotify instance. Close the group's files first. */
void held_file_group_close(struct held_file_group *g);

/*
 * held_file_open() - the open fd of @path (relative to @dirfd), opened with @flags on first
 * use, or again when it was replaced since.
 * @f:     the held file. @dirfd and @path must name the same file on every call with it.
 * @g:     the group @f belongs to.
 * @flags: for openat(), such as O_RDONLY; file_open_regular_at() adds O_CLOEXEC, O_NOCTTY
 *         and O_NONBLOCK, and refuses what is not a regular file.
 *
 * A watched file counts as replaced also when a directory of @path below @dirfd is renamed
 * away or removed, so that it stays as fresh as opening the path each time would.
 *
 * Call held_file_release() when done with the fd for now: it closes the files not kept.
 * Returns the fd (>= 0), owned by @f, or the -errno of file_open_regular_at().
 */
int held_file_open(struct held_file *f, struct held_file_group *g, int dirfd, const char *path,
		   int flags);

/* held_file_release() - done with held_file_open()'s fd until the next scrape. */
void held_file_release(struct held_file *f);

/*
 * held_file_read() - read the whole of @path, as file_read_at() does, through the fd
 * held_file_open() gives.
 *
 * After a failure @f is closed, so the next call starts again from openat(): a file that was
 * missing or unreadable is found again once it is back.
 *
 * Returns 0, or the -errno of file_read_at(); -ENODEV when the kernel removed the file
 * (a module unloaded) while it was held.
 */
int held_file_read(struct held_file *f, struct held_file_group *g, int dirfd, const char *path,
		   char *buf, size_t size, size_t *len);

/* held_file_close() - close @f if open; it may be used again afterwards. */
void held_file_close(struct held_file *f);

#endif
