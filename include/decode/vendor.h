#ifndef TAINT_EXPORTER_VENDOR_H
#define TAINT_EXPORTER_VENDOR_H

/* Which bit layout a kernel release string names (read/vendor.h looks at the running kernel). */

#include "decode/taint_table.h"

/*
 * vendor_from_osrelease() - the layout for a kernel release string such as
 * "3.10.0-1160.el7.x86_64", or NULL when the string names no vendor we know.
 */
const struct taint_layout *vendor_from_osrelease(const char *osrelease);

#endif
