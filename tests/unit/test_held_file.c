/*
 * Specification of held files: a file kept open and read again at offset 0 reads what its
 * path names now. On a tree the test makes, that is: a file rewritten in place, renamed
 * over, deleted and written again, with inotify and without it. On the real /proc and /sys,
 * it is the kernel's promise the design rests on: a held sysctl or sysfs attribute, read again
 * at offset 0, gives the kernel's state at that moment.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include <cmocka.h>

#include "read/held_file.h"
#include "tmptree.h"

static void content_is(struct held_file *f, struct held_file_group *g, int dirfd, const char *path,
		       const char *expected)
{
	char buf[128];
	size_t len = 0;
	int err = held_file_read(f, g, dirfd, path, buf, sizeof(buf), &len);
	if (err < 0)
		fail_msg("%s: expected \"%s\", got error %s", path, expected, strerror(-err));
	assert_string_equal(buf, expected);
	assert_int_equal(len, strlen(expected));
}

static void error_is(struct held_file *f, struct held_file_group *g, int dirfd, const char *path,
		     int expected)
{
	char buf[128];
	size_t len = 0;
	int err = held_file_read(f, g, dirfd, path, buf, sizeof(buf), &len);
	if (err != expected)
		fail_msg("%s: expected error %s, got %d (%s)", path, strerror(-expected), err,
			 err ? strerror(-err) : "the content");
}

/* Held files off procfs and sysfs need inotify; without it (out of instances) none are kept. */
static void need_inotify(struct held_file_group *g)
{
	if (g->inotify_fd == HELD_FILE_GROUP_NO_INOTIFY)
		skip();
}

static void a_rewrite_in_place_is_read_without_reopening(void **state)
{
	struct tmptree *t = *state;
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	struct held_file f = HELD_FILE_INIT;
	tmptree_put(t->fd, "tainted", "4609\n");
	content_is(&f, &g, t->fd, "tainted", "4609\n");
	need_inotify(&g);
	int fd = f.fd;

	tmptree_put(t->fd, "tainted", "0\n");
	held_file_group_refresh(&g);
	content_is(&f, &g, t->fd, "tainted", "0\n");
	assert_int_equal(f.fd, fd);
	assert_int_equal(f.kind, HELD_WATCHED);

	held_file_close(&f);
	held_file_group_close(&g);
}

/*
 * Renamed over, deleted and written again, renamed away with a new one made in its place: all
 * of them are what fixture trees and tests do.
 */
static void replaced_files_are_reopened(struct held_file_group *g, struct tmptree *t)
{
	struct held_file f = HELD_FILE_INIT;
	tmptree_put(t->fd, "tainted", "4609\n");
	content_is(&f, g, t->fd, "tainted", "4609\n");

	tmptree_replace(t->fd, "tainted", "12288\n");
	held_file_group_refresh(g);
	content_is(&f, g, t->fd, "tainted", "12288\n");

	assert_int_equal(unlinkat(t->fd, "tainted", 0), 0);
	held_file_group_refresh(g);
	error_is(&f, g, t->fd, "tainted", -ENOENT);
	assert_int_equal(f.fd, -1);

	tmptree_put(t->fd, "tainted", "1\n");
	held_file_group_refresh(g);
	content_is(&f, g, t->fd, "tainted", "1\n");

	assert_int_equal(renameat(t->fd, "tainted", t->fd, "tainted.old"), 0);
	tmptree_put(t->fd, "tainted", "2\n");
	held_file_group_refresh(g);
	content_is(&f, g, t->fd, "tainted", "2\n");
	held_file_close(&f);
}

static void a_replaced_file_is_noticed_by_inotify(void **state)
{
	struct tmptree *t = *state;
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	struct held_file probe = HELD_FILE_INIT;
	tmptree_put(t->fd, "probe", "0\n");
	content_is(&probe, &g, t->fd, "probe", "0\n");
	need_inotify(&g);
	assert_int_equal(probe.kind, HELD_WATCHED); /* so the test below is of the watched path */
	held_file_close(&probe);

	replaced_files_are_reopened(&g, t);
	held_file_group_close(&g);
}

static void a_replaced_file_is_noticed_without_inotify(void **state)
{
	struct tmptree *t = *state;
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	g.inotify_fd =
		HELD_FILE_GROUP_NO_INOTIFY; /* as when the process is out of inotify instances */
	struct held_file f = HELD_FILE_INIT;
	tmptree_put(t->fd, "probe", "0\n");
	content_is(&f, &g, t->fd, "probe", "0\n");
	assert_int_equal(f.kind, HELD_NOT_KEPT);
	assert_int_equal(f.fd, -1); /* closed after the read: nothing can go stale */

	replaced_files_are_reopened(&g, t);
	held_file_group_close(&g);
}

