#ifndef TAINT_EXPORTER_LOG_H
#define TAINT_EXPORTER_LOG_H

/*
 * Structured logs on stderr, one line per event, in logfmt (the default of the Prometheus
 * exporters) or JSON:
 *
 *   time=2026-11-28T07:28:22.123Z level=info msg="Listening on" address=[::]:19110
 *   {"time":"2026-11-28T07:28:22.123Z","level":"info","msg":"Listening on","address":"[::]:19110"}
 *
 * Safe to call from any thread: each line is written with one write().
 */

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
enum log_format { LOG_FORMAT_LOGFMT, LOG_FORMAT_JSON };

/* log_setup() - choose the threshold and format; before it, info and logfmt. */
void log_setup(enum log_level level, enum log_format format);

/*
 * log_set_fd() - write the lines to @fd rather than to stderr; the seam through which the unit
 * tests read them (a memfd). @fd stays the caller's: it is never closed here. Not to be called
 * while other threads log.
 */
void log_set_fd(int fd);

/* log_level_parse() - "debug", "info", "warn", "error"; returns 0 or -EINVAL. */
int log_level_parse(const char *s, enum log_level *level);

/* log_format_parse() - "logfmt" or "json"; returns 0 or -EINVAL. */
int log_format_parse(const char *s, enum log_format *format);

/*
 * log_msg() - write one line: @msg, then NULL-terminated key/value string pairs.
 * Example: log_msg(LOG_ERROR, "Cannot read taint file", "path", p, "err", strerror(e), NULL);
 */
void log_msg(enum log_level level, const char *msg, ...) __attribute__((sentinel));

/*
 * log_first_time() - true exactly once per distinct @key over the life of the process, for
 * causes that must be logged once rather than on every scrape. Thread-safe.
 */
bool log_first_time(const char *key);

#endif
