#ifndef TAINT_EXPORTER_EXPLAIN_TEXT_H
#define TAINT_EXPORTER_EXPLAIN_TEXT_H

/* The text output of explain mode (--explain), for explain_render(). */

#include "buffer.h"
#include "render/explain.h"

/*
 * explain_text_render() - append the explanation of @in to @out as text, for a person at a
 * terminal: the value, the kernel's string, the set flags with their descriptions, the bits
 * the layout does not know and the tainted modules (names through escape_text()). A failed
 * allocation is left in @out for buffer_status().
 */
void explain_text_render(const struct explain_input *in, struct buffer *out);

#endif
