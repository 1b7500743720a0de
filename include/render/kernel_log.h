#ifndef TAINT_EXPORTER_RENDER_KERNEL_LOG_H
#define TAINT_EXPORTER_RENDER_KERNEL_LOG_H

/*
 * What every output (--explain's text and JSON, the landing page) says of the kernel log's
 * account (--collector.kmsg, struct taint_log): the words, so that they say the same.
 */

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

/* For a set flag whose record the ring buffer no longer holds. */
#define KERNEL_LOG_GONE "no longer in the kernel log"

/* kernel_log_time() - @usec since the epoch as "2026-12-03 05:41:12 UTC" into @out. */
void kernel_log_time(uint64_t usec, char *out, size_t len);

/* kernel_log_why_off() - why @log could not be read, in words (log->error is not 0). */
const char *kernel_log_why_off(const struct taint_log *log);

#endif
