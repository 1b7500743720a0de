#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/taint.h"
#include "log.h"
#include "oneshot.h"
#include "read/collect.h"
#include "read/kmsg_reader.h"
#include "read/vendor.h"
#include "render/explain.h"
#include "render/textfile.h"
#include "setup.h"

/*
 * --collector.kmsg in a one-shot run: the account of the records in the log now, into a new
 * *@log that the snapshot points to (free it), or NULL without the flag. -ENOMEM or 0: a log
 * that cannot be read is reported in the output, as the server does.
 */
static int read_log_once(const struct options *opts, struct taint_snapshot *snap,
			 struct taint_log **log)
{
	*log = NULL;
	if (!opts->kmsg)
		return 0;
	*log = malloc(sizeof(**log));
	if (!*log)
		return -ENOMEM;
	int err = kmsg_read_all(opts->kmsg_path, *log);
	if (err < 0)
		log_msg(LOG_WARN, "The kmsg collector is off", "path", opts->kmsg_path, "err",
			setup_kmsg_why(err), NULL);
	snap->log = *log;
	return 0;
}

static int print_buffer(const struct buffer *out)
{
	if (fwrite(out->data, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		log_msg(LOG_ERROR, "Cannot write to standard output", "err", strerror(errno), NULL);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/*
 * --explain[=VALUE]. A given VALUE needs no procfs, except to detect the layout; a live value
 * that cannot be read is explained as such and exits 1.
 */
int oneshot_explain(const struct options *opts)
{
	struct collect_taint_log taint_log = { 0 };
	struct collect_config collect;
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer out = BUFFER_INIT;
	struct taint_log *log = NULL;
	char source[4096];
	int ret = EXIT_FAILURE;

	if (setup_collect(opts, &taint_log, &collect) < 0 && !opts->explain_has_value)
		return EXIT_FAILURE;
	struct explain_input in = { .value = opts->explain_value };
	const char *reason;
	char why[512];
	in.layout = setup_pick_layout(opts, &collect, &reason);
	in.string_columns = vendor_string_columns(collect.procfs_fd, in.layout);
	if (strcmp(opts->vendor, "auto") == 0)
		snprintf(why, sizeof(why), "--kernel.vendor=auto: %s", reason);
	else
		snprintf(why, sizeof(why), "--kernel.vendor=%s", opts->vendor);
	in.layout_reason = why;
	if (opts->explain_has_value) {
		snprintf(source, sizeof(source), "--explain=%s", opts->explain_arg);
	} else {
		snprintf(source, sizeof(source), "%s/%s", opts->procfs, TAINT_PROCFS_PATH);
		if (collect_snapshot_once(&collect, &snap) < 0 ||
		    read_log_once(opts, &snap, &log) < 0) {
			log_msg(LOG_ERROR, "Out of memory", NULL);
			goto out;
		}
		in.error = snap.taint_error;
		in.value = snap.value;
		in.snapshot = &snap;
	}
	in.source = source;
	if (explain_render(&in, opts->format, &out) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out;
	}
	ret = print_buffer(&out);
	if (in.error)
		ret = EXIT_FAILURE;
out:
	buffer_free(&out);
	snapshot_free(&snap);
	free(log);
	setup_collect_close(&collect);
	return ret;
}

/* --write-textfile=PATH: one scrape, rendered as text and written atomically. */
int oneshot_textfile(const struct options *opts, const struct build_labels *build)
{
	struct collect_taint_log taint_log = { 0 };
	struct collect_config collect;
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer out = BUFFER_INIT;
	struct exposition exposition;
	struct taint_log *log = NULL;
	int ret = EXIT_FAILURE;

	if (setup_collect(opts, &taint_log, &collect) < 0)
		return EXIT_FAILURE;
	if (exposition_init(&exposition, setup_choose_layout(opts, &collect), build) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out_roots;
	}
	if (collect_snapshot_once(&collect, &snap) < 0 || read_log_once(opts, &snap, &log) < 0 ||
	    exposition_render(&exposition, &snap, EXPOSITION_TEXT, &out) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out;
	}
	const char *step = NULL;
	int err = textfile_write(opts->textfile, out.data, out.len, &step);
	if (err < 0) {
		log_msg(LOG_ERROR, "Cannot write the textfile; the old file is left as it was",
			"path", opts->textfile, "step", step, "err", strerror(-err), NULL);
		goto out;
	}
	log_msg(LOG_INFO, "Wrote textfile", "path", opts->textfile, NULL);
	ret = EXIT_SUCCESS;
out:
	buffer_free(&out);
	snapshot_free(&snap);
	free(log);
	exposition_free(&exposition);
out_roots:
	setup_collect_close(&collect);
	return ret;
}
