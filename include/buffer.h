#ifndef TAINT_EXPORTER_BUFFER_H
#define TAINT_EXPORTER_BUFFER_H

/*
 * A growable byte buffer that output is appended to. Allocation failure is sticky: appends
 * after a failure do nothing and buffer_status() reports -ENOMEM, so formatters can append
 * freely and check once at the end. A buffer is reused across scrapes (buffer_reset() keeps
 * the memory), which is why steady-state scrapes allocate nothing.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buffer {
	char *data;
	size_t len;
	size_t cap;
	bool failed;
};

#define BUFFER_INIT          \
	{                    \
		.data = NULL \
	}

/* buffer_grow() - the slow path of buffer_reserve(): reallocate; false on failure. */
bool buffer_grow(struct buffer *b, size_t extra);

/*
 * The appends are inline: a scrape makes a few hundred of them, mostly of string literals
 * whose length the compiler then knows, and the bench counted the calls as a fifth of a
 * scrape's instructions.
 */

/* buffer_reserve() - make room for @extra more bytes; returns false after a failure. */
static inline bool buffer_reserve(struct buffer *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->cap - b->len > extra) /* always one byte to spare, for buffer_cstr() */
		return true;
	return buffer_grow(b, extra);
}

/* buffer_append() - append @len bytes of @data. */
static inline void buffer_append(struct buffer *b, const char *data, size_t len)
{
	if (!buffer_reserve(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

/* buffer_puts() - append the NUL-terminated string @s (without its NUL). */
static inline void buffer_puts(struct buffer *b, const char *s)
{
	buffer_append(b, s, strlen(s));
}

/* buffer_putc() - append one byte. */
static inline void buffer_putc(struct buffer *b, char c)
{
	if (!buffer_reserve(b, 1))
		return;
	b->data[b->len++] = c;
}

/* buffer_put_u64() - append @v in decimal. */
void buffer_put_u64(struct buffer *b, uint64_t v);

/* buffer_put_hex() - append @v in lowercase hexadecimal with a 0x prefix: "0x1201". */
void buffer_put_hex(struct buffer *b, uint64_t v);

/* buffer_reset() - forget the contents and any failure, keep the memory. */
void buffer_reset(struct buffer *b);

/* buffer_free() - release the memory; the buffer may be reused afterwards. */
void buffer_free(struct buffer *b);

/* buffer_status() - 0, or -ENOMEM if any append since the last reset failed. */
int buffer_status(const struct buffer *b);

/* buffer_cstr() - the contents NUL-terminated (the NUL is not counted in len), or NULL. */
const char *buffer_cstr(struct buffer *b);

#endif
