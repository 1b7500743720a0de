#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_reader.h"
#include "util.h"

int yaml_reader_fail(struct yaml_reader *r, const yaml_node_t *node, const char *key,
		     const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (node)
		snprintf(r->err, r->errlen, "line %lu: %s: %s",
			 (unsigned long)node->start_mark.line + 1, key, msg);
	else
		snprintf(r->err, r->errlen, "%s: %s", key, msg);
	return -EINVAL;
}

bool yaml_reader_is_null(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)n->data.scalar.value;
	return n->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	       strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

const char *yaml_reader_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* libyaml allows "\0" in quoted strings: such a value is refused, not cut at the NUL. */
int yaml_reader_get_scalar(struct yaml_reader *r, const yaml_node_t *n, const char *key,
			   const char **out)
{
	if (yaml_reader_is_null(n)) {
		*out = "";
		return 0;
	}
	if (n->type != YAML_SCALAR_NODE)
		return yaml_reader_fail(r, n, key, "must be a string, not a %s",
					n->type == YAML_MAPPING_NODE ? "mapping" : "list");
	if (strlen(yaml_reader_scalar(n)) != n->data.scalar.length)
		return yaml_reader_fail(r, n, key, "holds a NUL character");
	*out = yaml_reader_scalar(n);
	return 0;
}

int yaml_reader_dup_string(struct yaml_reader *r, const yaml_node_t *n, const char *key, char **out)
{
	const char *s = NULL;
	int ret = yaml_reader_get_scalar(r, n, key, &s);
	if (ret < 0)
		return ret;
	free(*out);
	*out = NULL;
	if (*s == '\0')
		return 0;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

/* YAML 1.1 booleans, the ones Go's yaml.v2 accepts. */
int yaml_reader_get_bool(struct yaml_reader *r, const yaml_node_t *n, const char *key, bool *out)
{
	static const char *const yes[] = { "y",	   "Y",	   "yes", "Yes", "YES", "true",
					   "True", "TRUE", "on",  "On",	 "ON" };
	static const char *const no[] = { "n",	   "N",	    "no",  "No",  "NO", "false",
					  "False", "FALSE", "off", "Off", "OFF" };
	if (yaml_reader_is_null(n))
		return 0;
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
			if (strcmp(yaml_reader_scalar(n), yes[i]) == 0) {
				*out = true;
				return 0;
			}
			if (strcmp(yaml_reader_scalar(n), no[i]) == 0) {
				*out = false;
				return 0;
			}
		}
	}
	return yaml_reader_fail(r, n, key, "must be true or false");
}

/* As the exporter-toolkit resolves paths: relative to the config file's directory. */
int yaml_reader_resolve_path(struct yaml_reader *r, const yaml_node_t *n, const char *key,
			     char **out)
{
	int ret = yaml_reader_dup_string(r, n, key, out);
	if (ret < 0 || !*out || !r->base_dir || (*out)[0] == '/')
		return ret;
	char *joined;
	if (asprintf(&joined, "%s/%s", r->base_dir, *out) < 0)
		return -ENOMEM;
	free(*out);
	*out = joined;
	return 0;
}

int yaml_reader_name_list(struct yaml_reader *r, const yaml_node_t *n, const char *key,
			  const char *(*name_of)(size_t), unsigned char *out, size_t max,
			  size_t *count)
{
	*count = 0;
	if (yaml_reader_is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return yaml_reader_fail(r, n, key, "must be a list");
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = yaml_document_get_node(&r->doc, *it);
		const char *s = NULL;
		int ret = yaml_reader_get_scalar(r, item, key, &s);
		if (ret < 0)
			return ret;
		size_t i = 0;
		while (name_of(i) && strcmp(name_of(i), s) != 0)
			i++;
		if (!name_of(i))
			return yaml_reader_fail(r, item, key, "unknown name \"%s\"", s);
		if (*count == max)
			return yaml_reader_fail(r, item, key, "more than %zu entries", max);
		out[(*count)++] = (unsigned char)i;
	}
	return 0;
}

/* After the first document: an error when anything but the end of the stream follows. */
static int refuse_second_document(struct yaml_reader *r, yaml_parser_t *parser)
{
	yaml_document_t next;
	if (!yaml_parser_load(parser, &next))
		return yaml_reader_fail(r, NULL, r->name, "not valid YAML after the first document");
	int ret = 0;
	if (yaml_document_get_root_node(&next))
		ret = yaml_reader_fail(r, NULL, r->name, "holds more than one YAML document");
	yaml_document_delete(&next);
	return ret;
}

/*
 * Bounds on a web config's shape, checked on the parser's events before the document is
 * built, so that a hostile file costs a bounded time: libyaml's scanner keeps a stack of
 * possible keys it walks for every token, quadratic in the flow depth ("[[[...", 64k levels,
 * took 29 s), and every alias is a node more to walk. A web config is 3 levels deep; its
 * largest part, basic_auth_users, two events a user.
 */
#define YAML_DEPTH_MAX 32
#define YAML_EVENTS_MAX 200000
#define YAML_ALIASES_MAX 1024

/* The events of @len bytes of @yaml, stopped at the first bound crossed. 0 or -EINVAL. */
static int check_shape(struct yaml_reader *r, const char *yaml, size_t len)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	unsigned long depth = 0, events = 0, aliases = 0;
	const char *problem = NULL;
	for (bool done = false; !done && !problem;) {
		yaml_event_t event;
		if (!yaml_parser_parse(&parser, &event))
			break; /* the load says what is wrong, with its line */
		done = event.type == YAML_STREAM_END_EVENT;
		if (event.type == YAML_SEQUENCE_START_EVENT ||
		    event.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (event.type == YAML_SEQUENCE_END_EVENT ||
			 event.type == YAML_MAPPING_END_EVENT)
			depth--;
		aliases += event.type == YAML_ALIAS_EVENT;
		problem = depth > YAML_DEPTH_MAX     ? "nested more than 32 levels deep" :
			  ++events > YAML_EVENTS_MAX ? "more than 200,000 YAML nodes" :
			  aliases > YAML_ALIASES_MAX ? "more than 1,024 aliases" :
						       NULL;
		yaml_event_delete(&event);
	}
	unsigned long line = (unsigned long)parser.mark.line + 1;
	yaml_parser_delete(&parser);
	if (problem) {
		snprintf(r->err, r->errlen, "line %lu: %s", line, problem);
		return -EINVAL;
	}
	return 0;
}

int yaml_reader_read_document(struct yaml_reader *r, const char *yaml, size_t len,
			      int (*use)(struct yaml_reader *r, const yaml_node_t *root))
{
	int shape = check_shape(r, yaml, len);
	if (shape < 0)
		return shape;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &r->doc)) {
		snprintf(r->err, r->errlen, "line %lu: not valid YAML: %s",
			 (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	yaml_node_t *root = yaml_document_get_root_node(&r->doc);
	int ret = use(r, root);
	yaml_document_delete(&r->doc);
	if (ret == 0 && root)
		ret = refuse_second_document(r, &parser);
	yaml_parser_delete(&parser);
	return ret;
}
