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

/* Scans, and checks what was seen regardless of directory order (sorted word by word). */
static void scan_sees(struct module_files *mf, struct held_group *g, int sysfs, int64_t now,
		      const char *expected)
{
	struct seen s = {{0}};
	held_group_refresh(g);
	assert_int_equal(module_files_scan(mf, g, sysfs, now, remember, &s), 0);

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

static int open_sysfs(struct tmptree *t)
{
	tmptree_mkdirs(t->fd, "sys/module");
	int fd = openat(t->fd, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
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
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);

	tmptree_mkdirs(t->fd, "sys/module/nvidia");
	tmptree_put(t->fd, "sys/module/nvidia/taint", "POE\n");
	tmptree_mkdirs(t->fd, "sys/module/ext4");
	tmptree_put(t->fd, "sys/module/ext4/taint", "\n");
	scan_sees(&mf, &g, sysfs, T0, "ext4= nvidia=POE");
	assert_int_equal(mf.count, 2);

	/* Loaded: a new directory. Unloaded: its directory is gone. */
	tmptree_mkdirs(t->fd, "sys/module/vboxdrv");
	tmptree_put(t->fd, "sys/module/vboxdrv/taint", "OE\n");
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -r %s/sys/module/ext4", t->root);
	assert_int_equal(system(cmd), 0);
	scan_sees(&mf, &g, sysfs, T0, "nvidia=POE vboxdrv=OE");
	assert_int_equal(mf.count, 2); /* ext4's entry and file are let go */

	/* Unloaded and loaded again between two scans, with other letters. */
	snprintf(cmd, sizeof(cmd), "rm -r %s/sys/module/nvidia", t->root);
	assert_int_equal(system(cmd), 0);
	tmptree_mkdirs(t->fd, "sys/module/nvidia");
	tmptree_put(t->fd, "sys/module/nvidia/taint", "PO\n");
	scan_sees(&mf, &g, sysfs, T0, "nvidia=PO vboxdrv=OE");

	/* Changed in place, and renamed over. */
	tmptree_put(t->fd, "sys/module/nvidia/taint", "P\n");
	tmptree_replace(t->fd, "sys/module/vboxdrv/taint", "E\n");
	scan_sees(&mf, &g, sysfs, T0, "nvidia=P vboxdrv=E");

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

/* Built in (or being loaded): no taint file. Looked for again after a second, not before. */
static void a_directory_without_taint_file_is_looked_at_again_after_a_second(void **state)
{
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);

	tmptree_mkdirs(t->fd, "sys/module/loading");
	scan_sees(&mf, &g, sysfs, T0, "loading:none");
	tmptree_put(t->fd, "sys/module/loading/taint", "OE\n");
	scan_sees(&mf, &g, sysfs, T0 + SECOND / 2, "loading:none");
	scan_sees(&mf, &g, sysfs, T0 + SECOND, "loading=OE");
	/* Once it has a file, that file is read on every scan. */
	tmptree_put(t->fd, "sys/module/loading/taint", "O\n");
	scan_sees(&mf, &g, sysfs, T0 + SECOND, "loading=O");

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

/* Problems are reported on every scan, not remembered as "no file". */
static void unreadable_taint_files_are_reported_on_every_scan(void **state)
{
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);

	tmptree_mkdirs(t->fd, "sys/module/odd/taint"); /* a directory where the file should be */
	tmptree_mkdirs(t->fd, "sys/module/big");
	char big[MODULE_FILES_CONTENT_MAX + 1];
	memset(big, 'A', MODULE_FILES_CONTENT_MAX);
	big[MODULE_FILES_CONTENT_MAX] = '\0';
	tmptree_put(t->fd, "sys/module/big/taint", big);
	for (int i = 0; i < 3; i++)
		scan_sees(&mf, &g, sysfs, T0, "big:EFBIG odd:EISDIR");

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

/* At most held_max taint files stay open; the others are read all the same. */
static void no_more_than_held_max_taint_files_stay_open(void **state)
{
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	struct module_files mf;
	module_files_init(&mf, 2);
	char path[64];
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "sys/module/m%d", i);
		tmptree_mkdirs(t->fd, path);
		strcat(path, "/taint");
		tmptree_put(t->fd, path, "O\n");
	}
	int before = open_fds();
	for (int i = 0; i < 3; i++)
		scan_sees(&mf, &g, sysfs, T0, "m0=O m1=O m2=O m3=O m4=O");
	if (g.inotify_fd == HELD_GROUP_NO_INOTIFY)
		skip(); /* out of inotify instances: nothing is kept off sysfs */
	/* The directory, two taint files and the inotify instance. */
	assert_int_equal(open_fds() - before, 4);

	module_files_close(&mf);
	held_group_close(&g);
	assert_int_equal(open_fds(), before);
	close(sysfs);
}

