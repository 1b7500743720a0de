#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decode/kmsg.h"
#include "decode/taint_log.h"
#include "read/kmsg_reader.h"

/*
 * A record is at most 1 KiB of message (PRINTK_MESSAGE_MAX) plus its prefix and dictionary;
 * read() of /dev/kmsg returns one whole record, or EINVAL when the buffer is too small.
 */
#define RECORD_MAX 8192
/* A message joined from continuation fragments (old kernels) is cut to this. */
#define JOINED_MAX ((size_t)4 * KMSG_LINE_MAX)

struct kmsg_reader {
	int fd;
	int stop_pipe[2]; /* a byte written to [1] ends the thread */
	pthread_t thread;
	pthread_mutex_t lock; /* guards log */
	struct taint_log log;
	/* the thread's alone */
	char record[RECORD_MAX];
	size_t pending; /* bytes of a record split across reads (a file or FIFO, not /dev/kmsg) */
	bool skipping; /* within a record longer than RECORD_MAX: dropped to its end, whole */
	char joined[JOINED_MAX];
	size_t joined_len;
	uint64_t joined_seq, next_seq;
	bool seq_known;
	uint64_t joined_time;
};

/*
 * Wall-clock microseconds of boot, as dmesg -T reckons it: now on CLOCK_REALTIME less the time
 * since boot on CLOCK_BOOTTIME. Reckoned at each copy of the account, not when a record was
 * read, so that a wall clock stepped since (NTP at boot, an operator) moves every record's
 * time with it. The kernel stamps records with its local clock, which stops during suspend:
 * a record logged after a suspend reads earlier than it was, as with dmesg -T.
 */
static uint64_t boot_wall_usec(void)
{
	struct timespec now, up;
	clock_gettime(CLOCK_REALTIME, &now);
	clock_gettime(CLOCK_BOOTTIME, &up);
	int64_t usec = ((int64_t)now.tv_sec - (int64_t)up.tv_sec) * 1000000 +
		       ((int64_t)now.tv_nsec - (int64_t)up.tv_nsec) / 1000;
	return usec > 0 ? (uint64_t)usec : 0;
}

static void account(struct kmsg_reader *r, const char *text, size_t len, uint64_t seq,
		    uint64_t time, pthread_mutex_t *lock)
{
	if (lock)
		pthread_mutex_lock(lock);
	taint_log_add(&r->log, text, len, seq, time);
	if (lock)
		pthread_mutex_unlock(lock);
}

/* The message joined from fragments so far, accounted as one. */
static void flush_joined(struct kmsg_reader *r, pthread_mutex_t *lock)
{
	if (r->joined_len)
		account(r, r->joined, r->joined_len, r->joined_seq, r->joined_time, lock);
	r->joined_len = 0;
}

static void join(struct kmsg_reader *r, const struct kmsg_record *rec, uint64_t time)
{
	if (r->joined_len == 0) {
		r->joined_seq = rec->seq;
		r->joined_time = time;
	}
	size_t room = JOINED_MAX - r->joined_len;
	size_t n = rec->text_len < room ? rec->text_len : room;
	memcpy(r->joined + r->joined_len, rec->text, n);
	r->joined_len += n;
}

/* One record: bytes that are not a record are skipped (and counted nowhere: no such kernel). */
static void take_record(struct kmsg_reader *r, const char *buf, size_t len, pthread_mutex_t *lock)
{
	struct kmsg_record rec;
	if (kmsg_record_parse(buf, len, &rec) < 0)
		return;
	if (lock)
		pthread_mutex_lock(lock);
	r->log.records++;
	/* A number that goes back (a log replayed, a new file) is no loss, and not a wrap. */
	if (r->seq_known && rec.seq > r->next_seq)
		r->log.lost += rec.seq - r->next_seq;
	if (lock)
		pthread_mutex_unlock(lock);
	r->seq_known = true;
	r->next_seq = rec.seq + 1;
	if (!kmsg_record_from_kernel(&rec)) {
		flush_joined(r, lock); /* a message of the kernel's own is over */
		return;
	}
	uint64_t time = rec.ts_usec; /* since boot: made wall-clock at each copy_log() */
	if (rec.flag == '+') { /* the rest of the fragment before */
		join(r, &rec, time);
		return;
	}
	flush_joined(r, lock);
	if (rec.flag == 'c')
		join(r, &rec, time);
	else
		account(r, rec.text, rec.text_len, rec.seq, time, lock);
}

/*
 * Each record in @len bytes at r->record: /dev/kmsg gives one per read(); a file or a FIFO
 * gives several, or part of one (kept in r->pending for the next read). A record starts a line
 * that does not start with a blank (its dictionary lines do). A record longer than RECORD_MAX
 * (/dev/kmsg gives none: it formats at most CONSOLE_EXT_LOG_MAX, 8 KiB) is skipped whole: its
 * tail is not read as a record of its own.
 */
