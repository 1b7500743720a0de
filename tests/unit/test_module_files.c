/*
 * Specification of the module files a thread holds between scrapes: each scan lists the
 * module directory afresh and reads every module's taint file afresh, whatever changed since
 * the last scan (modules loaded, unloaded, loaded again); what is held follows the listing;
 * and a directory without a taint file is looked at again once a second.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "module_files.h"
#include "tmptree.h"

#define SECOND INT64_C(1000000000)
#define T0 (100 * SECOND) /* any clock reading: the tests move it by hand */

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

/* What a test scans with: its tree, the sysfs root in it, and one thread's held files. */
struct scanner {
	struct tmptree tree;
	int sysfs;
	struct held_file_group g;
	struct module_files mf;
};

/* Scans, and checks what was seen regardless of directory order (sorted word by word). */
static void scan_sees(struct scanner *sc, int64_t now, const char *expected)
{
	struct seen s = {{0}};
	held_file_group_refresh(&sc->g);
	assert_int_equal(module_files_scan(&sc->mf, &sc->g, sc->sysfs, now, remember, &s), 0);

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

/* A tree with an empty sys/module, and nothing held yet. */
static int scanner_setup(void **state)
{
	struct scanner *s = calloc(1, sizeof(*s));
	*state = s;
	if (!s || tmptree_make(&s->tree) != 0)
		return -1;
	tmptree_mkdirs(s->tree.fd, "sys/module");
	s->sysfs = openat(s->tree.fd, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	s->g = (struct held_file_group)HELD_FILE_GROUP_INIT;
	module_files_init(&s->mf, MODULE_FILES_HELD_MAX);
	return s->sysfs < 0 ? -1 : 0;
}

static int scanner_teardown(void **state)
{
	struct scanner *s = *state;
	module_files_close(&s->mf);
	held_file_group_close(&s->g);
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
	scan_sees(s, T0, "ext4= nvidia=POE");
	assert_int_equal(s->mf.count, 2);

	/* Loaded: a new directory. Unloaded: its directory is gone. */
	put_module(t, "vboxdrv", "OE\n");
	tmptree_rm(t, "sys/module/ext4");
	scan_sees(s, T0, "nvidia=POE vboxdrv=OE");
	assert_int_equal(s->mf.count, 2); /* ext4's entry and file are let go */

	/* Unloaded and loaded again between two scans, with other letters. */
	tmptree_rm(t, "sys/module/nvidia");
	put_module(t, "nvidia", "PO\n");
	scan_sees(s, T0, "nvidia=PO vboxdrv=OE");

	/* Changed in place, and renamed over. */
	tmptree_put(t->fd, "sys/module/nvidia/taint", "P\n");
	tmptree_replace(t->fd, "sys/module/vboxdrv/taint", "E\n");
	scan_sees(s, T0, "nvidia=P vboxdrv=E");
}

/* Built in (or being loaded): no taint file. Looked for again after a second, not before. */
static void a_directory_without_taint_file_is_looked_at_again_after_a_second(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;

	tmptree_mkdirs(t->fd, "sys/module/loading");
	scan_sees(s, T0, "loading:none");
	tmptree_put(t->fd, "sys/module/loading/taint", "OE\n");
	scan_sees(s, T0 + SECOND / 2, "loading:none");
	scan_sees(s, T0 + SECOND, "loading=OE");
	/* Once it has a file, that file is read on every scan. */
	tmptree_put(t->fd, "sys/module/loading/taint", "O\n");
	scan_sees(s, T0 + SECOND, "loading=O");
}

/* Problems are reported on every scan, not remembered as "no file". */
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
		scan_sees(s, T0, "big:EFBIG odd:EISDIR");
}

/* At most held_max taint files stay open; the others are read all the same. */
static void no_more_than_held_max_taint_files_stay_open(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	module_files_init(&s->mf, 2);
	char path[64];
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "sys/module/m%d", i);
		tmptree_mkdirs(t->fd, path);
		strcat(path, "/taint");
		tmptree_put(t->fd, path, "O\n");
	}
	int before = open_fds();
	for (int i = 0; i < 3; i++)
		scan_sees(s, T0, "m0=O m1=O m2=O m3=O m4=O");
	if (s->g.inotify_fd == HELD_FILE_GROUP_NO_INOTIFY)
		skip(); /* out of inotify instances: nothing is kept off sysfs */
	/* The directory, two taint files and the inotify instance. */
	assert_int_equal(open_fds() - before, 4);

	module_files_close(&s->mf);
	held_file_group_close(&s->g);
	assert_int_equal(open_fds(), before);
}

