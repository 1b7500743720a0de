#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/file.h"

int file_pread_whole(int fd, char *buf, size_t size, size_t *len)
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

int file_open_regular_at(int dirfd, const char *path, int flags)
{
	/* O_NONBLOCK: a FIFO would block open() until a writer came; on a file it does nothing. */
	int fd = openat(dirfd, path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct stat st;
	int err = fstat(fd, &st) != 0 ? -errno :
		  S_ISREG(st.st_mode) ? 0 :
		  S_ISDIR(st.st_mode) ? -EISDIR :
					-ESPIPE;
	if (err < 0) {
		close(fd);
		return err;
	}
	return fd;
}

int file_read_at(int dirfd, const char *path, char *buf, size_t size, size_t *len)
{
	int fd = file_open_regular_at(dirfd, path, O_RDONLY);
	if (fd < 0)
		return fd;
	int err = file_pread_whole(fd, buf, size, len);
	close(fd);
	return err;
}

/*
 * Reads @fd to its end, appending to @out (whose allocation failure is sticky); -EFBIG once
 * it holds more than @max bytes.
 */
static int read_to_end(int fd, size_t max, struct buffer *out)
{
	for (;;) {
		/* A page at least: what the kernel's seq_file hands out per read(). */
		if (!buffer_reserve(out, 4096))
			return -ENOMEM;
		ssize_t r = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		out->len += (size_t)r;
		if (out->len > max)
			return -EFBIG;
	}
}

int file_read_buffer_at(int dirfd, const char *path, size_t max, struct buffer *out)
{
	buffer_reset(out);
	int fd = file_open_regular_at(dirfd, path, O_RDONLY);
	if (fd < 0)
		return fd;
	int err = read_to_end(fd, max, out);
	close(fd);
	return err;
}

int file_read_alloc_at(int dirfd, const char *path, size_t max, char **out, size_t *len)
{
	/*
	 * A regular file only: a FIFO swapped in for a web config blocked the reload, and with
	 * it the main loop and SIGTERM, in open() until a writer came.
	 */
	int fd = file_open_regular_at(dirfd, path, O_RDONLY);
	if (fd < 0)
		return fd;
	struct buffer text = BUFFER_INIT;
	int err = read_to_end(fd, max, &text);
	close(fd);
	if (err < 0) {
		buffer_free(&text);
		return err;
	}
	*out = (char *)buffer_cstr(&text);
	if (!*out) {
		buffer_free(&text);
		return -ENOMEM;
	}
	if (len)
		*len = text.len;
	return 0;
}

const char *file_error_text(int err)
{
	switch (err) {
	case -ESPIPE:
		return "not a regular file";
	case -EFBIG:
		return "larger than the limit";
	default:
		return strerror(-err);
	}
}

int file_open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
