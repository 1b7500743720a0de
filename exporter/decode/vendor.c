#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decode/taint.h"
#include "decode/vendor.h"
#include "util.h"

/*
 * Red Hat's tables changed between minor releases (decode/taint_table.c); the release is the
 * kernel's build number, after the version: 3.10.0-1160.59.1.el7 is build 1160, RHEL 7.9.
 * Newest first within each dist tag; a build newer than the newest read takes the newest
 * table, whose rows for the bits Red Hat reserves print as placeholders (unknown).
 */
static const struct {
	const char *tag;
	unsigned int from_build;
	const char *layout;
	const char *reason;
} red_hat[] = {
	{ ".el6", 573, "rhel6.7",
	  "Red Hat dist tag .el6, kernel build 573 or later: RHEL 6.7 to 6.10" },
	{ ".el6", 279, "rhel6.3",
	  "Red Hat dist tag .el6, kernel build 279 to 572: RHEL 6.3 to 6.6" },
	{ ".el6", 131, "rhel6.1",
	  "Red Hat dist tag .el6, kernel build 131 to 278: RHEL 6.1 and 6.2" },
	{ ".el6", 0, "rhel6.0", "Red Hat dist tag .el6, kernel build before 131: RHEL 6.0" },
	{ ".el7", 514, "rhel7.3",
	  "Red Hat dist tag .el7, kernel build 514 or later: RHEL 7.3 to 7.9" },
	{ ".el7", 327, "rhel7.2",
	  "Red Hat dist tag .el7, kernel build 327 to 513: RHEL 7.2, whose table was not read" },
	{ ".el7", 0, "rhel7.0", "Red Hat dist tag .el7, kernel build before 327: RHEL 7.0 and 7.1" },
	{ ".el8", 0, "rhel8", "Red Hat dist tag .el8: RHEL 8" },
	{ ".el9", 362, "rhel9.3",
	  "Red Hat dist tag .el9, kernel build 362 or later: RHEL 9.3 and later (9.4 on not read)" },
	{ ".el9", 284, "rhel9.2", "Red Hat dist tag .el9, kernel build 284 to 361: RHEL 9.2" },
	{ ".el9", 0, "rhel9.0", "Red Hat dist tag .el9, kernel build before 284: RHEL 9.0 and 9.1" },
};

/* The build number after the version: "3.10.0-1160.59.1.el7.x86_64" gives 1160. */
static int red_hat_build(const char *osrelease, unsigned int *build)
{
	const char *dash = strchr(osrelease, '-');
	if (!dash || dash[1] < '0' || dash[1] > '9')
		return -EINVAL;
	char *stop;
	errno = 0;
	unsigned long v = strtoul(dash + 1, &stop, 10);
	if (errno || v > 1000000 || (*stop != '.' && *stop != '\0'))
		return -EINVAL;
	*build = (unsigned int)v;
	return 0;
}

const struct taint_layout *vendor_from_osrelease(const char *osrelease, const char **reason)
{
	/*
	 * Oracle's Unbreakable Enterprise Kernel carries the dist tag too (".el7uek") but is
	 * Oracle's build of an upstream kernel, without Red Hat's taint bits.
	 */
	if (strstr(osrelease, "uek"))
		return NULL;
	unsigned int build;
	bool have_build = red_hat_build(osrelease, &build) == 0;
	for (size_t i = 0; i < ARRAY_SIZE(red_hat); i++) {
		if (!strstr(osrelease, red_hat[i].tag) ||
		    (have_build && build < red_hat[i].from_build))
			continue;
		*reason = red_hat[i].reason; /* no build number: the newest of the tag */
		return taint_layout_find(red_hat[i].layout);
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
 * SUSE's generations (decode/taint_table.c) by the kernel lines whose tables were read: the
 * SLE kernels 2.6.32, 3.0, 3.12, 4.4 and 4.12 each, then every 5.x from 5.3 and every 6.x.
 * Newest first; a kernel of no line read (before 2.6.32, 4.13 to 5.2, and 3.x or 4.x between
 * the SLE kernels) is suse-ambiguous.
 */
static const struct {
	unsigned int major, minor; /* from this version */
	unsigned int last_major, last_minor; /* to this one */
	const char *layout;
	const char *reason;
} suse_generations[] = {
	{ 6, 0, 1000, 1000, "suse-6.0",
	  "SUSE-only file present, kernel 6.0 or later: external support X at bit 16, no support n at bit 31" },
	{ 5, 3, 5, 1000, "suse-5.3",
	  "SUSE-only file present, kernel 5.3 to 5.x (SLE 15 SP2-SP5): external support X at bit 16, no support N at bit 31" },
	{ 4, 12, 4, 12, "suse-4.12",
	  "SUSE-only file present, kernel 4.12 (SLE 12 SP4/SP5, SLE 15 GA/SP1): no support at bit 30, external support at bit 31, neither printed" },
	{ 4, 4, 4, 4, "suse-4.4",
	  "SUSE-only file present, kernel 4.4 (SLE 12 SP2/SP3): no support N at bit 30, external support X at bit 31" },
	{ 3, 12, 3, 12, "suse-3.12",
	  "SUSE-only file present, kernel 3.12 (SLE 12 GA/SP1): no support N at bit 30, external support X at bit 31" },
	{ 3, 0, 3, 0, "suse-3.0",
	  "SUSE-only file present, kernel 3.0 (SLE 11 SP2-SP4): no support N at bit 30, external support X at bit 31" },
	{ 2, 6, 2, 6, "suse-2.6.32",
	  "SUSE-only file present, kernel 2.6 (SLE 11 SP1): no support N at bit 30, external support X at bit 31" },
};

const struct taint_layout *vendor_suse_generation(const char *osrelease, const char **reason)
{
	unsigned int v[3];
	if (osrelease && vendor_release_version(osrelease, &v[0], &v[1], &v[2]) == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(suse_generations); i++) {
			unsigned int from =
				suse_generations[i].major * 1000 + suse_generations[i].minor;
			unsigned int to = suse_generations[i].last_major * 1000 +
					  suse_generations[i].last_minor;
			unsigned int at = v[0] * 1000 + v[1];
			/* 2.6 is SLE 11 SP1's 2.6.32 only */
			if (at < from || at > to || (at == 2006 && v[2] != 32))
				continue;
			*reason = suse_generations[i].reason;
			return taint_layout_find(suse_generations[i].layout);
		}
	}
	*reason = "SUSE-only file present, kernel of no line whose table was read (or its release "
		  "unreadable): SUSE's bits 16, 30 and 31 read as unknown";
	return taint_layout_find("suse-ambiguous");
}
