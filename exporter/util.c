#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "util.h"

int util_pread_whole(int fd, char *buf, size_t size, size_t *len)
{
	ssize_t n;
	/*
	 * One read: a procfs or sysfs attribute gives its whole content to one read, and so
	 * does a small regular file. It asks for the whole buffer, one byte more than the
	 * largest file accepted, so that an oversized file fills it and is noticed, and the
	 * read() that would return 0 is never needed.
	 */
	do
		n = pread(fd, buf, size, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -EFBIG;
	buf[n] = '\0';
	*len = (size_t)n;
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
