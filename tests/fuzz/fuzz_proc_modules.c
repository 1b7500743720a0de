/*
 * proc_modules_scan() over any bytes, as a <procfs>/modules file: every line handed to the
 * visitor lies inside the input, has a non-empty name without blanks and letters inside its
 * line, and the lines seen never outnumber the newlines plus one.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "proc_modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct check {
	const uint8_t *data;
	size_t size;
	size_t lines;
};

static void visit(void *ctx, int err, const struct proc_module_line *line)
{
	struct check *c = ctx;
	c->lines++;
	if (err) {
		if ((err != -EINVAL && err != -EFBIG) || line)
			abort();
		return;
	}
	if (line->name_len == 0 || memchr(line->name, ' ', line->name_len) ||
	    memchr(line->name, '\n', line->name_len) || line->letters_len > PROC_MODULES_LINE_MAX)
		abort();
	/* The scan's buffer holds the line; its bytes must be the input's. */
	if (!memmem(c->data, c->size, line->name, line->name_len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("modules", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	struct check c = {data, size, 0};
	if (proc_modules_scan(fd, visit, &c) != 0)
		abort();
	size_t newlines = 0;
	for (size_t i = 0; i < size; i++)
		newlines += data[i] == '\n';
	if (c.lines > newlines + 1)
		abort();
	close(fd);
	return 0;
}
