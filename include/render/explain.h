#ifndef TAINT_EXPORTER_EXPLAIN_H
#define TAINT_EXPORTER_EXPLAIN_H

/*
 * Explain mode (--explain): a taint value in words, for a person at a terminal or, as JSON,
 * for a script. What tools/debugging/kernel-chktaint does, decoded with the same bit tables
 * as the metrics. A pure formatter: the caller reads the value (and the modules) and prints
 * the buffer.
 */

#include <stdint.h>

#include "buffer.h"
#include "decode/taint_table.h"
#include "snapshot.h"

enum explain_format { EXPLAIN_TEXT, EXPLAIN_JSON };

struct explain_input {
	const struct taint_layout *layout;
	unsigned int string_columns; /* of the kernel's "Tainted:" string: taint_string_columns() */
	const char *layout_reason; /* why this layout, e.g. "--kernel.vendor"; NULL: not shown */
	const char *source; /* where the value came from, e.g. "/proc/sys/kernel/tainted" */
	int error; /* 0, or why the live taint file could not be used (-errno) */
	uint64_t value; /* valid when error is 0 */
	const struct taint_snapshot *snapshot; /* live mode: the modules; NULL for a given value */
};

/*
 * explain_parse_value() - parse the VALUE of --explain=VALUE: decimal, or hexadecimal with a
 * 0x or 0X prefix. Nothing else: no sign, no blanks, no empty string.
 * Returns 0 (and sets @value), -EINVAL for anything that is not such a number, -ERANGE above
 * 2^64-1 (@value untouched on failure).
 */
int explain_parse_value(const char *s, uint64_t *value);

/*
 * explain_render() - append the explanation of @in to @out, as text or JSON. Every string that
 * comes from sysfs (module names) is escaped for the output: control bytes never reach a
 * terminal, and the JSON is always valid.
 * Returns 0 or -ENOMEM.
 */
int explain_render(const struct explain_input *in, enum explain_format format, struct buffer *out);

#endif
