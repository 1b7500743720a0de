#ifndef TAINT_EXPORTER_FLAGS_H
#define TAINT_EXPORTER_FLAGS_H

/*
 * Command-line flags, named as the Prometheus exporters name theirs. Both --flag=value and
 * --flag value work. Every value is checked here, so that a bad flag is reported before
 * anything starts.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buffer.h"
#include "log.h"
#include "render/explain.h"
#include "serve/http.h"
#include "serve/listen.h"

#define FLAGS_MAX_THREADS 256

struct options {
	struct listen_address listen[LISTEN_MAX]; /* --web.listen-address, parsed */
	size_t listen_count;
	bool systemd_socket;
	const char *telemetry_path;
	unsigned int threads;
	const char *web_config_file; /* NULL: plain HTTP, no auth */
	struct http_limits limits; /* --web.connection-timeout, --web.max-*: as http.h takes them */
	const char *procfs;
	const char *sysfs;
	const char *vendor; /* "auto" or a layout id */
	bool modules;
	size_t modules_max;
	bool kmsg; /* --collector.kmsg */
	const char *kmsg_path;
	bool landing_kernel_log_lines; /* --web.landing-page.kernel-log-lines */
	enum log_level log_level;
	enum log_format log_format;
	bool explain; /* --explain[=VALUE]: print the decoded value and exit */
	bool explain_has_value; /* --explain=VALUE rather than the live value */
	uint64_t explain_value; /* valid when explain_has_value */
	const char *explain_arg; /* VALUE as given, for the output's "source" */
	enum explain_format format; /* --format, with --explain */
	const char *textfile; /* --write-textfile=PATH, or NULL */
	bool version;
	bool help;
};

/*
 * flags_parse() - fill @opts from @argv, and each flag not given with its default (the flag
 * table in flags.c).
 * @err: on failure, a message naming the flag and the problem (at most @errlen bytes).
 *
 * Returns 0 or -EINVAL. Uses getopt_long(), so it resets optind itself and may be called
 * more than once (the unit tests do).
 */
int flags_parse(int argc, char **argv, struct options *opts, char *err, size_t errlen);

/*
 * flags_usage() - append the --help text, generated from the flag table, to @out (the
 * caller's, freed by the caller). Returns buffer_status(@out): 0 or -ENOMEM.
 */
int flags_usage(struct buffer *out);

#endif
