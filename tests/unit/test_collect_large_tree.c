/*
 * Specification of the module directory walk on a tree too large to commit as a fixture: one
 * made in a temporary directory, whose entries need more than one getdents64() call.
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

/* 600 module directories (about 20 KiB of directory entries), every 100th one tainted. */
static void finds_every_tainted_module_in_a_large_module_directory(void **state)
{
	struct tmptree *t = *state;
	assert_int_equal(mkdirat(t->fd, "sys", 0755), 0);
	assert_int_equal(mkdirat(t->fd, "sys/module", 0755), 0);
	char path[128];
	for (int i = 0; i < 600; i++) {
		snprintf(path, sizeof(path), "sys/module/module_with_a_longish_name_%03d", i);
		assert_int_equal(mkdirat(t->fd, path, 0755), 0);
		if (i % 10 == 5)
			continue; /* built in: no taint file */
		strcat(path, "/taint");
		tmptree_put(t->fd, path, i % 100 == 0 ? "OE\n" : "\n");
	}
	int sysfs = openat(t->fd, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(sysfs >= 0);
	/* Fewer held files than modules: the rest are opened on each scrape. */
	struct collect_config cfg = {
		.procfs_fd = t->fd, .sysfs_fd = sysfs, .modules = true, .modules_max = 1000
	};
	struct collect_reader reader;
	collect_reader_init(&reader, &cfg);
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;

	for (int scrape = 0; scrape < 2; scrape++) { /* the second one through the held files */
		assert_int_equal(collect_snapshot(&reader, &snap), 0);
		assert_int_equal(snap.module_count, 6);
		assert_int_equal(snap.module_read_errors, 0);
		uint64_t seen = 0;
		size_t cursor = 0;
		const char *name, *letters;
		while (snapshot_next_module(&snap, &cursor, &name, &letters)) {
			int n = atoi(name + strlen("module_with_a_longish_name_"));
			assert_int_equal(n % 100, 0);
			assert_string_equal(letters, "OE");
			seen |= UINT64_C(1) << (n / 100);
		}
		assert_int_equal(seen, 0x3f);
	}

	collect_reader_close(&reader);
	snapshot_free(&snap);
	close(sysfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			finds_every_tainted_module_in_a_large_module_directory, tmptree_setup,
			tmptree_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
