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

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* How a flag's value is checked and stored. */
enum flag_kind {
	FLAG_BOOL, /* no value; sets a bool, and its --no- form (when negatable) clears it */
	FLAG_STRING, /* any string, kept by pointer into argv */
	FLAG_PATH, /* as FLAG_STRING, but not empty */
	FLAG_UINT, /* a whole number from min to max, into an unsigned int */
	FLAG_SIZE, /* the same, into a size_t */
	FLAG_HANDLER, /* checked and stored by the row's handler */
};

struct flag;

typedef int flag_apply_fn(const struct flag *f, const char *arg, struct options *opts, char *err,
			  size_t errlen);

/*
 * One row per flag: the getopt_long() table and --help are generated from these, in this
 * order. @help holds its own line breaks (the generator indents what follows each one), and
 * @shown, when set, is appended as "(default @shown)": help texts that end in a space or a
 * line break say where that goes.
 */
struct flag {
	const char *name;
	const char *arg; /* the value's name in --help; NULL: takes none */
	int has_arg; /* required_argument, optional_argument or no_argument */
	bool negatable; /* FLAG_BOOL: also --no-<name>, shown as --[no-]<name> */
	const char *help;
	const char *shown; /* the default as --help shows it, or NULL */
	enum flag_kind kind;
	size_t offset; /* of the field filled, in struct options */
	unsigned int min, max; /* FLAG_UINT, FLAG_SIZE */
	flag_apply_fn *apply; /* FLAG_HANDLER */
};

#define FIELD(f) offsetof(struct options, f)

static int apply_listen(const struct flag *f, const char *arg, struct options *opts, char *err,
			size_t errlen)
{
	struct listen_address addr;
	if (opts->listen_count == LISTEN_MAX)
		return fail(err, errlen, "--%s: at most %d addresses", f->name, LISTEN_MAX);
	if (listen_parse(arg, &addr) < 0)
		return fail(err, errlen,
			    "--%s: \"%s\" is not host:port (examples: :19110, 127.0.0.1:19110, "
			    "[::1]:19110)",
			    f->name, arg);
	opts->listen[opts->listen_count++] = arg;
	return 0;
}

static int apply_telemetry_path(const struct flag *f, const char *arg, struct options *opts,
				char *err, size_t errlen)
{
	if (arg[0] != '/' || strcmp(arg, "/") == 0 || strncmp(arg, "/-/", 3) == 0 ||
	    strpbrk(arg, "?# \t\r\n"))
		return fail(err, errlen,
			    "--%s: \"%s\" must start with /, must not be / or under /-/, and must "
			    "hold no query, fragment or space",
			    f->name, arg);
	opts->telemetry_path = arg;
	return 0;
}

static int apply_vendor(const struct flag *f, const char *arg, struct options *opts, char *err,
			size_t errlen)
{
	if (strcmp(arg, "auto") != 0 && !taint_layout_find(arg))
		return fail(err, errlen,
			    "--%s: \"%s\" is not one of auto, upstream, rhel7, rhel8, rhel9, suse",
			    f->name, arg);
	opts->vendor = arg;
	return 0;
}

static int apply_log_level(const struct flag *f, const char *arg, struct options *opts, char *err,
			   size_t errlen)
{
	if (log_level_parse(arg, &opts->log_level) < 0)
		return fail(err, errlen, "--%s: \"%s\" is not one of debug, info, warn, error",
			    f->name, arg);
	return 0;
}

static int apply_log_format(const struct flag *f, const char *arg, struct options *opts, char *err,
			    size_t errlen)
{
	if (log_format_parse(arg, &opts->log_format) < 0)
		return fail(err, errlen, "--%s: \"%s\" is not logfmt or json", f->name, arg);
	return 0;
}

static int apply_explain(const struct flag *f, const char *arg, struct options *opts, char *err,
			 size_t errlen)
{
	opts->explain = true;
	opts->explain_has_value = arg != NULL;
	opts->explain_arg = arg;
	if (!arg)
		return 0;
	int e = explain_parse_value(arg, &opts->explain_value);
	if (e == -ERANGE)
		return fail(err, errlen, "--%s: \"%s\" is above 2^64-1, the largest taint value",
			    f->name, arg);
	if (e < 0)
		return fail(err, errlen,
			    "--%s: \"%s\" is not a taint value: give a decimal number (4609) or a "
			    "hexadecimal one with 0x (0x1201)",
			    f->name, arg);
	return 0;
}

