/*
 * Specification of the textfile writer (--write-textfile): the file is replaced atomically,
 * with mode 0644, and a failure at any step leaves the old file as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "buffer.h"
#include "textfile.h"

#define OLD_CONTENT "# old\nkernel_tainted 0\n"

struct dir {
	char path[256];
	char file[300];
};

/* A fresh directory, world-traversable so that an unprivileged child can reach it. */
static void make_dir(struct dir *d)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(d->path, sizeof(d->path), "%s/test_textfile.XXXXXX", tmp);
	assert_non_null(mkdtemp(d->path));
	assert_int_equal(chmod(d->path, 0755), 0);
	snprintf(d->file, sizeof(d->file), "%s/taint.prom", d->path);
}

static void remove_dir(struct dir *d)
{
	chmod(d->path, 0755);
	DIR *dir = opendir(d->path);
	assert_non_null(dir);
	for (struct dirent *e; (e = readdir(dir));) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			assert_int_equal(unlinkat(dirfd(dir), e->d_name, 0), 0);
	}
	closedir(dir);
	assert_int_equal(rmdir(d->path), 0);
}

static size_t count_entries(const char *path)
{
	size_t n = 0;
	DIR *dir = opendir(path);
	assert_non_null(dir);
	for (struct dirent *e; (e = readdir(dir));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(dir);
	return n;
}

/* The whole file, NUL-terminated, into @b (reset first); false if it cannot be opened. */
static bool read_whole(const char *path, struct buffer *b)
{
	buffer_reset(b);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buffer_append(b, chunk, (size_t)n);
	close(fd);
	return n == 0 && buffer_cstr(b);
}

static void assert_file_is(const char *path, const char *expected)
{
	struct buffer b = BUFFER_INIT;
	assert_true(read_whole(path, &b));
	assert_string_equal(buffer_cstr(&b), expected);
	buffer_free(&b);
}

static void writes_the_content_with_mode_0644(void **state)
{
	struct dir d;
	make_dir(&d);
	mode_t old_umask = umask(077); /* a timer's strict umask must not hide the file */
	const char *step = NULL;
	assert_int_equal(textfile_write(d.file, "kernel_tainted 4609\n", 20, &step), 0);
	umask(old_umask);
	assert_file_is(d.file, "kernel_tainted 4609\n");
	struct stat st;
	assert_int_equal(stat(d.file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_true(S_ISREG(st.st_mode));
	remove_dir(&d);
}

static void replaces_the_old_file_and_leaves_no_temporary_file(void **state)
{
	struct dir d;
	make_dir(&d);
	assert_int_equal(textfile_write(d.file, OLD_CONTENT, strlen(OLD_CONTENT), NULL), 0);
	assert_int_equal(textfile_write(d.file, "new\n", 4, NULL), 0);
	assert_file_is(d.file, "new\n");
	assert_int_equal(count_entries(d.path), 1);
	remove_dir(&d);
}

static void a_path_without_a_directory_is_written_in_the_working_directory(void **state)
{
	struct dir d;
	make_dir(&d);
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(d.path), 0);
	int err = textfile_write("taint.prom", "here\n", 5, NULL);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(err, 0);
	assert_file_is(d.file, "here\n");
	remove_dir(&d);
}

/*
 * Runs textfile_write() in a child, after @setup (which may drop privileges or lower limits
 * for the child alone), and returns what it returned; @step receives the failed step.
 */
static int write_in_child(void (*setup)(void), const char *path, const char *data, size_t len,
			  char *step, size_t step_len)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		setup();
		const char *s = "";
		int err = textfile_write(path, data, len, &s);
		dprintf(fds[1], "%d %s", err, s ? s : "");
		_exit(0);
	}
	close(fds[1]);
	char answer[256] = "";
	ssize_t n = read(fds[0], answer, sizeof(answer) - 1);
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(n > 0);
	answer[n] = '\0';
	int err = 0, used = 0;
	assert_int_equal(sscanf(answer, "%d %n", &err, &used), 1);
	snprintf(step, step_len, "%s", answer + used);
	return err;
}

/* RLIMIT_FSIZE makes write() fail with EFBIG, even for root: a real failing write. */
static void limit_file_size(void)
{
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit limit = { .rlim_cur = 1024, .rlim_max = 1024 };
	if (setrlimit(RLIMIT_FSIZE, &limit) < 0)
		_exit(3);
}

static void a_failing_write_leaves_the_old_file_intact(void **state)
{
	struct dir d;
	make_dir(&d);
	assert_int_equal(textfile_write(d.file, OLD_CONTENT, strlen(OLD_CONTENT), NULL), 0);

	char big[8192], step[128];
	memset(big, 'x', sizeof(big));
	int err = write_in_child(limit_file_size, d.file, big, sizeof(big), step, sizeof(step));
	assert_int_equal(err, -EFBIG);
	assert_string_equal(step, "write the temporary file");
	assert_file_is(d.file, OLD_CONTENT);
	assert_int_equal(count_entries(d.path), 1); /* the temporary file was removed */
	remove_dir(&d);
}

/* Root writes anywhere, so the unwritable directory is tested as an unprivileged user. */
static void become_nobody(void)
{
	if (geteuid() != 0)
		return;
	if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
		_exit(4);
}

static void no_change(void)
{
}

