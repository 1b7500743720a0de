#ifndef TAINT_EXPORTER_SNAPSHOT_H
#define TAINT_EXPORTER_SNAPSHOT_H

/*
 * The data model: what one scrape learned of the kernel. The read layer (read/collect.h)
 * fills it; the renderers (render/) read it and know nothing of where it came from.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buffer.h"

/* Kernel module names are at most 55 bytes (MODULE_NAME_LEN 56); a longer one is not used. */
#define MODULE_NAME_MAX 255
/* The longest name module_name_utf8() makes: every byte written as \xHH. */
#define MODULE_NAME_UTF8_MAX (4 * MODULE_NAME_MAX)

/* Longest location ("file:line function") and log line kept: longer ones are cut. */
#define KMSG_LOCATION_MAX 128
#define KMSG_LINE_MAX 256

/* A set of taint letters (ASCII): those the loaded modules carry, in one scrape. */
struct taint_letter_set {
	uint64_t bits[2];
};

#define TAINT_LETTER_SET_INIT    \
	{                        \
		.bits = { 0, 0 } \
	}

/* taint_letter_set_add() - add each letter of @letters (NUL-terminated; non-ASCII ignored). */
void taint_letter_set_add(struct taint_letter_set *set, const char *letters);

/* taint_letter_set_has() - whether @letter is in @set. */
bool taint_letter_set_has(const struct taint_letter_set *set, char letter);

/*
 * The kernel log's account of one flag (--collector.kmsg): the first record still in the ring
 * buffer that explains it, a message the kernel prints when it sets the flag or a "Tainted:"
 * header that shows the letter for the first time. Kept once, never replaced: its module and
 * location label one series per flag for the life of the process.
 */
struct taint_log_entry {
	char letter;
	uint64_t seq; /* the record's sequence number */
	/*
	 * Wall-clock: the record's time since boot plus boot's wall-clock time as reckoned when
	 * this copy was made (the reader keeps the time since boot), as dmesg -T does.
	 */
	uint64_t time_usec;
	const char *kind; /* what the record is, a static string: "module license", ... */
	char module[MODULE_NAME_MAX + 1]; /* the module the message names, or "" */
	char location[KMSG_LOCATION_MAX + 1]; /* for W, "file:line function", or "" */
	char line[KMSG_LINE_MAX + 1]; /* the message, cut to KMSG_LINE_MAX bytes */
};

/* Letters a log can account for: ASCII letters, the only ones a taint string holds. */
#define TAINT_LOG_LETTERS 52

struct taint_log {
	int error; /* 0 while the collector reads the log, or why it cannot (-errno) */
	uint64_t records; /* records read */
	uint64_t lost; /* records overwritten before they were read (EPIPE, sequence gaps) */
	size_t count;
	struct taint_log_entry entries[TAINT_LOG_LETTERS]; /* in the order they were logged */
};

/* taint_log_find() - the entry for @letter, or NULL when the log holds none. */
const struct taint_log_entry *taint_log_find(const struct taint_log *log, char letter);

/*
 * The exporter's own process_* metrics, as every exporter built on a Prometheus client
 * library has them (client_golang's process collector) and exporter dashboards read; filled
 * by read/process.h for served scrapes.
 */
struct process_stats {
	bool read; /* false: not collected (the one-shot modes), or /proc/self unreadable */
	uint64_t cpu_usec; /* user and system time */
	uint64_t resident_bytes;
	uint64_t virtual_bytes;
	uint64_t virtual_max_bytes; /* RLIMIT_AS; UINT64_MAX when unlimited */
	uint64_t open_fds;
	uint64_t max_fds; /* RLIMIT_NOFILE's soft limit */
	uint64_t start_time_usec; /* since the epoch */
};

/*
 * What one scrape found. Module records are packed into @modules as "name\0letters\0" pairs,
 * so a snapshot reused across scrapes allocates nothing once it has grown.
 */
struct taint_snapshot {
	int taint_error; /* 0, or why the taint file could not be used (-errno, see taint_parse) */
	uint64_t value; /* valid only when taint_error is 0 */

	bool modules_collected;
	struct buffer modules;
	size_t module_count;
	size_t modules_omitted; /* tainted modules beyond modules_max */
	size_t module_read_errors; /* unusable lines of the module list, 1 for an unreadable list */
	/*
	 * Whether the module list was read: false when it could not be (out of file descriptors,
	 * say), so that the module series of this scrape may lack modules that are loaded.
	 * Malformed lines leave it true: the list was read, and a hostile module name must not
	 * make the list look unreadable for good.
	 */
	bool module_list_read;
	/* the letters of every tainted module read, those beyond modules_max included */
	struct taint_letter_set module_letters;
	/*
	 * The set module flags that no loaded module carries (decode/attribution.h), worked out
	 * by the scrape; meaningful only when snapshot_attribution_known().
	 */
	uint64_t unattributed;
	/* the kernel log's account (--collector.kmsg), or NULL when the collector is off */
	const struct taint_log *log;
	/* the exporter's own process_* metrics (read/process.h): served scrapes only */
	struct process_stats process;
};

#define TAINT_SNAPSHOT_INIT                                                     \
	{                                                                       \
		.modules = BUFFER_INIT, .module_letters = TAINT_LETTER_SET_INIT \
	}

/*
 * snapshot_attribution_known() - whether this scrape can tell which set module flags no
 * loaded module carries (attribution.h): the taint value and every loaded module were read.
 */
bool snapshot_attribution_known(const struct taint_snapshot *snap);

/*
 * snapshot_add_module() - record one tainted module: its @name (valid UTF-8) and @letters
 * (NUL-terminated, checked) while fewer than @max are listed; beyond that only counted in
 * modules_omitted. Its letters go into module_letters either way: they still explain the
 * kernel's flags.
 */
void snapshot_add_module(struct taint_snapshot *snap, const char *name, const char *letters,
			 size_t max);

/* snapshot_reset() - empty @snap for a new scrape, keeping its memory. */
void snapshot_reset(struct taint_snapshot *snap);

/*
 * snapshot_next_module() - iterate the module records: start with *@cursor = 0; returns false
 * after the last one.
 */
bool snapshot_next_module(const struct taint_snapshot *snap, size_t *cursor, const char **name,
			  const char **letters);

/* snapshot_free() - release the snapshot's memory. */
void snapshot_free(struct taint_snapshot *snap);

#endif