static int apply_format(const struct flag *f, const char *arg, struct options *opts, char *err,
			size_t errlen)
{
	if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
		return fail(err, errlen, "--%s: \"%s\" is not text or json", f->name, arg);
	opts->format = strcmp(arg, "json") == 0 ? EXPLAIN_JSON : EXPLAIN_TEXT;
	opts->format_given = true;
	return 0;
}

#define STR_(x) #x
#define STR(x) STR_(x)

/* The ranges of the limits keep every value meaningful to libmicrohttpd. */
static const struct flag flags[] = {
	{ "web.listen-address", "ADDR", required_argument, false,
	  "address to listen on, host:port; repeatable\n",
	  "\"" FLAGS_DEFAULT_LISTEN "\": every interface, IPv4 and IPv6", FLAG_HANDLER, 0, 0, 0,
	  apply_listen },
	{ "web.systemd-socket", NULL, no_argument, false,
	  "use the sockets passed by systemd instead of\n--web.listen-address", NULL, FLAG_BOOL,
	  FIELD(systemd_socket), 0, 0, NULL },
	{ "web.telemetry-path", "PATH", required_argument, false,
	  "path under which to expose metrics ", "\"/metrics\"", FLAG_HANDLER, 0, 0, 0,
	  apply_telemetry_path },
	{ "web.threads", "N", required_argument, false,
	  "serving threads, each polling its connections with poll()\n", STR(FLAGS_DEFAULT_THREADS),
	  FLAG_UINT, FIELD(threads), 1, FLAGS_MAX_THREADS, NULL },
	{ "web.config.file", "FILE", required_argument, false,
	  "TLS, client certificates, basic auth and headers, in the\nPrometheus exporter-toolkit's "
	  "web-config format; SIGHUP\nre-reads it (default: none, plain HTTP)",
	  NULL, FLAG_PATH, FIELD(web_config_file), 0, 0, NULL },
	{ "web.connection-timeout", "SECONDS", required_argument, false,
	  "close a connection idle this long, 1 to 3600\n", STR(FLAGS_DEFAULT_CONNECTION_TIMEOUT),
	  FLAG_UINT, FIELD(limits.connection_timeout), 1, 3600, NULL },
	{ "web.max-connections", "N", required_argument, false,
	  "open connections per listening address, 1 to 65536\n", STR(FLAGS_DEFAULT_MAX_CONNECTIONS),
	  FLAG_UINT, FIELD(limits.max_connections), 1, 65536, NULL },
	{ "web.max-connections-per-ip", "N", required_argument, false,
	  "open connections from one client address, 0 to 65536;\n0: no limit ",
	  STR(FLAGS_DEFAULT_MAX_CONNECTIONS_PER_IP), FLAG_UINT,
	  FIELD(limits.max_connections_per_ip), 0, 65536, NULL },
	{ "web.max-requests", "N", required_argument, false,
	  "scrapes in flight before answering 503, 0 to 65536;\n0: no limit ",
	  STR(FLAGS_DEFAULT_MAX_REQUESTS), FLAG_UINT, FIELD(limits.max_requests), 0, 65536, NULL },
	{ "web.max-request-bytes", "N", required_argument, false,
	  "memory for one request's line and headers, 4096 to\n1048576; larger gets 414 or 431 ",
	  STR(FLAGS_DEFAULT_MAX_REQUEST_BYTES), FLAG_SIZE, FIELD(limits.max_request_bytes), 4096,
	  1048576, NULL },
	{ "path.procfs", "DIR", required_argument, false, "procfs mount point ", "\"/proc\"",
	  FLAG_STRING, FIELD(procfs), 0, 0, NULL },
	{ "path.sysfs", "DIR", required_argument, false, "sysfs mount point ", "\"/sys\"",
	  FLAG_STRING, FIELD(sysfs), 0, 0, NULL },
	{ "kernel.vendor", "LAYOUT", required_argument, false,
	  "taint bit layout: auto, upstream, rhel7, rhel8, rhel9,\nsuse ",
	  "\"auto\": chosen from the running kernel", FLAG_HANDLER, 0, 0, 0, apply_vendor },
	{ "collector.modules", NULL, no_argument, true, "report the taint of each loaded module ",
	  "on", FLAG_BOOL, FIELD(modules), 0, 0, NULL },
	{ "collector.modules.max", "N", required_argument, false,
	  "report at most N tainted modules ", "1000", FLAG_SIZE, FIELD(modules_max), 1, 1000000,
	  NULL },
	{ "log.level", "LEVEL", required_argument, false, "debug, info, warn or error ", "\"info\"",
	  FLAG_HANDLER, 0, 0, 0, apply_log_level },
	{ "log.format", "FORMAT", required_argument, false, "logfmt or json ", "\"logfmt\"",
	  FLAG_HANDLER, 0, 0, 0, apply_log_format },
	{ "explain", "VALUE", optional_argument, false,
	  "print what the live taint value (or VALUE: decimal, or\n0x hex) means, with the tainted "
	  "modules, and exit",
	  NULL, FLAG_HANDLER, 0, 0, 0, apply_explain },
	{ "format", "FORMAT", required_argument, false, "output of --explain: text or json ",
	  "\"text\"", FLAG_HANDLER, 0, 0, 0, apply_format },
	{ "write-textfile", "PATH", required_argument, false,
	  "write the metrics once to PATH, atomically, for\nnode_exporter's textfile collector, "
	  "and exit",
	  NULL, FLAG_PATH, FIELD(textfile), 0, 0, NULL },
	{ "version", NULL, no_argument, false, "print the version and exit", NULL, FLAG_BOOL,
	  FIELD(version), 0, 0, NULL },
	{ "help", NULL, no_argument, false, "print this help and exit", NULL, FLAG_BOOL,
	  FIELD(help), 0, 0, NULL },
};

