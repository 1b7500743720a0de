/*
 * accept_negotiate() on any Accept header: never reads past the string, answers one of the
 * two formats, and answers the same when asked twice.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/accept.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = malloc(size + 1);
	if (!header)
		return 0;
	memcpy(header, data, size);
	header[size] = '\0'; /* libmicrohttpd hands over a NUL-terminated value */
	enum exposition_format first = accept_negotiate(header);
	if (first != EXPOSITION_TEXT && first != EXPOSITION_OPENMETRICS)
		abort();
	if (accept_negotiate(header) != first)
		abort();
	free(header);
	return 0;
}
