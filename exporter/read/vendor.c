#include <sys/stat.h>

#include "decode/taint.h"
#include "decode/vendor.h"
#include "read/file.h"
#include "read/vendor.h"

unsigned int vendor_string_columns(int procfs_fd, const struct taint_layout *layout)
{
	char release[256];
	size_t len;
	if (procfs_fd < 0 ||
	    file_read_at(procfs_fd, "sys/kernel/osrelease", release, sizeof(release), &len) < 0)
		return taint_string_columns(layout, NULL);
	return taint_string_columns(layout, release);
}

static int exists_at(int dirfd, const char *path)
{
	struct stat st;
	return fstatat(dirfd, path, &st, 0) == 0;
}

const struct taint_layout *vendor_detect(int procfs_fd, int sysfs_fd, const char **reason)
{
	char release[256];
	size_t len;
	if (file_read_at(procfs_fd, "sys/kernel/osrelease", release, sizeof(release), &len) == 0) {
		const struct taint_layout *layout = vendor_from_osrelease(release);
		if (layout) {
			*reason = "Red Hat dist tag in sys/kernel/osrelease";
			return layout;
		}
	}
	if (exists_at(procfs_fd, "sys/kernel/unsupported") ||
	    exists_at(sysfs_fd, "kernel/supported")) {
		*reason = "SUSE-only file sys/kernel/unsupported or kernel/supported present";
		return taint_layout_find("suse");
	}
	*reason = "no vendor marker found";
	return taint_layout_find("upstream");
}
