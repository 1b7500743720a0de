#ifndef TAINT_EXPORTER_RENDER_KERNEL_LOG_H
#define TAINT_EXPORTER_RENDER_KERNEL_LOG_H

/*
 * What every output (--explain's text and JSON, the landing page) says of the kernel log's
 * account (--collector.kmsg, struct taint_log): the words, so that they say the same.
 */

#include <stddef.h>
#include <stdint.h>

#include "decode/taint_table.h"
#include "snapshot.h"

/* For a set flag whose record the ring buffer no longer holds. */
#define KERNEL_LOG_GONE "no longer in the kernel log"

/* kernel_log_time() - @usec since the epoch as "2026-12-03 05:41:12 UTC" into @out. */
void kernel_log_time(uint64_t usec, char *out, size_t len);

/* kernel_log_seconds() - @usec as seconds, exact: "1796245272.000001" (room for 32). */
void kernel_log_seconds(uint64_t usec, char *out, size_t len);

/*
 * kernel_log_entry() - @log's entry for the flag of @bit in @layout, or NULL when the log
 * holds none (or the layout does not know the bit, whose letter no record can show).
 */
const struct taint_log_entry *kernel_log_entry(const struct taint_log *log,
					       const struct taint_layout *layout, unsigned int bit);

/* kernel_log_why_off() - why @log could not be read, in words (log->error is not 0). */
const char *kernel_log_why_off(const struct taint_log *log);

#endif
