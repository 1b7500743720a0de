#ifndef TAINT_EXPORTER_DECODE_MODULE_H
#define TAINT_EXPORTER_DECODE_MODULE_H

/* What makes a module's name and taint letters fit to export, from either source. */

#include <stdbool.h>
#include <stddef.h>

/* Kernel module names are at most 55 bytes (MODULE_NAME_LEN 56); sysfs names never more. */
#define MODULE_NAME_MAX 255
/* The longest name module_name_utf8() makes: every byte written as \xHH. */
#define MODULE_NAME_UTF8_MAX (4 * MODULE_NAME_MAX)

/*
 * module_name_utf8() - @name (@len bytes, at most MODULE_NAME_MAX) as valid
 * UTF-8, into @out (MODULE_NAME_UTF8_MAX + 1 bytes, NUL-terminated): every byte that
 * is not part of a well-formed UTF-8 sequence is written as the four characters \xHH
 * (lower-case hex). Prometheus refuses a whole scrape over one label value that is not UTF-8,
 * and whoever can load a module chooses its name: this keeps the scrape, and the module in it.
 * Returns the length written.
 */
size_t module_name_utf8(const char *name, size_t len, char *out);

/*
 * module_letters_valid() - whether @letters (already stripped of the trailing newline)
 * is a well-formed module taint string: ASCII letters only, each at most once.
 */
bool module_letters_valid(const char *letters, size_t len);

#endif
