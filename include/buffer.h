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

struct buffer {
	char *data;
	size_t len;
	size_t cap;
	bool failed;
};

#define BUFFER_INIT {NULL, 0, 0, false}

/* buffer_append() - append @len bytes of @data. */
void buffer_append(struct buffer *b, const char *data, size_t len);

/* buffer_puts() - append the NUL-terminated string @s (without its NUL). */
void buffer_puts(struct buffer *b, const char *s);

/* buffer_putc() - append one byte. */
void buffer_putc(struct buffer *b, char c);

/* buffer_put_u64() - append @v in decimal. */
void buffer_put_u64(struct buffer *b, uint64_t v);

/* buffer_reserve() - make room for @extra more bytes; returns false after a failure. */
bool buffer_reserve(struct buffer *b, size_t extra);

/* buffer_reset() - forget the contents and any failure, keep the memory. */
void buffer_reset(struct buffer *b);

/* buffer_free() - release the memory; the buffer may be reused afterwards. */
void buffer_free(struct buffer *b);

/* buffer_status() - 0, or -ENOMEM if any append since the last reset failed. */
int buffer_status(const struct buffer *b);

/* buffer_cstr() - the contents NUL-terminated (the NUL is not counted in len), or NULL. */
const char *buffer_cstr(struct buffer *b);

#endif
