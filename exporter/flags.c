#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "decode/taint_table.h"
#include "flag_table.h"
#include "flags.h"
#include "render/explain.h"
#include "serve/listen.h"

#define FIELD(f) offsetof(struct options, f)

static int apply_listen(const struct flag *f, const char *arg, struct options *opts, char *err,
			size_t errlen)
{
	if (opts->listen_count == LISTEN_MAX)
		return flag_fail(err, errlen, "--%s: at most %d addresses", f->name, LISTEN_MAX);
	if (listen_parse(arg, &opts->listen[opts->listen_count]) < 0)
		return flag_fail(err, errlen,
				 "--%s: \"%s\" is not host:port (examples: :19110, 127.0.0.1:19110, "
				 "[::1]:19110)",
				 f->name, arg);
	opts->listen_count++;
	return 0;
}

static int apply_telemetry_path(const struct flag *f, const char *arg, struct options *opts,
				char *err, size_t errlen)
{
	if (arg[0] != '/' || strcmp(arg, "/") == 0 || strncmp(arg, "/-/", 3) == 0 ||
	    strpbrk(arg, "?# \t\r\n"))
		return flag_fail(
			err, errlen,
			"--%s: \"%s\" must start with /, must not be / or under /-/, and must "
			"hold no query, fragment or space",
			f->name, arg);
	opts->telemetry_path = arg;
	return 0;
}

static int apply_vendor(const struct flag *f, const char *arg, struct options *opts, char *err,
			size_t errlen)
{
	if (strcmp(arg, "auto") == 0 || taint_layout_find(arg)) {
		opts->vendor = arg;
		return 0;
	}
	/* The choices, from the layout table itself. */
	char choices[512] = "auto";
	size_t count, used = strlen(choices);
	const struct taint_layout *all = taint_layout_all(&count);
	for (size_t i = 0; i < count && used < sizeof(choices); i++)
		used += (size_t)snprintf(choices + used, sizeof(choices) - used, ", %s", all[i].id);
	return flag_fail(err, errlen, "--%s: \"%s\" is not one of %s", f->name, arg, choices);
}

static int apply_log_level(const struct flag *f, const char *arg, struct options *opts, char *err,
			   size_t errlen)
{
	if (log_level_parse(arg, &opts->log_level) < 0)
		return flag_fail(err, errlen, "--%s: \"%s\" is not one of debug, info, warn, error",
				 f->name, arg);
	return 0;
}

static int apply_log_format(const struct flag *f, const char *arg, struct options *opts, char *err,
			    size_t errlen)
{
	if (log_format_parse(arg, &opts->log_format) < 0)
		return flag_fail(err, errlen, "--%s: \"%s\" is not logfmt or json", f->name, arg);
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
		return flag_fail(err, errlen,
				 "--%s: \"%s\" is above 2^64-1, the largest taint value", f->name,
				 arg);
	if (e < 0)
		return flag_fail(
			err, errlen,
			"--%s: \"%s\" is not a taint value: give a decimal number (4609) or a "
			"hexadecimal one with 0x (0x1201)",
			f->name, arg);
	return 0;
}

static int apply_format(const struct flag *f, const char *arg, struct options *opts, char *err,
			size_t errlen)
{
	if (strcmp(arg, "text") != 0 && strcmp(arg, "json") != 0)
		return flag_fail(err, errlen, "--%s: \"%s\" is not text or json", f->name, arg);
	opts->format = strcmp(arg, "json") == 0 ? EXPLAIN_JSON : EXPLAIN_TEXT;
	return 0;
}

/*
 * The ranges of the limits keep every value meaningful to libmicrohttpd.
 *
 * --web.max-request-bytes: the request line and headers of one request live in
 * libmicrohttpd's per-connection memory pool, which it zeroes between two requests of a
 * kept-alive connection: its size is paid on every scrape and by every open connection. The
 * bench measured, against 8 KiB, a quarter fewer instructions per scrape and 200 KiB less
 * Private_Dirty under 50 connections. Prometheus's requests are a few hundred bytes, with an
 * Authorization header too. --web.max-requests: 40, as node_exporter.
 */
