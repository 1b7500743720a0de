/*
 * webconfig_parse() on any text: it either refuses the input with a message (never an empty
 * one) or fills a config whose priority string can be built, and either way frees what it
 * allocated (LeakSanitizer runs at exit). No file is read: relative paths stay as written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/webconfig.h"
#include "serve/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webconfig *cfg = NULL;
	char err[512] = "";
	int ret = webconfig_parse((const char *)data, size, "/nonexistent", &cfg, err, sizeof(err));
	if (ret == -ENOMEM)
		return 0;
	if (ret < 0) {
		if (ret != -EINVAL || err[0] == '\0')
			abort(); /* a refusal must say why */
		return 0;
	}
	char priorities[1024];
	if (cfg->tls && tls_priorities(cfg, priorities, sizeof(priorities)) < 0)
		abort(); /* a config that parses must be servable */
	webconfig_free(cfg);
	return 0;
}
