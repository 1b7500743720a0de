#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "taint.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

int taint_parse(const char *buf, size_t len, uint64_t *value)
{
	while (len > 0 && is_space(buf[len - 1]))
		len--;
	if (len == 0)
		return -ENODATA;

	/* Garbage is garbage however long: only a plain number can be out of range. */
	for (size_t i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned int digit = (unsigned int)(buf[i] - '0');
		if (v > (UINT64_MAX - digit) / 10)
			return -ERANGE;
		v = v * 10 + digit;
	}
	*value = v;
	return 0;
}

const char *taint_parse_error(int err)
{
	switch (err) {
	case -ENODATA:
		return "file is empty";
	case -EINVAL:
		return "not a non-negative decimal number";
	case -ERANGE:
		return "number is above 2^64-1";
	case -EFBIG:
		return "file is larger than any taint value";
	default:
		return strerror(-err);
	}
}

void taint_kernel_string(const struct taint_layout *layout, uint64_t value, char *out)
{
	for (unsigned int bit = 0; bit < TAINT_KERNEL_STRING_COLUMNS; bit++) {
		bool set = value & (UINT64_C(1) << bit);
		const struct taint_bit *entry = taint_layout_bit(layout, bit);
		if (!set)
			out[bit] = bit == 0 ? 'G' : ' ';
		else
			out[bit] = entry ? entry->letter : '?';
	}
	out[TAINT_KERNEL_STRING_COLUMNS] = '\0';
}

void taint_compact_letters(const struct taint_layout *layout, uint64_t value, char *out)
{
	size_t n = 0;
	for (unsigned int bit = 0; bit < TAINT_MAX_BITS; bit++) {
		if (!(value & (UINT64_C(1) << bit)))
			continue;
		const struct taint_bit *entry = taint_layout_bit(layout, bit);
		out[n++] = entry ? entry->letter : '?';
	}
	out[n] = '\0';
}
