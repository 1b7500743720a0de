#ifndef TAINT_EXPORTER_TEXTFILE_H
#define TAINT_EXPORTER_TEXTFILE_H

/*
 * Textfile mode (--write-textfile): one exposition written to a file for node_exporter's
 * textfile collector, which may read the file at any moment. So the file is replaced, never
 * rewritten in place: a reader sees the old complete file or the new complete file.
 */

#include <stddef.h>

/*
 * textfile_write() - replace @path with the @len bytes of @data, atomically.
 * @failed_step: out, on failure a static phrase naming the step that failed ("create a
 *               temporary file in the directory", "rename over the file", ...), for the
 *               error message; may be NULL.
 *
 * Writes a temporary file in the directory of @path (named ".<file>.XXXXXX", which the textfile
 * collector ignores: it reads only *.prom), fsyncs it, makes it mode 0644, renames it over @path
 * and fsyncs the directory, so that the rename survives a crash. On failure the temporary file
 * is removed and @path is left as it was.
 *
 * Returns 0 or -errno.
 */
int textfile_write(const char *path, const char *data, size_t len, const char **failed_step);

#endif