const struct flag flag_table[] = {
	{ "web.listen-address", "ADDR", required_argument, false,
	  "address to listen on, host:port; repeatable\n", ":19110",
	  ": every interface, IPv4 and IPv6", FLAG_HANDLER, 0, 0, 0, apply_listen },
	{ "web.systemd-socket", NULL, no_argument, false,
	  "use the sockets passed by systemd instead of\n--web.listen-address", NULL, "", FLAG_BOOL,
	  FIELD(systemd_socket), 0, 0, NULL },
	{ "web.telemetry-path", "PATH", required_argument, false,
	  "path under which to expose metrics ", "/metrics", "", FLAG_HANDLER, 0, 0, 0,
	  apply_telemetry_path },
	{ "web.threads", "N", required_argument, false,
	  "serving threads, each polling its connections with poll()\n", "2", "", FLAG_UINT,
	  FIELD(threads), 1, FLAGS_MAX_THREADS, NULL },
	{ "web.config.file", "FILE", required_argument, false,
	  "TLS, client certificates, basic auth and headers, in the\nPrometheus exporter-toolkit's "
	  "web-config format; SIGHUP\nre-reads it (default: none, plain HTTP)",
	  NULL, "", FLAG_PATH, FIELD(web_config_file), 0, 0, NULL },
	{ "web.connection-timeout", "SECONDS", required_argument, false,
	  "close a connection idle this long, 1 to 3600\n", "10", "", FLAG_UINT,
	  FIELD(limits.connection_timeout), 1, 3600, NULL },
	{ "web.max-connections", "N", required_argument, false,
	  "open connections per listening address, 1 to 65536\n", "512", "", FLAG_UINT,
	  FIELD(limits.max_connections), 1, 65536, NULL },
	{ "web.max-connections-per-ip", "N", required_argument, false,
	  "open connections from one client address, 0 to 65536;\n0: no limit ", "32", "",
	  FLAG_UINT, FIELD(limits.max_connections_per_ip), 0, 65536, NULL },
	{ "web.max-requests", "N", required_argument, false,
	  "scrapes in flight before answering 503, 0 to 65536;\n0: no limit ", "40", "", FLAG_UINT,
	  FIELD(limits.max_requests), 0, 65536, NULL },
	{ "web.max-request-bytes", "N", required_argument, false,
	  "memory for one request's line and headers, 4096 to\n1048576; larger gets 414 or 431 ",
	  "4096", "", FLAG_SIZE, FIELD(limits.max_request_bytes), 4096, 1048576, NULL },
	{ "path.procfs", "DIR", required_argument, false, "procfs mount point ", "/proc", "",
	  FLAG_STRING, FIELD(procfs), 0, 0, NULL },
	{ "path.sysfs", "DIR", required_argument, false, "sysfs mount point ", "/sys", "",
	  FLAG_STRING, FIELD(sysfs), 0, 0, NULL },
	{ "kernel.vendor", "LAYOUT", required_argument, false,
	  "taint bit layout: auto, upstream, or a vendor's by\nrelease, e.g. rhel7.3, rhel8, "
	  "rhel9.3, suse-6.0\n(docs/taint-bits.md lists them) ",
	  "auto", ": chosen from the running kernel", FLAG_HANDLER, 0, 0, 0, apply_vendor },
	{ "collector.modules", NULL, no_argument, true, "report the taint of each loaded module ",
	  "on", "", FLAG_BOOL, FIELD(modules), 0, 0, NULL },
	{ "collector.modules.max", "N", required_argument, false,
	  "report at most N tainted modules ", "1000", "", FLAG_SIZE, FIELD(modules_max), 1,
	  1000000, NULL },
	{ "collector.kmsg", NULL, no_argument, true,
	  "follow the kernel log for what set each flag, and when\n(needs CAP_SYSLOG where "
	  "kernel.dmesg_restrict is 1) ",
	  NULL, "", FLAG_BOOL, FIELD(kmsg), 0, 0, NULL },
	{ "collector.kmsg.path", "FILE", required_argument, false, "the kernel log device ",
	  "/dev/kmsg", "", FLAG_PATH, FIELD(kmsg_path), 0, 0, NULL },
	{ "web.landing-page.kernel-log-lines", NULL, no_argument, true,
	  "show the kernel log's lines on the landing page, which\nmay hold kernel addresses "
	  "(kernel.dmesg_restrict hides\nthem from users) ",
	  NULL, "", FLAG_BOOL, FIELD(landing_kernel_log_lines), 0, 0, NULL },
	{ "log.level", "LEVEL", required_argument, false, "debug, info, warn or error ", "info", "",
	  FLAG_HANDLER, 0, 0, 0, apply_log_level },
	{ "log.format", "FORMAT", required_argument, false, "logfmt or json ", "logfmt", "",
	  FLAG_HANDLER, 0, 0, 0, apply_log_format },
	{ "explain", "VALUE", optional_argument, false,
	  "print what the live taint value (or VALUE: decimal, or\n0x hex) means, with the tainted "
	  "modules, and exit",
	  NULL, "", FLAG_HANDLER, 0, 0, 0, apply_explain },
	{ "format", "FORMAT", required_argument, false, "output of --explain: text or json ",
	  "text", "", FLAG_HANDLER, 0, 0, 0, apply_format },
	{ "write-textfile", "PATH", required_argument, false,
	  "write the metrics once to PATH, atomically, for\nnode_exporter's textfile collector, "
	  "and exit",
	  NULL, "", FLAG_PATH, FIELD(textfile), 0, 0, NULL },
	{ "version", NULL, no_argument, false, "print the version and exit", NULL, "", FLAG_BOOL,
	  FIELD(version), 0, 0, NULL },
	{ "help", NULL, no_argument, false, "print this help and exit", NULL, "", FLAG_BOOL,
	  FIELD(help), 0, 0, NULL },
};

const size_t flag_table_len = sizeof(flag_table) / sizeof(flag_table[0]);
_Static_assert(sizeof(flag_table) / sizeof(flag_table[0]) <= FLAG_TABLE_MAX,
	       "more flags than FLAG_TABLE_MAX");

/* Whether the row named @name was given. */
static bool given_named(const bool *given, const char *name)
{
	for (size_t i = 0; i < flag_table_len; i++) {
		if (strcmp(flag_table[i].name, name) == 0)
			return given[i];
	}
	return false;
}

int flag_table_check(const struct options *opts, const bool *given, char *err, size_t errlen)
{
	if (opts->explain && opts->textfile)
		return flag_fail(err, errlen, "--explain and --write-textfile: choose one");
	if (given_named(given, "format") && !opts->explain)
		return flag_fail(err, errlen, "--format applies only to --explain");
	return 0;
}
