/*
 * taint_parse() against strtoull() on the same bytes, and the taint string formatters on
 * every value it accepts, for every layout.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/taint.h"
#include "decode/taint_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return len > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t value = 0xdeadbeef;
	int ret = taint_parse((const char *)data, size, &value);

	/* What the parser should have seen: the bytes without trailing whitespace. */
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	size_t len = size;
	while (len > 0 && strchr(" \n\t\r", copy[len - 1]) && copy[len - 1] != '\0')
		len--;
	copy[len] = '\0';

	if (ret == 0 || ret == -ERANGE) {
		if (!all_digits(copy, len))
			abort(); /* accepted, or read as a number, something that is not digits */
		errno = 0;
		unsigned long long ref = strtoull(copy, NULL, 10);
		if (ret == 0 && (errno != 0 || ref != value))
			abort(); /* a different value than the C library reads */
		if (ret == -ERANGE && errno != ERANGE)
			abort(); /* called too large what fits in 64 bits */
	} else if (ret == -ENODATA) {
		if (len != 0)
			abort();
	} else if (ret == -EINVAL) {
		if (len == 0 || all_digits(copy, len))
			abort();
	} else {
		abort(); /* an error the documentation does not promise */
	}
	if (ret != 0 && value != 0xdeadbeef)
		abort(); /* out parameter touched on failure */

	/* The same bytes as a kernel release: any column count from 1 to the widest. */
	unsigned int columns = taint_string_columns(taint_layout_find("upstream"), copy);
	if (columns < 1 || columns > TAINT_KERNEL_STRING_COLUMNS)
		abort();

	if (ret == 0) {
		size_t count;
		const struct taint_layout *layouts = taint_layout_all(&count);
		for (size_t i = 0; i < count; i++) {
			char kernel[TAINT_KERNEL_STRING_COLUMNS + 1];
			char letters[TAINT_MAX_BITS + 1];
			taint_kernel_string(&layouts[i], value, TAINT_KERNEL_STRING_COLUMNS, kernel);
			taint_compact_letters(&layouts[i], value, letters);
			if (strlen(kernel) != layouts[i].column_count ||
			    strlen(letters) != (size_t)__builtin_popcountll(value))
				abort();
		}
	}
	free(copy);
	return 0;
}
