#ifndef TAINT_EXPORTER_VENDOR_H
#define TAINT_EXPORTER_VENDOR_H

/* Which bit layout a kernel release string names (read/vendor.h looks at the running kernel). */

#include "decode/taint_table.h"

/*
 * vendor_from_osrelease() - the layout for a Red Hat kernel release string such as
 * "3.10.0-1160.el7.x86_64", chosen by its dist tag and build number, with *@reason saying
 * which release that is for the log line; NULL when the string names no Red Hat kernel.
 */
const struct taint_layout *vendor_from_osrelease(const char *osrelease, const char **reason);

/*
 * vendor_release_version() - the "MAJOR.MINOR[.PATCH]" a release string starts with
 * ("4.12.14-122.37-default": 4, 12, 14; no patch level reads 0). Returns 0, or -EINVAL.
 */
int vendor_release_version(const char *osrelease, unsigned int *major, unsigned int *minor,
			   unsigned int *patch);

/*
 * vendor_suse_generation() - the layout of a SUSE kernel of release @osrelease (NULL when it
 * could not be read): SUSE moved its two bits, and changed its print table, between kernel
 * lines. *@reason says which generation and why, for the log line.
 */
const struct taint_layout *vendor_suse_generation(const char *osrelease, const char **reason);

#endif
