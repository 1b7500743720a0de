#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "log.h"
#include "taint.h"
#include "util.h"

/* The longest legal content: every one of 64 letters, a newline, and one byte to spare. */
#define TAINTED_FILE_MAX 64
#define MODULE_TAINT_FILE_MAX (TAINT_MAX_BITS + 2)

/*
 * The last outcome of reading the taint file, so that a lasting problem is logged when it
 * starts and when it ends, not on every scrape. Shared by all scraping threads.
 */
static atomic_int last_taint_error;

static void note_taint_outcome(int err)
{
	int previous = atomic_exchange(&last_taint_error, err);
	if (previous == err)
		return;
	if (err == 0) {
		log_msg(LOG_INFO, "Taint file is readable again", "path", COLLECT_TAINTED_PATH,
			NULL);
		return;
	}
	log_msg(LOG_ERROR, "Cannot use taint file", "path",
		COLLECT_TAINTED_PATH, "reason", taint_parse_error(err), NULL);
}

static void read_taint_value(const struct collect_config *cfg, struct taint_snapshot *snap)
{
	char buf[TAINTED_FILE_MAX + 1];
	size_t len = 0;
	int err = util_read_file_at(cfg->procfs_fd, COLLECT_TAINTED_PATH, buf, sizeof(buf), &len);
	if (err == 0)
		err = taint_parse(buf, len, &snap->value);
	snap->taint_error = err;
	note_taint_outcome(err);
}

bool collect_module_letters_valid(const char *letters, size_t len)
{
	uint64_t seen = 0; /* one bit per ASCII letter: A-Z at 0-25, a-z at 32-57 */
	for (size_t i = 0; i < len; i++) {
		char c = letters[i];
		unsigned int idx;
		if (c >= 'A' && c <= 'Z')
			idx = (unsigned int)(c - 'A');
		else if (c >= 'a' && c <= 'z')
			idx = 32 + (unsigned int)(c - 'a');
		else
			return false;
		if (seen & (UINT64_C(1) << idx))
			return false;
		seen |= UINT64_C(1) << idx;
	}
	return true;
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

static void read_one_module(int module_dir_fd, const char *name, const struct collect_config *cfg,
			    struct taint_snapshot *snap)
{
	char path[COLLECT_MODULE_NAME_MAX + sizeof("/taint")];
	char letters[MODULE_TAINT_FILE_MAX + 1];
	size_t len = 0;

	size_t name_len = strlen(name); /* at most COLLECT_MODULE_NAME_MAX: checked by the caller */
	memcpy(path, name, name_len);
	memcpy(path + name_len, "/taint", sizeof("/taint"));
	int err = util_read_file_at(module_dir_fd, path, letters, sizeof(letters), &len);
	if (err == -ENOENT || err == -ENOTDIR)
		return; /* unloaded between readdir() and open(), or not a module directory */
	if (err < 0) {
		note_module_problem(snap, name, taint_parse_error(err));
		return;
	}
	if (len > 0 && letters[len - 1] == '\n')
		letters[--len] = '\0';
	if (len == 0)
		return; /* a clean module */
	if (!collect_module_letters_valid(letters, len)) {
		note_module_problem(snap, name, "not a string of distinct taint letters");
		return;
	}
	if (snap->module_count >= cfg->modules_max) {
		snap->modules_omitted++;
		return;
	}
	collect_add_module(snap, name, letters);
}

/*
 * Reads the directory with getdents64() into a buffer on the stack rather than with
 * fdopendir(), which allocates 32 KiB and adds fcntl() and fstat() calls on every scrape.
 * 8 KiB holds about 250 entries, so a host with a few hundred modules needs two or three calls.
 */
#define MODULE_DIR_READ_SIZE 8192

struct linux_dirent64 {
	ino64_t d_ino;
	off64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int read_modules(const struct collect_config *cfg, struct taint_snapshot *snap)
{
	snap->modules_collected = true;
	int fd = openat(cfg->sysfs_fd, "module", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (log_first_time("module-dir"))
			log_msg(LOG_WARN, "Cannot list modules; module taint is not reported",
				"path", "module", "reason", strerror(errno), NULL);
		snap->module_read_errors++;
		return 0;
	}
	_Alignas(struct linux_dirent64) char entries[MODULE_DIR_READ_SIZE];
	ssize_t n;
	while ((n = getdents64(fd, entries, sizeof(entries))) > 0) {
		for (ssize_t off = 0; off < n;) {
			const struct linux_dirent64 *e = (const void *)(entries + off);
			off += e->d_reclen;
			if (e->d_name[0] == '.' || strlen(e->d_name) > COLLECT_MODULE_NAME_MAX)
				continue;
			read_one_module(fd, e->d_name, cfg, snap);
		}
	}
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err < 0) {
		if (log_first_time("module-dir-read"))
			log_msg(LOG_WARN, "Cannot read the module directory", "path", "module",
				"reason", strerror(-err), NULL);
		snap->module_read_errors++;
	}

	if (snap->modules_omitted && log_first_time("modules-omitted")) {
		char omitted[24];
		snprintf(omitted, sizeof(omitted), "%zu", snap->modules_omitted);
		log_msg(LOG_WARN, "More tainted modules than --collector.modules.max; the rest are "
				  "counted in taint_exporter_modules_omitted (logged once)",
			"omitted", omitted, NULL);
	}
	return buffer_status(&snap->modules);
}

int collect_snapshot(const struct collect_config *cfg, struct taint_snapshot *snap)
{
	buffer_reset(&snap->modules);
	snap->module_count = 0;
	snap->modules_omitted = 0;
	snap->module_read_errors = 0;
	snap->modules_collected = false;
	snap->value = 0;

	read_taint_value(cfg, snap);
	if (!cfg->modules)
		return 0;
	return read_modules(cfg, snap);
}

void collect_add_module(struct taint_snapshot *snap, const char *name, const char *letters)
{
	buffer_append(&snap->modules, name, strlen(name) + 1);
	buffer_append(&snap->modules, letters, strlen(letters) + 1);
	snap->module_count++;
}

bool collect_next_module(const struct taint_snapshot *snap, size_t *cursor, const char **name,
			 const char **letters)
{
	if (*cursor >= snap->modules.len || snap->modules.failed)
		return false;
	*name = snap->modules.data + *cursor;
	*cursor += strlen(*name) + 1;
	*letters = snap->modules.data + *cursor;
	*cursor += strlen(*letters) + 1;
	return true;
}

void collect_snapshot_free(struct taint_snapshot *snap)
{
	buffer_free(&snap->modules);
}
