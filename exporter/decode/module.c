#include <stdint.h>
#include <string.h>

#include "decode/module.h"

bool module_letters_valid(const char *letters, size_t len)
{
	uint64_t seen = 0; /* one bit per ASCII letter: A-Z at 0-25, a-z at 32-57 */
	for (size_t i = 0; i < len; i++) {
		char c = letters[i];
		unsigned int idx;
		if (c >= 'A' && c <= 'Z')
			idx = (unsigned int)(c - 'A');
		else if (c >= 'a' && c <= 'z')
			idx = 32 + (unsigned int)(c - 'a');
		else
			return false;
		if (seen & (UINT64_C(1) << idx))
			return false;
		seen |= UINT64_C(1) << idx;
	}
	return true;
}

/* The length of the well-formed UTF-8 sequence at @s (@n bytes left), or 0 (RFC 3629). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 :
		     s[0] >= 0xe0 && s[0] <= 0xef ? 3 :
		     s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 :
						    0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

size_t module_name_utf8(const char *name, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)name;
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		/* A backslash is escaped too: the byte 0xe9 and the text "\xe9" stay two names. */
		size_t seq = s[i] == '\\' ? 0 : utf8_sequence(s + i, len - i);
		if (seq) {
			memcpy(out + n, s + i, seq);
			n += seq;
			i += seq;
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[s[i] >> 4];
		out[n++] = hex[s[i] & 0xf];
		i++;
	}
	out[n] = '\0';
	return n;
}
