/* module_letters_valid() against an obviously correct quadratic reference. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode/module.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool reference(const uint8_t *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		bool letter = (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z');
		if (!letter)
			return false;
		for (size_t j = 0; j < i; j++) {
			if (s[j] == s[i])
				return false;
		}
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A heap copy of exactly @size bytes, so that ASan sees any read past the end. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	for (size_t i = 0; i < size; i++)
		copy[i] = (char)data[i];
	if (module_letters_valid(copy, size) != reference(data, size))
		abort();
	free(copy);
	return 0;
}
