#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "read/file.h"
#include "read/kmsg_reader.h"
#include "read/vendor.h"
#include "setup.h"

/* The soft open-files limit asked for: every connection of every listener, with room to spare. */
#define OPEN_FILES_WANTED 65536

static int open_root(const char *flag, const char *path)
{
	int fd = file_open_dir(path);
	if (fd < 0)
		log_msg(LOG_ERROR, "Cannot open directory", "flag", flag, "path", path, "err",
			strerror(-fd), NULL);
	return fd;
}

const struct taint_layout *setup_pick_layout(const struct options *opts,
					     const struct collect_config *collect,
					     const char **reason)
{
	*reason = "--kernel.vendor";
	if (strcmp(opts->vendor, "auto") == 0)
		return vendor_detect(collect->procfs_fd, collect->sysfs_fd, reason);
	return taint_layout_find(opts->vendor);
}

const struct taint_layout *setup_choose_layout(const struct options *opts,
					       const struct collect_config *collect)
{
	const char *reason;
	const struct taint_layout *layout = setup_pick_layout(opts, collect, &reason);
	log_msg(LOG_INFO, "Decoding taint bits", "layout", layout->id, "reason", reason, NULL);
	return layout;
}

int setup_collect(const struct options *opts, struct collect_taint_log *log,
		  struct collect_config *collect)
{
	*collect = (struct collect_config){
		.procfs_fd = -1,
		.sysfs_fd = -1,
		.modules = opts->modules,
		.modules_max = opts->modules_max,
		.taint_log = log,
	};
	collect->procfs_fd = open_root("--path.procfs", opts->procfs);
	if (collect->procfs_fd < 0)
		return collect->procfs_fd;
	collect->sysfs_fd = open_root("--path.sysfs", opts->sysfs);
	if (collect->sysfs_fd < 0) {
		close(collect->procfs_fd);
		collect->procfs_fd = -1;
		return collect->sysfs_fd;
	}
	return 0;
}

void setup_collect_close(const struct collect_config *collect)
{
	if (collect->sysfs_fd >= 0)
		close(collect->sysfs_fd);
	if (collect->procfs_fd >= 0)
		close(collect->procfs_fd);
}

/*
 * Raise the soft open-files limit to the hard one (up to OPEN_FILES_WANTED), as Go programs
 * such as node_exporter do at start-up: systemd's default soft limit is 1024, its hard limit
 * 524288, and every connection is a file descriptor (--web.max-connections per listening
 * address, twice over during a reload).
 */
static void raise_open_files_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	rlim_t wanted = rl.rlim_max < OPEN_FILES_WANTED ? rl.rlim_max : OPEN_FILES_WANTED;
	if (rl.rlim_cur < wanted) {
		struct rlimit raised = { wanted, rl.rlim_max };
		setrlimit(RLIMIT_NOFILE, &raised);
	}
}

/*
 * What the connection limits can hold open at once: every connection of every listening
 * address, an inter-thread pipe per serving thread and address, the file each serving thread
 * has open while it scrapes (the taint file, then /proc/modules) and a margin for the rest
 * (stdio, the roots, the listening sockets, the kernel log, the signal and notify sockets, a
 * reload's web config).
 */
static unsigned long open_files_needed(const struct options *opts, size_t listen_count)
{
	return (unsigned long)listen_count * (opts->limits.max_connections + 2UL * opts->threads) +
	       opts->threads + 32UL;
}

/*
 * Out of file descriptors, connections are refused and the module list cannot be read
 * (taint_exporter_module_list_success 0): say so at start, with the numbers, rather than
 * only when it happens.
 */
static void warn_if_open_files_short(const struct options *opts, size_t listen_count)
{
	struct rlimit rl;
	unsigned long needed = open_files_needed(opts, listen_count);
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= needed)
		return;
	char limit[24], need[24];
	snprintf(limit, sizeof(limit), "%llu", (unsigned long long)rl.rlim_cur);
	snprintf(need, sizeof(need), "%lu", needed);
	log_msg(LOG_WARN,
		"Open files limit is below what the connection limits need; at the limit, "
		"connections are refused and the taint file and the module list cannot be "
		"read. Raise LimitNOFILE= (ulimit -n) or lower --web.max-connections",
		"limit", limit, "needed", need, NULL);
}

/*
 * What answering one connection on each listening address takes: the descriptors every
 * polling thread holds (an inter-thread pipe each, per address), one connection, the file a
 * scrape opens, and the margin of open_files_needed(). Below it libmicrohttpd's accept()
 * fails with EMFILE on every poll: the server logged "Listening", never answered, and spun
 * (60% of a core at a limit of 9).
 */
static unsigned long open_files_to_answer(const struct options *opts, size_t listen_count)
{
	return (unsigned long)listen_count * (1UL + 2UL * opts->threads) + opts->threads + 32UL;
}

int setup_open_files_limit(const struct options *opts, size_t listen_count)
{
	raise_open_files_limit();
	struct rlimit rl;
	unsigned long least = open_files_to_answer(opts, listen_count);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < least) {
		char limit[24], need[24];
		snprintf(limit, sizeof(limit), "%llu", (unsigned long long)rl.rlim_cur);
		snprintf(need, sizeof(need), "%lu", least);
		log_msg(LOG_ERROR,
			"Open files limit is below what answering one connection takes; raise "
			"LimitNOFILE= (ulimit -n)",
			"limit", limit, "needed", need, NULL);
		return -EMFILE;
	}
	warn_if_open_files_short(opts, listen_count);
	return 0;
}

const char *setup_kmsg_why(int err)
{
	if (err == -EPERM) /* the kernel's answer where dmesg_restrict is 1 */
		return "reading the kernel log needs CAP_SYSLOG where kernel.dmesg_restrict is 1";
	return strerror(-err);
}

int setup_kmsg_reader(const struct options *opts, struct kmsg_reader **reader)
{
	*reader = NULL;
	if (!opts->kmsg)
		return 0;
	int err = kmsg_reader_start(opts->kmsg_path, reader);
	if (err < 0)
		log_msg(LOG_WARN, "The kmsg collector is off", "path", opts->kmsg_path, "err",
			setup_kmsg_why(err), NULL);
	else
		log_msg(LOG_INFO, "Following the kernel log", "path", opts->kmsg_path, NULL);
	return err;
}
