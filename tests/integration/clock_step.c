/*
 * A test harness, never linked into the exporter: LD_PRELOADed, it adds to CLOCK_REALTIME the
 * number of seconds the file $CLOCK_STEP_FILE holds when read (0 without one), so that a test
 * can step the wall clock of a running exporter, as NTP or an operator steps a host's,
 * without touching the machine's own clock.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int clock_gettime(clockid_t id, struct timespec *ts)
{
	static int (*real)(clockid_t, struct timespec *);
	if (!real) {
		void *sym = dlsym(RTLD_NEXT, "clock_gettime");
		memcpy(&real, &sym, sizeof(real)); /* POSIX's way from an object to a function */
	}
	int r = real(id, ts);
	const char *path = getenv("CLOCK_STEP_FILE");
	if (r != 0 || id != CLOCK_REALTIME || !path)
		return r;
	FILE *f = fopen(path, "re");
	long step = 0;
	if (f) {
		if (fscanf(f, "%ld", &step) != 1)
			step = 0;
		fclose(f);
	}
	ts->tv_sec += step;
	return r;
}
