#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "util.h"

int util_pread_whole(int fd, char *buf, size_t size, size_t *len)
{
	size_t used = 0;
	for (;;) {
		/* Ask for one byte more than fits, so that an oversized file is noticed. */
		size_t asked = size - used;
		ssize_t n = pread(fd, buf + used, asked, (off_t)used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		used += (size_t)n;
		if (used >= size)
			return -EFBIG;
		/*
		 * Less than asked is the end: a procfs or sysfs attribute gives its whole content
		 * to one read, and so does a small regular file. Not waiting for the read() that
		 * returns 0 saves a system call per file on every scrape.
		 */
		if ((size_t)n < asked)
			break;
	}
	buf[used] = '\0';
	*len = used;
	return 0;
}

int util_read_file_at(int dirfd, const char *path, char *buf, size_t size, size_t *len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	int err = util_pread_whole(fd, buf, size, len);
	close(fd);
	return err;
}

int util_open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