#define FLAG_COUNT (sizeof(flags) / sizeof(flags[0]))
/* getopt_long() values: above every character, and two per row (the --no- form is odd). */
#define FLAG_VAL_BASE 256
/* The column at which --help's descriptions start; a longer flag goes on a line of its own. */
#define HELP_COLUMN 30

static const char usage_head[] =
	"Usage: taint_exporter [flags]\n"
	"\n"
	"Prometheus exporter for the Linux kernel taint state (/proc/sys/kernel/tainted)\n"
	"and the taint of each loaded module (/proc/modules).\n"
	"\n"
	"Flags:\n";

static void usage_row(const struct flag *f, struct buffer *out)
{
	size_t start = out->len;
	buffer_puts(out, f->negatable ? "  --[no-]" : "  --");
	buffer_puts(out, f->name);
	if (f->arg) {
		buffer_puts(out, f->has_arg == optional_argument ? "[=" : "=");
		buffer_puts(out, f->arg);
		if (f->has_arg == optional_argument)
			buffer_putc(out, ']');
	}
	size_t width = out->len - start;
	if (width + 2 > HELP_COLUMN) {
		buffer_putc(out, '\n');
		width = 0;
	}
	for (; width < HELP_COLUMN; width++)
		buffer_putc(out, ' ');
	for (const char *p = f->help; *p; p++) {
		buffer_putc(out, *p);
		if (*p == '\n')
			for (int i = 0; i < HELP_COLUMN; i++)
				buffer_putc(out, ' ');
	}
	if (f->shown) {
		buffer_puts(out, "(default ");
		buffer_puts(out, f->shown);
		buffer_putc(out, ')');
	}
	buffer_putc(out, '\n');
}

int flags_usage(struct buffer *out)
{
	buffer_puts(out, usage_head);
	for (size_t i = 0; i < FLAG_COUNT; i++)
		usage_row(&flags[i], out);
	return buffer_status(out);
}

/* The getopt_long() table generated from @flags, with the --no- names it points to. */
struct long_table {
	struct option options[2 * FLAG_COUNT + 1];
	char no_names[FLAG_COUNT][64];
};

