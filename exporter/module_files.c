#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "module_files.h"
#include "util.h"

struct module_file {
	char *name;              /* the directory's name under module/ */
	uint64_t dir_ino;        /* a module unloaded and loaded again gets a new directory */
	struct held_file taint;  /* <name>/taint */
	int64_t absent_until;    /* no taint file: do not look again before this (ns) */
};

/*
 * The directory is listed with getdents64() into a buffer on the stack rather than with
 * fdopendir(), which allocates 32 KiB and adds fcntl() and fstat() calls. 8 KiB holds about
 * 250 entries, so a host with a few hundred modules needs two or three calls.
 */
#define DIR_READ_SIZE 8192

struct linux_dirent64 {
	ino64_t d_ino;
	off64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static void forget_file(struct module_file *m)
{
	held_file_close(&m->taint);
	m->absent_until = 0;
}

static void free_entry(struct module_file *m)
{
	held_file_close(&m->taint);
	free(m->name);
}

static int insert_entry(struct module_files *mf, size_t at, const char *name, uint64_t ino)
{
	if (mf->count == mf->cap) {
		size_t cap = mf->cap ? mf->cap * 2 : 16;
		struct module_file *grown = realloc(mf->entries, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		mf->entries = grown;
		mf->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	memmove(&mf->entries[at + 1], &mf->entries[at], (mf->count - at) * sizeof(*mf->entries));
	mf->entries[at] = (struct module_file){copy, ino, HELD_FILE_INIT, 0};
	mf->count++;
	return 0;
}

/*
 * The entry for the @at-th directory of this listing, moved to index @at. Directory order is
 * stable from one listing to the next, so it is nearly always there already; a module that
 * was unloaded drifts towards the end, where module_files_scan() drops it.
 * NULL when a new entry could not be allocated.
 */
static struct module_file *entry_for(struct module_files *mf, size_t at, const char *name,
				     uint64_t ino)
{
	size_t i = at;
	while (i < mf->count && strcmp(mf->entries[i].name, name) != 0)
		i++;
	if (i == mf->count) {
		if (insert_entry(mf, at, name, ino) < 0)
			return NULL;
	} else if (i != at) {
		struct module_file swap = mf->entries[at];
		mf->entries[at] = mf->entries[i];
		mf->entries[i] = swap;
	}
	struct module_file *m = &mf->entries[at];
	if (m->dir_ino != ino) { /* the same name, but another directory: start again */
		forget_file(m);
		m->dir_ino = ino;
	}
	return m;
}

/*
 * Out of file descriptors: hold taint files only before index @keep from now on, and close
 * those after it, so that this read and the connections can have fds.
 */
static void hold_fewer(struct module_files *mf, size_t keep)
{
	for (size_t i = keep; i < mf->count; i++)
		held_file_close(&mf->entries[i].taint);
	if (mf->held_max > keep)
		mf->held_max = keep;
}

static int read_taint(struct module_files *mf, struct held_file_group *group, int dir_fd,
		      struct module_file *m, size_t index, const char *name, int64_t now_ns,
		      char *buf, size_t size, size_t *len)
{
	if (m && m->taint.fd < 0 && now_ns < m->absent_until)
		return -ENOENT;

	char path[NAME_MAX + sizeof("/taint")];
	size_t name_len = strlen(name); /* at most NAME_MAX: checked by the caller */
	memcpy(path, name, name_len);
	memcpy(path + name_len, "/taint", sizeof("/taint"));
	int err;
	if (m && index < mf->held_max) {
		err = held_file_read(&m->taint, group, dir_fd, path, buf, size, len);
		if (err == -EMFILE || err == -ENFILE) {
			hold_fewer(mf, index / 2); /* half as many as fitted */
			err = util_read_file_at(dir_fd, path, buf, size, len);
		}
	} else { /* past the cap, or no room to remember it: read it the old way */
		err = util_read_file_at(dir_fd, path, buf, size, len);
	}
	if (m && (err == -ENOENT || err == -ENOTDIR))
		m->absent_until = now_ns + MODULE_FILES_ABSENT_RECHECK_NS;
	return err;
}

/*
 * The first part of the listing, from the start: the held directory is rewound, not reopened.
 * A directory removed while held lists as ENOENT (a fixture tree made again; never sysfs):
 * then the one now at the path is opened.
 */
static ssize_t list_from_start(struct module_files *mf, struct held_file_group *group, int sysfs_fd,
			       char *entries, size_t size)
{
	for (int attempt = 0;; attempt++) {
		int fd = held_file_open(&mf->dir, group, sysfs_fd, "module",
					O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			return fd;
		ssize_t n = lseek(fd, 0, SEEK_SET) < 0 ? -1 : getdents64(fd, entries, size);
		if (n >= 0)
			return n;
		int err = -errno;
		held_file_close(&mf->dir);
		if (err != -ENOENT || attempt > 0)
			return err;
	}
}

int module_files_scan(struct module_files *mf, struct held_file_group *group, int sysfs_fd,
		      int64_t now_ns, module_files_visit_fn visit, void *ctx)
{
	_Alignas(struct linux_dirent64) char entries[DIR_READ_SIZE];
	ssize_t n = list_from_start(mf, group, sysfs_fd, entries, sizeof(entries));
	if (n < 0)
		return (int)n;

	int dir_fd = mf->dir.fd;
	char content[MODULE_FILES_CONTENT_MAX];
	size_t listed = 0;
	for (; n > 0; n = getdents64(dir_fd, entries, sizeof(entries))) {
		for (ssize_t off = 0; off < n;) {
			const struct linux_dirent64 *e = (const void *)(entries + off);
			off += e->d_reclen;
			if (e->d_name[0] == '.')
				continue; /* ".", "..", and nothing else in sysfs */
			if (strnlen(e->d_name, NAME_MAX + 1) > NAME_MAX)
				continue; /* FUSE allows longer names; no module has one */
			struct module_file *m = entry_for(mf, listed, e->d_name, e->d_ino);
			size_t len = 0;
			int read_err = read_taint(mf, group, dir_fd, m, listed, e->d_name, now_ns,
						  content, sizeof(content), &len);
			if (m)
				listed++;
			visit(ctx, e->d_name, read_err, content, len);
		}
	}
	int err = n < 0 ? -errno : 0;
	held_file_release(&mf->dir);

	/* What was not listed this time has gone: its directory was removed. */
	if (err == 0) {
		for (size_t i = listed; i < mf->count; i++)
			free_entry(&mf->entries[i]);
		mf->count = listed;
	}
	return err;
}

void module_files_init(struct module_files *mf, size_t held_max)
{
	*mf = (struct module_files){
	    .dir = HELD_FILE_INIT,
	    .held_max = held_max < MODULE_FILES_HELD_MAX ? held_max : MODULE_FILES_HELD_MAX,
	};
}

void module_files_close(struct module_files *mf)
{
	for (size_t i = 0; i < mf->count; i++)
		free_entry(&mf->entries[i]);
	free(mf->entries);
	mf->entries = NULL;
	mf->count = mf->cap = 0;
	held_file_close(&mf->dir);
}
