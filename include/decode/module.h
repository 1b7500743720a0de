#ifndef TAINT_EXPORTER_DECODE_MODULE_H
#define TAINT_EXPORTER_DECODE_MODULE_H

/* What makes a module's name and taint letters (a line of /proc/modules) fit to export. */

#include <stdbool.h>
#include <stddef.h>

#include "snapshot.h"

/*
 * module_name_utf8() - @name (@len bytes, at most MODULE_NAME_MAX) as valid
 * UTF-8, into @out (MODULE_NAME_UTF8_MAX + 1 bytes, NUL-terminated): every byte that
 * is not part of a well-formed UTF-8 sequence, and every backslash, is written as the four
 * characters \xHH (lower-case hex), so that two names never come out the same. Prometheus refuses a whole scrape over one label value that is not UTF-8,
 * and whoever can load a module chooses its name: this keeps the scrape, and the module in it.
 * Returns the length written.
 */
size_t module_name_utf8(const char *name, size_t len, char *out);

/* A valid module taint string has each ASCII letter at most once. */
#define MODULE_LETTERS_MAX 52

/*
 * module_letters_valid() - whether @letters (already stripped of the trailing newline)
 * is a well-formed module taint string: ASCII letters only, each at most once.
 */
bool module_letters_valid(const char *letters, size_t len);

#endif
