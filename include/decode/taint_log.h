#ifndef TAINT_EXPORTER_DECODE_TAINT_LOG_H
#define TAINT_EXPORTER_DECODE_TAINT_LOG_H

/*
 * Building the kernel log's account of taint (struct taint_log, snapshot.h) from /dev/kmsg
 * records, one message at a time. Pure: the reader (read/kmsg_reader.c) reads the records,
 * joins continuation fragments and knows the clocks.
 */

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/*
 * taint_log_add() - account for one whole message @text (@len bytes) of record @seq, logged at
 * @time_usec (kept as given: the reader passes microseconds since boot and makes them
 * wall-clock when it copies the account): a message that sets a flag (kmsg_taint_note())
 * gives its letter an entry,
 * a "Tainted:" header each of its letters that has none yet. The first entry of a letter is
 * kept; @log's memory is fixed (TAINT_LOG_LETTERS entries), whatever the log holds.
 */
void taint_log_add(struct taint_log *log, const char *text, size_t len, uint64_t seq,
		   uint64_t time_usec);

#endif
