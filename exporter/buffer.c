#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"

bool buffer_grow(struct buffer *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : 4096;
	while (cap - b->len <= extra) {
		if (cap > SIZE_MAX / 2) {
			b->failed = true;
			return false;
		}
		cap *= 2;
	}
	char *data = realloc(b->data, cap);
	if (!data) {
		b->failed = true;
		return false;
	}
	b->data = data;
	b->cap = cap;
	return true;
}

void buffer_put_u64(struct buffer *b, uint64_t v)
{
	char digits[20];
	size_t n = 0;
	do {
		digits[sizeof(digits) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buffer_append(b, digits + sizeof(digits) - n, n);
}

void buffer_put_hex(struct buffer *b, uint64_t v)
{
	char hex[2 + 16 + 1];
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)v);
	buffer_puts(b, hex);
}

void buffer_reset(struct buffer *b)
{
	b->len = 0;
	b->failed = false;
}

void buffer_free(struct buffer *b)
{
	free(b->data);
	*b = (struct buffer)BUFFER_INIT;
}

int buffer_status(const struct buffer *b)
{
	return b->failed ? -ENOMEM : 0;
}

const char *buffer_cstr(struct buffer *b)
{
	/* buffer_reserve() always leaves room for one more byte, so this NUL fits. */
	if (!buffer_reserve(b, 0))
		return NULL;
	b->data[b->len] = '\0';
	return b->data;
}
