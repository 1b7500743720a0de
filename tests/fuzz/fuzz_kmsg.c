/*
 * A /dev/kmsg record of any bytes through kmsg_record_parse(), and its message (or the whole
 * input, when it is no record) through kmsg_taint_note() and kmsg_tainted_letters(): the text
 * must lie inside the input, and what they hand over must keep its limits: a module name with
 * no blank, colon or bracket, a location and letters that fit, letters distinct. Then
 * taint_log_add(): every string it keeps is printable ASCII within its limit, one entry a letter.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/kmsg.h"
#include "decode/taint_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool printable_within(const char *s, size_t max)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	}
	return n <= max;
}

static void check_log(const char *text, size_t len)
{
	static struct taint_log log;
	memset(&log, 0, sizeof(log));
	taint_log_add(&log, text, len, 1, 1);
	taint_log_add(&log, text, len, 2, 2);
	for (size_t i = 0; i < log.count; i++) {
		const struct taint_log_entry *e = &log.entries[i];
		if (e->seq != 1 || taint_log_find(&log, e->letter) != e ||
		    !printable_within(e->line, KMSG_LINE_MAX) ||
		    !printable_within(e->module, MODULE_NAME_MAX) ||
		    !printable_within(e->location, KMSG_LOCATION_MAX))
			abort();
	}
}

static void check_text(const char *text, size_t len)
{
	check_log(text, len);
	struct kmsg_taint_note note;
	if (kmsg_taint_note(text, len, &note)) {
		if (!strchr("OPENFCKJWLBDM", note.letter) ||
		    strlen(note.module) > MODULE_NAME_MAX || strpbrk(note.module, " :[]") ||
		    strlen(note.location) > KMSG_LOCATION_MAX)
			abort();
	}
	char letters[65];
	if (kmsg_tainted_letters(text, len, letters)) {
		size_t n = strlen(letters);
		for (size_t i = 0; i < n; i++) {
			char c = letters[i];
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) || c == 'G' ||
			    memchr(letters + i + 1, c, n - i - 1))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly @size bytes, so that a read past the end is caught */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct kmsg_record rec;
	if (kmsg_record_parse(buf, size, &rec) == 0) {
		if (rec.text < buf || rec.text + rec.text_len > buf + size ||
		    memchr(rec.text, '\n', rec.text_len))
			abort();
		check_text(rec.text, rec.text_len);
	} else {
		check_text(buf, size);
	}
	free(buf);
	return 0;
}
