/*
 * The floor of a scrape's reads on a real kernel: what the kernel interface costs, without
 * HTTP, formatting or parsing. Run by tests/kernel/guest.py in the guest, next to the
 * exporter, for each way of reading module taint:
 *
 *   read_loop procmodules N   pread() of a held /proc/modules from offset 0 until it returns
 *                             0, and of a held /proc/sys/kernel/tainted
 *   read_loop sysfs N         lseek() and getdents64() of a held /sys/module, pread() of each
 *                             module's held taint file, and of the held tainted
 *
 * Prints "<way> <iterations> <CPU microseconds per iteration> <bytes per iteration>", CPU
 * being user plus system time from getrusage(). Built by tests/kernel/run with the host's gcc.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define MAX_MODULES 4096

static double cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec +
	       ru.ru_stime.tv_usec;
}

static long read_all(int fd, char *buf, size_t size)
{
	long total = 0;
	ssize_t n;
	while ((n = pread(fd, buf, size, total)) > 0)
		total += n;
	return n < 0 ? -1 : total;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: read_loop procmodules|sysfs ITERATIONS\n"), 2;
	long iterations = atol(argv[2]);
	static char buf[65536];
	int tainted = open("/proc/sys/kernel/tainted", O_RDONLY);
	if (tainted < 0)
		return perror("tainted"), 1;
	long bytes = 0;
	double start;

	if (strcmp(argv[1], "procmodules") == 0) {
		int fd = open("/proc/modules", O_RDONLY);
		if (fd < 0)
			return perror("/proc/modules"), 1;
		start = cpu_us();
		for (long i = 0; i < iterations; i++)
			bytes = pread(tainted, buf, sizeof(buf), 0) +
				read_all(fd, buf, sizeof(buf));
	} else if (strcmp(argv[1], "sysfs") == 0) {
		int dir = open("/sys/module", O_RDONLY | O_DIRECTORY);
		if (dir < 0)
			return perror("/sys/module"), 1;
		static int held[MAX_MODULES];
		int count = 0;
		DIR *d = fdopendir(dup(dir));
		for (struct dirent *e; d && (e = readdir(d)) && count < MAX_MODULES;) {
			char path[512];
			snprintf(path, sizeof(path), "%s/taint", e->d_name);
			int fd = e->d_name[0] == '.' ? -1 : openat(dir, path, O_RDONLY);
			if (fd >= 0)
				held[count++] = fd;
		}
		start = cpu_us();
		for (long i = 0; i < iterations; i++) {
			bytes = pread(tainted, buf, sizeof(buf), 0);
			lseek(dir, 0, SEEK_SET);
			long n;
			while ((n = getdents64(dir, buf, sizeof(buf))) > 0)
				bytes += n;
			for (int m = 0; m < count; m++)
				bytes += pread(held[m], buf, sizeof(buf), 0);
		}
	} else {
		return fprintf(stderr, "read_loop: unknown way %s\n", argv[1]), 2;
	}
	printf("%s %ld %.1f %ld\n", argv[1], iterations, (cpu_us() - start) / iterations, bytes);
	return 0;
}
