#ifndef TAINT_EXPORTER_TESTS_TMPTREE_H
#define TAINT_EXPORTER_TESTS_TMPTREE_H

/*
 * A tree made by the test in a temporary directory, for what a committed fixture cannot
 * show: trees too large to commit, and files that change between two reads. Include after
 * <cmocka.h>; use tmptree_setup and tmptree_teardown as a test's setup and teardown.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/file.h"

struct tmptree {
	char root[4096];
	int fd; /* the root, as main() opens --path.sysfs */
};

/* tmptree_make() - a new empty directory, opened; 0 or -1. */
static inline int tmptree_make(struct tmptree *t)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(t->root, sizeof(t->root), "%s/taint_exporter_test.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(t->root))
		return -1;
	t->fd = file_open_dir(t->root);
	return t->fd < 0 ? -1 : 0;
}

/* tmptree_remove() - close it and remove it with everything in it; 0 or -1. */
static inline int tmptree_remove(struct tmptree *t)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	close(t->fd);
	return system(cmd) == 0 ? 0 : -1;
}

static inline int tmptree_setup(void **state)
{
	struct tmptree *t = calloc(1, sizeof(*t));
	*state = t;
	return t ? tmptree_make(t) : -1;
}

static inline int tmptree_teardown(void **state)
{
	struct tmptree *t = *state;
	int rc = tmptree_remove(t);
	free(t);
	return rc;
}

/* tmptree_put() - write @content to @path (relative to @dirfd), in place if it exists. */
static inline void tmptree_put(int dirfd, const char *path, const char *content)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	size_t len = strlen(content);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
}

/* tmptree_replace() - write @content to a new file and rename it over @path. */
static inline void tmptree_replace(int dirfd, const char *path, const char *content)
{
	char tmp[512];
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	tmptree_put(dirfd, tmp, content);
	assert_int_equal(renameat(dirfd, tmp, dirfd, path), 0);
}

/* tmptree_rm() - rm -r @path (relative to the tree's root). */
static inline void tmptree_rm(struct tmptree *t, const char *path)
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "rm -r '%s/%s'", t->root, path);
	if (system(cmd) != 0)
		fail_msg("cannot remove %s", path);
}

/* tmptree_mkdirs() - mkdir -p @path (relative to @dirfd). */
static inline void tmptree_mkdirs(int dirfd, const char *path)
{
	char part[512];
	for (const char *p = path;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		snprintf(part, sizeof(part), "%.*s", (int)(p - path), path);
		if (mkdirat(dirfd, part, 0755) != 0 && errno != EEXIST)
			fail_msg("cannot create directory %s: %s", part, strerror(errno));
		if (*p == '\0')
			return;
	}
}

#endif
