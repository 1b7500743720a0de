#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "read/file.h"
#include "read/process.h"

uint64_t process_start_time(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static uint64_t limit_of(int resource)
{
	struct rlimit r;
	if (getrlimit(resource, &r) < 0 || r.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	return (uint64_t)r.rlim_cur;
}

/* The descriptors open now, /proc/self/fd's own among them, as client_golang counts them. */
static int count_fds(uint64_t *out)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	uint64_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	*out = n;
	return 0;
}

void process_stats_read(uint64_t start_time_usec, struct process_stats *out)
{
	*out = (struct process_stats){ .start_time_usec = start_time_usec };
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		out->cpu_usec =
			(uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec +
			(uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
	char statm[128];
	size_t len;
	unsigned long long size, resident;
	if (file_read_at(AT_FDCWD, "/proc/self/statm", statm, sizeof(statm), &len) < 0 ||
	    sscanf(statm, "%llu %llu", &size, &resident) != 2 || count_fds(&out->open_fds) < 0)
		return;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	out->virtual_bytes = size * page;
	out->resident_bytes = resident * page;
	out->virtual_max_bytes = limit_of(RLIMIT_AS);
	out->max_fds = limit_of(RLIMIT_NOFILE);
	out->read = true;
}
