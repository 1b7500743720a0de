#ifndef TAINT_EXPORTER_ACCEPT_H
#define TAINT_EXPORTER_ACCEPT_H

/*
 * Content negotiation for /metrics: OpenMetrics 1.0 when the Accept header prefers it (as
 * Prometheus does by default), the 0.0.4 text format otherwise.
 */

#include "render/exposition.h"

/*
 * accept_negotiate() - the format to answer a request whose Accept header is @accept (NULL
 * when there was none). OpenMetrics wins only when an application/openmetrics-text range
 * (version 1.0.0 or unversioned) has a higher q than any range that admits text/plain
 * (text/plain, text/ *, * / *). Malformed parts are ignored, never fatal.
 */
enum exposition_format accept_negotiate(const char *accept);

#endif
