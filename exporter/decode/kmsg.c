#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode/kmsg.h"
#include "util.h"

/* An unsigned decimal field ended by @end; advances *@p past it. */
static int parse_field(const char **p, const char *stop, char end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	if (s >= stop || *s < '0' || *s > '9')
		return -EINVAL;
	for (; s < stop && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s >= stop || *s != end)
		return -EINVAL;
	*p = s + 1;
	*out = v;
	return 0;
}

int kmsg_record_parse(const char *buf, size_t len, struct kmsg_record *rec)
{
	const char *p = buf, *stop = buf + len;
	const char *semi = memchr(buf, ';', len);
	uint64_t prio, seq, ts;
	if (!semi || parse_field(&p, semi, ',', &prio) < 0 || prio > 1023 ||
	    parse_field(&p, semi, ',', &seq) < 0)
		return -EINVAL;
	/* the timestamp ends in ',' before the flag */
	if (parse_field(&p, semi, ',', &ts) < 0 || p >= semi)
		return -EINVAL;
	if (*p != '-' && *p != 'c' && *p != '+')
		return -EINVAL;
	rec->flag = *p;
	rec->prio = (unsigned int)prio;
	rec->seq = seq;
	rec->ts_usec = ts;
	rec->text = semi + 1;
	const char *nl = memchr(rec->text, '\n', (size_t)(stop - rec->text));
	rec->text_len = (size_t)((nl ? nl : stop) - rec->text);
	return 0;
}

/* Where the module's name is in a message that names one. */
enum name_from {
	NAME_NONE,
	NAME_BEFORE_COLON, /* "<m>: ..." */
	NAME_IN_BRACKETS, /* "... [<m>]" at the end, as a WARNING shows it */
};

enum match {
	STARTS, /* the message starts with the text */
	CONTAINS,
	ENDS,
};

/*
 * The messages that explain a flag (../shared/KERNEL-VM.md, "What the kernel logs when it sets
 * each bit", from kernel/module/main.c and kernel/panic.c), first match wins: soft lockup and
 * bad page come before the other "BUG:"s.
 */
static const struct message {
	char letter;
	enum match match;
	const char *text;
	enum name_from name;
} messages[] = {
	{ 'O', ENDS, ": loading out-of-tree module taints kernel.", NAME_BEFORE_COLON },
	{ 'P', ENDS, "' taints kernel.", NAME_BEFORE_COLON }, /* module license '<l>' */
	{ 'P', ENDS, ": module license taints kernel.", NAME_BEFORE_COLON }, /* older kernels */
	{ 'E', ENDS,
	  ": module verification failed: signature and/or required key missing - "
	  "tainting kernel",
	  NAME_BEFORE_COLON },
	{ 'N', ENDS, ": loading test module taints kernel.", NAME_BEFORE_COLON },
	{ 'F', ENDS, ": kernel tainted.", NAME_BEFORE_COLON },
	{ 'C', CONTAINS, "module is from the staging directory, the quality is unknown",
	  NAME_BEFORE_COLON },
	{ 'K', CONTAINS, "tainting kernel with TAINT_LIVEPATCH", NAME_BEFORE_COLON },
	{ 'J', CONTAINS, "has requested full access to the physical device", NAME_NONE },
	{ 'W', STARTS, "WARNING: ", NAME_IN_BRACKETS },
	{ 'L', CONTAINS, "BUG: soft lockup", NAME_NONE },
	{ 'B', STARTS, "BUG: Bad page", NAME_NONE },
	{ 'D', STARTS, "Oops:", NAME_NONE },
	{ 'D', STARTS, "kernel BUG at", NAME_NONE },
	{ 'D', STARTS, "BUG:", NAME_NONE },
	{ 'M', STARTS, "mce: [Hardware Error]", NAME_NONE },
};

static bool matches(const struct message *m, const char *text, size_t len)
{
	size_t n = strlen(m->text);
	if (n > len)
		return false;
	switch (m->match) {
	case STARTS:
		return memcmp(text, m->text, n) == 0;
	case ENDS:
		return memcmp(text + len - n, m->text, n) == 0;
	case CONTAINS:
		return memmem(text, len, m->text, n) != NULL;
	}
	return false;
}