/*
 * A directory between the root and a held file, renamed away with a new one made in its
 * place (issue 16, point 10): the file in the new directory is read, as opening the path
 * each time would; then the same for a directory one level up. The held file itself got no
 * event: it moved with its directory.
 */
static void a_file_whose_directory_is_renamed_away_is_reopened(void **state)
{
	struct tmptree *t = *state;
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	struct held_file f = HELD_FILE_INIT;
	tmptree_mkdirs(t->fd, "sys/kernel");
	tmptree_put(t->fd, "sys/kernel/tainted", "0\n");
	content_is(&f, &g, t->fd, "sys/kernel/tainted", "0\n");
	need_inotify(&g);
	assert_int_equal(f.kind, HELD_WATCHED);

	assert_int_equal(renameat(t->fd, "sys/kernel", t->fd, "sys/kernel.old"), 0);
	tmptree_mkdirs(t->fd, "sys/kernel");
	tmptree_put(t->fd, "sys/kernel/tainted", "512\n");
	held_file_group_refresh(&g);
	content_is(&f, &g, t->fd, "sys/kernel/tainted", "512\n");

	assert_int_equal(renameat(t->fd, "sys", t->fd, "sys.old"), 0);
	tmptree_mkdirs(t->fd, "sys/kernel");
	tmptree_put(t->fd, "sys/kernel/tainted", "4096\n");
	held_file_group_refresh(&g);
	content_is(&f, &g, t->fd, "sys/kernel/tainted", "4096\n");

	/* Renaming a directory again and again piles up no watches: one instance at a time. */
	for (int i = 0; i < 50; i++) {
		char old[32];
		snprintf(old, sizeof(old), "sys.old%d", i);
		assert_int_equal(renameat(t->fd, "sys", t->fd, old), 0);
		tmptree_mkdirs(t->fd, "sys/kernel");
		tmptree_put(t->fd, "sys/kernel/tainted", "1\n");
		held_file_group_refresh(&g);
		content_is(&f, &g, t->fd, "sys/kernel/tainted", "1\n");
	}
	held_file_close(&f);
	held_file_group_close(&g);
}

/*
 * A FIFO where a file should be (a tree given by --path.procfs can hold one) is refused at
 * once: open() would otherwise wait for a writer for good, and every thread with it. So is a
 * directory, and a socket.
 */
static void a_fifo_or_other_non_regular_file_is_refused_without_blocking(void **state)
{
	struct tmptree *t = *state;
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	struct held_file f = HELD_FILE_INIT;
	assert_int_equal(mkfifoat(t->fd, "fifo", 0644), 0);
	error_is(&f, &g, t->fd, "fifo", -ESPIPE);
	assert_int_equal(f.fd, -1);
	tmptree_mkdirs(t->fd, "dir");
	error_is(&f, &g, t->fd, "dir", -EISDIR);
	assert_int_equal(f.fd, -1);
	held_file_group_close(&g);
}

/* A failed read leaves nothing open, and the file is found again once it is good. */
static void a_failed_read_closes_the_file_and_recovers(void **state)
{
	struct tmptree *t = *state;
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	struct held_file f = HELD_FILE_INIT;
	tmptree_mkdirs(t->fd, "tainted");
	error_is(&f, &g, t->fd, "tainted", -EISDIR);
	assert_int_equal(f.fd, -1);

	assert_int_equal(unlinkat(t->fd, "tainted", AT_REMOVEDIR), 0);
	tmptree_put(t->fd, "tainted", "4609\n");
	held_file_group_refresh(&g);
	content_is(&f, &g, t->fd, "tainted", "4609\n");

	tmptree_put(t->fd, "tainted", "0123456789012345678901234567890123456789\n");
	held_file_group_refresh(&g);
	char small[8];
	size_t len;
	assert_int_equal(held_file_read(&f, &g, t->fd, "tainted", small, sizeof(small), &len),
			 -EFBIG);
	assert_int_equal(f.fd, -1);
	held_file_close(&f);
	held_file_group_close(&g);
}

static bool mounted(const char *path, long magic)
{
	struct statfs fs;
	return statfs(path, &fs) == 0 && fs.f_type == magic;
}

/*
 * The kernel's promise, on procfs: /proc/sys/kernel/random/uuid is a sysctl, read through the
 * same proc_sys_read() as sys/kernel/tainted, and makes a new UUID on every read. Held and read
 * again at offset 0, it must give a new one: no cached content.
 */