static void take_bytes(struct kmsg_reader *r, size_t len, pthread_mutex_t *lock)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (r->record[i] != '\n' || (i + 1 < len && r->record[i + 1] == ' '))
			continue;
		if (i + 1 == len || r->record[i + 1] != ' ') {
			if (!r->skipping)
				take_record(r, r->record + start, i + 1 - start, lock);
			r->skipping = false;
			start = i + 1;
		}
	}
	r->pending = len - start;
	if (r->pending == RECORD_MAX) { /* no record is this long: drop it to its end */
		r->pending = 0;
		r->skipping = true;
	}
	memmove(r->record, r->record + start, r->pending);
}

/*
 * One read() into r->record: > 0 bytes taken, 0 at the end of what there is (EAGAIN from
 * /dev/kmsg opened non-blocking, or the end of a file), < 0 on an error that ends reading.
 */
static ssize_t read_some(struct kmsg_reader *r, pthread_mutex_t *lock)
{
	ssize_t n = read(r->fd, r->record + r->pending, RECORD_MAX - r->pending);
	if (n > 0) {
		take_bytes(r, r->pending + (size_t)n, lock);
		return n;
	}
	if (n == 0 || errno == EAGAIN)
		return 0;
	/*
	 * EPIPE: records were overwritten before they were read; the next read() gives the oldest
	 * left, and the gap in sequence numbers says how many were lost.
	 */
	if (errno == EPIPE || errno == EINTR)
		return 1;
	return -errno;
}

/* True when a byte arrived on the stop pipe within @ms milliseconds. */
static bool stop_asked(struct kmsg_reader *r, int ms)
{
	struct pollfd p = { .fd = r->stop_pipe[0], .events = POLLIN };
	return poll(&p, 1, ms) > 0;
}

static void *follow(void *arg)
{
	struct kmsg_reader *r = arg;
	for (;;) {
		struct pollfd p[2] = { { .fd = r->fd, .events = POLLIN },
				       { .fd = r->stop_pipe[0], .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!p[0].revents)
			continue;
		ssize_t n = read_some(r, &r->lock);
		if (n < 0) {
			pthread_mutex_lock(&r->lock);
			r->log.error = (int)n;
			pthread_mutex_unlock(&r->lock);
			break;
		}
		/* The end of a file or a FIFO polls readable for ever: look again in a while. */
		if (n == 0) {
			flush_joined(r, &r->lock);
			if (stop_asked(r, 200))
				break;
		}
	}
	return NULL;
}

static int open_log(const char *path, int extra_flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | extra_flags);
	return fd < 0 ? -errno : fd;
}

int kmsg_reader_start(const char *path, struct kmsg_reader **out)
{
	struct kmsg_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = open_log(path, O_NONBLOCK);
	if (r->fd < 0) {
		int err = r->fd;
		free(r);
		return err;
	}
	if (pipe2(r->stop_pipe, O_CLOEXEC) < 0) {
		int err = -errno;
		close(r->fd);
		free(r);
		return err;
	}
	pthread_mutex_init(&r->lock, NULL);
	int err = pthread_create(&r->thread, NULL, follow, r);
	if (err) {
		close(r->stop_pipe[0]);
		close(r->stop_pipe[1]);
		close(r->fd);
		pthread_mutex_destroy(&r->lock);
		free(r);
		return -err;
	}
	*out = r;
	return 0;
}

/*
 * Copies the header and the entries in use (a scrape does not copy 52 empty entries), their
 * times since boot made wall-clock as the clock reads now.
 */
static void copy_log(const struct taint_log *from, struct taint_log *to)
{
	size_t head = offsetof(struct taint_log, entries);
	memcpy(to, from, head);
	memcpy(to->entries, from->entries, from->count * sizeof(from->entries[0]));
	uint64_t boot = boot_wall_usec();
	for (size_t i = 0; i < to->count; i++)
		to->entries[i].time_usec += boot;
}

void kmsg_reader_copy(struct kmsg_reader *r, struct taint_log *out)
{
	pthread_mutex_lock(&r->lock);
	copy_log(&r->log, out);
	pthread_mutex_unlock(&r->lock);
}

void kmsg_reader_stop(struct kmsg_reader *r)
{
	if (!r)
		return;
	char byte = 1;
	if (write(r->stop_pipe[1], &byte, 1) == 1)
		pthread_join(r->thread, NULL);
	close(r->stop_pipe[0]);
	close(r->stop_pipe[1]);
	close(r->fd);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

int kmsg_read_all(const char *path, struct taint_log *out)
{
	memset(out, 0, offsetof(struct taint_log, entries));
	struct kmsg_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return out->error = -ENOMEM;
	r->fd = open_log(path, O_NONBLOCK);
	int err = r->fd < 0 ? r->fd : 0;
	ssize_t n = 1;
	while (!err && n > 0)
		n = read_some(r, NULL);
	if (!err && n < 0)
		err = (int)n;
	flush_joined(r, NULL);
	r->log.error = err;
	copy_log(&r->log, out);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
	return err;
}
