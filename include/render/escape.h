#ifndef TAINT_EXPORTER_ESCAPE_H
#define TAINT_EXPORTER_ESCAPE_H

/*
 * One escaping routine per output language, so that a string from outside (a module name from
 * sysfs, a path from the command line) reads the same wherever it is shown. Each appends to a
 * buffer (the sticky failure of buffer.h applies) and takes a NUL-terminated string. Bytes of
 * 0x80 and above are copied as they are: module names reach the renderers as UTF-8
 * (module_name_utf8()), and the other strings are ours or the command line's.
 */

#include <stddef.h>

#include "buffer.h"

/*
 * escape_label_value() - append @s as a Prometheus label value (text format 0.0.4 and
 * OpenMetrics): backslash, double quote and newline become \\, \" and \n; nothing else
 * changes. The caller writes the quotes around it.
 */
void escape_label_value(struct buffer *out, const char *s);

/*
 * escape_json_string() - append @s as a JSON string, quotes included: " and \ are
 * backslashed, a newline is \n, every other byte below 0x20 and DEL (0x7f) is \u00XX, so
 * that no control byte reaches a terminal that shows the JSON.
 */
void escape_json_string(struct buffer *out, const char *s);

/*
 * escape_logfmt_value() - append @s as a logfmt value: as it is, or, when it is empty or
 * holds a blank, a double quote, '=' or a control byte (DEL included), quoted with the
 * escapes of escape_json_string().
 */
void escape_logfmt_value(struct buffer *out, const char *s);

/*
 * escape_html() - append @s as HTML text or attribute value: &, <, >, " and ' become
 * entities; nothing else changes.
 */
void escape_html(struct buffer *out, const char *s);

/*
 * escape_text() - append @s for a terminal: a backslash is \\, a control byte (below 0x20,
 * or DEL) is \xNN, so that escape sequences in a module name are shown, never acted on.
 */
void escape_text(struct buffer *out, const char *s);

/* escape_text_len() - how many bytes escape_text() appends for @s (to align columns). */
size_t escape_text_len(const char *s);

#endif
