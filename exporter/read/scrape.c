#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "decode/attribution.h"
#include "read/kmsg_reader.h"
#include "read/process.h"
#include "read/scrape.h"

/* The kernel log's account, copied so that rendering never waits for the log's thread. */
static int copy_log(const struct scrape_config *cfg, struct scrape *s)
{
	if (!cfg->kmsg)
		return 0;
	if (!s->log && !(s->log = malloc(sizeof(*s->log))))
		return -ENOMEM;
	if (cfg->kmsg_reader) {
		kmsg_reader_copy(cfg->kmsg_reader, s->log);
	} else {
		const struct taint_log *from = cfg->kmsg_account;
		memcpy(s->log, from, offsetof(struct taint_log, entries));
		memcpy(s->log->entries, from->entries, from->count * sizeof(from->entries[0]));
	}
	s->snapshot.log = s->log;
	return 0;
}

int scrape(const struct scrape_config *cfg, struct scrape *s)
{
	struct taint_snapshot *snap = &s->snapshot;
	int err = collect_snapshot(cfg->collect, &s->module_text, snap);
	if (err < 0)
		return err;
	if (snapshot_attribution_known(snap))
		snap->unattributed =
			taint_unattributed(cfg->layout, snap->value, &snap->module_letters);
	if (cfg->process)
		process_stats_read(cfg->process_start_usec, &snap->process);
	return copy_log(cfg, s);
}

void scrape_free(struct scrape *s)
{
	snapshot_free(&s->snapshot);
	buffer_free(&s->module_text);
	free(s->log);
	*s = (struct scrape)SCRAPE_INIT;
}
