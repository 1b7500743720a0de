#include <errno.h>
#include <stdlib.h>
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

/* One decimal number of at most 1000 at *@s, then @end (or the end of the string). */
static int version_part(const char **s, char end, unsigned int *out)
{
	char *stop;
	errno = 0;
	unsigned long v = strtoul(*s, &stop, 10);
	if (stop == *s || errno || v > 1000 || **s < '0' || **s > '9')
		return -EINVAL;
	*out = (unsigned int)v;
	*s = *stop == end ? stop + 1 : stop;
	return 0;
}

int vendor_release_version(const char *osrelease, unsigned int *major, unsigned int *minor,
			   unsigned int *patch)
{
	const char *s = osrelease;
	*patch = 0;
	if (version_part(&s, '.', major) < 0 || s[-1] != '.' || version_part(&s, '.', minor) < 0)
		return -EINVAL;
	if (s[-1] == '.')
		(void)version_part(&s, '-', patch);
	return 0;
}

/*
 * SUSE's generations by the first kernel release of each, newest first (README.md, "Taint
 * bits and vendor layouts", cites the patch versions read). The bounds between them are the
 * releases the sources confirm: 4.19 still had 30/31, SLE 15 SP2's 5.3 had 16/31, N became n
 * when upstream took N for TAINT_TEST in 6.0; 2.6.25 moved the bits before that.
 */
static const struct {
	unsigned int major, minor, patch;
	const char *layout;
	const char *reason;
} suse_generations[] = {
	{ 6, 0, 0, "suse",
	  "SUSE-only file present, kernel 6.0 or later: external support X at bit 16, no support n at bit 31" },
	{ 5, 3, 0, "suse15",
	  "SUSE-only file present, kernel 5.3 to 5.x (SLE 15 SP2-SP5): external support X at bit 16, no support N at bit 31" },
	{ 4, 20, 0, "suse-ambiguous",
	  "SUSE-only file present, kernel 4.20 to 5.2: which of SUSE's layouts it has is not known; bits 16, 30 and 31 read as unknown" },
	{ 2, 6, 25, "suse12",
	  "SUSE-only file present, kernel 2.6.25 to 4.19 (SLE 11, 12, 15 GA/SP1): no support N at bit 30, external support X at bit 31" },
	{ 0, 0, 0, "suse-ambiguous",
	  "SUSE-only file present, kernel before 2.6.25: its SUSE bits are not known; bits 16, 30 and 31 read as unknown" },
};

const struct taint_layout *vendor_suse_generation(const char *osrelease, const char **reason)
{
	unsigned int v[3];
	if (!osrelease || vendor_release_version(osrelease, &v[0], &v[1], &v[2]) < 0) {
		*reason =
			"SUSE-only file present, kernel release unreadable: which of SUSE's layouts it has "
			"is not known; bits 16, 30 and 31 read as unknown";
		return taint_layout_find("suse-ambiguous");
	}
	size_t i = 0;
	while (v[0] < suse_generations[i].major ||
	       (v[0] == suse_generations[i].major &&
		(v[1] < suse_generations[i].minor ||
		 (v[1] == suse_generations[i].minor && v[2] < suse_generations[i].patch))))
		i++; /* the last row, 0.0.0, stops it */
	*reason = suse_generations[i].reason;
	return taint_layout_find(suse_generations[i].layout);
}
