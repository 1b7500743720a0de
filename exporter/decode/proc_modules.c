#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "decode/proc_modules.h"

/* Six fields, and a seventh when the module carries taint. */
#define FIELDS_MIN 6
#define FIELDS_MAX 7

int proc_modules_parse_line(const char *line, size_t len, struct proc_module_line *out)
{
	/* memchr() finds each blank: a byte loop over every line was most of a scrape's work. */
	const char *field[FIELDS_MAX];
	size_t field_len[FIELDS_MAX];
	size_t count = 0;
	const char *p = line;
	const char *end = line + len;
	for (;;) {
		const char *blank = memchr(p, ' ', (size_t)(end - p));
		const char *stop = blank ? blank : end;
		if (stop == p || count == FIELDS_MAX)
			return -EINVAL; /* an empty field (two blanks, or at an end), or an eighth */
		field[count] = p;
		field_len[count] = (size_t)(stop - p);
		count++;
		if (!blank)
			break;
		p = blank + 1;
	}
	if (count < FIELDS_MIN)
		return -EINVAL;
	/* Six fields end in the address: a sixth in parentheses is a line without its address. */
	if (count == FIELDS_MIN && field[FIELDS_MIN - 1][0] == '(')
		return -EINVAL;
	/* A NUL would end the name early for everything that reads it as a string. */
	if (memchr(field[0], '\0', field_len[0]))
		return -EINVAL;

	out->name = field[0];
	out->name_len = field_len[0];
	out->letters = "";
	out->letters_len = 0;
	if (count == FIELDS_MAX) {
		const char *t = field[FIELDS_MAX - 1];
		size_t n = field_len[FIELDS_MAX - 1];
		if (n < 2 || t[0] != '(' || t[n - 1] != ')')
			return -EINVAL;
		t++;
		n -= 2;
		/* module_flags(): '-' while unloading, '+' while loading, after the letters. */
		if (n > 0 && (t[n - 1] == '+' || t[n - 1] == '-'))
			n--;
		out->letters = t;
		out->letters_len = n;
	}
	return 0;
}

/* The number of bytes @c in @len bytes at @p, eight at a time. */
static size_t count_byte(const char *p, size_t len, char c)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t lows = UINT64_C(0x7f7f7f7f7f7f7f7f);
	size_t n = 0;
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t x = w ^ (ones * (unsigned char)c); /* each @c becomes a zero byte */
		/* The high bit of each byte of y is clear exactly where x has a zero byte. */
		uint64_t y = ((x & lows) + lows) | x;
		/* One bit per match, at bit 0 of its byte; the multiply sums the bytes into the top. */
		n += (size_t)((((~y & ~lows) >> 7) * ones) >> 56);
	}
	for (; len > 0; p++, len--)
		n += *p == c;
	return n;
}

/*
 * Thirty-two bytes at a time, in GCC's generic vectors: two SSE2 registers on any x86-64, one
 * AVX2 register where the CPU has it (target_clones builds both, and the dynamic loader picks
 * one for the CPU it runs on). At 400 modules, where this loop reads every byte of
 * /proc/modules, AVX2 took a scrape from 41k instructions to 29k (callgrind, the bench).
 */
typedef unsigned char bytes32 __attribute__((vector_size(32)));
typedef signed char matches32 __attribute__((vector_size(32))); /* -1 per match, 0 else */

#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define FOR_AVX2_AND_ANY __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef FOR_AVX2_AND_ANY
#define FOR_AVX2_AND_ANY
#endif

