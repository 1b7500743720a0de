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
	WARNING_HEADER, /* "WARNING: CPU: <n> PID: <n> at ", as __warn() writes it */
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
	const char *kind; /* what the message is, in a few words (kmsg_taint_note.kind) */
} messages[] = {
	{ 'O', ENDS, ": loading out-of-tree module taints kernel.", NAME_BEFORE_COLON,
	  "out-of-tree module loaded" },
	{ 'P', ENDS, "' taints kernel.", NAME_BEFORE_COLON, /* module license '<l>' */
	  "module license" },
	{ 'P', ENDS, ": module license taints kernel.", NAME_BEFORE_COLON, /* older kernels */
	  "module license" },
	{ 'E', ENDS,
	  ": module verification failed: signature and/or required key missing - "
	  "tainting kernel",
	  NAME_BEFORE_COLON, "unsigned module loaded" },
	{ 'N', ENDS, ": loading test module taints kernel.", NAME_BEFORE_COLON,
	  "test module loaded" },
	{ 'F', ENDS, ": kernel tainted.", NAME_BEFORE_COLON, "module force-loaded" },
	{ 'C', CONTAINS, "module is from the staging directory, the quality is unknown",
	  NAME_BEFORE_COLON, "staging module loaded" },
	{ 'K', CONTAINS, "tainting kernel with TAINT_LIVEPATCH", NAME_BEFORE_COLON,
	  "live patch applied" },
	{ 'J', CONTAINS, "has requested full access to the physical device", NAME_NONE,
	  "fwctl full device access" },
	{ 'W', WARNING_HEADER, "WARNING: CPU: ", NAME_IN_BRACKETS, "kernel warning" },
	{ 'L', CONTAINS, "BUG: soft lockup", NAME_NONE, "soft lockup" },
	{ 'B', STARTS, "BUG: Bad page", NAME_NONE, "bad page" },
	{ 'D', STARTS, "Oops:", NAME_NONE, "oops" },
	{ 'D', STARTS, "kernel BUG at", NAME_NONE, "kernel BUG" },
	{ 'D', STARTS, "BUG:", NAME_NONE, "kernel BUG" },
	{ 'M', STARTS, "mce: [Hardware Error]", NAME_NONE, "machine check" },
};

/* Skips the decimal digits at *@p (before @end); false when there is none. */
static bool skip_digits(const char **p, const char *end)
{
	const char *start = *p;
	while (*p < end && **p >= '0' && **p <= '9')
		(*p)++;
	return *p > start;
}

/* Skips @word at *@p (before @end); false when *@p does not start with it. */
static bool skip_word(const char **p, const char *end, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(end - *p) < n || memcmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

/* kernel/panic.c, __warn(): "WARNING: CPU: %d PID: %d at %pS" (or "at <file>:<line> ..."). */
static bool warning_header(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	return skip_word(&p, end, "WARNING: CPU: ") && skip_digits(&p, end) &&
	       skip_word(&p, end, " PID: ") && skip_digits(&p, end) && skip_word(&p, end, " at ");
}

bool kmsg_record_from_kernel(const struct kmsg_record *rec)
{
	return (rec->prio >> 3) == 0 && (rec->prio & 7) <= 5;
}

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
	case WARNING_HEADER:
		return warning_header(text, len);
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
		note->kind = m->kind;
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

/*
 * The second line of newer kernels (6.10 on): "Tainted: [P]=PROPRIETARY_MODULE, [E]=..."
 * and nothing else: each item "[L]=NAME", ", " between them. Its letters into @letters.
 */
static bool verbose_taint_line(const char *p, const char *end, char *letters)
{
	size_t n = 0;
	for (;;) {
		if (end - p < 5 || p[0] != '[' || !is_letter(p[1]) || p[2] != ']' || p[3] != '=')
			return false;
		if (p[1] != 'G' && n < 64 && !memchr(letters, p[1], n))
			letters[n++] = p[1];
		p += 4;
		const char *name = p;
		while (p < end && ((*p >= 'A' && *p <= 'Z') || *p == '_'))
			p++;
		if (p == name)
			return false;
		letters[n] = '\0';
		if (p == end)
			return true;
		if (end - p < 2 || p[0] != ',' || p[1] != ' ')
			return false;
		p += 2;
	}
}

/* The last occurrence of the @n bytes of @needle in @len bytes at @text, or NULL. */
static const char *last_of(const char *text, size_t len, const char *needle, size_t n)
{
	const char *found = NULL;
	for (const char *p = text; (p = memmem(p, (size_t)(text + len - p), needle, n)); p++)
		found = p;
	return found;
}

bool kmsg_tainted_letters(const char *text, size_t len, char *letters)
{
	size_t n = 0;
	const char *end = text + len;
	letters[0] = '\0';
	if (len > 9 && memcmp(text, "Tainted: ", 9) == 0)
		return verbose_taint_line(text + 9, end, letters);
	/*
	 * dump_stack_print_info(): "CPU: %d PID: %d Comm: %.20s %s%s %s ..." with the task's
	 * name, then print_tainted(): "Tainted: <letters>" or "Not tainted", then the release.
	 * The task's name is anybody's to choose ("Tainted: D W " is a valid one): the kernel's
	 * own string is the last of the two after it.
	 */
	if (len < 5 || memcmp(text, "CPU: ", 5) != 0)
		return false;
	const char *tainted = last_of(text, len, " Tainted: ", 10);
	const char *clean = last_of(text, len, " Not tainted", 12);
	if (!tainted && !clean)
		return false;
	if (clean > tainted)
		return true;
	const char *p = tainted + 10;
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
