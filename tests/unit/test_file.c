/*
 * Specification of the file reader (read/file.h): whole small files relative to a directory
 * fd, -EFBIG exactly when the file does not fit; files of any length read to their end into a
 * reused buffer, up to a maximum; nothing but regular files, and never blocking on a FIFO.
 * (EINTR retries are not simply testable: skipped.)
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

#include "buffer.h"
#include "read/file.h"

struct tmp {
	char path[64];
	int fd;
};

static int setup_tmpdir(void **state)
{
	static struct tmp t;
	strcpy(t.path, "/tmp/test_util.XXXXXX");
	if (!mkdtemp(t.path))
		return -1;
	t.fd = file_open_dir(t.path);
	if (t.fd < 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown_tmpdir(void **state)
{
	struct tmp *t = *state;
	static const char *const files[] = { "small", "fits",  "too_big", "empty",
					     "grown", "pages", "fifo" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlinkat(t->fd, files[i], 0);
	close(t->fd);
	return rmdir(t->path);
}

static void write_file(int dirfd, const char *name, size_t len, char fill)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	char *data = malloc(len + 1);
	memset(data, fill, len);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	free(data);
	close(fd);
}

static void reads_a_small_file_nul_terminated(void **state)
{
	struct tmp *t = *state;
	char buf[16];
	size_t len = 99;
	int fd = openat(t->fd, "small", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_int_equal(write(fd, "4609\n", 5), 5);
	close(fd);

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(file_read_at(t->fd, "small", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "4609\n");
}

static void a_file_of_size_minus_one_bytes_fits(void **state)
{
	struct tmp *t = *state;
	char buf[65];
	size_t len = 0;
	write_file(t->fd, "fits", sizeof(buf) - 1, '7');
	assert_int_equal(file_read_at(t->fd, "fits", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, sizeof(buf) - 1);
	assert_int_equal(buf[len], '\0');
}

static void a_file_of_exactly_size_bytes_is_efbig(void **state)
{
	struct tmp *t = *state;
	char buf[65];
	size_t len = 12345;
	write_file(t->fd, "too_big", sizeof(buf), '7');
	assert_int_equal(file_read_at(t->fd, "too_big", buf, sizeof(buf), &len), -EFBIG);
	assert_int_equal(len, 12345); /* untouched on failure */
}

static void an_empty_file_reads_as_zero_bytes(void **state)
{
	struct tmp *t = *state;
	char buf[8] = "xxxxxxx";
	size_t len = 99;
	write_file(t->fd, "empty", 0, 0);
	assert_int_equal(file_read_at(t->fd, "empty", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
}

static void errors_are_negative_errno(void **state)
{
	struct tmp *t = *state;
	char buf[8];
	size_t len;
	assert_int_equal(file_read_at(t->fd, "absent", buf, sizeof(buf), &len), -ENOENT);
	assert_int_equal(file_read_at(t->fd, ".", buf, sizeof(buf), &len), -EISDIR);
	assert_int_equal(file_read_at(-1, "relative", buf, sizeof(buf), &len), -EBADF);
}

/* Past the first 4 KiB the buffer grows; exactly @max bytes fit, one more is -EFBIG. */
static void read_alloc_grows_up_to_max_and_refuses_beyond(void **state)
{
	struct tmp *t = *state;
	write_file(t->fd, "grown", 10000, 'g');
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(file_read_alloc_at(t->fd, "grown", 10000, &buf, &len), 0);
	assert_int_equal(len, 10000);
	assert_int_equal(buf[9999], 'g');
	assert_int_equal(buf[10000], '\0');
	free(buf);
	buf = NULL;
	assert_int_equal(file_read_alloc_at(t->fd, "grown", 9999, &buf, NULL), -EFBIG);
	assert_null(buf);
	assert_int_equal(file_read_alloc_at(t->fd, "absent", 10, &buf, NULL), -ENOENT);
	assert_null(buf);
}

/* Three pages and a bit, each byte its offset's: read whole, every byte in its place. */
static void read_buffer_reads_a_file_of_many_pages_to_its_end(void **state)
{
	struct tmp *t = *state;
	size_t size = 3 * 4096 + 5;
	char *data = malloc(size);
	assert_non_null(data);
	for (size_t i = 0; i < size; i++)
		data[i] = (char)('a' + i % 23);
	int fd = openat(t->fd, "pages", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, size), (ssize_t)size);
	close(fd);

	struct buffer out = BUFFER_INIT;
	assert_int_equal(file_read_buffer_at(t->fd, "pages", 1 << 20, &out), 0);
	assert_int_equal(out.len, size);
	assert_memory_equal(out.data, data, size);
	buffer_free(&out);
	free(data);
}

/* The buffer is emptied first, and its memory reused: a reader allocates once. */
static void read_buffer_replaces_the_contents_and_keeps_the_memory(void **state)
{
	struct tmp *t = *state;
	struct buffer out = BUFFER_INIT;
	assert_int_equal(file_read_buffer_at(t->fd, "pages", 1 << 20, &out), 0);
	const char *data = out.data;
	assert_int_equal(file_read_buffer_at(t->fd, "small", 1 << 20, &out), 0);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.data, "4609\n", 5);
	assert_ptr_equal(out.data, data);

	assert_int_equal(file_read_buffer_at(t->fd, "empty", 1 << 20, &out), 0);
	assert_int_equal(out.len, 0);
	buffer_free(&out);
}

