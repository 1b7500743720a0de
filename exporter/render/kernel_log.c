#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "render/kernel_log.h"

void kernel_log_time(uint64_t usec, char *out, size_t len)
{
	time_t seconds = (time_t)(usec / 1000000);
	struct tm tm;
	if (!gmtime_r(&seconds, &tm) || strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, len, "?");
}

const char *kernel_log_why_off(const struct taint_log *log)
{
	if (log->error == -EPERM) /* the kernel's answer where dmesg_restrict is 1 */
		return "reading it needs CAP_SYSLOG where kernel.dmesg_restrict is 1";
	return strerror(-log->error);
}

void kernel_log_seconds(uint64_t usec, char *out, size_t len)
{
	snprintf(out, len, "%llu.%06u", (unsigned long long)(usec / 1000000),
		 (unsigned int)(usec % 1000000));
}

const struct taint_log_entry *kernel_log_entry(const struct taint_log *log,
					       const struct taint_layout *layout, unsigned int bit)
{
	const struct taint_bit *entry = taint_layout_bit(layout, bit);
	return taint_bit_known(entry) ? taint_log_find(log, entry->letter) : NULL;
}
