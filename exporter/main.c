#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build_config.h"
#include "config/webconfig.h"
#include "flags.h"
#include "log.h"
#include "oneshot.h"
#include "read/collect.h"
#include "read/kmsg_reader.h"
#include "read/process.h"
#include "read/scrape.h"
#include "read/vendor.h"
#include "render/exposition.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/security_change.h"
#include "serve/tls.h"
#include "setup.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define EXIT_BAD_FLAG 2

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

/*
 * On SIGTERM or SIGINT, how long the requests being answered get to finish: a scrape's answer
 * is sent in well under a second, so only a client that stopped reading is cut. (systemd
 * waits 90 s by default before SIGKILL.)
 */
#define STOP_DRAIN_SECONDS 5
#define STOP_DRAIN_SECONDS_TEXT "5"

/* Opens every listening socket; on failure closes those already open and returns -errno. */
static int open_listeners(const struct options *opts, int *fds, size_t *count)
{
	if (opts->systemd_socket) {
		int bad_fd = -1;
		int n = listen_from_systemd(fds, LISTEN_MAX, &bad_fd);
		if (n < 0 && bad_fd >= 0) {
			char fd_text[16];
			snprintf(fd_text, sizeof(fd_text), "%d", bad_fd);
			log_msg(LOG_ERROR,
				"A file descriptor from systemd for --web.systemd-socket is "
				"not a listening TCP socket",
				"fd", fd_text, "err", strerror(-n), NULL);
			return n;
		}
		if (n < 0) {
			log_msg(LOG_ERROR, "No sockets from systemd for --web.systemd-socket",
				"err", n == -ENOTSUP ? "built without libsystemd" : strerror(-n),
				NULL);
			return n;
		}
		*count = (size_t)n;
		return 0;
	}
	for (*count = 0; *count < opts->listen_count; (*count)++) {
		const char *spec = opts->listen[*count].spec;
		int fd = listen_open(&opts->listen[*count]);
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
	struct webconfig *web;
	char err[768];
	int ret = webconfig_load(path, &web, err, sizeof(err));
	if (ret == 0) {
		ret = tls_load(web, err, sizeof(err));
		if (ret < 0)
			webconfig_free(web);
	}
	if (ret < 0) {
		log_msg(LOG_ERROR, "Bad web config file", "file", path, "err", err, NULL);
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
 */
static void reload(const struct options *opts, struct http_server *server)
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
	char changed[1024], lowered[1024];
	if (security_change(http_web_config(server), web, changed, sizeof(changed), lowered,
			    sizeof(lowered))) {
		log_msg(LOG_ERROR,
			"Refusing a reload that lowers security; keeping the previous web "
			"config. Restart the exporter to apply this file",
			"file", opts->web_config_file, "lowered", lowered, NULL);
		webconfig_free(web);
		return;
	}
	char why[512];
	if (http_reload(server, web, why, sizeof(why)) < 0) {
		log_msg(LOG_ERROR, "Cannot apply the new web config; keeping the previous one",
			"err", why, NULL);
		return;
	}
	log_msg(LOG_INFO, "Web config reloaded", "file", opts->web_config_file, "changed",
		changed[0] ? changed : "nothing that sets the security level", NULL);
}

/*
 * Blocks until SIGTERM or SIGINT, reloading on SIGHUP; the signals were blocked before any
 * thread started. Wakes every second to stop the daemons that earlier reloads left draining.
 */
static void wait_for_stop(const sigset_t *signals, const struct options *opts,
			  struct http_server *server)
{
	const struct timespec tick = { .tv_sec = 1 };
	for (;;) {
		int sig = sigtimedwait(signals, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			log_msg(LOG_INFO, "Stopping", "signal",
				sig == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
			return;
		}
		if (sig == SIGHUP)
			reload(opts, server);
		http_reap(server);
		/*
		 * Hand freed memory back: glibc keeps what a flood of connections (their pools
		 * and buffers) freed, fragmented between what is still in use. Five floods of
		 * 640 connections from 20 addresses left Private_Dirty at 3.5-3.9 MiB without
		 * this, 2.0-2.7 MiB with it, and 400 reloads 1.1-1.7 MiB against 0.9-1.1
		 * (hardening.py flood_memory, two runs each, 2026-12-07). Costs microseconds
		 * once a second; the load of one to three scrapers needs none of it.
		 */
		malloc_trim(0);
	}
}

/*
 * Blocks SIGTERM, SIGINT and SIGHUP into @signals for sigtimedwait(), before any thread
 * starts, and ignores SIGPIPE.
 */
static void block_signals(sigset_t *signals)
{
	sigemptyset(signals);
	sigaddset(signals, SIGTERM);
	sigaddset(signals, SIGINT);
	sigaddset(signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, signals, NULL);
	/*
	 * A signal ignored by the parent (nohup, some test runners) stays ignored across exec,
	 * and an ignored signal is discarded even while blocked, so sigtimedwait() would never
	 * see it: restore the default action; the block keeps the default from ever running.
	 */
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Serves on the listening sockets until SIGTERM or SIGINT, then drains. @web (NULL for plain
 * HTTP) is taken over, as http_start() does. Returns the exit status.
 */
static int run_server(const struct options *opts, const sigset_t *signals,
		      const struct collect_config *collect, const struct exposition *exposition,
		      struct webconfig *web)
{
	uint64_t process_start = process_start_time();
	struct http_server *server = NULL;
	int fds[LISTEN_MAX];
	size_t fd_count = 0;

	if (open_listeners(opts, fds, &fd_count) < 0) {
		webconfig_free(web);
		return EXIT_FAILURE;
	}
	if (setup_open_files_limit(opts, fd_count) < 0) {
		while (fd_count > 0)
			close(fds[--fd_count]);
		webconfig_free(web);
		return EXIT_FAILURE;
	}
	struct kmsg_reader *kmsg = NULL;
	struct taint_log kmsg_down = { .error = setup_kmsg_reader(opts, &kmsg) };
	const struct scrape_config scrape = {
		.collect = collect,
		.layout = exposition->layout,
		.kmsg = opts->kmsg,
		.kmsg_reader = kmsg,
		.kmsg_account = &kmsg_down,
		.process = true,
		.process_start_usec = process_start,
	};
	struct http_config http = {
		.telemetry_path = opts->telemetry_path,
		.version = build.version,
		.scrape = &scrape,
		.exposition = exposition,
		.string_columns = vendor_string_columns(collect->procfs_fd, exposition->layout),
		.landing_kernel_log_lines = opts->landing_kernel_log_lines,
		.threads = opts->threads,
		.limits = opts->limits,
	};
	char why[512];
	if (http_start(&http, fds, fd_count, web, &server, why, sizeof(why)) < 0) {
		log_msg(LOG_ERROR, "Cannot start the HTTP server", "err", why, NULL);
		kmsg_reader_stop(kmsg);
		return EXIT_FAILURE;
	}
	log_listening(fds, fd_count, opts->systemd_socket);
	notify_systemd("READY=1");
	wait_for_stop(signals, opts, server);
	notify_systemd("STOPPING=1");
	if (!http_drain(server, STOP_DRAIN_SECONDS))
		log_msg(LOG_WARN,
			"Requests still in flight at the end of the drain; stopping anyway",
			"seconds", STOP_DRAIN_SECONDS_TEXT, NULL);
	http_stop(server);
	kmsg_reader_stop(kmsg);
	return EXIT_SUCCESS;
}

/* The server, from the start-up log line to the end of the drain. Returns the exit status. */
static int serve(const struct options *opts)
{
	int ret = EXIT_FAILURE;
	struct collect_taint_log taint_log = { 0 }; /* shared by every serving thread's reader */
	struct collect_config collect;
	struct exposition exposition;
	sigset_t signals;

	block_signals(&signals);
	log_msg(LOG_INFO, "Starting taint_exporter", "version", build.version, "revision",
		build.revision, NULL);
	if (geteuid() == 0)
		log_msg(LOG_WARN,
			"Running as root; nothing taint_exporter reads needs root, "
			"run it as an unprivileged user",
			NULL);

	if (setup_collect(opts, &taint_log, &collect) < 0)
		goto out_roots;
	if (exposition_init(&exposition, setup_choose_layout(opts, &collect), &build) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out_roots;
	}
	/* Checked before listening, so a bad file fails the start with nothing half-done. */
	struct webconfig *web;
	if (load_web_config(opts->web_config_file, &web) == 0)
		ret = run_server(opts, &signals, &collect, &exposition, web);
	exposition_free(&exposition);
out_roots:
	setup_collect_close(&collect);
	return ret;
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
	if (opts.explain)
		return oneshot_explain(&opts);
	if (opts.textfile)
		return oneshot_textfile(&opts, &build);

	return serve(&opts);
}
