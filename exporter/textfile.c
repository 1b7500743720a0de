#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "textfile.h"

#define TEXTFILE_MODE 0644

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Splits @path into its directory ("." when it has none) and the temporary file's template. */
static int make_names(const char *path, char *dir, char *tmp)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (*base == '\0')
		return -EISDIR; /* "dir/": no file name */
	int n = slash ? snprintf(dir, PATH_MAX, "%.*s", (int)(slash == path ? 1 : slash - path),
				 path) :
			snprintf(dir, PATH_MAX, ".");
	if (n < 0 || n >= PATH_MAX)
		return -ENAMETOOLONG;
	n = snprintf(tmp, PATH_MAX, "%.*s.%s.XXXXXX", (int)(base - path), path, base);
	if (n < 0 || n >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Writes, syncs and closes the temporary file; the caller unlinks it on failure. */
static int fill_temporary(int fd, const char *data, size_t len, const char **step)
{
	int err = write_all(fd, data, len);
	if (err < 0) {
		*step = "write the temporary file";
		close(fd);
		return err;
	}
	/* mkstemp() creates 0600; node_exporter often runs as another user than the timer. */
	if (fchmod(fd, TEXTFILE_MODE) < 0) {
		*step = "set the temporary file's mode";
		err = -errno;
		close(fd);
		return err;
	}
	/* Without fsync before rename, a crash can leave an empty file under the final name. */
	if (fsync(fd) < 0) {
		*step = "fsync the temporary file";
		err = -errno;
		close(fd);
		return err;
	}
	if (close(fd) < 0) {
		*step = "close the temporary file";
		return -errno;
	}
	return 0;
}

static int sync_directory(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int err = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return err;
}

int textfile_write(const char *path, const char *data, size_t len, const char **failed_step)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *step_unused = NULL, **step = failed_step ? failed_step : &step_unused;

	*step = "build the temporary file's name";
	int err = make_names(path, dir, tmp);
	if (err < 0)
		return err;

	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		*step = "create a temporary file in the directory";
		return -errno;
	}
	err = fill_temporary(fd, data, len, step);
	if (err == 0 && rename(tmp, path) < 0) {
		*step = "rename the temporary file over the file";
		err = -errno;
	}
	if (err < 0) {
		unlink(tmp);
		return err;
	}
	err = sync_directory(dir);
	if (err < 0)
		*step = "fsync the directory";
	return err;
}
