/*
 * Specification of the kernel log's account (decode/taint_log.h) and of its reader
 * (read/kmsg_reader.h) on records given as a file, the way /dev/kmsg gives them: the first
 * record of each flag, its module and location, the "Tainted:" headers, continuation
 * fragments, lost records, escaping, and memory that a flood does not grow.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/taint_log.h"
#include "read/kmsg_reader.h"

static void add(struct taint_log *log, const char *text, uint64_t seq)
{
	taint_log_add(log, text, strlen(text), seq, 1000000 * seq);
}

static void the_first_record_of_a_flag_is_kept(void **state)
{
	struct taint_log log = { 0 };
	add(&log, "a: loading out-of-tree module taints kernel.", 1);
	add(&log, "b: loading out-of-tree module taints kernel.", 2);
	assert_int_equal(log.count, 1);
	const struct taint_log_entry *o = taint_log_find(&log, 'O');
	assert_non_null(o);
	assert_string_equal(o->module, "a");
	assert_int_equal(o->seq, 1);
	assert_int_equal(o->time_usec, 1000000);
	assert_string_equal(o->line, "a: loading out-of-tree module taints kernel.");
	assert_null(taint_log_find(&log, 'P'));
}

static void a_warning_gives_w_its_location_and_module(void **state)
{
	struct taint_log log = { 0 };
	add(&log,
	    "WARNING: CPU: 0 PID: 116 at /tmp/taint_test.c:8 taint_test_init+0xe/0x1000 "
	    "[taint_test]",
	    7);
	const struct taint_log_entry *w = taint_log_find(&log, 'W');
	assert_non_null(w);
	assert_string_equal(w->location, "/tmp/taint_test.c:8 taint_test_init");
	assert_string_equal(w->module, "taint_test");
}

static void a_tainted_header_accounts_for_letters_without_a_record(void **state)
{
	struct taint_log log = { 0 };
	add(&log, "x: module license 'Proprietary' taints kernel.", 1);
	add(&log, "CPU: 0 PID: 116 Comm: insmod Tainted: P        W  OE      6.1.0-57-amd64 #1", 2);
	assert_int_equal(log.count, 4); /* P from its message; W, O, E from the header */
	assert_string_equal(taint_log_find(&log, 'P')->module, "x");
	const struct taint_log_entry *e = taint_log_find(&log, 'E');
	assert_non_null(e);
	assert_int_equal(e->seq, 2);
	assert_string_equal(e->module, "");
	assert_null(taint_log_find(&log, 'G'));
}

static void control_bytes_are_written_as_the_kernel_writes_them(void **state)
{
	struct taint_log log = { 0 };
	add(&log, "bad\x1b\xff: loading out-of-tree module taints kernel.", 1);
	const struct taint_log_entry *o = taint_log_find(&log, 'O');
	assert_non_null(o);
	assert_string_equal(o->line, "bad\\x1b\\xff: loading out-of-tree module taints kernel.");
}

static void long_lines_are_cut_and_the_account_stays_bounded(void **state)
{
	struct taint_log log = { 0 };
	char line[4096];
	memset(line, 'a', sizeof(line));
	memcpy(line + sizeof(line) - 10, ":1 f+0x1", 9);
	memcpy(line, "WARNING: CPU: 0 PID: 1 at ", 26);
	line[sizeof(line) - 1] = '\0';
	for (uint64_t i = 0; i < 100000; i++)
		add(&log, line, i);
	assert_int_equal(log.count, 1);
	assert_int_equal(strlen(taint_log_find(&log, 'W')->line), KMSG_LINE_MAX);
	/* every letter a header can show, many times over: at most one entry each */
	add(&log,
	    "CPU: 0 PID: 1 Comm: x Tainted: ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz 6.1.0 #1",
	    1);
	add(&log,
	    "CPU: 0 PID: 1 Comm: x Tainted: ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz 6.1.0 #1",
	    2);
	assert_int_equal(log.count, TAINT_LOG_LETTERS - 1); /* G is the kernel's "not P" */
}

/* A file of records, the fixture's, read whole as --explain reads /dev/kmsg. */
static void reading_a_log_whole(void **state)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/kmsg-taint-test/kmsg", getenv("FIXTURES"));
	struct taint_log log;
	assert_int_equal(kmsg_read_all(path, &log), 0);
	assert_int_equal(log.error, 0);
	assert_int_equal(log.records, 12); /* a record's dictionary line is part of it */
	assert_int_equal(log.lost, 3); /* sequence numbers 1235-1237 are missing */
	assert_string_equal(taint_log_find(&log, 'O')->module, "taint_test");
	assert_string_equal(taint_log_find(&log, 'P')->module, "taint_test");
	assert_string_equal(taint_log_find(&log, 'E')->module, "taint_test");
	assert_string_equal(taint_log_find(&log, 'W')->location,
			    "/tmp/taint_test.c:8 taint_test_init");
	assert_int_equal(taint_log_find(&log, 'W')->seq, 1239);
}

static void a_log_that_cannot_be_opened_says_why(void **state)
{
	struct taint_log log;
	assert_int_equal(kmsg_read_all("/nonexistent/kmsg", &log), -ENOENT);
	assert_int_equal(log.error, -ENOENT);
	assert_int_equal(log.count, 0);
	struct kmsg_reader *r = NULL;
	assert_int_equal(kmsg_reader_start("/nonexistent/kmsg", &r), -ENOENT);
}

