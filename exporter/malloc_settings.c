#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "log.h"
#include "malloc_settings.h"

#define TCACHE_COUNT_NAME "glibc.malloc.tcache_count"

/* Whether the colon-separated name=value list @tunables has an entry named @name. */
static int names_tunable(const char *tunables, const char *name)
{
	size_t len = strlen(name);
	for (const char *entry = tunables; entry; entry = strchr(entry, ':')) {
		if (*entry == ':')
			entry++;
		if (strncmp(entry, name, len) == 0 && entry[len] == '=')
			return 1;
	}
	return 0;
}

int malloc_tunables_with_tcache_off(const char *current, char *out, size_t size)
{
	if (current && names_tunable(current, TCACHE_COUNT_NAME))
		return 0;
	int n = current && *current ? snprintf(out, size, "%s:%s", current, MALLOC_TCACHE_OFF) :
				      snprintf(out, size, "%s", MALLOC_TCACHE_OFF);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 1;
}

/*
 * Executes this binary again with the tcache off; returns only if it did not. By its path,
 * not by /proc/self/exe itself, which would rename the process "exe" for ps, pgrep and top.
 */
static void exec_with_tcache_off(char **argv)
{
	/* glibc erases GLIBC_TUNABLES for a set-uid start, so the new image would exec again. */
	if (getauxval(AT_SECURE))
		return;
	const char *current = getenv("GLIBC_TUNABLES");
	char value[4096];
	int r = malloc_tunables_with_tcache_off(current, value, sizeof(value));
	if (r == 0) {
		/* After our exec, or set by the operator. /proc/PID/environ may not show it
		 * whole: glibc writes a NUL over each colon of the original and reads a copy. */
		log_msg(LOG_DEBUG, "glibc's malloc tunables", "GLIBC_TUNABLES", current, NULL);
		return;
	}
	if (r < 0) {
		log_msg(LOG_WARN,
			"GLIBC_TUNABLES is too long to add " MALLOC_TCACHE_OFF
			"; serving with glibc's per-thread malloc cache on",
			NULL);
		return;
	}
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0 || (size_t)len == sizeof(self) - 1) {
		log_msg(LOG_WARN,
			"Cannot read /proc/self/exe to execute it with " MALLOC_TCACHE_OFF
			"; serving with glibc's per-thread malloc cache on",
			"err", len < 0 ? strerror(errno) : "path too long", NULL);
		return;
	}
	self[len] = '\0';
	char *saved = current ? strdup(current) : NULL;
	if (current && !saved)
		return;
	if (setenv("GLIBC_TUNABLES", value, 1) == 0) {
		execv(self, argv);
		int err = errno;
		log_msg(LOG_WARN,
			"Could not execute itself with " MALLOC_TCACHE_OFF
			"; serving with glibc's per-thread malloc cache on",
			"path", self, "err", strerror(err), NULL);
	}
	if (saved)
		setenv("GLIBC_TUNABLES", saved, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	free(saved);
}

void malloc_settings_for_serving(char **argv)
{
	exec_with_tcache_off(argv);
	/*
	 * One malloc arena: the serving threads allocate little (a connection's pool, a copy of
	 * each answer), so they hardly contend, and with an arena per thread glibc kept each
	 * one's freed pages dirty (the bench saw Private_Dirty step up by 300 KiB at a time
	 * under 50 connections).
	 */
	mallopt(M_ARENA_MAX, 1);
}
