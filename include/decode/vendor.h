#ifndef TAINT_EXPORTER_VENDOR_H
#define TAINT_EXPORTER_VENDOR_H

/* Which bit layout a kernel release string names (read/vendor.h looks at the running kernel). */

#include "decode/taint_table.h"

/*
 * vendor_from_osrelease() - the layout for a kernel release string such as
 * "3.10.0-1160.el7.x86_64", or NULL when the string names no vendor we know.
 */
const struct taint_layout *vendor_from_osrelease(const char *osrelease);

/*
 * vendor_release_version() - the "MAJOR.MINOR[.PATCH]" a release string starts with
 * ("4.12.14-122.37-default": 4, 12, 14; no patch level reads 0). Returns 0, or -EINVAL.
 */
int vendor_release_version(const char *osrelease, unsigned int *major, unsigned int *minor,
			   unsigned int *patch);

/*
 * vendor_suse_generation() - the layout of a SUSE kernel of release @osrelease (NULL when it
 * could not be read): SUSE moved its two bits between generations. *@reason says which
 * generation and why, for the log line.
 */
const struct taint_layout *vendor_suse_generation(const char *osrelease, const char **reason);

#endif
