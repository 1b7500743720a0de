/*
 * flags_parse() on any command line: the input split at NUL bytes into arguments. On success
 * every value is one the rest of the program accepts; on failure there is a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';

	char *argv[MAX_ARGS + 2] = { "taint_exporter" };
	int argc = 1;
	for (char *p = buf; p < buf + size && argc <= MAX_ARGS;) {
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;

	struct options opts;
	char err[512];
	memset(err, 'x', sizeof(err));
	int ret = flags_parse(argc, argv, &opts, err, sizeof(err));
	if (ret == 0) {
		if (opts.listen_count < 1 || opts.listen_count > LISTEN_MAX)
			abort();
		if (opts.telemetry_path[0] != '/' || strcmp(opts.telemetry_path, "/") == 0)
			abort();
		if (opts.limits.connection_timeout < 1 || opts.limits.max_connections < 1 ||
		    opts.limits.max_request_bytes < 4096)
			abort();
	} else if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0') {
		abort(); /* no message, or one without its terminating NUL */
	}
	free(buf);
	return 0;
}