static void a_held_sysctl_is_generated_afresh_by_each_read(void **state)
{
	if (!mounted("/proc", PROC_SUPER_MAGIC))
		skip();
	int proc = file_open_dir("/proc");
	assert_true(proc >= 0);
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	struct held_file f = HELD_FILE_INIT;
	char first[64], second[64];
	size_t len;
	assert_int_equal(held_file_read(&f, &g, proc, "sys/kernel/random/uuid", first,
					sizeof(first), &len),
			 0);
	int fd = f.fd;
	assert_int_equal(f.kind, HELD_ON_KERNEL_FS);
	held_file_group_refresh(&g);
	assert_int_equal(held_file_read(&f, &g, proc, "sys/kernel/random/uuid", second,
					sizeof(second), &len),
			 0);
	assert_int_equal(f.fd, fd); /* the same open file, read again */
	assert_int_equal(len, 37); /* 36 characters and a newline */
	if (strcmp(first, second) == 0)
		fail_msg("a held sysctl read twice gave the same UUID %s: the content was cached",
			 first);
	assert_int_equal(g.inotify_fd, -1); /* nothing on procfs needs watching */
	held_file_close(&f);
	held_file_group_close(&g);
	close(proc);
}

static unsigned long long read_counter(struct held_file *f, struct held_file_group *g, int dirfd,
				       const char *path)
{
	char buf[32];
	size_t len;
	int err = held_file_read(f, g, dirfd, path, buf, sizeof(buf), &len);
	if (err < 0)
		fail_msg("%s: %s", path, strerror(-err));
	return strtoull(buf, NULL, 10);
}

/*
 * The kernel's promise, on sysfs: an attribute held open and read again at offset 0 shows the
 * attribute's value now. The loopback device's packet counter rises when a datagram is sent
 * to 127.0.0.1 (to the discard port; nothing needs to listen).
 */
static void a_held_sysfs_attribute_is_generated_afresh_by_each_read(void **state)
{
	if (!mounted("/sys", SYSFS_MAGIC))
		skip();
	int sys = file_open_dir("/sys");
	assert_true(sys >= 0);
	const char *path = "class/net/lo/statistics/tx_packets";
	struct held_file_group g = HELD_FILE_GROUP_INIT;
	struct held_file f = HELD_FILE_INIT;
	unsigned long long before = read_counter(&f, &g, sys, path);
	int fd = f.fd;
	assert_int_equal(f.kind, HELD_ON_KERNEL_FS);

	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool sent = true;
	for (int i = 0; i < 3; i++)
		sent = sent && sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1;
	close(s);

	held_file_group_refresh(&g);
	unsigned long long after = read_counter(&f, &g, sys, path);
	assert_int_equal(f.fd, fd);
	/*
	 * Only where the packets were counted at all: not without a loopback device (a new
	 * network namespace), nor when /sys belongs to another network namespace.
	 */
	struct held_file fresh = HELD_FILE_INIT;
	unsigned long long opened_afresh = read_counter(&fresh, &g, sys, path);
	held_file_close(&fresh);
	if (!sent || opened_afresh < before + 3)
		skip();
	if (after < before + 3)
		fail_msg("%s held open: expected at least %llu after sending 3 packets, got %llu "
			 "(opened afresh: %llu)",
			 path, before + 3, after, opened_afresh);
	held_file_close(&f);
	held_file_group_close(&g);
	close(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_rewrite_in_place_is_read_without_reopening,
						tmptree_setup, tmptree_teardown),
		cmocka_unit_test_setup_teardown(a_replaced_file_is_noticed_by_inotify,
						tmptree_setup, tmptree_teardown),
		cmocka_unit_test_setup_teardown(a_replaced_file_is_noticed_without_inotify,
						tmptree_setup, tmptree_teardown),
		cmocka_unit_test_setup_teardown(a_file_whose_directory_is_renamed_away_is_reopened,
						tmptree_setup, tmptree_teardown),
		cmocka_unit_test_setup_teardown(
			a_fifo_or_other_non_regular_file_is_refused_without_blocking, tmptree_setup,
			tmptree_teardown),
		cmocka_unit_test_setup_teardown(a_failed_read_closes_the_file_and_recovers,
						tmptree_setup, tmptree_teardown),
		cmocka_unit_test(a_held_sysctl_is_generated_afresh_by_each_read),
		cmocka_unit_test(a_held_sysfs_attribute_is_generated_afresh_by_each_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
