#ifndef TAINT_EXPORTER_DECODE_KMSG_H
#define TAINT_EXPORTER_DECODE_KMSG_H

/*
 * The kernel log's account of taint, from /dev/kmsg records (Documentation/ABI/testing/
 * dev-kmsg): one record per read(), "PRIO,SEQ,TS_USEC,FLAG[,...];MESSAGE\n" and then dictionary
 * lines " KEY=VALUE\n". Pure: the reader (read/) hands each record over as bytes.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

struct kmsg_record {
	unsigned int prio; /* facility << 3 | level */
	uint64_t seq; /* increases by one per record; a gap is records lost (overrun) */
	uint64_t ts_usec; /* microseconds since boot (the kernel's local clock) */
	char flag; /* '-', or 'c' / '+' for a continuation fragment */
	const char *text; /* the message, not NUL-terminated, inside the record */
	size_t text_len;
};

/*
 * kmsg_record_parse() - split the record @buf (@len bytes, as read() returned them) into
 * @rec, whose text points into @buf. Returns 0, or -EINVAL when it is not such a record.
 */
int kmsg_record_parse(const char *buf, size_t len, struct kmsg_record *rec);

/*
 * kmsg_record_from_kernel() - whether @rec is a message the kernel itself logged at notice or
 * above: facility 0 (what user space writes to /dev/kmsg gets LOG_USER), level 0 to 5. The
 * kernel logs every message that sets a flag, and every dump header, at warning or above;
 * the lines it logs about user tasks, named by the task ("a.out[7]: segfault at ..."), at
 * info. Only such records may explain a flag.
 */
bool kmsg_record_from_kernel(const struct kmsg_record *rec);

/* What one message says about a taint flag. */
struct kmsg_taint_note {
	char letter; /* the flag's letter as the kernel prints it */
	const char *kind; /* what the message is: "module license", "kernel warning", ... */
	char module[MODULE_NAME_MAX + 1]; /* the module it names, or "" */
	char location[KMSG_LOCATION_MAX + 1]; /* for W: "file:line function", or "" */
};

/*
 * kmsg_taint_note() - whether the message @text (@len bytes) is one the kernel prints when it
 * sets a taint flag (the table in kmsg.c: module license, out-of-tree, signature, staging,
 * forced load, livepatch, test module, fwctl, WARNING, Oops/BUG, soft lockup, machine check,
 * bad page); if so, fills @note and returns true. The module name and location are copied as
 * they are, cut to their limits: escaping them is the renderer's job.
 */
bool kmsg_taint_note(const char *text, size_t len, struct kmsg_taint_note *note);

/* The kind of an entry that a "Tainted:" header made (kmsg_taint_note.kind for the rest). */
#define KMSG_KIND_TAINTED_HEADER "Tainted: header"

/*
 * kmsg_tainted_letters() - the letters of a "Tainted: P           OE      6.1.0 #1" header
 * inside @text (@len bytes), into @letters (room for 65; NUL-terminated; 'G', printed for a
 * clear P, left out). Returns false when @text holds no such header ("Not tainted" is one,
 * with no letters).
 */
bool kmsg_tainted_letters(const char *text, size_t len, char *letters);

#endif
