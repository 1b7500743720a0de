/*
 * Specification of the sysfs module scan, the source of module taint where a tree has no
 * procfs modules file: each scan lists the module directory afresh and reads every module's
 * taint file afresh, whatever changed since the last scan (modules loaded, unloaded, loaded
 * again, a directory that gets its taint file), and keeps nothing open in between.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "read/module_files.h"
#include "tmptree.h"

/* What one scan saw: "name=letters" or "name:error", in directory order, in one string. */
struct seen {
	char text[1024];
};

static const char *error_name(int err)
{
	switch (err) {
	case -ENOENT:
		return "none";
	case -EISDIR:
		return "EISDIR";
	case -EFBIG:
		return "EFBIG";
	default:
		return "other";
	}
}

static void remember(void *ctx, const char *name, int err, const char *content, size_t len)
{
	struct seen *s = ctx;
	size_t used = strlen(s->text);
	if (err == 0)
		snprintf(s->text + used, sizeof(s->text) - used, "%s=%.*s ", name,
			 (int)(len && content[len - 1] == '\n' ? len - 1 : len), content);
	else
		snprintf(s->text + used, sizeof(s->text) - used, "%s:%s ", name, error_name(err));
}

/* A loaded module: sys/module/<name>/taint holding @content. */
static void put_module(struct tmptree *t, const char *name, const char *content)
{
	char path[300];
	snprintf(path, sizeof(path), "sys/module/%s", name);
	tmptree_mkdirs(t->fd, path);
	strcat(path, "/taint");
	tmptree_put(t->fd, path, content);
}

/* What a test scans with: its tree and the sysfs root in it. */
struct scanner {
	struct tmptree tree;
	int sysfs;
};

/* Scans, and checks what was seen regardless of directory order (sorted word by word). */
static void scan_sees(struct scanner *sc, const char *expected)
{
	struct seen s = { { 0 } };
	assert_int_equal(module_files_scan(sc->sysfs, remember, &s), 0);

	char *words[64];
	size_t n = 0;
	for (char *w = strtok(s.text, " "); w && n < 64; w = strtok(NULL, " "))
		words[n++] = w;
	for (size_t i = 1; i < n; i++) /* insertion sort: a handful of words */
		for (size_t j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
			char *tmp = words[j];
			words[j] = words[j - 1];
			words[j - 1] = tmp;
		}
	char sorted[1024] = "";
	for (size_t i = 0; i < n; i++) {
		strcat(sorted, i ? " " : "");
		strcat(sorted, words[i]);
	}
	assert_string_equal(sorted, expected);
}

/* A tree with an empty sys/module. */
static int scanner_setup(void **state)
{
	struct scanner *s = calloc(1, sizeof(*s));
	*state = s;
	if (!s || tmptree_make(&s->tree) != 0)
		return -1;
	tmptree_mkdirs(s->tree.fd, "sys/module");
	s->sysfs = openat(s->tree.fd, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return s->sysfs < 0 ? -1 : 0;
}

static int scanner_teardown(void **state)
{
	struct scanner *s = *state;
	close(s->sysfs);
	int rc = tmptree_remove(&s->tree);
	free(s);
	return rc;
}

/* The number of open file descriptors of this process. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	assert_non_null(d);
	int n = -1; /* the directory's own fd */
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void loaded_unloaded_and_reloaded_modules_are_followed(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;

	put_module(t, "nvidia", "POE\n");
	put_module(t, "ext4", "\n");
	scan_sees(s, "ext4= nvidia=POE");

	/* Loaded: a new directory. Unloaded: its directory is gone. */
	put_module(t, "vboxdrv", "OE\n");
	tmptree_rm(t, "sys/module/ext4");
	scan_sees(s, "nvidia=POE vboxdrv=OE");

	/* Unloaded and loaded again between two scans, with other letters. */
	tmptree_rm(t, "sys/module/nvidia");
	put_module(t, "nvidia", "PO\n");
	scan_sees(s, "nvidia=PO vboxdrv=OE");

	/* Changed in place, and renamed over. */
	tmptree_put(t->fd, "sys/module/nvidia/taint", "P\n");
	tmptree_replace(t->fd, "sys/module/vboxdrv/taint", "E\n");
	scan_sees(s, "nvidia=P vboxdrv=E");
}

/* Built in (or being loaded): no taint file; one that appears is read on the next scan. */
static void a_directory_that_gets_its_taint_file_is_read_on_the_next_scan(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;

	tmptree_mkdirs(t->fd, "sys/module/loading");
	scan_sees(s, "loading:none");
	tmptree_put(t->fd, "sys/module/loading/taint", "OE\n");
	scan_sees(s, "loading=OE");
}

/* Problems are reported on every scan. */
static void unreadable_taint_files_are_reported_on_every_scan(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;

	tmptree_mkdirs(t->fd, "sys/module/odd/taint"); /* a directory where the file should be */
	tmptree_mkdirs(t->fd, "sys/module/big");
	char big[MODULE_FILES_CONTENT_MAX + 1];
	memset(big, 'A', MODULE_FILES_CONTENT_MAX);
	big[MODULE_FILES_CONTENT_MAX] = '\0';
	tmptree_put(t->fd, "sys/module/big/taint", big);
	for (int i = 0; i < 3; i++)
		scan_sees(s, "big:EFBIG odd:EISDIR");
}

/* Nothing stays open between scans. */
static void a_scan_leaves_no_file_open(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	char path[64];
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "sys/module/m%d", i);
		tmptree_mkdirs(t->fd, path);
		strcat(path, "/taint");
		tmptree_put(t->fd, path, "O\n");
	}
	int before = open_fds();
	scan_sees(s, "m0=O m1=O m2=O m3=O m4=O");
	assert_int_equal(open_fds(), before);
}

/* The whole module directory removed and made again (a fixture tree rebuilt): the new one. */
static void a_module_directory_made_again_is_listed_anew(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	tmptree_mkdirs(t->fd, "sys/module/kernel");
	scan_sees(s, "kernel:none");

	tmptree_rm(t, "sys/module");
	put_module(t, "zfs", "PO\n");
	scan_sees(s, "zfs=PO");

	/* And renamed away, with a new one in its place. */
	assert_int_equal(renameat(s->sysfs, "module", s->sysfs, "module.old"), 0);
	put_module(t, "vboxdrv", "OE\n");
	scan_sees(s, "vboxdrv=OE");
}

static void a_missing_module_directory_is_an_error_until_it_appears(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	assert_int_equal(unlinkat(t->fd, "sys/module", AT_REMOVEDIR), 0);
	struct seen seen = { { 0 } };
	assert_int_equal(module_files_scan(s->sysfs, remember, &seen), -ENOENT);

	put_module(t, "nvidia", "P\n");
	scan_sees(s, "nvidia=P");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(loaded_unloaded_and_reloaded_modules_are_followed,
						scanner_setup, scanner_teardown),
		cmocka_unit_test_setup_teardown(
			a_directory_that_gets_its_taint_file_is_read_on_the_next_scan,
			scanner_setup, scanner_teardown),
		cmocka_unit_test_setup_teardown(unreadable_taint_files_are_reported_on_every_scan,
						scanner_setup, scanner_teardown),
		cmocka_unit_test_setup_teardown(a_scan_leaves_no_file_open, scanner_setup,
						scanner_teardown),
		cmocka_unit_test_setup_teardown(a_module_directory_made_again_is_listed_anew,
						scanner_setup, scanner_teardown),
		cmocka_unit_test_setup_teardown(
			a_missing_module_directory_is_an_error_until_it_appears, scanner_setup,
			scanner_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
