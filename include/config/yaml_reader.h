#ifndef TAINT_EXPORTER_YAML_READER_H
#define TAINT_EXPORTER_YAML_READER_H

/*
 * Reading a YAML file the way Go's yaml.v2 strict decoding does, on libyaml's document API:
 * scalars without NUL bytes, YAML 1.1 booleans, mappings whose keys are strings given once,
 * one document per file, and errors that name the line and the key. The schema (which keys
 * mean what) is the caller's: serve/webconfig.c for the exporter-toolkit's web config.
 */

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct yaml_reader {
	yaml_document_t doc;
	const char *name; /* what the file is, in errors about the whole file: "web config" */
	const char *base_dir; /* relative paths are read from here; NULL: as given */
	char *err; /* the first error, "line N: key: what" */
	size_t errlen;
};

/* yaml_reader_fail() - write the error for @key at @node's line (NULL: no line) into @r; -EINVAL. */
__attribute__((format(printf, 4, 5))) int yaml_reader_fail(struct yaml_reader *r,
							   const yaml_node_t *node, const char *key,
							   const char *fmt, ...);

/* yaml_reader_is_null() - whether @n is absent, empty, "~" or null as a plain scalar. */
bool yaml_reader_is_null(const yaml_node_t *n);

/* yaml_reader_get_scalar() - @n's string into *@out ("" for null); NUL bytes and non-scalars fail. */
int yaml_reader_get_scalar(struct yaml_reader *r, const yaml_node_t *n, const char *key,
			   const char **out);

/* yaml_reader_dup_string() - a copy of @n's string into *@out (freed first; NULL for null or ""). */
int yaml_reader_dup_string(struct yaml_reader *r, const yaml_node_t *n, const char *key, char **out);

/* yaml_reader_get_bool() - @n as a YAML 1.1 boolean into *@out, left alone for null. */
int yaml_reader_get_bool(struct yaml_reader *r, const yaml_node_t *n, const char *key, bool *out);

/* yaml_reader_resolve_path() - yaml_reader_dup_string(), a relative path joined to @r's base_dir. */
int yaml_reader_resolve_path(struct yaml_reader *r, const yaml_node_t *n, const char *key,
			     char **out);

typedef int (*yaml_reader_pair_fn)(struct yaml_reader *r, const char *key, const yaml_node_t *value);

/* yaml_reader_scalar() - the text of the scalar node @n. */
const char *yaml_reader_scalar(const yaml_node_t *n);

/*
 * yaml_reader_each_pair() - call @fn for each key of the mapping @n (null counts as empty), refusing
 * keys that are not strings and keys given twice, as Go's strict decoding does, and taking
 * in the keys of merge keys ("<<: *defaults"), which the mapping's own keys override
 * (config/yaml_pairs.c). @where names the mapping in errors. Stops at the first error.
 */
int yaml_reader_each_pair(struct yaml_reader *r, const yaml_node_t *n, const char *where,
			  yaml_reader_pair_fn fn);

/*
 * yaml_reader_name_list() - the list @n of names from a table whose entry i is @name_of(i) (NULL
 * past its end), as indices into @out (room for @max) and their number in *@count.
 */
int yaml_reader_name_list(struct yaml_reader *r, const yaml_node_t *n, const char *key,
			  const char *(*name_of)(size_t), unsigned char *out, size_t max,
			  size_t *count);

/*
 * yaml_reader_read_document() - parse @yaml (@len bytes) and call @use with its root node (NULL for
 * an empty file), then refuse a second document (Go would ignore it: refuse rather than
 * guess). Returns 0, what @use returned, -EINVAL with @r's err set, or -ENOMEM.
 */
int yaml_reader_read_document(struct yaml_reader *r, const char *yaml, size_t len,
			      int (*use)(struct yaml_reader *r, const yaml_node_t *root));

#endif