/* Exactly @max bytes are accepted, one more is -EFBIG, below a page as well as above. */
static void read_buffer_accepts_max_bytes_and_refuses_one_more(void **state)
{
	struct tmp *t = *state;
	struct buffer out = BUFFER_INIT;
	assert_int_equal(file_read_buffer_at(t->fd, "grown", 10000, &out), 0);
	assert_int_equal(out.len, 10000);
	assert_int_equal(file_read_buffer_at(t->fd, "grown", 9999, &out), -EFBIG);
	assert_int_equal(file_read_buffer_at(t->fd, "small", 5, &out), 0);
	assert_int_equal(out.len, 5);
	assert_int_equal(file_read_buffer_at(t->fd, "small", 4, &out), -EFBIG);
	buffer_free(&out);
}

/* A directory, a FIFO (opened without waiting for a writer), a missing file: refused. */
static void read_buffer_refuses_what_is_not_a_regular_file(void **state)
{
	struct tmp *t = *state;
	struct buffer out = BUFFER_INIT;
	assert_int_equal(mkfifoat(t->fd, "fifo", 0644), 0);
	assert_int_equal(file_read_buffer_at(t->fd, "fifo", 100, &out), -ESPIPE);
	assert_int_equal(file_read_buffer_at(t->fd, ".", 100, &out), -EISDIR);
	assert_int_equal(file_read_buffer_at(t->fd, "absent", 100, &out), -ENOENT);
	assert_int_equal(file_read_buffer_at(-1, "relative", 100, &out), -EBADF);
	assert_int_equal(out.len, 0);
	buffer_free(&out);
}

static void open_dir_refuses_files_and_missing_paths(void **state)
{
	struct tmp *t = *state;
	char path[128];
	snprintf(path, sizeof(path), "%s/small", t->path);
	assert_int_equal(file_open_dir(path), -ENOTDIR);
	snprintf(path, sizeof(path), "%s/absent", t->path);
	assert_int_equal(file_open_dir(path), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_small_file_nul_terminated),
		cmocka_unit_test(a_file_of_size_minus_one_bytes_fits),
		cmocka_unit_test(a_file_of_exactly_size_bytes_is_efbig),
		cmocka_unit_test(an_empty_file_reads_as_zero_bytes),
		cmocka_unit_test(errors_are_negative_errno),
		cmocka_unit_test(read_alloc_grows_up_to_max_and_refuses_beyond),
		cmocka_unit_test(read_buffer_reads_a_file_of_many_pages_to_its_end),
		cmocka_unit_test(read_buffer_replaces_the_contents_and_keeps_the_memory),
		cmocka_unit_test(read_buffer_accepts_max_bytes_and_refuses_one_more),
		cmocka_unit_test(read_buffer_refuses_what_is_not_a_regular_file),
		cmocka_unit_test(open_dir_refuses_files_and_missing_paths),
	};
	/* One directory for the group: tests run in order and reuse the files of earlier ones. */
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
