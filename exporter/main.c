#include <errno.h>
#include <malloc.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "build_config.h"
#include "decode/taint.h"
#include "flags.h"
#include "log.h"
#include "read/collect.h"
#include "read/file.h"
#include "read/vendor.h"
#include "render/explain.h"
#include "render/exposition.h"
#include "render/textfile.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/security_change.h"
#include "serve/webconfig.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define EXIT_BAD_FLAG 2

/* The soft open-files limit asked for: every connection of every listener, with room to spare. */
#define OPEN_FILES_WANTED 65536

static const struct build_labels build = {
	.version = TAINT_EXPORTER_VERSION,
	.revision = TAINT_EXPORTER_REVISION,
	.compiler = TAINT_EXPORTER_COMPILER,
};

static void notify_systemd(const char *state)
{
#if HAVE_LIBSYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

static int open_root(const char *flag, const char *path)
{
	int fd = file_open_dir(path);
	if (fd < 0)
		log_msg(LOG_ERROR, "Cannot open directory", "flag", flag, "path", path, "err",
			strerror(-fd), NULL);
	return fd;
}

static const struct taint_layout *pick_layout(const struct options *opts,
					      const struct collect_config *collect,
					      const char **reason)
{
	*reason = "--kernel.vendor";
	if (strcmp(opts->vendor, "auto") == 0)
		return vendor_detect(collect->procfs_fd, collect->sysfs_fd, reason);
	return taint_layout_find(opts->vendor);
}

static const struct taint_layout *choose_layout(const struct options *opts,
						const struct collect_config *collect)
{
	const char *reason;
	const struct taint_layout *layout = pick_layout(opts, collect, &reason);
	log_msg(LOG_INFO, "Decoding taint bits", "layout", layout->id, "reason", reason, NULL);
	return layout;
}

/* Opens --path.procfs and --path.sysfs into @collect; returns 0 or -errno (logged). */
static int open_roots(const struct options *opts, struct collect_config *collect)
{
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

static void close_roots(const struct collect_config *collect)
{
	if (collect->sysfs_fd >= 0)
		close(collect->sysfs_fd);
	if (collect->procfs_fd >= 0)
		close(collect->procfs_fd);
}

/*
 * On SIGTERM or SIGINT, how long the requests being answered get to finish: a scrape's answer
 * is sent in well under a second, so only a client that stopped reading is cut. (systemd
 * waits 90 s by default before SIGKILL.)
 */
#define STOP_DRAIN_SECONDS 5
#define STOP_DRAIN_SECONDS_TEXT "5"

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
		struct rlimit raised = {wanted, rl.rlim_max};
		setrlimit(RLIMIT_NOFILE, &raised);
	}
}

/*
 * What the connection limits can hold open at once: every connection of every listening
 * address, an inter-thread pipe per serving thread and address, the files each serving thread
 * holds (the taint file, /proc/modules, an inotify instance for fixture trees, a module file
 * of the sysfs fallback) and a margin for the rest (stdio, the roots, the listening sockets,
 * the signal and notify sockets, a reload's web config).
 */
static unsigned long open_files_needed(const struct options *opts, size_t listen_count)
{
	return (unsigned long)listen_count * (opts->max_connections + 2UL * opts->threads) +
	       4UL * opts->threads + 32;
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
		"connections are refused and module taint cannot be read. Raise LimitNOFILE= "
		"(ulimit -n) or lower --web.max-connections",
		"limit", limit, "needed", need, NULL);
}

