#ifndef TAINT_EXPORTER_FLAG_TABLE_H
#define TAINT_EXPORTER_FLAG_TABLE_H

/*
 * The flag table, between the two files that share it: flags.c says which flags there are
 * (one row each, with its checks and default), flag_parser.c turns the rows into the
 * getopt_long() table, --help and the defaults. Adding a flag is adding a row (and, for a
 * value that needs its own checks, a handler beside it); test flag_docs then asks for its
 * lines in the man page and the README.
 */

#include <stdbool.h>
#include <stddef.h>

#include "flags.h"

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
 * One row per flag, in --help's order. @help holds its own line breaks (the generator indents
 * what follows each one). A flag that is not given takes @def, applied as if it had been given
 * so (a FLAG_BOOL's @def is "on"); --help shows it as "(default @def@def_note)", quoted unless
 * it is a number or "on": help texts that end in a space or a line break say where that goes.
 */
struct flag {
	const char *name;
	const char *arg; /* the value's name in --help; NULL: takes none */
	int has_arg; /* required_argument, optional_argument or no_argument */
	bool negatable; /* FLAG_BOOL: also --no-<name>, shown as --[no-]<name> */
	const char *help;
	const char *def; /* the default, as it would be typed, or NULL for none */
	const char *def_note; /* words after the default in --help, or "" */
	enum flag_kind kind;
	size_t offset; /* of the field filled, in struct options */
	unsigned int min, max; /* FLAG_UINT, FLAG_SIZE */
	flag_apply_fn *apply; /* FLAG_HANDLER */
};

/* Rows at most: the parser's getopt_long() table is sized by it (checked where rows are). */
#define FLAG_TABLE_MAX 48

extern const struct flag flag_table[];
extern const size_t flag_table_len;

/* flag_fail() - the error message into @err; returns -EINVAL. */
__attribute__((format(printf, 3, 4))) int flag_fail(char *err, size_t errlen, const char *fmt, ...);

/*
 * flag_table_check() - what no single flag can check: flags that exclude each other.
 * @given[i]: whether flag_table[i] was on the command line. 0 or -EINVAL with @err filled.
 */
int flag_table_check(const struct options *opts, const bool *given, char *err, size_t errlen);

#endif
