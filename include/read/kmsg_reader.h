#ifndef TAINT_EXPORTER_KMSG_READER_H
#define TAINT_EXPORTER_KMSG_READER_H

/*
 * --collector.kmsg: one thread follows /dev/kmsg from the oldest record still in the ring
 * buffer and keeps the kernel log's account of taint (struct taint_log, snapshot.h). A scrape
 * copies the account under a mutex the thread holds only to add an entry, so a scrape never
 * waits for the log. Memory is fixed (one entry per flag, lines cut to KMSG_LINE_MAX) whatever
 * the size of the log or the rate of its records.
 *
 * Where dmesg_restrict is 1 (Debian's kernels), opening /dev/kmsg needs CAP_SYSLOG: without it
 * the reader does not start and the caller reports the collector as down.
 */

#include <stdbool.h>

#include "snapshot.h"

struct kmsg_reader;

/*
 * kmsg_reader_start() - open @path (/dev/kmsg, or a file or FIFO of records in tests) and start
 * following it. Returns 0 and *@out (stop with kmsg_reader_stop()), or -errno: -EPERM without
 * CAP_SYSLOG where dmesg_restrict is 1, -ENOMEM, or what open() or pthread_create() said.
 */
int kmsg_reader_start(const char *path, struct kmsg_reader **out);

/* kmsg_reader_copy() - the account so far into @out (the entries in use only). */
void kmsg_reader_copy(struct kmsg_reader *r, struct taint_log *out);

/* kmsg_reader_stop() - stop the thread, close the file, free @r. NULL is ignored. */
void kmsg_reader_stop(struct kmsg_reader *r);

/*
 * kmsg_read_all() - the account of every record in @path now, without waiting for more (for
 * --explain). Returns 0, or -errno as kmsg_reader_start(); @out->error says the same.
 */
int kmsg_read_all(const char *path, struct taint_log *out);

#endif