static int print_buffer(struct buffer *out)
{
	if (fwrite(out->data, 1, out->len, stdout) != out->len || fflush(stdout) != 0) {
		log_msg(LOG_ERROR, "Cannot write to standard output", "err", strerror(errno), NULL);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/*
 * --explain[=VALUE]. A given VALUE needs no procfs, except to detect the layout; a live value
 * that cannot be read is explained as such and exits 1.
 */
static int run_explain(const struct options *opts)
{
	struct collect_config collect = {-1, -1, opts->modules, opts->modules_max};
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer out = BUFFER_INIT;
	char source[4096];
	int ret = EXIT_FAILURE;

	if (open_roots(opts, &collect) < 0 && !opts->explain_has_value)
		return EXIT_FAILURE;
	struct explain_input in = {.value = opts->explain_value};
	const char *reason;
	char why[512];
	in.layout = pick_layout(opts, &collect, &reason);
	in.string_columns = vendor_string_columns(collect.procfs_fd, in.layout);
	if (strcmp(opts->vendor, "auto") == 0)
		snprintf(why, sizeof(why), "--kernel.vendor=auto: %s", reason);
	else
		snprintf(why, sizeof(why), "--kernel.vendor=%s", opts->vendor);
	in.layout_reason = why;
	if (opts->explain_has_value) {
		snprintf(source, sizeof(source), "--explain=%s", opts->explain_arg);
	} else {
		snprintf(source, sizeof(source), "%s/%s", opts->procfs, TAINT_PROCFS_PATH);
		if (collect_snapshot_once(&collect, &snap) < 0) {
			log_msg(LOG_ERROR, "Out of memory", NULL);
			goto out;
		}
		in.error = snap.taint_error;
		in.value = snap.value;
		in.snapshot = &snap;
	}
	in.source = source;
	if (explain_render(&in, opts->format, &out) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out;
	}
	ret = print_buffer(&out);
	if (in.error)
		ret = EXIT_FAILURE;
out:
	buffer_free(&out);
	snapshot_free(&snap);
	close_roots(&collect);
	return ret;
}

/* --write-textfile=PATH: one scrape, rendered as text and written atomically. */
static int run_textfile(const struct options *opts)
{
	struct collect_config collect = {-1, -1, opts->modules, opts->modules_max};
	struct taint_snapshot snap = TAINT_SNAPSHOT_INIT;
	struct buffer out = BUFFER_INIT;
	struct exposition exposition;
	int ret = EXIT_FAILURE;

	if (open_roots(opts, &collect) < 0)
		return EXIT_FAILURE;
	if (exposition_init(&exposition, choose_layout(opts, &collect), &build) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out_roots;
	}
	if (collect_snapshot_once(&collect, &snap) < 0 ||
	    exposition_render(&exposition, &snap, EXPOSITION_TEXT, &out) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out;
	}
	const char *step = NULL;
	int err = textfile_write(opts->textfile, out.data, out.len, &step);
	if (err < 0) {
		log_msg(LOG_ERROR, "Cannot write the textfile; the old file is left as it was", "path",
			opts->textfile, "step", step, "err", strerror(-err), NULL);
		goto out;
	}
	log_msg(LOG_INFO, "Wrote textfile", "path", opts->textfile, NULL);
	ret = EXIT_SUCCESS;
out:
	buffer_free(&out);
	snapshot_free(&snap);
	exposition_free(&exposition);
out_roots:
	close_roots(&collect);
	return ret;
}

/* Opens every listening socket; on failure closes those already open and returns -errno. */
static int open_listeners(const struct options *opts, int *fds, size_t *count)
{
	if (opts->systemd_socket) {
		int bad_fd = -1;
		int n = listen_from_systemd(fds, LISTEN_MAX, &bad_fd);
		if (n < 0 && bad_fd >= 0) {
			char fd_text[16];
			snprintf(fd_text, sizeof(fd_text), "%d", bad_fd);
			log_msg(LOG_ERROR, "A file descriptor from systemd for --web.systemd-socket is "
					   "not a listening TCP socket",
				"fd", fd_text, "err", strerror(-n), NULL);
			return n;
		}
		if (n < 0) {
			log_msg(LOG_ERROR, "No sockets from systemd for --web.systemd-socket", "err",
				n == -ENOTSUP ? "built without libsystemd" : strerror(-n), NULL);
			return n;
		}
		*count = (size_t)n;
		return 0;
	}
	for (*count = 0; *count < opts->listen_count; (*count)++) {
		const char *spec = opts->listen[*count];
		int fd = listen_open(spec);
		if (fd < 0) {
			log_msg(LOG_ERROR, "Cannot listen", "address", spec, "err",
				fd == -EADDRINUSE ? "address already in use" : strerror(-fd), NULL);
			while (*count > 0)
				close(fds[--*count]);
			return fd;
		}
		fds[*count] = fd;
	}
	return 0;
}

/*
 * Logged once the server answers, not when the sockets open: tests and scripts that read the
 * address from this line may connect at once.
 */
static void log_listening(const int *fds, size_t count, bool from_systemd)
{
	char bound[128];
	for (size_t i = 0; i < count; i++) {
		listen_describe(fds[i], bound, sizeof(bound));
		log_msg(LOG_INFO, "Listening on", "address", bound, "from",
			from_systemd ? "systemd" : "--web.listen-address", NULL);
	}
}

/*
 * Reads and checks --web.config.file into a new heap object. Returns 0 and *@out (NULL when
 * there is no such flag), or -errno after logging the key and the problem.
 */
static int load_web_config(const char *path, struct webconfig **out)
{
	*out = NULL;
	if (!path)
		return 0;
	struct webconfig *web = calloc(1, sizeof(*web));
	if (!web)
		return -ENOMEM;
	char err[768];
	int ret = webconfig_load(path, web, err, sizeof(err));
	if (ret < 0) {
		log_msg(LOG_ERROR, "Bad web config file", "file", path, "err", err, NULL);
		free(web);
		return ret;
	}
	log_msg(LOG_INFO, "Web config loaded", "file", path, "tls", web->tls ? "true" : "false",
		"basic_auth", web->user_count ? "true" : "false", NULL);
	*out = web;
	return 0;
}

/*
 * SIGHUP: a good file takes effect for new connections, a bad one leaves the old settings,
 * and so does one that would lower security (security_change.h): that takes a restart.
 * @level is the security of the settings in force, updated when the new ones take effect.
 */
static void reload(const struct options *opts, struct http_server *server,
		   struct security_level *level)
{
	if (!opts->web_config_file) {
		log_msg(LOG_INFO, "SIGHUP ignored: no --web.config.file", NULL);
		return;
	}
	struct webconfig *web;
	if (load_web_config(opts->web_config_file, &web) < 0) {
		log_msg(LOG_ERROR, "Keeping the previous web config", NULL);
		return;
	}
	struct security_level next;
	security_level_of(web, &next);
	char changed[256], lowered[256];
	if (security_change(level, &next, changed, sizeof(changed), lowered, sizeof(lowered))) {
		log_msg(LOG_ERROR, "Refusing a reload that lowers security; keeping the previous web "
				   "config. Restart the exporter to apply this file",
			"file", opts->web_config_file, "lowered", lowered, NULL);
		webconfig_free(web);
		free(web);
		return;
	}
	int e = http_reload(server, web);
	if (e < 0) {
		log_msg(LOG_ERROR, "Cannot apply the new web config; keeping the previous one", "err",
			strerror(-e), NULL);
		return;
	}
	*level = next;
	log_msg(LOG_INFO, "Web config reloaded", "file", opts->web_config_file, "changed",
		changed[0] ? changed : "nothing that sets the security level", NULL);
}

/*
 * Blocks until SIGTERM or SIGINT, reloading on SIGHUP; the signals were blocked before any
 * thread started. Wakes every second to stop the daemons that earlier reloads left draining.
 */
static void wait_for_stop(const sigset_t *signals, const struct options *opts,
			  struct http_server *server, struct security_level *level)
{
	const struct timespec tick = {.tv_sec = 1};
	for (;;) {
		int sig = sigtimedwait(signals, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			log_msg(LOG_INFO, "Stopping", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT",
				NULL);
			return;
		}
		if (sig == SIGHUP)
			reload(opts, server, level);
		http_reap(server);
		/*
		 * Hand freed memory back: glibc keeps what a flood of connections (their pools
		 * and buffers) freed, fragmented between what is still in use, and a 640-
		 * connection flood left 3.3 MiB of Private_Dirty for good. Costs microseconds
		 * once a second.
		 */
		malloc_trim(0);
	}
}

int main(int argc, char **argv)
{
	struct options opts;
	char err[512];
	if (flags_parse(argc, argv, &opts, err, sizeof(err)) < 0) {
		fprintf(stderr, "taint_exporter: %s\nRun 'taint_exporter --help' for the flags.\n",
			err);
		return EXIT_BAD_FLAG;
	}
	if (opts.help) {
		/* Unchecked, as fputs() of the text was: --help exits 0 whatever stdout is. */
		struct buffer usage = BUFFER_INIT;
		int ret = flags_usage(&usage) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
		fwrite(usage.data, 1, usage.len, stdout);
		buffer_free(&usage);
		return ret;
	}
	if (opts.version) {
		printf("taint_exporter %s (revision %s, %s)\n", build.version, build.revision,
		       build.compiler);
		return EXIT_SUCCESS;
	}
	log_setup(opts.log_level, opts.log_format);
	/*
	 * One malloc arena: the serving threads allocate little (a connection's pool, a copy of
	 * each answer), so they hardly contend, and with an arena per thread glibc kept each
	 * one's freed pages dirty (the bench saw Private_Dirty step up by 300 KiB at a time
	 * under 50 connections).
	 */
	mallopt(M_ARENA_MAX, 1);
	if (opts.explain)
		return run_explain(&opts);
	if (opts.textfile)
		return run_textfile(&opts);

	int ret = EXIT_FAILURE;
	struct collect_config collect = {
		.procfs_fd = -1,
		.sysfs_fd = -1,
		.modules = opts.modules,
		.modules_max = opts.modules_max,
	};
	struct exposition exposition;
	struct http_server *server = NULL;
	int fds[LISTEN_MAX];
	size_t fd_count = 0;
	sigset_t signals;

	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	/*
	 * A signal ignored by the parent (nohup, some test runners) stays ignored across exec,
	 * and an ignored signal is discarded even while blocked, so sigtimedwait() would never
	 * see it: restore the default action; the block keeps the default from ever running.
	 */
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);

	log_msg(LOG_INFO, "Starting taint_exporter", "version", build.version, "revision",
		build.revision, NULL);
	if (geteuid() == 0)
		log_msg(LOG_WARN, "Running as root; nothing taint_exporter reads needs root, "
				  "run it as an unprivileged user",
			NULL);

	if (open_roots(&opts, &collect) < 0)
		goto out;
	if (exposition_init(&exposition, choose_layout(&opts, &collect), &build) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out_roots;
	}
	/* Checked before listening, so a bad file fails the start with nothing half-done. */
	struct webconfig *web;
	if (load_web_config(opts.web_config_file, &web) < 0)
		goto out_exposition;
	struct security_level level;
	security_level_of(web, &level);
	if (open_listeners(&opts, fds, &fd_count) < 0) {
		webconfig_free(web);
		free(web);
		goto out_exposition;
	}

	raise_open_files_limit();
	warn_if_open_files_short(&opts, fd_count);
	struct http_config http = {
		.telemetry_path = opts.telemetry_path,
		.version = build.version,
		.collect = &collect,
		.exposition = &exposition,
		.string_columns = vendor_string_columns(collect.procfs_fd, exposition.layout),
		.threads = opts.threads,
		.limits = {
			.connection_timeout = opts.connection_timeout,
			.max_connections = opts.max_connections,
			.max_connections_per_ip = opts.max_connections_per_ip,
			.max_requests = opts.max_requests,
			.max_request_bytes = opts.max_request_bytes,
		},
	};
	int e = http_start(&http, fds, fd_count, web, &server);
	if (e < 0) {
		log_msg(LOG_ERROR, "Cannot start the HTTP server", "err", strerror(-e), NULL);
		goto out_exposition;
	}

	log_listening(fds, fd_count, opts.systemd_socket);
	notify_systemd("READY=1");
	wait_for_stop(&signals, &opts, server, &level);
	notify_systemd("STOPPING=1");
	if (!http_drain(server, STOP_DRAIN_SECONDS))
		log_msg(LOG_WARN, "Requests still in flight at the end of the drain; stopping anyway",
			"seconds", STOP_DRAIN_SECONDS_TEXT, NULL);
	ret = EXIT_SUCCESS;

	http_stop(server);
out_exposition:
	exposition_free(&exposition);
out_roots:
	close_roots(&collect);
out:
	return ret;
}
