#include <stdbool.h>
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
	bool have_release = file_read_at(procfs_fd, "sys/kernel/osrelease", release,
					 sizeof(release), &len) == 0;
	if (have_release) {
		const struct taint_layout *layout = vendor_from_osrelease(release, reason);
		if (layout)
			return layout;
	}
	/* sys/kernel/unsupported or kernel/supported: files only SUSE's kernels have */
	if (exists_at(procfs_fd, "sys/kernel/unsupported") ||
	    exists_at(sysfs_fd, "kernel/supported"))
		return vendor_suse_generation(have_release ? release : NULL, reason);
	*reason = "no vendor marker found";
	return taint_layout_find("upstream");
}