/* The blanks and the newlines in @len bytes at @p. */
FOR_AVX2_AND_ANY
static void count_blanks_and_lines(const char *p, size_t len, size_t *blanks, size_t *lines)
{
	size_t b = 0, n = 0;
	while (len >= sizeof(bytes32)) {
		/* at most 255 blocks: before a byte counter overflows */
		size_t blocks = len / sizeof(bytes32) < 255 ? len / sizeof(bytes32) : 255;
		matches32 cb = { 0 }, cn = { 0 };
		for (size_t i = 0; i < blocks; i++, p += sizeof(bytes32)) {
			bytes32 v;
			memcpy(&v, p, sizeof(v));
			cb -= (matches32)(v == ' ');
			cn -= (matches32)(v == '\n');
		}
		len -= blocks * sizeof(bytes32);
		for (size_t i = 0; i < sizeof(bytes32); i++) {
			b += (unsigned char)cb[i];
			n += (unsigned char)cn[i];
		}
	}
	*blanks = b + count_byte(p, len, ' ');
	*lines = n + count_byte(p, len, '\n');
}

/*
 * One line: a line with taint ends in ')' and is parsed whole; a line without taint is only
 * checked for its six fields (it gives no series, and the visitor is not told of it).
 */
static void visit_line(proc_modules_visit_fn visit, void *ctx, const char *line, size_t len)
{
	if (len > 0 && line[len - 1] != ')') {
		if (line[0] != ' ' && line[len - 1] != ' ' &&
		    count_byte(line, len, ' ') == FIELDS_MIN - 1)
			return;
		visit(ctx, -EINVAL, NULL);
		return;
	}
	struct proc_module_line parsed;
	int err = proc_modules_parse_line(line, len, &parsed);
	visit(ctx, err, err == 0 ? &parsed : NULL);
}

/*
 * Whole lines, @len bytes at @p ending in a newline, each shorter than PROC_MODULES_LINE_MAX
 * (the buffer they came through). Most lines are of modules without taint, and taking each
 * apart was most of a scrape's work on a host with hundreds of modules. So the region is
 * checked as a whole first: when every ')' ends a line and the blanks are five per line plus
 * one per such line, only the lines with taint are visited (and parsed whole). Otherwise each
 * line is checked on its own, so that every malformed one is counted. A malformed line
 * without taint can pass the first check only when another malformed line of the same region
 * makes up for its blanks; it gives no series either way.
 */
