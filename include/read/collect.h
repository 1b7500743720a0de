#ifndef TAINT_EXPORTER_COLLECT_H
#define TAINT_EXPORTER_COLLECT_H

/*
 * The read layer: everything one scrape learns from procfs and sysfs, read afresh each time.
 * Paths are relative to directory fds opened once at start-up (--path.procfs, --path.sysfs),
 * so tests and containers point them at other trees. The files under them are opened on
 * first use and kept open by each thread's reader.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "read/held_file.h"
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
 * What one scraping thread keeps from one scrape to the next: the two procfs files it holds
 * open and reads again at offset 0 (held_file.h says why that is as fresh as opening them),
 * the taint value and the module list. One per thread, tied to one configuration.
 */
struct collect_reader {
	const struct collect_config *cfg;
	struct held_file_group files;
	struct held_file taint;
	struct held_file proc_modules; /* <procfs>/modules (proc_modules.h) */
};

/* collect_reader_init() - a reader for @cfg, which must outlive it; opens nothing yet. */
void collect_reader_init(struct collect_reader *r, const struct collect_config *cfg);

/* collect_reader_close() - close the files @r holds; it may be used again afterwards. */
void collect_reader_close(struct collect_reader *r);

/*
 * collect_snapshot() - read the taint value and, if enabled, the per-module taint.
 * @r: the calling thread's reader: roots, collector switches and held files.
 * @snap: reset and filled; its memory is reused.
 *
 * Problems with the data are recorded in @snap, never returned: a scrape always has an answer.
 * Returns 0, or -ENOMEM when the module list could not be stored.
 */
int collect_snapshot(struct collect_reader *r, struct taint_snapshot *snap);

/*
 * collect_snapshot_once() - one scrape through a reader of its own, closed afterwards: for the
 * one-shot modes (--explain, --write-textfile), which hold nothing open. As collect_snapshot().
 */
int collect_snapshot_once(const struct collect_config *cfg, struct taint_snapshot *snap);

#endif
