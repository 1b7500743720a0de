#ifndef TAINT_EXPORTER_SCRAPE_H
#define TAINT_EXPORTER_SCRAPE_H

/*
 * One scrape, the same for the server, --explain on the host and --write-textfile: the taint
 * value and the module list read afresh (collect.h), the kernel log's account copied
 * (--collector.kmsg), and the set module flags no loaded module carries worked out
 * (decode/attribution.h). The renderers then only format what the snapshot holds.
 */

#include <stdbool.h>
#include <stdint.h>

#include "buffer.h"
#include "decode/taint_table.h"
#include "read/collect.h"
#include "snapshot.h"

struct kmsg_reader;

struct scrape_config {
	const struct collect_config *collect;
	const struct taint_layout *layout; /* decodes the flags for attribution */
	bool kmsg; /* --collector.kmsg */
	/*
	 * With kmsg, where the account comes from: the thread following the log (the server),
	 * or else an account made once (the one-shot modes, or a log that cannot be read: its
	 * error says why).
	 */
	struct kmsg_reader *kmsg_reader;
	const struct taint_log *kmsg_account;
	/* the server's: its own process_* metrics, the process started at this time (usec) */
	bool process;
	uint64_t process_start_usec;
};

/* What one scrape fills, reused from one scrape to the next (one per serving thread). */
struct scrape {
	struct taint_snapshot snapshot;
	struct buffer module_text; /* the module list's bytes, as read */
	struct taint_log *log; /* this scrape's copy of the kernel log's account, or NULL */
};

#define SCRAPE_INIT                                                         \
	{                                                                   \
		.snapshot = TAINT_SNAPSHOT_INIT, .module_text = BUFFER_INIT \
	}

/*
 * scrape() - fill @s->snapshot from what the host shows now, as @cfg says.
 * Returns 0, or -ENOMEM; problems with the host's data are in the snapshot, never returned.
 */
int scrape(const struct scrape_config *cfg, struct scrape *s);

/* scrape_free() - release what @s holds; it may be used again afterwards. */
void scrape_free(struct scrape *s);

#endif
