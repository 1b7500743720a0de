#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "read/file.h"
#include "read/module_files.h"

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

static int read_taint(int dir_fd, const char *name, char *buf, size_t size, size_t *len)
{
	char path[NAME_MAX + sizeof("/taint")];
	size_t name_len = strlen(name); /* at most NAME_MAX: checked by the caller */
	memcpy(path, name, name_len);
	memcpy(path + name_len, "/taint", sizeof("/taint"));
	return file_read_at(dir_fd, path, buf, size, len);
}

int module_files_scan(int sysfs_fd, module_files_visit_fn visit, void *ctx)
{
	int dir_fd = openat(sysfs_fd, "module", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return -errno;

	_Alignas(struct linux_dirent64) char entries[DIR_READ_SIZE];
	char content[MODULE_FILES_CONTENT_MAX];
	ssize_t n;
	while ((n = getdents64(dir_fd, entries, sizeof(entries))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct linux_dirent64 *e = (const void *)(entries + off);
			off += e->d_reclen;
			if (e->d_name[0] == '.')
				continue; /* ".", "..", and nothing else in sysfs */
			if (strnlen(e->d_name, NAME_MAX + 1) > NAME_MAX)
				continue; /* FUSE allows longer names; no module has one */
			size_t len = 0;
			int err = read_taint(dir_fd, e->d_name, content, sizeof(content), &len);
			visit(ctx, e->d_name, err, content, len);
		}
	}
	int err = n < 0 ? -errno : 0;
	close(dir_fd);
	return err;
}