static void build_long_options(struct long_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < FLAG_COUNT; i++) {
		int val = FLAG_VAL_BASE + 2 * (int)i;
		t->options[n++] = (struct option){ flags[i].name, flags[i].has_arg, NULL, val };
		if (!flags[i].negatable)
			continue;
		snprintf(t->no_names[i], sizeof(t->no_names[i]), "no-%s", flags[i].name);
		t->options[n++] = (struct option){ t->no_names[i], no_argument, NULL, val + 1 };
	}
	t->options[n] = (struct option){ NULL, 0, NULL, 0 };
}

static void set_defaults(struct options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->telemetry_path = "/metrics";
	opts->threads = FLAGS_DEFAULT_THREADS;
	opts->limits = (struct http_limits){
		.connection_timeout = FLAGS_DEFAULT_CONNECTION_TIMEOUT,
		.max_connections = FLAGS_DEFAULT_MAX_CONNECTIONS,
		.max_connections_per_ip = FLAGS_DEFAULT_MAX_CONNECTIONS_PER_IP,
		.max_requests = FLAGS_DEFAULT_MAX_REQUESTS,
		.max_request_bytes = FLAGS_DEFAULT_MAX_REQUEST_BYTES,
	};
	opts->procfs = "/proc";
	opts->sysfs = "/sys";
	opts->vendor = "auto";
	opts->modules = true;
	opts->modules_max = 1000;
	opts->log_level = LOG_INFO;
	opts->log_format = LOG_FORMAT_LOGFMT;
}

/* Applies @f (its --no- form when @negated) with @arg; 0 or -EINVAL with @err filled. */
static int apply(const struct flag *f, bool negated, const char *arg, struct options *opts,
		 char *err, size_t errlen)
{
	void *field = (char *)opts + f->offset;
	unsigned long long v;

	switch (f->kind) {
	case FLAG_BOOL:
		*(bool *)field = !negated;
		return 0;
	case FLAG_PATH:
		if (*arg == '\0')
			return fail(err, errlen, "--%s: the path is empty", f->name);
		/* fall through */
	case FLAG_STRING:
		*(const char **)field = arg;
		return 0;
	case FLAG_UINT:
	case FLAG_SIZE:
		if (parse_range(arg, f->min, f->max, &v) < 0)
			return fail(err, errlen, "--%s: \"%s\" is not a whole number from %u to %u",
				    f->name, arg, f->min, f->max);
		if (f->kind == FLAG_UINT)
			*(unsigned int *)field = (unsigned int)v;
		else
			*(size_t *)field = (size_t)v;
		return 0;
	case FLAG_HANDLER:
		return f->apply(f, arg, opts, err, errlen);
	}
	return -EINVAL;
}

static int check_modes(const struct options *opts, char *err, size_t errlen)
{
	if (opts->explain && opts->textfile)
		return fail(err, errlen, "--explain and --write-textfile: choose one");
	if (opts->format_given && !opts->explain)
		return fail(err, errlen, "--format applies only to --explain");
	return 0;
}

/*
 * getopt_long() returns '?' for three mistakes, told apart by optopt. argv[optind - 1] names
 * the flag only when getopt has finished with its argument: inside a cluster of short options
 * ("-hx") optind has not moved yet, and argv[optind - 1] may be the program name.
 */
static int unknown_flag(char **argv, char *err, size_t errlen)
{
	if (optopt >= FLAG_VAL_BASE) /* a known flag given a value it does not take */
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
	struct long_table table;

	build_long_options(&table);
	set_defaults(opts);
	optind = 0; /* glibc: 0 re-initialises getopt, so the parser can run again */
	opterr = 0; /* our messages, not getopt's */

	for (;;) {
		int at = optind ? optind : 1; /* where the next flag starts: "+" stops permuting */
		int index = -1;
		int opt = getopt_long(argc, argv, "+:", table.options, &index);
		if (opt == -1)
			break;
		if (index >= 0 && is_abbreviation(argv[at], table.options[index].name))
			return fail(err, errlen, "unknown flag \"%s\" (did you mean --%s?)",
				    argv[at], table.options[index].name);
		if (opt == '?')
			return unknown_flag(argv, err, errlen);
		if (opt == ':')
			return fail(err, errlen, "flag \"%s\" needs a value", argv[optind - 1]);
		int row = (opt - FLAG_VAL_BASE) / 2;
		int ret = apply(&flags[row], opt & 1, optarg, opts, err, errlen);
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
