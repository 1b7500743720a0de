#ifndef TAINT_EXPORTER_COLLECT_H
#define TAINT_EXPORTER_COLLECT_H

/*
 * The read layer's part of a scrape: the taint value and the module list, read afresh each
 * time. Paths are relative to directory fds opened once at start-up (--path.procfs,
 * --path.sysfs), so tests and containers point them at other trees. Every file is opened,
 * read and closed on each scrape: what a path names now is what is read, whatever replaced
 * it, and one to three scrapers a minute make the two saved system calls of a held file worth
 * nothing.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "buffer.h"
#include "snapshot.h"

/*
 * The last outcome of reading the taint file (0 or -errno), so that a lasting problem is logged
 * when it starts and when it ends, not on every scrape. One for every reader of a program,
 * whatever their threads: the caller owns it.
 */
struct collect_taint_log {
	atomic_int last_error;
};

struct collect_config {
	int procfs_fd;
	int sysfs_fd;
	bool modules; /* --collector.modules */
	size_t modules_max; /* --collector.modules.max */
	struct collect_taint_log *taint_log; /* NULL: every failing scrape logs */
};

/*
 * The largest <procfs>/modules read: about 70 bytes a module, so room for over 100,000
 * modules; a larger file is not the kernel's and is reported as unreadable.
 */
#define COLLECT_PROC_MODULES_MAX (8u << 20)

/*
 * collect_snapshot() - read the taint value and, if enabled, the module list into @snap.
 * @text: the caller's buffer for the module list's bytes, reused from one scrape to the next.
 * @snap: reset and filled; its memory is reused.
 *
 * Problems with the data are recorded in @snap and logged (once per kind), never returned: a
 * scrape always has an answer. Returns 0, or -ENOMEM when the module list could not be stored.
 */
int collect_snapshot(const struct collect_config *cfg, struct buffer *text,
		     struct taint_snapshot *snap);

#endif
