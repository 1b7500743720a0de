/*
 * proc_modules_scan() over any bytes, as a <procfs>/modules file, against a plain reference:
 * the input split at its newlines, every line that fits the buffer and ends in ')' parsed by
 * proc_modules_parse_line(). The modules and letters the scan hands over must be exactly the
 * reference's, in order, whatever the fast check of a region decided; each one's name must
 * have no blank, newline or NUL, and its letters must lie inside its line.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode/proc_modules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What was handed over, as "name\0letters\0" records: at most three bytes per input byte. */
struct series {
	char *data;
	size_t len, cap;
};

static void add(struct series *s, const struct proc_module_line *line)
{
	if (line->name_len == 0 || memchr(line->name, ' ', line->name_len) ||
	    memchr(line->name, '\n', line->name_len) || memchr(line->name, '\0', line->name_len))
		abort();
	if (s->len + line->name_len + line->letters_len + 2 > s->cap)
		abort(); /* more handed over than the input holds */
	memcpy(s->data + s->len, line->name, line->name_len);
	s->len += line->name_len;
	s->data[s->len++] = '\0';
	memcpy(s->data + s->len, line->letters, line->letters_len);
	s->len += line->letters_len;
	s->data[s->len++] = '\0';
}

static void visit(void *ctx, int err, const struct proc_module_line *line)
{
	if (err) {
		if ((err != -EINVAL && err != -EFBIG) || line)
			abort();
		return;
	}
	add(ctx, line);
}

/* The reference; false when the input has two equal lines in a row, which the scan may merge. */
static int reference(const uint8_t *data, size_t size, struct series *s)
{
	const char *p = (const char *)data, *end = p + size, *prev = NULL;
	size_t prev_len = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		if (prev && len == prev_len && memcmp(p, prev, len) == 0)
			return 0;
		if (len < PROC_MODULES_LINE_MAX && len > 0 && p[len - 1] == ')') {
			struct proc_module_line line;
			if (proc_modules_parse_line(p, len, &line) == 0) {
				/* The letters, if any, lie inside the line. */
				if (line.letters_len &&
				    (line.letters < p || line.letters + line.letters_len > p + len))
					abort();
				add(s, &line);
			}
		}
		prev = p;
		prev_len = len;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 1;
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
	size_t cap = 3 * size + 16;
	struct series got = { malloc(cap), 0, cap };
	struct series want = { malloc(cap), 0, cap };
	if (!got.data || !want.data)
		abort();
	if (proc_modules_scan(fd, visit, &got) != 0)
		abort();
	if (reference(data, size, &want) &&
	    (got.len != want.len || memcmp(got.data, want.data, got.len) != 0))
		abort(); /* not the modules and letters that the lines hold */
	free(got.data);
	free(want.data);
	close(fd);
	return 0;
}
