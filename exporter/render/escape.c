#include <stdbool.h>
#include <string.h>

#include "render/escape.h"

/*
 * An output language is what it makes of each byte: a replacement, or NULL to copy the byte.
 * @tmp (ESCAPE_TMP bytes) holds a replacement that has to be built, such as \u001b.
 */
#define ESCAPE_TMP 8
typedef const char *escape_byte_fn(unsigned char c, char *tmp);

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Writes @prefix and the two hex digits of @c into @tmp. */
static const char *hex_escape(char *tmp, const char *prefix, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(prefix);
	memcpy(tmp, prefix, n);
	tmp[n] = hex[c >> 4];
	tmp[n + 1] = hex[c & 0xf];
	tmp[n + 2] = '\0';
	return tmp;
}

static const char *label_byte(unsigned char c, char *tmp)
{
	(void)tmp;
	return c == '\\' ? "\\\\" : c == '"' ? "\\\"" : c == '\n' ? "\\n" : NULL;
}

static const char *json_byte(unsigned char c, char *tmp)
{
	if (c == '\\' || c == '"' || c == '\n')
		return label_byte(c, tmp); /* the same three two-byte escapes */
	return is_control(c) ? hex_escape(tmp, "\\u00", c) : NULL;
}

static const char *html_byte(unsigned char c, char *tmp)
{
	(void)tmp;
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

static const char *text_byte(unsigned char c, char *tmp)
{
	if (c == '\\')
		return "\\\\";
	return is_control(c) ? hex_escape(tmp, "\\x", c) : NULL;
}

/*
 * Copies runs of bytes that need no escape in one append each: label values are escaped on
 * every scrape, and almost all of their bytes are plain.
 */
static inline void put_escaped_n(struct buffer *out, const char *s, size_t len,
				 escape_byte_fn *escape)
{
	const char *run = s, *end = s + len;
	for (; s < end; s++) {
		char tmp[ESCAPE_TMP];
		const char *replacement = escape((unsigned char)*s, tmp);
		if (!replacement)
			continue;
		buffer_append(out, run, (size_t)(s - run));
		buffer_puts(out, replacement);
		run = s + 1;
	}
	buffer_append(out, run, (size_t)(s - run));
}

static inline void put_escaped(struct buffer *out, const char *s, escape_byte_fn *escape)
{
	put_escaped_n(out, s, strlen(s), escape);
}

void escape_label_value(struct buffer *out, const char *s)
{
	put_escaped(out, s, label_byte);
}

/*
 * The length of the well-formed UTF-8 sequence at @s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 when the bytes there are not one.
 */
static size_t utf8_sequence(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n = c >= 0xc2 && c <= 0xdf ? 2 :
		   c >= 0xe0 && c <= 0xef ? 3 :
		   c >= 0xf0 && c <= 0xf4 ? 4 :
					    0;
	unsigned char lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
	unsigned char hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
	for (size_t i = 1; i < n; i++) {
		unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xbf;
		if (s[i] < min || s[i] > max)
			return 0;
	}
	return n;
}

/*
 * JSON text is UTF-8 (RFC 8259): a byte that is not part of a well-formed sequence (a module
 * name, a path or a log line in Latin-1) becomes U+FFFD, as a JSON parser would refuse it.
 */
void escape_json_string(struct buffer *out, const char *s)
{
	buffer_putc(out, '"');
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *run = p;
		while (*p && *p < 0x80)
			p++;
		put_escaped_n(out, (const char *)run, (size_t)(p - run), json_byte);
		if (!*p)
			break;
		size_t n = utf8_sequence(p);
		if (n) {
			buffer_append(out, (const char *)p, n);
			p += n;
		} else {
			buffer_puts(out, "\\ufffd");
			p++;
		}
	}
	buffer_putc(out, '"');
}

static bool logfmt_needs_quotes(const char *s)
{
	if (*s == '\0')
		return true;
	for (; *s; s++) {
		if (*s == ' ' || *s == '"' || *s == '=' || is_control((unsigned char)*s))
			return true;
	}
	return false;
}

void escape_logfmt_value(struct buffer *out, const char *s)
{
	if (logfmt_needs_quotes(s))
		escape_json_string(out, s);
	else
		buffer_puts(out, s);
}

void escape_html(struct buffer *out, const char *s)
{
	put_escaped(out, s, html_byte);
}

void escape_text(struct buffer *out, const char *s)
{
	put_escaped(out, s, text_byte);
}

size_t escape_text_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++) {
		char tmp[ESCAPE_TMP];
		const char *replacement = text_byte((unsigned char)*s, tmp);
		n += replacement ? strlen(replacement) : 1;
	}
	return n;
}