static void an_unwritable_directory_fails_and_leaves_the_old_file_intact(void **state)
{
	struct dir d;
	make_dir(&d);
	assert_int_equal(textfile_write(d.file, OLD_CONTENT, strlen(OLD_CONTENT), NULL), 0);
	assert_int_equal(chmod(d.path, 0555), 0);

	char step[128];
	int err = write_in_child(become_nobody, d.file, "new\n", 4, step, sizeof(step));
	assert_int_equal(err, -EACCES);
	assert_string_equal(step, "create a temporary file in the directory");
	assert_file_is(d.file, OLD_CONTENT);
	remove_dir(&d);
}

static void a_missing_directory_or_a_directory_path_fails(void **state)
{
	struct dir d;
	make_dir(&d);
	char path[400], step[128];
	snprintf(path, sizeof(path), "%s/missing/taint.prom", d.path);
	assert_int_equal(write_in_child(no_change, path, "x\n", 2, step, sizeof(step)), -ENOENT);
	assert_string_equal(step, "create a temporary file in the directory");
	snprintf(path, sizeof(path), "%s/", d.path);
	assert_int_equal(write_in_child(no_change, path, "x\n", 2, step, sizeof(step)), -EISDIR);
	assert_int_equal(count_entries(d.path), 0);
	remove_dir(&d);
}

/*
 * Two complete versions of very different sizes: a reader that caught a file half written,
 * truncated or empty would read something that is neither.
 */
static void make_versions(struct buffer *small, struct buffer *large)
{
	buffer_puts(small, "# TYPE kernel_tainted gauge\nkernel_tainted 0\n");
	buffer_puts(large, "# TYPE kernel_module_taint_flag gauge\n");
	for (unsigned int i = 0; i < 4000; i++) {
		char line[128];
		snprintf(line, sizeof(line),
			 "kernel_module_taint_flag{module=\"m%u\",flag=\"O\",bit=\"12\","
			 "name=\"oot_module\"} 1\n",
			 i);
		buffer_puts(large, line);
	}
	buffer_puts(large, "# TYPE kernel_tainted gauge\nkernel_tainted 4096\n");
	assert_int_equal(buffer_status(small) | buffer_status(large), 0);
}

/* The reader: reads the file in a loop until @stop_fd reaches EOF; reports reads and misses. */
static void reader_loop(const char *path, int stop_fd, int report_fd, struct buffer *small,
			struct buffer *large)
{
	struct buffer got = BUFFER_INIT;
	unsigned long reads = 0, partial = 0;
	char c;
	fcntl(stop_fd, F_SETFL, O_NONBLOCK);
	while (read(stop_fd, &c, 1) < 0 && errno == EAGAIN) {
		if (!read_whole(path, &got)) {
			partial++; /* the file must exist at every moment */
			continue;
		}
		reads++;
		if (strcmp(got.data, small->data) != 0 && strcmp(got.data, large->data) != 0)
			partial++;
	}
	dprintf(report_fd, "%lu %lu", reads, partial);
	_exit(0);
}

static void a_concurrent_reader_never_sees_a_partial_file(void **state)
{
	struct dir d;
	struct buffer small = BUFFER_INIT, large = BUFFER_INIT;
	make_dir(&d);
	make_versions(&small, &large);
	assert_non_null(buffer_cstr(&small));
	assert_non_null(buffer_cstr(&large));
	assert_int_equal(textfile_write(d.file, small.data, small.len, NULL), 0);

	int stop[2], report[2];
	assert_int_equal(pipe(stop), 0);
	assert_int_equal(pipe(report), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(stop[1]);
		close(report[0]);
		reader_loop(d.file, stop[0], report[1], &small, &large);
	}
	close(stop[0]);
	close(report[1]);

	const unsigned int rewrites = 200;
	for (unsigned int i = 0; i < rewrites; i++) {
		const struct buffer *v = i % 2 ? &small : &large;
		assert_int_equal(textfile_write(d.file, v->data, v->len, NULL), 0);
	}
	close(stop[1]);

	char answer[64] = "";
	ssize_t n = read(report[0], answer, sizeof(answer) - 1);
	close(report[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(n > 0);
	answer[n] = '\0';
	unsigned long reads = 0, partial = 0;
	assert_int_equal(sscanf(answer, "%lu %lu", &reads, &partial), 2);
	print_message("%u rewrites, %lu complete reads, %lu partial or missing\n", rewrites, reads,
		      partial);
	assert_int_equal(partial, 0);
	/* The reader must really have overlapped the writer, or the test proves nothing. */
	assert_true(reads >= rewrites / 4);
	assert_int_equal(count_entries(d.path), 1);

	buffer_free(&small);
	buffer_free(&large);
	remove_dir(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_the_content_with_mode_0644),
		cmocka_unit_test(replaces_the_old_file_and_leaves_no_temporary_file),
		cmocka_unit_test(a_path_without_a_directory_is_written_in_the_working_directory),
		cmocka_unit_test(a_failing_write_leaves_the_old_file_intact),
		cmocka_unit_test(an_unwritable_directory_fails_and_leaves_the_old_file_intact),
		cmocka_unit_test(a_missing_directory_or_a_directory_path_fails),
		cmocka_unit_test(a_concurrent_reader_never_sees_a_partial_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
