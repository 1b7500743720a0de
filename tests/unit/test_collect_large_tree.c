/*
 * Specification of the module list read on lists too large to commit as a fixture, made in a
 * temporary directory: a list the kernel hands out over many read() calls is read whole, one
 * of 100,000 modules fits COLLECT_PROC_MODULES_MAX, and a larger file is no kernel's.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "read/collect.h"
#include "tmptree.h"

#define NAME_PREFIX "module_with_a_longish_name_"

/* @tree's root as --path.procfs, with the taint file; the caller writes modules. */
static struct collect_config procfs_of(struct tmptree *t, size_t modules_max)
{
	tmptree_mkdirs(t->fd, "sys/kernel");
	tmptree_put(t->fd, "sys/kernel/tainted", "12288\n");
	struct collect_config cfg = {
		.procfs_fd = t->fd, .sysfs_fd = -1, .modules = true, .modules_max = modules_max
	};
	return cfg;
}

/* Writes @len bytes of @data to @path, in one go. */
static void put_bytes(int dirfd, const char *path, const char *data, size_t len)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, data + done, len - done);
		assert_true(n > 0);
		done += (size_t)n;
	}
	close(fd);
}

/*
 * 600 modules (about 40 KiB, ten pages), every 100th one tainted, in the three states
 * the kernel shows: every tainted module is seen with its letters, on each of two scrapes
 * through the same snapshot and buffer.
 */
static void finds_every_tainted_module_in_a_list_of_many_pages(void **state)
{
	struct tmptree *t = *state;
	struct collect_config cfg = procfs_of(t, 1000);
	static const char *const states[] = { "Live", "Loading", "Unloading" };
	static const char *const marks[] = { "", "+", "-" };
	struct buffer list = BUFFER_INIT;
	char line[256];
	for (int i = 0; i < 600; i++) {
		int s = i / 100 % 3;
		snprintf(line, sizeof(line),
			 NAME_PREFIX "%03d %d %d - %s 0x0000000000000000%s%s%s\n", i, 16384 + 8 * i,
			 i % 4, states[s], i % 100 ? "" : " (OE", i % 100 ? "" : marks[s],
			 i % 100 ? "" : ")");
		buffer_puts(&list, line);
	}
	assert_non_null(buffer_cstr(&list));
	assert_true(list.len > 8 * 4096);
	put_bytes(t->fd, "modules", list.data, list.len);

	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer text = BUFFER_INIT;
	for (int scrape = 0; scrape < 2; scrape++) {
		assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
		assert_int_equal(text.len, list.len);
		assert_true(snap.module_list_read);
		assert_int_equal(snap.module_count, 6);
		assert_int_equal(snap.module_read_errors, 0);
		uint64_t seen = 0;
		size_t cursor = 0;
		const char *name, *letters;
		while (snapshot_next_module(&snap, &cursor, &name, &letters)) {
			int n = atoi(name + strlen(NAME_PREFIX));
			if (n % 100 != 0 || strcmp(letters, "OE") != 0)
				fail_msg("expected only every 100th module, with OE; got %s with %s",
					 name, letters);
			seen |= UINT64_C(1) << (n / 100);
		}
		assert_int_equal(seen, 0x3f);
	}

	buffer_free(&text);
	buffer_free(&list);
	snapshot_free(&snap);
}

/*
 * 100,000 modules of about 70 bytes a line: within the cap, read whole. Every 1000th is
 * tainted; with --collector.modules.max=50 half are listed and half omitted.
 */
static void a_list_of_100000_modules_is_read_whole(void **state)
{
	struct tmptree *t = *state;
	struct collect_config cfg = procfs_of(t, 50);
	struct buffer list = BUFFER_INIT;
	char line[256];
	for (int i = 0; i < 100000; i++) {
		snprintf(line, sizeof(line), "mod_%06d 16384 0 - Live 0x0000000000000000%s\n", i,
			 i % 1000 ? "" : " (OE)");
		buffer_puts(&list, line);
	}
	assert_non_null(buffer_cstr(&list));
	assert_true(list.len < COLLECT_PROC_MODULES_MAX);
	put_bytes(t->fd, "modules", list.data, list.len);

	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer text = BUFFER_INIT;
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	assert_true(snap.module_list_read);
	if (snap.module_count != 50 || snap.modules_omitted != 50)
		fail_msg("100 tainted modules, cap 50: expected 50 listed and 50 omitted, got %zu "
			 "and %zu",
			 snap.module_count, snap.modules_omitted);
	assert_int_equal(snap.module_read_errors, 0);

	buffer_free(&text);
	buffer_free(&list);
	snapshot_free(&snap);
}

/*
 * A list of exactly @size bytes: a tainted module first, then clean lines, the last padded
 * (its address has as many zeros as it takes).
 */
static void put_list_of_size(int dirfd, size_t size)
{
	static const char first[] = "big 16384 0 - Live 0x0 (O)\n";
	static const char clean[] = "clean_module 16384 0 - Live 0x0000000000000000\n";
	static const char last[] = "last 16384 0 - Live 0x";
	char *data = malloc(size);
	assert_non_null(data);
	size_t len = strlen(first);
	memcpy(data, first, len);
	while (len + 2 * strlen(clean) < size) {
		memcpy(data + len, clean, strlen(clean));
		len += strlen(clean);
	}
	memcpy(data + len, last, strlen(last));
	len += strlen(last);
	memset(data + len, '0', size - len - 1);
	data[size - 1] = '\n';
	put_bytes(dirfd, "modules", data, size);
	free(data);
}

/*
 * COLLECT_PROC_MODULES_MAX bytes are read; one byte more is no kernel's list: unread, one
 * error, and nothing of the scrape before.
 */
static void a_list_of_the_cap_is_read_and_one_byte_more_is_unread(void **state)
{
	struct tmptree *t = *state;
	struct collect_config cfg = procfs_of(t, 1000);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer text = BUFFER_INIT;

	put_list_of_size(t->fd, COLLECT_PROC_MODULES_MAX);
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	if (!snap.module_list_read)
		fail_msg("a list of exactly %u bytes: expected it read, got it unread",
			 COLLECT_PROC_MODULES_MAX);
	assert_int_equal(snap.module_count, 1);
	assert_int_equal(snap.module_read_errors, 0);

	put_list_of_size(t->fd, COLLECT_PROC_MODULES_MAX + 1);
	assert_int_equal(collect_snapshot(&cfg, &text, &snap), 0);
	if (snap.module_list_read)
		fail_msg("a list of %u bytes: expected it unread, got it read",
			 COLLECT_PROC_MODULES_MAX + 1);
	assert_int_equal(snap.module_read_errors, 1);
	if (snap.module_count != 0)
		fail_msg("expected no module from a list too large, got %zu", snap.module_count);
	assert_int_equal(snap.taint_error, 0);
	assert_int_equal(snap.value, 12288);

	buffer_free(&text);
	snapshot_free(&snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(finds_every_tainted_module_in_a_list_of_many_pages,
						tmptree_setup, tmptree_teardown),
		cmocka_unit_test_setup_teardown(a_list_of_100000_modules_is_read_whole,
						tmptree_setup, tmptree_teardown),
		cmocka_unit_test_setup_teardown(a_list_of_the_cap_is_read_and_one_byte_more_is_unread,
						tmptree_setup, tmptree_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
