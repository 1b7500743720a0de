#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buffer.h"
#include "log.h"
#include "render/escape.h"

static enum log_level threshold = LOG_INFO;
static enum log_format format = LOG_FORMAT_LOGFMT;
static int out_fd = STDERR_FILENO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_setup(enum log_level level, enum log_format fmt)
{
	threshold = level;
	format = fmt;
}

void log_set_fd(int fd)
{
	out_fd = fd;
}

int log_level_parse(const char *s, enum log_level *level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(s, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

int log_format_parse(const char *s, enum log_format *fmt)
{
	if (strcmp(s, "logfmt") == 0)
		*fmt = LOG_FORMAT_LOGFMT;
	else if (strcmp(s, "json") == 0)
		*fmt = LOG_FORMAT_JSON;
	else
		return -EINVAL;
	return 0;
}

static void put_field(struct buffer *b, const char *key, const char *value, int first)
{
	if (format == LOG_FORMAT_JSON) {
		buffer_puts(b, first ? "{\"" : ",\"");
		buffer_puts(b, key);
		buffer_puts(b, "\":");
		escape_json_string(b, value);
		return;
	}
	if (!first)
		buffer_putc(b, ' ');
	buffer_puts(b, key);
	buffer_putc(b, '=');
	escape_logfmt_value(b, value);
}

void log_msg(enum log_level level, const char *msg, ...)
{
	if (level < threshold)
		return;

	struct timespec ts;
	struct tm tm;
	char stamp[40];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + n, sizeof(stamp) - n, ".%03ldZ", ts.tv_nsec / 1000000);

	int saved_errno = errno;
	struct buffer b = BUFFER_INIT;
	put_field(&b, "time", stamp, 1);
	put_field(&b, "level", level_names[level], 0);
	put_field(&b, "msg", msg, 0);

	va_list ap;
	va_start(ap, msg);
	for (const char *key; (key = va_arg(ap, const char *));) {
		const char *value = va_arg(ap, const char *);
		put_field(&b, key, value ? value : "", 0);
	}
	va_end(ap);
	buffer_puts(&b, format == LOG_FORMAT_JSON ? "}\n" : "\n");

	if (buffer_status(&b) == 0) {
		ssize_t unused = write(out_fd, b.data, b.len);
		(void)unused; /* nowhere left to report a failed log write */
	}
	buffer_free(&b);
	errno = saved_errno;
}

/* A handful of distinct causes at most (errno values, a few fixed reasons): a list will do. */
struct seen_key {
	struct seen_key *next;
	char key[];
};

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static struct seen_key *seen;

bool log_first_time(const char *key)
{
	bool first = true;
	pthread_mutex_lock(&seen_lock);
	for (struct seen_key *k = seen; k; k = k->next) {
		if (strcmp(k->key, key) == 0) {
			first = false;
			break;
		}
	}
	if (first) {
		size_t len = strlen(key) + 1;
		struct seen_key *k = malloc(sizeof(*k) + len);
		if (k) {
			memcpy(k->key, key, len);
			k->next = seen;
			seen = k;
		}
	}
	pthread_mutex_unlock(&seen_lock);
	return first;
}
