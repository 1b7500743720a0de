#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "decode/proc_modules.h"
#include "decode/taint.h"
#include "log.h"
#include "read/collect.h"
#include "read/file.h"

/* The longest legal content of the taint file: 20 digits and a newline, with room to spare. */
#define TAINTED_FILE_MAX 64

static void note_taint_outcome(struct collect_taint_log *log, int err)
{
	/* Without a log there is no last outcome: every failure is told, no recovery is. */
	int previous = log ? atomic_exchange(&log->last_error, err) : 0;
	if (previous == err)
		return;
	if (err == 0) {
		log_msg(LOG_INFO, "Taint file is readable again", "path", TAINT_PROCFS_PATH, NULL);
		return;
	}
	log_msg(LOG_ERROR, "Cannot use taint file", "path", TAINT_PROCFS_PATH, "reason",
		taint_parse_error(err), NULL);
}

static void read_taint_value(const struct collect_config *cfg, struct taint_snapshot *snap)
{
	char buf[TAINTED_FILE_MAX + 1];
	size_t len = 0;
	int err = file_read_at(cfg->procfs_fd, TAINT_PROCFS_PATH, buf, sizeof(buf), &len);
	if (err == 0)
		err = taint_parse(buf, len, &snap->value);
	snap->taint_error = err;
	note_taint_outcome(cfg->taint_log, err);
}

/* Each kind of unusable line, logged the first time it is seen. */
static void log_module_problems(unsigned int problems)
{
	for (int kind = 0; kind < PROC_MODULES_PROBLEMS; kind++) {
		if (!(problems & (1U << kind)))
			continue;
		const char *why = proc_modules_problem_text(kind);
		char key[80];
		snprintf(key, sizeof(key), "module-line:%s", why);
		if (log_first_time(key))
			log_msg(LOG_WARN,
				"Skipping unusable lines of the module list (logged once "
				"per reason)",
				"path", PROC_MODULES_PATH, "reason", why, NULL);
	}
}

static int read_modules(const struct collect_config *cfg, struct buffer *text,
			struct taint_snapshot *snap)
{
	snap->modules_collected = true;
	int err = file_read_buffer_at(cfg->procfs_fd, PROC_MODULES_PATH, COLLECT_PROC_MODULES_MAX,
				      text);
	if (err == -ENOMEM)
		return err;
	snap->module_list_read = true;
	if (err == -ENOENT) {
		/* The kernel has /proc/modules exactly when it can load modules (CONFIG_MODULES). */
		if (log_first_time("module-list-none"))
			log_msg(LOG_INFO, "No module list: a kernel without loadable modules",
				"path", PROC_MODULES_PATH, NULL);
		return 0;
	}
	if (err < 0) {
		snap->module_list_read = false;
		snap->module_read_errors++;
		if (log_first_time("module-list"))
			log_msg(LOG_WARN,
				"Cannot read the module list; module taint is not reported", "path",
				PROC_MODULES_PATH, "reason",
				err == -EFBIG ? "larger than any kernel's module list (8 MiB)" :
						taint_parse_error(err),
				NULL);
		return 0;
	}
	unsigned int problems = 0;
	proc_modules_decode(text->data, text->len, cfg->modules_max, snap, &problems);
	log_module_problems(problems);
	if (snap->modules_omitted && log_first_time("modules-omitted")) {
		char omitted[24];
		snprintf(omitted, sizeof(omitted), "%zu", snap->modules_omitted);
		log_msg(LOG_WARN,
			"More tainted modules than --collector.modules.max; the rest are "
			"counted in taint_exporter_modules_omitted (logged once)",
			"omitted", omitted, NULL);
	}
	return buffer_status(&snap->modules);
}

int collect_snapshot(const struct collect_config *cfg, struct buffer *text,
		     struct taint_snapshot *snap)
{
	snapshot_reset(snap);
	read_taint_value(cfg, snap);
	if (!cfg->modules)
		return 0;
	return read_modules(cfg, text, snap);
}
