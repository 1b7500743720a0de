#include <string.h>
#include <sys/stat.h>

#include "taint.h"
#include "util.h"
#include "vendor.h"

/* Red Hat family release strings carry the dist tag: 3.10.0-1160.el7.x86_64, 5.14.0-70.el9. */
static const struct {
	const char *tag;
	const char *layout;
} dist_tags[] = {
	{".el6", "rhel7"}, /* RHEL 6 uses the RHEL 7 layout (TAINT.md: "RHEL 6/7") */
	{".el7", "rhel7"},
	{".el8", "rhel8"},
	{".el9", "rhel9"},
};

const struct taint_layout *vendor_from_osrelease(const char *osrelease)
{
	/*
	 * Oracle's Unbreakable Enterprise Kernel carries the dist tag too (".el7uek") but is
	 * Oracle's build of an upstream kernel, without Red Hat's taint bits.
	 */
	if (strstr(osrelease, "uek"))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(dist_tags); i++) {
		if (strstr(osrelease, dist_tags[i].tag))
			return taint_layout_find(dist_tags[i].layout);
	}
	return NULL;
}

unsigned int vendor_string_columns(int procfs_fd, const struct taint_layout *layout)
{
	char release[256];
	size_t len;
	if (procfs_fd < 0 ||
	    util_read_file_at(procfs_fd, "sys/kernel/osrelease", release, sizeof(release), &len) < 0)
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
	if (util_read_file_at(procfs_fd, "sys/kernel/osrelease", release, sizeof(release), &len) ==
	    0) {
		const struct taint_layout *layout = vendor_from_osrelease(release);
		if (layout) {
			*reason = "Red Hat dist tag in sys/kernel/osrelease";
			return layout;
		}
	}
	if (exists_at(procfs_fd, "sys/kernel/unsupported") || exists_at(sysfs_fd, "kernel/supported")) {
		*reason = "SUSE-only file sys/kernel/unsupported or kernel/supported present";
		return taint_layout_find("suse");
	}
	*reason = "no vendor marker found";
	return taint_layout_find("upstream");
}
