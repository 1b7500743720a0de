#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/taint_table.h"
#include "flags.h"
#include "render/explain.h"
#include "serve/listen.h"

enum {
	OPT_LISTEN = 256,
	OPT_SYSTEMD_SOCKET,
	OPT_TELEMETRY_PATH,
	OPT_THREADS,
	OPT_WEB_CONFIG_FILE,
	OPT_CONNECTION_TIMEOUT,
	OPT_MAX_CONNECTIONS,
	OPT_MAX_CONNECTIONS_PER_IP,
	OPT_MAX_REQUESTS,
	OPT_MAX_REQUEST_BYTES,
	OPT_PROCFS,
	OPT_SYSFS,
	OPT_VENDOR,
	OPT_MODULES,
	OPT_NO_MODULES,
	OPT_MODULES_MAX,
	OPT_LOG_LEVEL,
	OPT_LOG_FORMAT,
	OPT_EXPLAIN,
	OPT_FORMAT,
	OPT_WRITE_TEXTFILE,
	OPT_VERSION,
	OPT_HELP,
};

static const struct option long_options[] = {
	{"web.listen-address", required_argument, NULL, OPT_LISTEN},
	{"web.systemd-socket", no_argument, NULL, OPT_SYSTEMD_SOCKET},
	{"web.telemetry-path", required_argument, NULL, OPT_TELEMETRY_PATH},
	{"web.threads", required_argument, NULL, OPT_THREADS},
	{"web.config.file", required_argument, NULL, OPT_WEB_CONFIG_FILE},
	{"web.connection-timeout", required_argument, NULL, OPT_CONNECTION_TIMEOUT},
	{"web.max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
	{"web.max-connections-per-ip", required_argument, NULL, OPT_MAX_CONNECTIONS_PER_IP},
	{"web.max-requests", required_argument, NULL, OPT_MAX_REQUESTS},
	{"web.max-request-bytes", required_argument, NULL, OPT_MAX_REQUEST_BYTES},
	{"path.procfs", required_argument, NULL, OPT_PROCFS},
	{"path.sysfs", required_argument, NULL, OPT_SYSFS},
	{"kernel.vendor", required_argument, NULL, OPT_VENDOR},
	{"collector.modules", no_argument, NULL, OPT_MODULES},
	{"no-collector.modules", no_argument, NULL, OPT_NO_MODULES},
	{"collector.modules.max", required_argument, NULL, OPT_MODULES_MAX},
	{"log.level", required_argument, NULL, OPT_LOG_LEVEL},
	{"log.format", required_argument, NULL, OPT_LOG_FORMAT},
	{"explain", optional_argument, NULL, OPT_EXPLAIN},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"write-textfile", required_argument, NULL, OPT_WRITE_TEXTFILE},
	{"version", no_argument, NULL, OPT_VERSION},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

#define STR_(x) #x
#define STR(x) STR_(x)
#define STR(x)  STR_(x)

static const char usage[] =
	"Usage: taint_exporter [flags]\n"
	"\n"
	"Prometheus exporter for the Linux kernel taint state (/proc/sys/kernel/tainted)\n"
	"and the taint of each loaded module (/proc/modules).\n"
	"\n"
	"Flags:\n"
	"  --web.listen-address=ADDR   address to listen on, host:port; repeatable\n"
	"                              (default \"" FLAGS_DEFAULT_LISTEN "\": every interface, IPv4 and IPv6)\n"
	"  --web.systemd-socket        use the sockets passed by systemd instead of\n"
	"                              --web.listen-address\n"
	"  --web.telemetry-path=PATH   path under which to expose metrics (default \"/metrics\")\n"
	"  --web.threads=N             serving threads, each polling its connections with poll()\n"
	"                              (default " STR(FLAGS_DEFAULT_THREADS) ")\n"
	"  --web.config.file=FILE      TLS, client certificates, basic auth and headers, in the\n"
	"                              Prometheus exporter-toolkit's web-config format; SIGHUP\n"
	"                              re-reads it (default: none, plain HTTP)\n"
	"  --web.connection-timeout=SECONDS\n"
	"                              close a connection idle this long, 1 to 3600\n"
	"                              (default " STR(FLAGS_DEFAULT_CONNECTION_TIMEOUT) ")\n"
	"  --web.max-connections=N     open connections per listening address, 1 to 65536\n"
	"                              (default " STR(FLAGS_DEFAULT_MAX_CONNECTIONS) ")\n"
	"  --web.max-connections-per-ip=N\n"
	"                              open connections from one client address, 0 to 65536;\n"
	"                              0: no limit (default " STR(FLAGS_DEFAULT_MAX_CONNECTIONS_PER_IP) ")\n"
	"  --web.max-requests=N        scrapes in flight before answering 503, 0 to 65536;\n"
	"                              0: no limit (default " STR(FLAGS_DEFAULT_MAX_REQUESTS) ")\n"
	"  --web.max-request-bytes=N   memory for one request's line and headers, 4096 to\n"
	"                              1048576; larger gets 414 or 431 (default " STR(FLAGS_DEFAULT_MAX_REQUEST_BYTES) ")\n"
	"  --path.procfs=DIR           procfs mount point (default \"/proc\")\n"
	"  --path.sysfs=DIR            sysfs mount point (default \"/sys\")\n"
	"  --kernel.vendor=LAYOUT      taint bit layout: auto, upstream, rhel7, rhel8, rhel9,\n"
	"                              suse (default \"auto\": chosen from the running kernel)\n"
	"  --[no-]collector.modules    report the taint of each loaded module (default on)\n"
	"  --collector.modules.max=N   report at most N tainted modules (default 1000)\n"
	"  --log.level=LEVEL           debug, info, warn or error (default \"info\")\n"
	"  --log.format=FORMAT         logfmt or json (default \"logfmt\")\n"
	"  --explain[=VALUE]           print what the live taint value (or VALUE: decimal, or\n"
	"                              0x hex) means, with the tainted modules, and exit\n"
	"  --format=FORMAT             output of --explain: text or json (default \"text\")\n"
	"  --write-textfile=PATH       write the metrics once to PATH, atomically, for\n"
	"                              node_exporter's textfile collector, and exit\n"
	"  --version                   print the version and exit\n"
	"  --help                      print this help and exit\n";

const char *flags_usage(void)
{
	return usage;
}

static void set_defaults(struct options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->telemetry_path = "/metrics";
	opts->threads = FLAGS_DEFAULT_THREADS;
	opts->connection_timeout = FLAGS_DEFAULT_CONNECTION_TIMEOUT;
	opts->max_connections = FLAGS_DEFAULT_MAX_CONNECTIONS;
	opts->max_connections_per_ip = FLAGS_DEFAULT_MAX_CONNECTIONS_PER_IP;
	opts->max_requests = FLAGS_DEFAULT_MAX_REQUESTS;
	opts->max_request_bytes = FLAGS_DEFAULT_MAX_REQUEST_BYTES;
	opts->procfs = "/proc";
	opts->sysfs = "/sys";
	opts->vendor = "auto";
	opts->modules = true;
	opts->modules_max = 1000;
	opts->log_level = LOG_INFO;
	opts->log_format = LOG_FORMAT_LOGFMT;
}

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt,
							 ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A decimal number from @min to @max, digits only (no sign, no blanks). */
static int parse_range(const char *s, unsigned long long min, unsigned long long max,
		       unsigned long long *out)
{
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * The numeric flags that go into an unsigned int, as a table: flag, range, and where the
 * value goes in struct options.
 */
struct limit_flag {
	int opt;
	const char *name;
	unsigned int min, max; /* the ranges keep every value meaningful to libmicrohttpd */
	size_t offset;         /* of an unsigned int in struct options */
};

static const struct limit_flag limit_flags[] = {
	{OPT_THREADS, "web.threads", 1, FLAGS_MAX_THREADS, offsetof(struct options, threads)},
	{OPT_CONNECTION_TIMEOUT, "web.connection-timeout", 1, 3600,
	 offsetof(struct options, connection_timeout)},
	{OPT_MAX_CONNECTIONS, "web.max-connections", 1, 65536,
	 offsetof(struct options, max_connections)},
	{OPT_MAX_CONNECTIONS_PER_IP, "web.max-connections-per-ip", 0, 65536,
	 offsetof(struct options, max_connections_per_ip)},
	{OPT_MAX_REQUESTS, "web.max-requests", 0, 65536, offsetof(struct options, max_requests)},
	{OPT_MAX_REQUEST_BYTES, "web.max-request-bytes", 4096, 1048576,
	 offsetof(struct options, max_request_bytes)},
};

/* Returns 1 when @opt is not a limit, else 0 or -EINVAL (with @err filled). */
static int apply_limit(int opt, const char *arg, struct options *opts, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(limit_flags) / sizeof(limit_flags[0]); i++) {
		const struct limit_flag *f = &limit_flags[i];
		if (f->opt != opt)
			continue;
		unsigned long long v;
		if (parse_range(arg, f->min, f->max, &v) < 0)
			return fail(err, errlen, "--%s: \"%s\" is not a whole number from %u to %u",
				    f->name, arg, f->min, f->max);
		*(unsigned int *)((char *)opts + f->offset) = (unsigned int)v;
		return 0;
	}
	return 1;
}

static int check_telemetry_path(const char *path)
{
	if (path[0] != '/' || strcmp(path, "/") == 0 || strncmp(path, "/-/", 3) == 0)
		return -EINVAL;
	return strpbrk(path, "?# \t\r\n") ? -EINVAL : 0;
}

/* Whether --format was given, so that it can be refused without --explain. */
static bool format_given;

static int apply_explain(const char *arg, struct options *opts, char *err, size_t errlen)
{
	opts->explain = true;
	opts->explain_has_value = arg != NULL;
	opts->explain_arg = arg;
	if (!arg)
		return 0;
	int e = explain_parse_value(arg, &opts->explain_value);
	if (e == -ERANGE)
		return fail(err, errlen, "--explain: \"%s\" is above 2^64-1, the largest taint value",
			    arg);
	if (e < 0)
		return fail(err, errlen,
			    "--explain: \"%s\" is not a taint value: give a decimal number "
			    "(4609) or a hexadecimal one with 0x (0x1201)",
			    arg);
	return 0;
}

static int check_modes(const struct options *opts, char *err, size_t errlen)
{
	if (opts->explain && opts->textfile)
		return fail(err, errlen, "--explain and --write-textfile: choose one");
	if (format_given && !opts->explain)
		return fail(err, errlen, "--format applies only to --explain");
	return 0;
}

static int apply(int opt, const char *arg, struct options *opts, char *err, size_t errlen)
{
	struct listen_address addr;

	int ret = apply_limit(opt, arg, opts, err, errlen);
	if (ret <= 0)
		return ret;
	switch (opt) {
	case OPT_LISTEN:
		if (opts->listen_count == LISTEN_MAX)
			return fail(err, errlen, "--web.listen-address: at most %d addresses", LISTEN_MAX);
		if (listen_parse(arg, &addr) < 0)
			return fail(err, errlen,
				    "--web.listen-address: \"%s\" is not host:port (examples: "
				    ":19110, 127.0.0.1:19110, [::1]:19110)",
				    arg);
		opts->listen[opts->listen_count++] = arg;
		return 0;
	case OPT_SYSTEMD_SOCKET:
		opts->systemd_socket = true;
		return 0;
	case OPT_TELEMETRY_PATH:
		if (check_telemetry_path(arg) < 0)
			return fail(err, errlen,
				    "--web.telemetry-path: \"%s\" must start with /, must not be / "
				    "or under /-/, and must hold no query, fragment or space",
				    arg);
		opts->telemetry_path = arg;
		return 0;
	case OPT_WEB_CONFIG_FILE:
		if (*arg == '\0')
			return fail(err, errlen, "--web.config.file: the path is empty");
		opts->web_config_file = arg;
		return 0;
	case OPT_PROCFS:
		opts->procfs = arg;
		return 0;
	case OPT_SYSFS:
		opts->sysfs = arg;
		return 0;
	case OPT_VENDOR:
		if (strcmp(arg, "auto") != 0 && !taint_layout_find(arg))
			return fail(err, errlen,
				    "--kernel.vendor: \"%s\" is not one of auto, upstream, rhel7, "
				    "rhel8, rhel9, suse",
				    arg);
		opts->vendor = arg;
		return 0;
	case OPT_MODULES:
	case OPT_NO_MODULES:
		opts->modules = opt == OPT_MODULES;
		return 0;
	case OPT_MODULES_MAX: {
		unsigned long long max;
		if (parse_range(arg, 1, 1000000, &max) < 0)
			return fail(err, errlen,
				    "--collector.modules.max: \"%s\" is not a whole number from 1 to "
				    "1000000",
				    arg);
		opts->modules_max = (size_t)max;
		return 0;
	}
	case OPT_LOG_LEVEL:
		if (log_level_parse(arg, &opts->log_level) < 0)
			return fail(err, errlen,
				    "--log.level: \"%s\" is not one of debug, info, warn, error", arg);
		return 0;
	case OPT_LOG_FORMAT:
		if (log_format_parse(arg, &opts->log_format) < 0)
			return fail(err, errlen, "--log.format: \"%s\" is not logfmt or json", arg);
		return 0;
	case OPT_EXPLAIN:
		return apply_explain(arg, opts, err, errlen);
	case OPT_FORMAT:
		if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
			return fail(err, errlen, "--format: \"%s\" is not text or json", arg);
		opts->format = strcmp(arg, "json") == 0 ? EXPLAIN_JSON : EXPLAIN_TEXT;
		format_given = true;
		return 0;
	case OPT_WRITE_TEXTFILE:
		if (*arg == '\0')
			return fail(err, errlen, "--write-textfile: the path is empty");
		opts->textfile = arg;
		return 0;
	case OPT_VERSION:
		opts->version = true;
		return 0;
	case OPT_HELP:
		opts->help = true;
		return 0;
	}
	return -EINVAL;
}

/*
 * getopt_long() returns '?' for three mistakes, told apart by optopt. argv[optind - 1] names
 * the flag only when getopt has finished with its argument: inside a cluster of short options
 * ("-hx") optind has not moved yet, and argv[optind - 1] may be the program name.
 */
static int unknown_flag(char **argv, char *err, size_t errlen)
{
	if (optopt >= OPT_LISTEN) /* a known flag given a value it does not take */
		return fail(err, errlen, "flag \"%s\" takes no value", argv[optind - 1]);
	if (optopt > 0) /* there are no short flags */
		return fail(err, errlen, "unknown flag \"-%c\"", optopt);
	return fail(err, errlen, "unknown flag \"%s\"", argv[optind - 1]);
}

/*
 * getopt_long() accepts any unambiguous prefix of a long flag; the Prometheus exporters do
 * not, and a config that works only by abbreviation breaks when a flag is added.
 */
static bool is_abbreviation(const char *arg, const char *name)
{
	if (strncmp(arg, "--", 2) != 0)
		return false;
	return strcspn(arg + 2, "=") != strlen(name);
}

int flags_parse(int argc, char **argv, struct options *opts, char *err, size_t errlen)
{
	set_defaults(opts);
	format_given = false;
	optind = 0; /* glibc: 0 re-initialises getopt, so the parser can run again */
	opterr = 0; /* our messages, not getopt's */

	for (;;) {
		int at = optind ? optind : 1; /* where the next flag starts: "+" stops permuting */
		int index = -1;
		int opt = getopt_long(argc, argv, "+:", long_options, &index);
		if (opt == -1)
			break;
		if (index >= 0 && is_abbreviation(argv[at], long_options[index].name))
			return fail(err, errlen, "unknown flag \"%s\" (did you mean --%s?)", argv[at],
				    long_options[index].name);
		if (opt == '?')
			return unknown_flag(argv, err, errlen);
		if (opt == ':')
			return fail(err, errlen, "flag \"%s\" needs a value", argv[optind - 1]);
		int ret = apply(opt, optarg, opts, err, errlen);
		if (ret < 0)
			return ret;
	}
	if (optind < argc && opts->explain && !opts->explain_has_value)
		return fail(err, errlen,
			    "unexpected argument \"%s\"; to decode a value, write --explain=%s",
			    argv[optind], argv[optind]);
	if (optind < argc)
		return fail(err, errlen, "unexpected argument \"%s\"; every setting is a --flag",
			    argv[optind]);
	if (check_modes(opts, err, errlen) < 0)
		return -EINVAL;
	if (opts->listen_count == 0)
		opts->listen[opts->listen_count++] = FLAGS_DEFAULT_LISTEN;
	return 0;
}
