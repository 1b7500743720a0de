#ifndef TAINT_EXPORTER_ONESHOT_H
#define TAINT_EXPORTER_ONESHOT_H

/* The modes that do their work once and exit, without serving. */

#include "flags.h"
#include "render/exposition.h"

/*
 * oneshot_explain() - --explain[=VALUE]: print what the value means to stdout.
 * Returns the exit status: EXIT_FAILURE also when the live value could not be read.
 */
int oneshot_explain(const struct options *opts);

/*
 * oneshot_textfile() - --write-textfile=PATH: one scrape, labelled with @build, written
 * atomically. Returns the exit status; failures are logged.
 */
int oneshot_textfile(const struct options *opts, const struct build_labels *build);

#endif