/* The whole module directory removed and made again (a fixture tree rebuilt): the new one. */
static void a_module_directory_made_again_is_listed_anew(void **state)
{
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);
	/* Only a built-in module: no held taint file inside whose removal inotify would see. */
	tmptree_mkdirs(t->fd, "sys/module/kernel");
	scan_sees(&mf, &g, sysfs, T0, "kernel:none");

	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -r %s/sys/module", t->root);
	assert_int_equal(system(cmd), 0);
	tmptree_mkdirs(t->fd, "sys/module/zfs");
	tmptree_put(t->fd, "sys/module/zfs/taint", "PO\n");
	scan_sees(&mf, &g, sysfs, T0, "zfs=PO");

	/* And renamed away, with a new one in its place. */
	assert_int_equal(renameat(sysfs, "module", sysfs, "module.old"), 0);
	tmptree_mkdirs(t->fd, "sys/module/vboxdrv");
	tmptree_put(t->fd, "sys/module/vboxdrv/taint", "OE\n");
	scan_sees(&mf, &g, sysfs, T0, "vboxdrv=OE");

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

/*
 * On sysfs nothing tells a held file that its module went away and came back: the new
 * directory's inode number does. (The group is told every file is on sysfs, so neither
 * inotify nor a link count can stand in for that check here.)
 */
static void a_module_loaded_again_is_told_by_its_new_directory(void **state)
{
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	g.all_on_kernel_fs = true;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);
	tmptree_mkdirs(t->fd, "sys/module/nvidia");
	tmptree_put(t->fd, "sys/module/nvidia/taint", "POE\n");
	scan_sees(&mf, &g, sysfs, T0, "nvidia=POE");

	/* The new directory is made before the old one goes, so its inode number differs. */
	tmptree_mkdirs(t->fd, "sys/module/nvidia.new");
	tmptree_put(t->fd, "sys/module/nvidia.new/taint", "PO\n");
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -r %s/sys/module/nvidia", t->root);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(renameat(sysfs, "module/nvidia.new", sysfs, "module/nvidia"), 0);
	scan_sees(&mf, &g, sysfs, T0, "nvidia=PO");

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

/* Without inotify nothing is kept, so nothing can go stale: a directory renamed away too. */
static void without_inotify_every_scan_opens_the_paths(void **state)
{
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	g.inotify_fd = HELD_GROUP_NO_INOTIFY;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);
	tmptree_mkdirs(t->fd, "sys/module/nvidia");
	tmptree_put(t->fd, "sys/module/nvidia/taint", "POE\n");
	int before = open_fds();
	scan_sees(&mf, &g, sysfs, T0, "nvidia=POE");
	assert_int_equal(open_fds(), before);

	assert_int_equal(renameat(sysfs, "module", sysfs, "module.old"), 0);
	tmptree_mkdirs(t->fd, "sys/module/zfs");
	tmptree_put(t->fd, "sys/module/zfs/taint", "PO\n");
	scan_sees(&mf, &g, sysfs, T0, "zfs=PO");

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

/* Out of file descriptors: fewer files are held, and every module is still read. */
static void running_out_of_file_descriptors_holds_fewer_files(void **state)
{
	struct tmptree *t = *state;
	int sysfs = open_sysfs(t);
	struct held_group g = HELD_GROUP_INIT;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);
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
		scan_sees(&mf, &g, sysfs, T0, expected);
	assert_true(mf.held_max < 20);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

static void a_missing_module_directory_is_an_error_until_it_appears(void **state)
{
	struct tmptree *t = *state;
	tmptree_mkdirs(t->fd, "sys");
	int sysfs = openat(t->fd, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct held_group g = HELD_GROUP_INIT;
	struct module_files mf;
	module_files_init(&mf, MODULE_FILES_HELD_MAX);
	struct seen s = {{0}};
	assert_int_equal(module_files_scan(&mf, &g, sysfs, T0, remember, &s), -ENOENT);

	tmptree_mkdirs(t->fd, "sys/module/nvidia");
	tmptree_put(t->fd, "sys/module/nvidia/taint", "P\n");
	scan_sees(&mf, &g, sysfs, T0, "nvidia=P");

	module_files_close(&mf);
	held_group_close(&g);
	close(sysfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(loaded_unloaded_and_reloaded_modules_are_followed,
					    tmptree_setup, tmptree_teardown),
	    cmocka_unit_test_setup_teardown(
		a_directory_without_taint_file_is_looked_at_again_after_a_second, tmptree_setup,
		tmptree_teardown),
	    cmocka_unit_test_setup_teardown(unreadable_taint_files_are_reported_on_every_scan,
					    tmptree_setup, tmptree_teardown),
	    cmocka_unit_test_setup_teardown(no_more_than_held_max_taint_files_stay_open,
					    tmptree_setup, tmptree_teardown),
	    cmocka_unit_test_setup_teardown(a_module_directory_made_again_is_listed_anew,
					    tmptree_setup, tmptree_teardown),
	    cmocka_unit_test_setup_teardown(a_module_loaded_again_is_told_by_its_new_directory,
					    tmptree_setup, tmptree_teardown),
	    cmocka_unit_test_setup_teardown(without_inotify_every_scan_opens_the_paths,
					    tmptree_setup, tmptree_teardown),
	    cmocka_unit_test_setup_teardown(running_out_of_file_descriptors_holds_fewer_files,
					    tmptree_setup, tmptree_teardown),
	    cmocka_unit_test_setup_teardown(a_missing_module_directory_is_an_error_until_it_appears,
					    tmptree_setup, tmptree_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