/* The whole module directory removed and made again (a fixture tree rebuilt): the new one. */
static void a_module_directory_made_again_is_listed_anew(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	/* Only a built-in module: no held taint file inside whose removal inotify would see. */
	tmptree_mkdirs(t->fd, "sys/module/kernel");
	scan_sees(s, T0, "kernel:none");

	tmptree_rm(t, "sys/module");
	put_module(t, "zfs", "PO\n");
	scan_sees(s, T0, "zfs=PO");

	/* And renamed away, with a new one in its place. */
	assert_int_equal(renameat(s->sysfs, "module", s->sysfs, "module.old"), 0);
	put_module(t, "vboxdrv", "OE\n");
	scan_sees(s, T0, "vboxdrv=OE");
}

/*
 * On sysfs nothing tells a held file that its module went away and came back: the new
 * directory's inode number does. (The group is told every file is on sysfs, so neither
 * inotify nor a link count can stand in for that check here.)
 */
static void a_module_loaded_again_is_told_by_its_new_directory(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	s->g.all_on_kernel_fs = true;
	put_module(t, "nvidia", "POE\n");
	scan_sees(s, T0, "nvidia=POE");

	/* The new directory is made before the old one goes, so its inode number differs. */
	put_module(t, "nvidia.new", "PO\n");
	tmptree_rm(t, "sys/module/nvidia");
	assert_int_equal(renameat(s->sysfs, "module/nvidia.new", s->sysfs, "module/nvidia"), 0);
	scan_sees(s, T0, "nvidia=PO");
}

/* Without inotify nothing is kept, so nothing can go stale: a directory renamed away too. */
static void without_inotify_every_scan_opens_the_paths(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	s->g.inotify_fd = HELD_FILE_GROUP_NO_INOTIFY;
	put_module(t, "nvidia", "POE\n");
	int before = open_fds();
	scan_sees(s, T0, "nvidia=POE");
	assert_int_equal(open_fds(), before);

	assert_int_equal(renameat(s->sysfs, "module", s->sysfs, "module.old"), 0);
	put_module(t, "zfs", "PO\n");
	scan_sees(s, T0, "zfs=PO");
}

/* Out of file descriptors: fewer files are held, and every module is still read. */
static void running_out_of_file_descriptors_holds_fewer_files(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	char path[64], expected[512] = "";
	for (int i = 10; i < 30; i++) {
		snprintf(path, sizeof(path), "sys/module/m%d", i);
		tmptree_mkdirs(t->fd, path);
		strcat(path, "/taint");
		tmptree_put(t->fd, path, "O\n");
		snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "%sm%d=O",
			 i > 10 ? " " : "", i);
	}
	struct rlimit saved, tight;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	/* Room for the directory, the inotify instance and 4 taint files: 20 do not fit. */
	tight = (struct rlimit){(rlim_t)open_fds() + 1 + 6, saved.rlim_max};
	/* open_fds() counts its own fd: the first free number is at most open_fds(). */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &tight), 0);
	for (int i = 0; i < 3; i++)
		scan_sees(s, T0, expected);
	assert_true(s->mf.held_max < 20);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
}

static void a_missing_module_directory_is_an_error_until_it_appears(void **state)
{
	struct scanner *s = *state;
	struct tmptree *t = &s->tree;
	assert_int_equal(unlinkat(t->fd, "sys/module", AT_REMOVEDIR), 0);
	struct seen seen = {{0}};
	assert_int_equal(module_files_scan(&s->mf, &s->g, s->sysfs, T0, remember, &seen), -ENOENT);

	put_module(t, "nvidia", "P\n");
	scan_sees(s, T0, "nvidia=P");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(loaded_unloaded_and_reloaded_modules_are_followed,
					    scanner_setup, scanner_teardown),
	    cmocka_unit_test_setup_teardown(
		a_directory_without_taint_file_is_looked_at_again_after_a_second, scanner_setup,
		scanner_teardown),
	    cmocka_unit_test_setup_teardown(unreadable_taint_files_are_reported_on_every_scan,
					    scanner_setup, scanner_teardown),
	    cmocka_unit_test_setup_teardown(no_more_than_held_max_taint_files_stay_open,
					    scanner_setup, scanner_teardown),
	    cmocka_unit_test_setup_teardown(a_module_directory_made_again_is_listed_anew,
					    scanner_setup, scanner_teardown),
	    cmocka_unit_test_setup_teardown(a_module_loaded_again_is_told_by_its_new_directory,
					    scanner_setup, scanner_teardown),
	    cmocka_unit_test_setup_teardown(without_inotify_every_scan_opens_the_paths,
					    scanner_setup, scanner_teardown),
	    cmocka_unit_test_setup_teardown(running_out_of_file_descriptors_holds_fewer_files,
					    scanner_setup, scanner_teardown),
	    cmocka_unit_test_setup_teardown(a_missing_module_directory_is_an_error_until_it_appears,
					    scanner_setup, scanner_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
