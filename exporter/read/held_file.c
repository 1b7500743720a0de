#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "read/file.h"
#include "read/held_file.h"

/*
 * What replacing a file does to the one we hold: renaming another over it or deleting it
 * drops its link count (IN_ATTRIB at once; IN_DELETE_SELF only after our last close),
 * renaming it away moves it (IN_MOVE_SELF). Writes in place are not watched: the next pread()
 * sees them anyway. (A directory removed while held gets neither event: getdents64() on it
 * fails with ENOENT. No reader holds a directory any more; see test_held_file.)
 */
#define REPLACED_EVENTS (IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

static bool on_kernel_fs(const struct held_file_group *g, int fd)
{
	if (g->all_on_kernel_fs)
		return true;
	struct statfs fs;
	if (fstatfs(fd, &fs) != 0)
		return false; /* then it is watched or not kept, which is only slower */
	return fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC;
}

/* Whether @path still names the open file @fd: nothing replaced it before the watch began. */
static bool still_at_path(int fd, int dirfd, const char *path)
{
	struct stat held, named;
	return fstat(fd, &held) == 0 && fstatat(dirfd, path, &named, 0) == 0 &&
	       held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

/*
 * A directory between the root and a held file, renamed away (IN_MOVE_SELF) or removed
 * (IN_DELETE_SELF), takes the held file with it: the path then names another file, or none.
 */
#define DIRECTORY_EVENTS (IN_MOVE_SELF | IN_DELETE_SELF | IN_ONLYDIR)

/*
 * Watches the open file @fd (through its /proc/self/fd link: inotify takes only paths) and
 * each directory of @path below @dirfd, so that the file counts as replaced when any of them
 * is. (The root itself is opened once at start, as a mount point would be.)
 */
static int watch(struct held_file_group *g, int fd, int dirfd, const char *path)
{
	if (g->inotify_fd == HELD_FILE_GROUP_NO_INOTIFY)
		return -ENOSYS;
	if (g->inotify_fd < 0) {
		g->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (g->inotify_fd < 0) {
			/* out of instances: keep nothing */
			g->inotify_fd = HELD_FILE_GROUP_NO_INOTIFY;
			return -ENOSYS;
		}
	}
	char link[sizeof("/proc/self/fd//") + 12 + PATH_MAX];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (inotify_add_watch(g->inotify_fd, link, REPLACED_EVENTS) < 0)
		return -errno;
	for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		int n = snprintf(link, sizeof(link), "/proc/self/fd/%d/%.*s", dirfd,
				 (int)(slash - path), path);
		if (n < 0 || (size_t)n >= sizeof(link) ||
		    inotify_add_watch(g->inotify_fd, link, DIRECTORY_EVENTS) < 0)
			return n < 0 || (size_t)n >= sizeof(link) ? -ENAMETOOLONG : -errno;
	}
	return 0;
}

void held_file_group_refresh(struct held_file_group *g)
{
	if (g->inotify_fd < 0)
		return;
	_Alignas(struct inotify_event) char events[4096];
	bool changed = false;
	/* Nearly always one read() that fails with EAGAIN. Any event, IN_Q_OVERFLOW too, counts. */
	while (read(g->inotify_fd, events, sizeof(events)) > 0)
		changed = true;
	if (!changed)
		return;
	g->generation++;
	/*
	 * Every watched file is reopened, and watched again, on its next use: a new instance
	 * drops the watches of what was replaced, so a tree renamed again and again cannot pile
	 * them up.
	 */
	close(g->inotify_fd);
	g->inotify_fd = -1;
}

void held_file_group_close(struct held_file_group *g)
{
	if (g->inotify_fd >= 0)
		close(g->inotify_fd);
	*g = (struct held_file_group)HELD_FILE_GROUP_INIT;
}

void held_file_close(struct held_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

static bool still_current(const struct held_file *f, const struct held_file_group *g)
{
	switch (f->kind) {
	case HELD_ON_KERNEL_FS:
		return true;
	case HELD_WATCHED:
		return f->generation == g->generation;
	case HELD_NOT_KEPT:
		return false;
	}
	return false;
}

void held_file_release(struct held_file *f)
{
	if (f->kind == HELD_NOT_KEPT)
		held_file_close(f);
}

int held_file_open(struct held_file *f, struct held_file_group *g, int dirfd, const char *path,
		   int flags)
{
	if (f->fd >= 0 && !still_current(f, g))
		held_file_close(f);
	if (f->fd >= 0)
		return f->fd;

	int fd = file_open_regular_at(dirfd, path, flags);
	if (fd < 0)
		return fd;
	f->fd = fd;
	f->generation = g->generation;
	if (on_kernel_fs(g, fd))
		f->kind = HELD_ON_KERNEL_FS;
	else if (watch(g, fd, dirfd, path) == 0 && still_at_path(fd, dirfd, path))
		f->kind = HELD_WATCHED;
	else
		f->kind = HELD_NOT_KEPT;
	return fd;
}

int held_file_read(struct held_file *f, struct held_file_group *g, int dirfd, const char *path,
		   char *buf, size_t size, size_t *len)
{
	int fd = held_file_open(f, g, dirfd, path, O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return fd;
	int err = file_pread_whole(fd, buf, size, len);
	if (err < 0)
		held_file_close(f);
	held_file_release(f);
	return err;
}
