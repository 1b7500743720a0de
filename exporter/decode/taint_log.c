#include <stdbool.h>
#include <string.h>

#include "decode/kmsg.h"
#include "decode/taint_log.h"

/* A new entry for @letter, or NULL when it has one already (or, never, when full). */
static struct taint_log_entry *new_entry(struct taint_log *log, char letter)
{
	if (taint_log_find(log, letter) || log->count == TAINT_LOG_LETTERS)
		return NULL;
	struct taint_log_entry *e = &log->entries[log->count++];
	memset(e, 0, sizeof(*e));
	e->letter = letter;
	return e;
}

/*
 * @len bytes of @s into @out (@size bytes), NUL-terminated, every byte outside printable ASCII
 * written as \xNN, as /dev/kmsg itself writes them: what a file or a FIFO handed over in its
 * place cannot put a control character or invalid UTF-8 into a label or a page. Cut to fit.
 */
static void copy_printable(char *out, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain = c >= 0x20 && c < 0x7f;
		if (n + (plain ? 1 : 4) >= size)
			break;
		if (plain) {
			out[n++] = (char)c;
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 15];
	}
	out[n] = '\0';
}

static void fill(struct taint_log_entry *e, const char *text, size_t len, uint64_t seq,
		 uint64_t time_usec)
{
	e->seq = seq;
	e->time_usec = time_usec;
	copy_printable(e->line, sizeof(e->line), text, len);
}

void taint_log_add(struct taint_log *log, const char *text, size_t len, uint64_t seq,
		   uint64_t time_usec)
{
	struct kmsg_taint_note note;
	if (kmsg_taint_note(text, len, &note)) {
		struct taint_log_entry *e = new_entry(log, note.letter);
		if (e) {
			fill(e, text, len, seq, time_usec);
			e->kind = note.kind;
			copy_printable(e->module, sizeof(e->module), note.module,
				       strlen(note.module));
			copy_printable(e->location, sizeof(e->location), note.location,
				       strlen(note.location));
		}
		return;
	}
	char letters[65];
	if (!kmsg_tainted_letters(text, len, letters))
		return;
	for (const char *l = letters; *l; l++) {
		struct taint_log_entry *e = new_entry(log, *l);
		if (e) {
			fill(e, text, len, seq, time_usec);
			e->kind = KMSG_KIND_TAINTED_HEADER;
		}
	}
}
