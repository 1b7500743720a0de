#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flag_table.h"
#include "flags.h"

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

int flag_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

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
	if (f->def) {
		bool bare = f->kind == FLAG_UINT || f->kind == FLAG_SIZE || f->kind == FLAG_BOOL;
		buffer_puts(out, bare ? "(default " : "(default \"");
		buffer_puts(out, f->def);
		buffer_puts(out, bare ? "" : "\"");
		buffer_puts(out, f->def_note);
		buffer_putc(out, ')');
	}
	buffer_putc(out, '\n');
}

int flags_usage(struct buffer *out)
{
	buffer_puts(out, usage_head);
	for (size_t i = 0; i < flag_table_len; i++)
		usage_row(&flag_table[i], out);
	return buffer_status(out);
}

/* The getopt_long() table generated from the flag table, with the --no- names it points to. */
struct long_table {
	struct option options[2 * FLAG_TABLE_MAX + 1];
	char no_names[FLAG_TABLE_MAX][64];
};

static void build_long_options(struct long_table *t)
{
	size_t n = 0;
	for (size_t i = 0; i < flag_table_len; i++) {
		int val = FLAG_VAL_BASE + 2 * (int)i;
		t->options[n++] =
			(struct option){ flag_table[i].name, flag_table[i].has_arg, NULL, val };
		if (!flag_table[i].negatable)
			continue;
		snprintf(t->no_names[i], sizeof(t->no_names[i]), "no-%s", flag_table[i].name);
		t->options[n++] = (struct option){ t->no_names[i], no_argument, NULL, val + 1 };
	}
	t->options[n] = (struct option){ NULL, 0, NULL, 0 };
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
			return flag_fail(err, errlen, "--%s: the path is empty", f->name);
		/* fall through */
	case FLAG_STRING:
		*(const char **)field = arg;
		return 0;
	case FLAG_UINT:
	case FLAG_SIZE:
		if (parse_range(arg, f->min, f->max, &v) < 0)
			return flag_fail(err, errlen,
					 "--%s: \"%s\" is not a whole number from %u to %u",
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

/* Each flag not given takes its default, as if given so. */
static int apply_defaults(const bool *given, struct options *opts, char *err, size_t errlen)
{
	for (size_t i = 0; i < flag_table_len; i++) {
		const struct flag *f = &flag_table[i];
		int ret = given[i] || !f->def ? 0 : apply(f, false, f->def, opts, err, errlen);
		if (ret < 0)
			return ret;
	}
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
		return flag_fail(err, errlen, "flag \"%s\" takes no value", argv[optind - 1]);
	if (optopt > 0) /* there are no short flags */
		return flag_fail(err, errlen, "unknown flag \"-%c\"", optopt);
	return flag_fail(err, errlen, "unknown flag \"%s\"", argv[optind - 1]);
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
	bool given[FLAG_TABLE_MAX] = { false };

	build_long_options(&table);
	memset(opts, 0, sizeof(*opts));
	optind = 0; /* glibc: 0 re-initialises getopt, so the parser can run again */
	opterr = 0; /* our messages, not getopt's */

	for (;;) {
		int at = optind ? optind : 1; /* where the next flag starts: "+" stops permuting */
		int index = -1;
		int opt = getopt_long(argc, argv, "+:", table.options, &index);
		if (opt == -1)
			break;
		if (index >= 0 && is_abbreviation(argv[at], table.options[index].name))
			return flag_fail(err, errlen, "unknown flag \"%s\" (did you mean --%s?)",
					 argv[at], table.options[index].name);
		if (opt == '?')
			return unknown_flag(argv, err, errlen);
		if (opt == ':')
			return flag_fail(err, errlen, "flag \"%s\" needs a value", argv[optind - 1]);
		int row = (opt - FLAG_VAL_BASE) / 2;
		given[row] = true;
		int ret = apply(&flag_table[row], opt & 1, optarg, opts, err, errlen);
		if (ret < 0)
			return ret;
	}
	if (optind < argc && opts->explain && !opts->explain_has_value)
		return flag_fail(err, errlen,
				 "unexpected argument \"%s\"; to decode a value, write --explain=%s",
				 argv[optind], argv[optind]);
	if (optind < argc)
		return flag_fail(err, errlen,
				 "unexpected argument \"%s\"; every setting is a --flag",
				 argv[optind]);
	if (flag_table_check(opts, given, err, errlen) < 0)
		return -EINVAL;
	return apply_defaults(given, opts, err, errlen);
}