static void write_text(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* The reader follows: a record added later is in the next copy, continuation joined. */
static void the_reader_follows_a_growing_log(void **state)
{
	char path[] = "/tmp/test_taint_log.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	write_text(fd, "4,1,100,-;a: loading out-of-tree module taints kernel.\n");
	struct kmsg_reader *r = NULL;
	assert_int_equal(kmsg_reader_start(path, &r), 0);
	struct taint_log log;
	int tries = 0;
	do {
		usleep(20000);
		kmsg_reader_copy(r, &log);
	} while (log.count < 1 && ++tries < 250);
	assert_non_null(taint_log_find(&log, 'O'));
	assert_null(taint_log_find(&log, 'W'));
	/* an old kernel's fragments: one message in two records */
	write_text(fd, "4,2,200,c;WARNING: CPU: 1 PID: 9 at lib/x.c:42\n");
	write_text(fd, "4,3,201,+; f+0x1/0x2 [b]\n");
	tries = 0;
	do {
		usleep(20000);
		kmsg_reader_copy(r, &log);
	} while (log.count < 2 && ++tries < 250);
	const struct taint_log_entry *w = taint_log_find(&log, 'W');
	assert_non_null(w);
	assert_string_equal(w->location, "lib/x.c:42 f");
	assert_string_equal(w->module, "b");
	assert_int_equal(w->seq, 2);
	assert_int_equal(log.records, 3);
	assert_int_equal(log.lost, 0);
	kmsg_reader_stop(r);
	close(fd);
	unlink(path);
}

/* Writes @text to a new temporary file whose path is put in @path (at least 32 bytes). */
static void log_file(char *path, const char *text)
{
	strcpy(path, "/tmp/test_taint_log.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	write_text(fd, text);
	close(fd);
}

/*
 * A record longer than the reader's 8 KiB (a file or a FIFO: /dev/kmsg formats none so long)
 * is skipped whole. Its tail used to be read as a record of its own, and a tail written as a
 * kernel record gave a flag a module of the writer's choosing.
 */
static void a_record_longer_than_8_kib_is_skipped_whole(void **state)
{
	static char text[3 * 8192];
	const char *prefix = "6,20,1000,-;";
	size_t n = strlen(prefix);
	memcpy(text, prefix, n);
	memset(text + n, 'a', 8192 - n);
	strcpy(text + 8192, "0,77,100,-;evil: loading out-of-tree module taints kernel.\n"
			    "4,21,2000,-;good: module license 'Proprietary' taints kernel.\n");
	char path[32];
	log_file(path, text);
	struct taint_log log;
	assert_int_equal(kmsg_read_all(path, &log), 0);
	unlink(path);
	assert_null(taint_log_find(&log, 'O'));
	assert_non_null(taint_log_find(&log, 'P'));
	assert_string_equal(taint_log_find(&log, 'P')->module, "good");
	assert_int_equal(log.records, 1);
	assert_int_equal(log.lost, 0);
}

/* Sequence numbers that go back are no loss (the count wrapped to 2^64-7 once); gaps are. */
static void a_sequence_number_that_goes_back_is_not_a_loss(void **state)
{
	char path[32];
	log_file(path, "6,10,1,-;a\n6,11,2,-;b\n6,5,3,-;c\n6,6,4,-;d\n6,9,5,-;e\n");
	struct taint_log log;
	assert_int_equal(kmsg_read_all(path, &log), 0);
	unlink(path);
	assert_int_equal(log.records, 5);
	assert_int_equal(log.lost, 2); /* 7 and 8 */
}

/* Times are the record's since boot plus boot's wall-clock time reckoned now, as dmesg -T. */
static void times_are_reckoned_at_each_copy_as_dmesg_t_does(void **state)
{
	char path[32];
	log_file(path, "4,1,1500000,-;a: loading out-of-tree module taints kernel.\n");
	struct taint_log log;
	assert_int_equal(kmsg_read_all(path, &log), 0);
	unlink(path);
	struct timespec now, up;
	clock_gettime(CLOCK_REALTIME, &now);
	clock_gettime(CLOCK_BOOTTIME, &up);
	int64_t expected = ((int64_t)now.tv_sec - (int64_t)up.tv_sec) * 1000000 +
			   ((int64_t)now.tv_nsec - (int64_t)up.tv_nsec) / 1000 + 1500000;
	int64_t got = (int64_t)taint_log_find(&log, 'O')->time_usec;
	assert_true(got - expected < 100000 && expected - got < 100000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_first_record_of_a_flag_is_kept),
		cmocka_unit_test(a_warning_gives_w_its_location_and_module),
		cmocka_unit_test(a_tainted_header_accounts_for_letters_without_a_record),
		cmocka_unit_test(control_bytes_are_written_as_the_kernel_writes_them),
		cmocka_unit_test(long_lines_are_cut_and_the_account_stays_bounded),
		cmocka_unit_test(reading_a_log_whole),
		cmocka_unit_test(a_log_that_cannot_be_opened_says_why),
		cmocka_unit_test(the_reader_follows_a_growing_log),
		cmocka_unit_test(a_record_longer_than_8_kib_is_skipped_whole),
		cmocka_unit_test(a_sequence_number_that_goes_back_is_not_a_loss),
		cmocka_unit_test(times_are_reckoned_at_each_copy_as_dmesg_t_does),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