/* Copies @len bytes of @s into @out (@size bytes), cut to fit, NUL-terminated. */
static void copy_cut(char *out, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* A module name as the kernel writes one: no blank, no colon, no bracket, not empty. */
static bool is_module_name(const char *s, size_t len)
{
	if (len == 0 || len > MODULE_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == ':' || s[i] == '[' || s[i] == ']')
			return false;
	}
	return true;
}

static void find_module(const struct message *m, const char *text, size_t len, char *out)
{
	out[0] = '\0';
	if (m->name == NAME_BEFORE_COLON) {
		const char *colon = memchr(text, ':', len);
		if (colon && is_module_name(text, (size_t)(colon - text)))
			copy_cut(out, MODULE_NAME_MAX + 1, text, (size_t)(colon - text));
	} else if (m->name == NAME_IN_BRACKETS && len >= 3 && text[len - 1] == ']') {
		const char *open = text + len - 2;
		while (open > text && *open != '[')
			open--;
		if (*open == '[' && is_module_name(open + 1, (size_t)(text + len - 2 - open)))
			copy_cut(out, MODULE_NAME_MAX + 1, open + 1,
				 (size_t)(text + len - 2 - open));
	}
}

/* "WARNING: CPU: 0 PID: 116 at <file>:<line> <func>+0xe/0x1000 [<m>]": "<file>:<line> <func>". */
static void find_location(const char *text, size_t len, char *out)
{
	out[0] = '\0';
	const char *at = memmem(text, len, " at ", 4);
	if (!at)
		return;
	const char *start = at + 4, *end = text + len;
	const char *blank = memchr(start, ' ', (size_t)(end - start));
	if (!blank)
		return;
	const char *func_end = blank + 1;
	while (func_end < end && *func_end != '+' && *func_end != ' ')
		func_end++;
	copy_cut(out, KMSG_LOCATION_MAX + 1, start, (size_t)(func_end - start));
}

bool kmsg_taint_note(const char *text, size_t len, struct kmsg_taint_note *note)
{
	for (size_t i = 0; i < ARRAY_SIZE(messages); i++) {
		const struct message *m = &messages[i];
		if (!matches(m, text, len))
			continue;
		/* "module license '...'" only where the rest says so */
		if (m->letter == 'P' && m->match == ENDS && m->text[0] == '\'' &&
		    !memmem(text, len, ": module license '", 18))
			continue;
		note->letter = m->letter;
		find_module(m, text, len, note->module);
		if (m->letter == 'W')
			find_location(text, len, note->location);
		else
			note->location[0] = '\0';
		return true;
	}
	return false;
}

static bool is_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool kmsg_tainted_letters(const char *text, size_t len, char *letters)
{
	size_t n = 0;
	letters[0] = '\0';
	if (memmem(text, len, "Not tainted", 11))
		return true;
	const char *at = memmem(text, len, "Tainted: ", 9);
	if (!at)
		return false;
	const char *p = at + 9, *end = text + len;
	/* Newer kernels' second line: "Tainted: [P]=PROPRIETARY_MODULE, [E]=UNSIGNED_MODULE". */
	if (p < end && *p == '[') {
		for (; p + 2 < end; p++) {
			if (p[0] == '[' && is_letter(p[1]) && p[1] != 'G' && p[2] == ']' &&
			    n < 64 && !memchr(letters, p[1], n))
				letters[n++] = p[1];
		}
		letters[n] = '\0';
		return true;
	}
	/* Runs of letters and blanks, up to the first word that is not only letters (the release). */
	while (p < end) {
		const char *w = p;
		while (w < end && *w != ' ' && is_letter(*w))
			w++;
		if (w < end && *w != ' ')
			break; /* a word with something else in it: the taint string is over */
		for (const char *c = p; c < w; c++) {
			if (*c != 'G' && n < 64 && !memchr(letters, *c, n))
				letters[n++] = *c;
		}
		p = w < end ? w + 1 : w;
	}
	letters[n] = '\0';
	return true;
}
