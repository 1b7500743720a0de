#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decode/taint.h"
#include "decode/vendor.h"
#include "util.h"

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
	case -ESPIPE: /* file_open_regular_at() */
		return "not a regular file";
	default:
		return strerror(-err);
	}
}

/*
 * How many columns upstream Linux's print_tainted() prints (kernel/panic.c: one per entry of
 * taint_flags[], TAINT_FLAGS_COUNT since 4.10, ARRAY_SIZE(tnts) before), from the release
 * that raised it, newest first. Each step is the commit that added the flag to
 * include/linux/panic.h (kernel.h before 5.14). 6.1's 19 columns were read off Debian's 6.1
 * kernel by the kernel test bed (tests/kernel/); 5.10's 18 off its kernel.h. AUX and
 * RANDSTRUCT came together with the randstruct plugin, in 4.13 or 4.14 (not pinned down:
 * 4.13 here). Releases older than the last row get its count.
 */
static const struct {
	unsigned int major, minor;
	unsigned int columns;
} upstream_columns[] = {
	{ 6, 15, 20 }, /* TAINT_FWCTL, J */
	{ 6, 0, 19 }, /* TAINT_TEST, N */
	{ 4, 13, 18 }, /* TAINT_AUX, X, and TAINT_RANDSTRUCT, T */
	{ 4, 0, 16 }, /* TAINT_LIVEPATCH, K */
};

unsigned int taint_string_columns(const struct taint_layout *layout, const char *osrelease)
{
	unsigned int major, minor, patch;
	if (!layout->columns_follow_release || !osrelease ||
	    vendor_release_version(osrelease, &major, &minor, &patch) < 0)
		return TAINT_KERNEL_STRING_COLUMNS;
	for (size_t i = 0; i < ARRAY_SIZE(upstream_columns); i++) {
		if (major > upstream_columns[i].major ||
		    (major == upstream_columns[i].major && minor >= upstream_columns[i].minor))
			return upstream_columns[i].columns;
	}
	return upstream_columns[ARRAY_SIZE(upstream_columns) - 1].columns;
}

void taint_kernel_string(const struct taint_layout *layout, uint64_t value, unsigned int columns,
			 char *out)
{
	if (columns > TAINT_KERNEL_STRING_COLUMNS)
		columns = TAINT_KERNEL_STRING_COLUMNS;
	for (unsigned int bit = 0; bit < columns; bit++)
		out[bit] = bit == 0 ? 'G' : ' ';
	taint_for_each_set_bit(bit, value & ((UINT64_C(1) << columns) - 1))
		out[bit] = taint_layout_bit(layout, bit)->letter;
	out[columns] = '\0';
}

void taint_compact_letters(const struct taint_layout *layout, uint64_t value, char *out)
{
	size_t n = 0;
	taint_for_each_set_bit(bit, value)
		out[n++] = taint_layout_bit(layout, bit)->letter;
	out[n] = '\0';
}
