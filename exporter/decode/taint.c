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
 * How many columns upstream Linux's print_tainted() prints (kernel/panic.c: one per row of
 * tnts[] before 4.10, of taint_flags[TAINT_FLAGS_COUNT] since; every release's rows are in
 * bit order), from the release that added a flag, newest first. Read in copies of each
 * release's tree (docs/taint-bits.md names them): 2.6.35 added I, 3.2 O, 3.15 E, 3.17 L,
 * 4.0 K, 4.15 X, 4.17 T, 6.0 N, 6.15 J. Releases older than 2.6.32 get its 11.
 */
static const struct {
	unsigned int major, minor, patch;
	unsigned int columns;
} upstream_columns[] = {
	{ 6, 15, 0, 20 }, /* TAINT_FWCTL, J */
	{ 6, 0, 0, 19 }, /* TAINT_TEST, N */
	{ 4, 17, 0, 18 }, /* TAINT_RANDSTRUCT, T */
	{ 4, 15, 0, 17 }, /* TAINT_AUX, X */
	{ 4, 0, 0, 16 }, /* TAINT_LIVEPATCH, K */
	{ 3, 17, 0, 15 }, /* TAINT_SOFTLOCKUP, L */
	{ 3, 15, 0, 14 }, /* TAINT_UNSIGNED_MODULE, E */
	{ 3, 2, 0, 13 }, /* TAINT_OOT_MODULE, O */
	{ 2, 6, 35, 12 }, /* TAINT_FIRMWARE_WORKAROUND, I */
	{ 2, 6, 32, 11 }, /* P F S R M B U D A W C */
};

/* Whether version @a.@b.@c is at least @x.@y.@z. */
static bool at_least(unsigned int a, unsigned int b, unsigned int c, unsigned int x, unsigned int y,
		     unsigned int z)
{
	return a != x ? a > x : b != y ? b > y : c >= z;
}

unsigned int taint_string_columns(const struct taint_layout *layout, const char *osrelease)
{
	unsigned int major, minor, patch;
	if (!layout->columns_follow_release || !osrelease ||
	    vendor_release_version(osrelease, &major, &minor, &patch) < 0)
		return (unsigned int)layout->column_count;
	for (size_t i = 0; i < ARRAY_SIZE(upstream_columns); i++) {
		if (at_least(major, minor, patch, upstream_columns[i].major,
			     upstream_columns[i].minor, upstream_columns[i].patch))
			return upstream_columns[i].columns;
	}
	return upstream_columns[ARRAY_SIZE(upstream_columns) - 1].columns;
}

void taint_kernel_string(const struct taint_layout *layout, uint64_t value, unsigned int columns,
			 char *out)
{
	if (columns > layout->column_count)
		columns = (unsigned int)layout->column_count;
	for (unsigned int i = 0; i < columns; i++) {
		const struct taint_column *c = &layout->columns[i];
		out[i] = (value >> c->bit) & 1 ? c->set : c->clear;
	}
	out[columns] = '\0';
}

void taint_compact_letters(const struct taint_layout *layout, uint64_t value, char *out)
{
	size_t n = 0;
	taint_for_each_set_bit(bit, value)
		out[n++] = taint_layout_bit(layout, bit)->letter;
	out[n] = '\0';
}
