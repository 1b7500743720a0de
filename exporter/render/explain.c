#include <errno.h>
#include <stdint.h>

#include "render/explain.h"
#include "render/explain_json.h"
#include "render/explain_text.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int explain_parse_value(const char *s, uint64_t *value)
{
	unsigned int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return -EINVAL;
	uint64_t v = 0;
	for (; *s; s++) {
		int d = hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned int)d) / base)
			return -ERANGE;
		v = v * base + (unsigned int)d;
	}
	*value = v;
	return 0;
}

int explain_render(const struct explain_input *in, enum explain_format format, struct buffer *out)
{
	if (format == EXPLAIN_JSON)
		explain_json_render(in, out);
	else
		explain_text_render(in, out);
	return buffer_status(out);
}
