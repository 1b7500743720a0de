#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_config.h"
#include "collect.h"
#include "exposition.h"
#include "flags.h"
#include "http.h"
#include "listen.h"
#include "log.h"
#include "util.h"
#include "vendor.h"

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

static int open_root(const char *flag, const char *path)
{
	int fd = util_open_dir(path);
	if (fd < 0)
		log_msg(LOG_ERROR, "Cannot open directory", "flag", flag, "path", path, "err",
			strerror(-fd), NULL);
	return fd;
}

static const struct taint_layout *choose_layout(const struct options *opts,
						const struct collect_config *collect)
{
	const char *reason = "--kernel.vendor";
	const struct taint_layout *layout;
	if (strcmp(opts->vendor, "auto") == 0)
		layout = vendor_detect(collect->procfs_fd, collect->sysfs_fd, &reason);
	else
		layout = taint_layout_find(opts->vendor);
	log_msg(LOG_INFO, "Decoding taint bits", "layout", layout->id, "reason", reason, NULL);
	return layout;
}

/* Opens every listening socket; on failure closes those already open and returns -errno. */
static int open_listeners(const struct options *opts, int *fds, size_t *count)
{
	char bound[128];
	if (opts->systemd_socket) {
		int n = listen_from_systemd(fds, FLAGS_MAX_LISTEN);
		if (n < 0) {
			log_msg(LOG_ERROR, "No sockets from systemd for --web.systemd-socket", "err",
				n == -ENOTSUP ? "built without libsystemd" : strerror(-n), NULL);
			return n;
		}
		*count = (size_t)n;
		for (int i = 0; i < n; i++) {
			listen_describe(fds[i], bound, sizeof(bound));
			log_msg(LOG_INFO, "Listening on", "address", bound, "from", "systemd", NULL);
		}
		return 0;
	}
	for (*count = 0; *count < opts->listen_count; (*count)++) {
		const char *spec = opts->listen[*count];
		int fd = listen_open(spec, bound, sizeof(bound));
		if (fd < 0) {
			log_msg(LOG_ERROR, "Cannot listen", "address", spec, "err",
				fd == -EADDRINUSE ? "address already in use" : strerror(-fd), NULL);
			while (*count > 0)
				close(fds[--*count]);
			return fd;
		}
		fds[*count] = fd;
		log_msg(LOG_INFO, "Listening on", "address", bound, NULL);
	}
	return 0;
}

/* Blocks until SIGTERM or SIGINT; the signals were blocked before any thread started. */
static void wait_for_stop(const sigset_t *signals)
{
	int sig;
	while (sigwait(signals, &sig) == 0) {
		if (sig == SIGTERM || sig == SIGINT) {
			log_msg(LOG_INFO, "Stopping", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT",
				NULL);
			return;
		}
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
		fputs(flags_usage(), stdout);
		return EXIT_SUCCESS;
	}
	if (opts.version) {
		printf("taint_exporter %s (revision %s, %s)\n", build.version, build.revision,
		       build.compiler);
		return EXIT_SUCCESS;
	}
	log_setup(opts.log_level, opts.log_format);

	int ret = EXIT_FAILURE;
	struct collect_config collect = {
		.procfs_fd = -1,
		.sysfs_fd = -1,
		.modules = opts.modules,
		.modules_max = opts.modules_max,
	};
	struct exposition exposition;
	struct http_server *server = NULL;
	int fds[FLAGS_MAX_LISTEN];
	size_t fd_count = 0;
	sigset_t signals;

	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	log_msg(LOG_INFO, "Starting taint_exporter", "version", build.version, "revision",
		build.revision, NULL);
	if (geteuid() == 0)
		log_msg(LOG_WARN, "Running as root; nothing taint_exporter reads needs root, "
				  "run it as an unprivileged user",
			NULL);

	collect.procfs_fd = open_root("--path.procfs", opts.procfs);
	if (collect.procfs_fd < 0)
		goto out;
	collect.sysfs_fd = open_root("--path.sysfs", opts.sysfs);
	if (collect.sysfs_fd < 0)
		goto out_procfs;

	if (exposition_init(&exposition, choose_layout(&opts, &collect), &build) < 0) {
		log_msg(LOG_ERROR, "Out of memory", NULL);
		goto out_sysfs;
	}
	if (open_listeners(&opts, fds, &fd_count) < 0)
		goto out_exposition;

	struct http_config http = {
		.telemetry_path = opts.telemetry_path,
		.version = build.version,
		.collect = &collect,
		.exposition = &exposition,
		.limits = {
			.connection_timeout = opts.connection_timeout,
			.max_connections = opts.max_connections,
			.max_connections_per_ip = opts.max_connections_per_ip,
			.max_requests = opts.max_requests,
			.max_request_bytes = opts.max_request_bytes,
		},
	};
	int e = http_start(&http, fds, fd_count, &server);
	if (e < 0) {
		log_msg(LOG_ERROR, "Cannot start the HTTP server", "err", strerror(-e), NULL);
		goto out_exposition;
	}

	notify_systemd("READY=1");
	wait_for_stop(&signals);
	notify_systemd("STOPPING=1");
	ret = EXIT_SUCCESS;

	http_stop(server);
out_exposition:
	exposition_free(&exposition);
out_sysfs:
	close(collect.sysfs_fd);
out_procfs:
	close(collect.procfs_fd);
out:
	return ret;
}
