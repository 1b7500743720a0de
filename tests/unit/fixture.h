#ifndef TAINT_EXPORTER_TESTS_FIXTURE_H
#define TAINT_EXPORTER_TESTS_FIXTURE_H

/*
 * Helpers shared by the unit tests that read fixture trees (tests/fixtures/<tree>/proc and
 * .../sys, laid out like the real /proc and /sys). meson sets FIXTURES to that directory, so
 * the tests never depend on the working directory. Include after <cmocka.h>.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/file.h"

/* fixture_path() - FIXTURES/<tree>/<sub> into @out; fails the test when FIXTURES is unset. */
static inline void fixture_path(char *out, size_t len, const char *tree, const char *sub)
{
	const char *root = getenv("FIXTURES");
	if (!root)
		fail_msg("FIXTURES is not set: run the unit tests through meson test");
	snprintf(out, len, "%s/%s/%s", root, tree, sub);
}

/* fixture_open() - FIXTURES/<tree>/<sub> as a directory fd, as main() opens --path.procfs. */
static inline int fixture_open(const char *tree, const char *sub)
{
	char path[4096];
	fixture_path(path, sizeof(path), tree, sub);
	int fd = file_open_dir(path);
	if (fd < 0)
		fail_msg("expected fixture directory %s to open, got %s", path, strerror(-fd));
	return fd;
}

#endif
