#ifndef TAINT_EXPORTER_READ_PROCESS_H
#define TAINT_EXPORTER_READ_PROCESS_H

/*
 * The exporter's own process_* metrics (struct process_stats, snapshot.h): CPU time, memory,
 * start time and file descriptors, read from the process itself on each served scrape (never
 * from --path.procfs, which may not be this process's procfs).
 */

#include <stdint.h>

#include "snapshot.h"

/* process_start_time() - now, as the start time to report: call once, at start. */
uint64_t process_start_time(void);

/*
 * process_stats_read() - fill @out for this process, started at @start_time_usec. Costs a
 * getrusage(), a read of /proc/self/statm and a walk of /proc/self/fd (a descriptor each,
 * one at a time). out->read is false when /proc/self could not be read.
 */
void process_stats_read(uint64_t start_time_usec, struct process_stats *out);

#endif
