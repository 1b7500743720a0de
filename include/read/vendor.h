#ifndef TAINT_EXPORTER_READ_VENDOR_H
#define TAINT_EXPORTER_READ_VENDOR_H

/*
 * Which bit layout the running kernel uses, for --kernel.vendor=auto, from what its procfs and
 * sysfs show. Decided once at start-up: a kernel does not change vendor without a reboot.
 */

#include "decode/taint_table.h"

/*
 * vendor_detect() - pick a layout from <procfs>/sys/kernel/osrelease and the SUSE-only files
 * (<procfs>/sys/kernel/unsupported, <sysfs>/kernel/supported).
 * @procfs_fd, @sysfs_fd: directory fds of the roots.
 * @reason: out, a static phrase saying why this layout was chosen, for the start-up log.
 *
 * Never fails: anything it cannot tell is upstream.
 */
const struct taint_layout *vendor_detect(int procfs_fd, int sysfs_fd, const char **reason);

/*
 * vendor_string_columns() - how many columns the running kernel prints after "Tainted:"
 * (taint_string_columns() for <procfs>/sys/kernel/osrelease and @layout). @procfs_fd may be
 * -1 (--explain=VALUE without a procfs): then every row of @layout's table.
 */
unsigned int vendor_string_columns(int procfs_fd, const struct taint_layout *layout);

#endif
