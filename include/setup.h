#ifndef TAINT_EXPORTER_SETUP_H
#define TAINT_EXPORTER_SETUP_H

/*
 * Start-up steps shared by the server and the one-shot modes: the collector's configuration
 * from the flags, the taint layout, and the open-files limit.
 */

#include <stddef.h>

#include "decode/taint_table.h"
#include "flags.h"
#include "read/collect.h"

/*
 * setup_collect() - the one place a collect_config is built: from @opts, with @log (the
 * caller's, shared by every reader; may be NULL), and --path.procfs and --path.sysfs opened.
 * @collect: filled even on failure, so that setup_collect_close() is always right.
 * Returns 0, or -errno after logging which root could not be opened.
 */
int setup_collect(const struct options *opts, struct collect_taint_log *log,
		  struct collect_config *collect);

/* setup_collect_close() - close the roots setup_collect() opened in @collect. */
void setup_collect_close(const struct collect_config *collect);

/*
 * setup_pick_layout() - the taint layout --kernel.vendor asks for, detected for "auto".
 * @reason: set to a static string saying why. Never returns NULL.
 */
const struct taint_layout *setup_pick_layout(const struct options *opts,
					     const struct collect_config *collect,
					     const char **reason);

/* setup_choose_layout() - setup_pick_layout(), and log the choice. */
const struct taint_layout *setup_choose_layout(const struct options *opts,
					       const struct collect_config *collect);

/*
 * setup_open_files_limit() - raise the soft open-files limit, then warn when it is still
 * below what the connection limits of @opts on @listen_count addresses can hold open.
 * Returns 0, or -EMFILE after logging why when it is below what answering a single
 * connection takes: the server would then log "Listening" and never answer.
 */
int setup_open_files_limit(const struct options *opts, size_t listen_count);

/*
 * setup_kmsg_reader() - with --collector.kmsg, start following the kernel log into *@reader;
 * when it cannot be read, log once why the collector is off and return the error (-EPERM
 * without CAP_SYSLOG), which the metrics report. 0 and a NULL reader without the flag.
 */
struct kmsg_reader;
int setup_kmsg_reader(const struct options *opts, struct kmsg_reader **reader);

/* setup_kmsg_why() - the words for a kernel log that cannot be read: @err is -errno. */
const char *setup_kmsg_why(int err);

#endif
