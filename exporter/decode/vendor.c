#include <string.h>

#include "decode/taint.h"
#include "decode/vendor.h"
#include "util.h"

/* Red Hat family release strings carry the dist tag: 3.10.0-1160.el7.x86_64, 5.14.0-70.el9. */
static const struct {
	const char *tag;
	const char *layout;
} dist_tags[] = {
	{ ".el6", "rhel7" }, /* RHEL 6 uses the RHEL 7 layout (TAINT.md: "RHEL 6/7") */
	{ ".el7", "rhel7" },
	{ ".el8", "rhel8" },
	{ ".el9", "rhel9" },
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