static void visit_lines(proc_modules_visit_fn visit, void *ctx, const char *p, size_t len)
{
	const char *end = p + len;
	size_t blanks, lines, tainted = 0;
	count_blanks_and_lines(p, len, &blanks, &lines);
	const char *q = p;
	while ((q = memchr(q, ')', (size_t)(end - q))) && q[1] == '\n') {
		tainted++;
		q++;
	}
	if (!q && blanks == (FIELDS_MIN - 1) * lines + tainted) {
		/* up to the last line with taint, not to the end (2.5k instructions at 400) */
		for (q = p; tainted > 0 && (q = memchr(q, ')', (size_t)(end - q))); tainted--, q++) {
			const char *nl = memrchr(p, '\n', (size_t)(q - p));
			const char *start = nl ? nl + 1 : p;
			visit_line(visit, ctx, start, (size_t)(q + 1 - start));
		}
		return;
	}
	const char *nl;
	for (; (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1)
		visit_line(visit, ctx, p, (size_t)(nl - p));
}

/* pread(), again when a signal interrupted it; returns the count, 0 at the end, or -errno. */
static ssize_t pread_retrying(int fd, char *buf, size_t len, off_t offset)
{
	for (;;) {
		ssize_t n = pread(fd, buf, len, offset);
		if (n >= 0 || errno != EINTR)
			return n < 0 ? -errno : n;
	}
}

/*
 * What one read asks for: a page, what the kernel's seq_file hands out per read whatever the
 * buffer. Each read asks for a whole page at a page's offset, also after a line split across
 * two reads of a regular file (a fixture) left its start in the buffer: reads of what room was
 * left went on at unaligned offsets and touched two pages of the file each, which made the
 * bench's tmpfs fixture dearer than the floor's aligned reads of the same file.
 */
#define READ_BYTES 4096

/*
 * A scan's state between reads. A line may arrive in two reads (a fixture's regular file is
 * read in page-sized pieces; the kernel's seq_file ends each read at a line): what is left of
 * it is moved to the front and the next read appends to it. A line that does not end within
 * PROC_MODULES_LINE_MAX bytes is too long: reported once, and dropped up to its newline.
 */
struct scan {
	proc_modules_visit_fn visit;
	void *ctx;
	char buf[PROC_MODULES_LINE_MAX + READ_BYTES];
	size_t have; /* the start of a line, always under PROC_MODULES_LINE_MAX bytes */
	int skipping; /* the rest of a line too long comes first */
	/*
	 * The last line of the previous read. The kernel resumes each read at a line number, and
	 * a module loaded meanwhile goes first in the list: the line read last comes again first.
	 */
	char last_line[PROC_MODULES_LINE_MAX];
	size_t last_len;
};

/* Where the whole lines of a read of @n bytes begin: past the rest of a line too long. */
static char *first_line_of_read(struct scan *s, size_t n)
{
	if (!s->skipping && s->have == 0)
		return s->buf;
	char *end = s->buf + s->have + n;
	char *nl = memchr(s->buf + s->have, '\n', n); /* where the line begun before ends */
	if (!s->skipping && (size_t)((nl ? nl : end) - s->buf) >= PROC_MODULES_LINE_MAX) {
		s->visit(s->ctx, -EFBIG, NULL);
		s->skipping = 1;
		s->last_len = 0;
	}
	if (!s->skipping)
		return s->buf;
	s->skipping = !nl;
	return nl ? nl + 1 : end;
}

/* Visits the whole lines from @start to @end, keeping the last; returns where they end. */
static char *visit_whole_lines(struct scan *s, char *start, char *end)
{
	char *last = start < end ? memrchr(start, '\n', (size_t)(end - start)) : NULL;
	if (!last)
		return start;
	char *first_nl = memchr(start, '\n', (size_t)(last + 1 - start));
	if (s->have == 0 && s->last_len > 0 && (size_t)(first_nl - start) == s->last_len &&
	    memcmp(start, s->last_line, s->last_len) == 0)
		/* read again: the list grew at its head meanwhile */
		start = first_nl + 1;
	if (start <= last)
		visit_lines(s->visit, s->ctx, start, (size_t)(last + 1 - start));
	char *line = memrchr(s->buf, '\n', (size_t)(last - s->buf));
	line = line ? line + 1 : s->buf;
	s->last_len = (size_t)(last - line);
	memcpy(s->last_line, line, s->last_len);
	return last + 1;
}

/* Keeps the start of a line, from @start to @end, for the next read; or reports it too long. */
static void keep_partial_line(struct scan *s, const char *start, const char *end)
{
	s->have = (size_t)(end - start);
	if (s->have >= PROC_MODULES_LINE_MAX) {
		s->visit(s->ctx, -EFBIG, NULL);
		s->skipping = 1;
		s->have = 0;
		s->last_len = 0;
	} else {
		memmove(s->buf, start, s->have);
	}
}

int proc_modules_scan(int fd, proc_modules_visit_fn visit, void *ctx)
{
	/* Not zeroed whole: its 12 KiB of buffers would be a memset() per scrape. */
	struct scan s;
	s.visit = visit;
	s.ctx = ctx;
	s.have = 0;
	s.skipping = 0;
	s.last_len = 0;
	off_t offset = 0;
	for (;;) {
		ssize_t n = pread_retrying(fd, s.buf + s.have, READ_BYTES, offset);
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		offset += n;
		char *end = s.buf + s.have + (size_t)n;
		char *start = visit_whole_lines(&s, first_line_of_read(&s, (size_t)n), end);
		keep_partial_line(&s, start, end);
	}
	if (s.have > 0 && !s.skipping) /* a last line without its newline */
		visit_line(visit, ctx, s.buf, s.have);
	return 0;
}
