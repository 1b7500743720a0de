#ifndef TAINT_EXPORTER_COLLECT_H
#define TAINT_EXPORTER_COLLECT_H

/*
 * The read layer: everything one scrape learns from procfs and sysfs, read afresh each time.
 * Paths are relative to directory fds opened once at start-up (--path.procfs, --path.sysfs),
 * so tests and containers point them at other trees. The files under them are opened on
 * first use and kept open by each thread's reader.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buffer.h"
#include "held_file.h"

/* Kernel module names are at most 55 bytes (MODULE_NAME_LEN 56); sysfs names never more. */
#define COLLECT_MODULE_NAME_MAX 255
/* The longest name collect_module_name_utf8() makes: every byte written as \xHH. */
#define COLLECT_MODULE_NAME_UTF8_MAX (4 * COLLECT_MODULE_NAME_MAX)

/* Where the taint value lives, relative to the procfs root. */
#define COLLECT_TAINTED_PATH "sys/kernel/tainted"

struct collect_config {
	int procfs_fd;
	int sysfs_fd;
	bool modules;         /* --collector.modules */
	size_t modules_max;   /* --collector.modules.max */
};

/*
 * What one scrape found. Module records are packed into @modules as "name\0letters\0" pairs,
 * so a snapshot reused across scrapes allocates nothing once it has grown.
 */
struct taint_snapshot {
	int taint_error; /* 0, or why the taint file could not be used (-errno, see taint_parse) */
	uint64_t value;  /* valid only when taint_error is 0 */

	bool modules_collected;
	struct buffer modules;
	size_t module_count;
	size_t modules_omitted;     /* tainted modules beyond modules_max */
	size_t module_read_errors;  /* unreadable or malformed taint files, vanished ones excluded */
	/*
	 * Whether every loaded module was read: false when the module list, or a module's file,
	 * could not be read (out of file descriptors, say), so that the module series of this
	 * scrape may lack modules that are loaded. Malformed content leaves it true: the module
	 * was read, and a hostile module must not make the list look unreadable for good.
	 */
	bool module_list_read;
};

#define TAINT_SNAPSHOT_INIT {0, 0, false, BUFFER_INIT, 0, 0, 0, false}

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

/*
 * collect_add_module() - append one module record to @snap (used by the reader and by tests
 * that build snapshots by hand).
 */
void collect_add_module(struct taint_snapshot *snap, const char *name, const char *letters);

/*
 * collect_next_module() - iterate the module records: start with *@cursor = 0; returns false
 * after the last one.
 */
bool collect_next_module(const struct taint_snapshot *snap, size_t *cursor, const char **name,
			 const char **letters);

/* collect_snapshot_free() - release the snapshot's memory. */
void collect_snapshot_free(struct taint_snapshot *snap);

/*
 * collect_module_name_utf8() - @name (@len bytes, at most COLLECT_MODULE_NAME_MAX) as valid
 * UTF-8, into @out (COLLECT_MODULE_NAME_UTF8_MAX + 1 bytes, NUL-terminated): every byte that
 * is not part of a well-formed UTF-8 sequence is written as the four characters \xHH
 * (lower-case hex). Prometheus refuses a whole scrape over one label value that is not UTF-8,
 * and whoever can load a module chooses its name: this keeps the scrape, and the module in it.
 * Returns the length written.
 */
size_t collect_module_name_utf8(const char *name, size_t len, char *out);

/*
 * collect_module_letters_valid() - whether @letters (already stripped of the trailing newline)
 * is a well-formed module taint string: ASCII letters only, each at most once.
 */
bool collect_module_letters_valid(const char *letters, size_t len);

#endif
