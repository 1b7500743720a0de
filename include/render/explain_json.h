#ifndef TAINT_EXPORTER_EXPLAIN_JSON_H
#define TAINT_EXPORTER_EXPLAIN_JSON_H

/* The JSON output of explain mode (--explain --format=json), for explain_render(). */

#include "buffer.h"
#include "render/explain.h"

/*
 * explain_json_render() - append the explanation of @in to @out as one JSON object, for
 * scripts: the same facts as the text, every string through escape_json_string(). A failed
 * allocation is left in @out for buffer_status().
 */
void explain_json_render(const struct explain_input *in, struct buffer *out);

#endif
