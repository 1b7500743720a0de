#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/taint.h"
#include "log.h"
#include "oneshot.h"
#include "read/kmsg_reader.h"
#include "read/scrape.h"
#include "read/vendor.h"
#include "render/explain.h"
#include "setup.h"
#include "textfile.h"

/*
 * One scrape of the host, as the server makes it, for a one-shot mode: with --collector.kmsg
 * the account of the records in the log now (a log that cannot be read is reported in the
 * output, as the server does). Returns 0 or -ENOMEM.
 */
static int scrape_once(const struct options *opts, const struct collect_config *collect,
		       const struct taint_layout *layout, struct scrape *s)
{
	struct taint_log *account = NULL;
	if (opts->kmsg) {
		account = malloc(sizeof(*account));
		if (!account)
			return -ENOMEM;
		int err = kmsg_read_all(opts->kmsg_path, account);
		if (err < 0)
			log_msg(LOG_WARN, "The kmsg collector is off", "path", opts->kmsg_path,
				"err", setup_kmsg_why(err), NULL);
	}
	const struct scrape_config cfg = {
		.collect = collect,
		.layout = layout,
		.kmsg = opts->kmsg,
		.kmsg_account = account,
	};
	int err = scrape(&cfg, s);
	free(account);
	return err;
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
	struct scrape s = SCRAPE_INIT;
	struct buffer out = BUFFER_INIT;
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
		if (scrape_once(opts, &collect, in.layout, &s) < 0) {
			log_msg(LOG_ERROR, "Out of memory", NULL);
			goto out;
		}
		in.error = s.snapshot.taint_error;
		in.value = s.snapshot.value;
		in.snapshot = &s.snapshot;
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
	scrape_free(&s);
	setup_collect_close(&collect);
	return ret;
}

/* --write-textfile=PATH: one scrape, rendered as text and written atomically. */
int oneshot_textfile(const struct options *opts, const struct build_labels *build)
{
	struct collect_taint_log taint_log = { 0 };
	struct collect_config collect;
	struct scrape s = SCRAPE_INIT;
	struct buffer out = BUFFER_INIT;
	struct exposition exposition;
	int ret = EXIT_FAILURE;

	if (setup_collect(opts, &taint_log, &collect) < 0)
		return EXIT_FAILURE;
	if (exposition_init(&exposition, setup_choose_layout(opts, &collect), build) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out_roots;
	}
	if (scrape_once(opts, &collect, exposition.layout, &s) < 0 ||
	    exposition_render(&exposition, &s.snapshot, EXPOSITION_TEXT, &out) < 0) {
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
	scrape_free(&s);
	exposition_free(&exposition);
out_roots:
	setup_collect_close(&collect);
	return ret;
}
