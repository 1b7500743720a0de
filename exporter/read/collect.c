#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "decode/module.h"
#include "decode/proc_modules.h"
#include "decode/taint.h"
#include "log.h"
#include "read/collect.h"
#include "read/module_files.h"

/* The longest legal content of the taint file: 20 digits and a newline, with room to spare. */
#define TAINTED_FILE_MAX 64
/* A module's taint file: every one of 64 letters, a newline, and one byte to spare. */
#define MODULE_TAINT_FILE_MAX (TAINT_MAX_BITS + 2)

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

static void read_taint_value(struct collect_reader *r, struct taint_snapshot *snap)
{
	char buf[TAINTED_FILE_MAX + 1];
	size_t len = 0;
	int err = held_file_read(&r->taint, &r->files, r->cfg->procfs_fd, TAINT_PROCFS_PATH, buf,
				 sizeof(buf), &len);
	if (err == 0)
		err = taint_parse(buf, len, &snap->value);
	snap->taint_error = err;
	note_taint_outcome(r->cfg->taint_log, err);
}

static void note_module_problem(struct taint_snapshot *snap, const char *module, const char *why)
{
	snap->module_read_errors++;
	char key[64];
	snprintf(key, sizeof(key), "module-taint:%s", why);
	if (log_first_time(key))
		log_msg(LOG_WARN, "Skipping unusable module taint file (logged once per reason)",
			"module", module, "reason", why, NULL);
}

struct module_visit {
	const struct collect_config *cfg;
	struct taint_snapshot *snap;
};

/*
 * One module and its @len letters (NUL-terminated, without a newline), from either source:
 * recorded when it carries taint, counted as a problem when the letters are not letters.
 */
static void record_module(struct module_visit *v, const char *name, const char *letters, size_t len)
{
	struct taint_snapshot *snap = v->snap;
	if (len == 0)
		return; /* a clean module */
	char printable[MODULE_NAME_UTF8_MAX + 1];
	module_name_utf8(name, strlen(name), printable);
	if (!module_letters_valid(letters, len)) {
		note_module_problem(snap, printable, "not a string of distinct taint letters");
		return;
	}
	if (snap->module_count >= v->cfg->modules_max) {
		/* not listed, but its letters still explain the kernel's flags */
		taint_letter_set_add(&snap->module_letters, letters);
		snap->modules_omitted++;
		return;
	}
	snapshot_add_module(snap, printable, letters);
}

/* module_files_visit_fn: what one module's /sys/module/<name>/taint means for the snapshot. */
static void visit_module_file(void *ctx, const char *name, int err, const char *content, size_t len)
{
	struct module_visit *v = ctx;
	/* Built in, not a module directory, or unloaded between the listing and the read. */
	if (err == -ENOENT || err == -ENOTDIR || err == -ENODEV)
		return;
	if (err == 0 && len > MODULE_TAINT_FILE_MAX)
		err = -EFBIG;
	if (err < 0) {
		if (err != -EFBIG) /* too long is content; anything else kept it from being read */
			v->snap->module_list_read = false;
		note_module_problem(v->snap, name, taint_parse_error(err));
		return;
	}
	char letters[MODULE_TAINT_FILE_MAX + 1];
	memcpy(letters, content, len + 1);
	if (len > 0 && letters[len - 1] == '\n')
		letters[--len] = '\0';
	record_module(v, name, letters, len);
}

/* proc_modules_visit_fn: what one line of <procfs>/modules means for the snapshot. */
static void visit_module_line(void *ctx, int err, const struct proc_module_line *line)
{
	struct module_visit *v = ctx;
	if (err < 0) {
		note_module_problem(v->snap, "(a line of modules)",
				    err == -EFBIG ? "line too long" :
						    "not a line of the kernel's format");
		return;
	}
	if (line->name_len > MODULE_NAME_MAX || line->letters_len > TAINT_MAX_BITS) {
		note_module_problem(v->snap, "(a line of modules)", "name or letters too long");
		return;
	}
	char name[MODULE_NAME_MAX + 1];
	char letters[TAINT_MAX_BITS + 1];
	memcpy(name, line->name, line->name_len);
	name[line->name_len] = '\0';
	memcpy(letters, line->letters, line->letters_len);
	letters[line->letters_len] = '\0';
	record_module(v, name, letters, line->letters_len);
}

/*
 * Every module's taint from <procfs>/modules, held open and read again from offset 0 (a few
 * reads for every module at once); from <sysfs>/module only where the procfs tree has no
 * modules file. Returns 0, or the -errno of the source; @where names it.
 */
static int scan_modules(struct collect_reader *r, struct module_visit *visit, const char **where)
{
	*where = PROC_MODULES_PATH;
	int fd = held_file_open(&r->proc_modules, &r->files, r->cfg->procfs_fd, PROC_MODULES_PATH,
				O_RDONLY);
	if (fd == -ENOENT) {
		*where = "module (sysfs)";
		return module_files_scan(r->cfg->sysfs_fd, visit_module_file, visit);
	}
	if (fd < 0)
		return fd;
	int err = proc_modules_scan(fd, visit_module_line, visit);
	held_file_release(&r->proc_modules);
	if (err < 0)
		held_file_close(&r->proc_modules); /* opened again on the next scrape */
	return err;
}

static int read_modules(struct collect_reader *r, struct taint_snapshot *snap)
{
	snap->modules_collected = true;
	snap->module_list_read = true;
	struct module_visit visit = { r->cfg, snap };
	const char *where;
	int err = scan_modules(r, &visit, &where);
	if (err < 0) {
		snap->module_list_read = false;
		if (log_first_time("module-dir"))
			log_msg(LOG_WARN, "Cannot list modules; module taint is not reported",
				"path", where, "reason", strerror(-err), NULL);
		snap->module_read_errors++;
	}

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

void collect_reader_init(struct collect_reader *r, const struct collect_config *cfg)
{
	r->cfg = cfg;
	r->files = (struct held_file_group)HELD_FILE_GROUP_INIT;
	r->taint = (struct held_file)HELD_FILE_INIT;
	r->proc_modules = (struct held_file)HELD_FILE_INIT;
}

void collect_reader_close(struct collect_reader *r)
{
	held_file_close(&r->taint);
	held_file_close(&r->proc_modules);
	held_file_group_close(&r->files);
}

int collect_snapshot(struct collect_reader *r, struct taint_snapshot *snap)
{
	buffer_reset(&snap->modules);
	snap->module_count = 0;
	snap->modules_omitted = 0;
	snap->module_read_errors = 0;
	snap->modules_collected = false;
	snap->module_list_read = false;
	snap->module_letters = (struct taint_letter_set)TAINT_LETTER_SET_INIT;
	snap->value = 0;

	held_file_group_refresh(&r->files);
	read_taint_value(r, snap);
	if (!r->cfg->modules)
		return 0;
	return read_modules(r, snap);
}

int collect_snapshot_once(const struct collect_config *cfg, struct taint_snapshot *snap)
{
	struct collect_reader reader;
	collect_reader_init(&reader, cfg);
	int err = collect_snapshot(&reader, snap);
	collect_reader_close(&reader);
	return err;
}
