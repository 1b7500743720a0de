#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/yaml_reader.h"

/*
 * The pairs of a mapping as yaml.v2 (under exporter-toolkit) sees them: its own keys, given
 * once each, and those of the mappings that merge keys ("<<: *defaults", "<<: [*a, *b]")
 * bring in, where the mapping's own keys win and an earlier merged mapping wins over a later
 * one (yaml.org/type/merge.html). promtool accepts merge keys, so the exporter does too.
 */

/* Effective pairs a merge chain may bring in, at most: merged aliases of merged aliases double. */
#define MAX_PAIRS 100000
/*
 * Mappings merged into one another, at most, in all and in depth: aliases of lists of aliases
 * multiply the work by each list's length at each level (20 levels of 4 were hours), and a
 * merge key may name the mapping it is in (libyaml accepts "&a {<<: *a}").
 */
#define MAX_MERGES 4096
#define MAX_MERGE_DEPTH 32

struct pair {
	const char *key;
	const yaml_node_t *k, *v;
	size_t rank; /* the order of precedence: the mapping's own keys, then merged, in order */
};

struct pairs {
	struct pair *at;
	size_t count, cap;
	size_t next_rank; /* ranks only grow: pairs dropped do not give theirs back */
	const yaml_node_t
		*expanding[MAX_MERGE_DEPTH]; /* the mappings being expanded, outermost first */
	size_t depth;
	size_t merges; /* mappings expanded so far */
};

static bool is_merge_key(const yaml_node_t *k)
{
	return k->type == YAML_SCALAR_NODE && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       strcmp(yaml_reader_scalar(k), "<<") == 0;
}

static int push(struct yaml_reader *r, struct pairs *ps, const yaml_node_t *k, const yaml_node_t *v,
		const char *where)
{
	if (ps->count == MAX_PAIRS)
		return yaml_reader_fail(r, k, where, "more than %d keys through merge keys",
					MAX_PAIRS);
	if (ps->count == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 16;
		struct pair *at = realloc(ps->at, cap * sizeof(*at));
		if (!at)
			return -ENOMEM;
		ps->at = at;
		ps->cap = cap;
	}
	ps->at[ps->count] = (struct pair){ yaml_reader_scalar(k), k, v, ps->next_rank++ };
	ps->count++;
	return 0;
}

static int by_key_then_rank(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->rank > y->rank) - (x->rank < y->rank);
}

static int by_rank(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/*
 * Keeps, of the pairs from @first on, the first of each key in rank order; a key the mapping
 * gives twice itself (ranks below @own_end) is an error, named at its first repetition.
 * Sorting makes this n log n: a file of 15,000 users took 0.4 s to check pair by pair.
 */
static int keep_first_of_each_key(struct yaml_reader *r, struct pairs *ps, size_t first,
				  size_t own_end, const char *where)
{
	size_t n = ps->count - first;
	if (n < 2)
		return 0;
	struct pair *p = ps->at + first;
	qsort(p, n, sizeof(*p), by_key_then_rank);
	const struct pair *twice = NULL;
	const char *kept = p[0].key;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(p[i].key, kept) != 0) {
			kept = p[i].key;
			continue;
		}
		if (p[i].rank < own_end && (!twice || p[i].rank < twice->rank))
			twice = &p[i];
		p[i].key = NULL; /* overridden */
		p[i].rank = SIZE_MAX;
	}
	if (twice)
		return yaml_reader_fail(r, twice->k, where, "key \"%s\" is given twice",
					yaml_reader_scalar(twice->k));
	qsort(p, n, sizeof(*p), by_rank);
	while (ps->count > first && !ps->at[ps->count - 1].key)
		ps->count--;
	return 0;
}

static int effective_pairs(struct yaml_reader *r, const yaml_node_t *n, const char *where,
			   struct pairs *out);

/* The mappings a merge key's value @v brings in: one, or a list of them. */
static int merge(struct yaml_reader *r, const yaml_node_t *v, const char *where, struct pairs *out)
{
	if (v->type == YAML_MAPPING_NODE)
		return effective_pairs(r, v, where, out);
	if (v->type != YAML_SEQUENCE_NODE)
		return yaml_reader_fail(r, v, where, "<< must be a mapping or a list of mappings");
	for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top;
	     i++) {
		const yaml_node_t *m = yaml_document_get_node(&r->doc, *i);
		if (!m || m->type != YAML_MAPPING_NODE)
			return yaml_reader_fail(r, m ? m : v, where,
						"<< must be a mapping or a list of mappings");
		int ret = effective_pairs(r, m, where, out);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int expand(struct yaml_reader *r, const yaml_node_t *n, const char *where, struct pairs *out);

/* Appends to @out the pairs the mapping @n holds in effect, its own first. */
static int effective_pairs(struct yaml_reader *r, const yaml_node_t *n, const char *where,
			   struct pairs *out)
{
	for (size_t i = 0; i < out->depth; i++) {
		if (out->expanding[i] == n)
			return yaml_reader_fail(r, n, where,
						"a merge key brings in its own mapping");
	}
	if (++out->merges > MAX_MERGES || out->depth == MAX_MERGE_DEPTH)
		return yaml_reader_fail(r, n, where, "more than %d mappings merged, or %d deep",
					MAX_MERGES, MAX_MERGE_DEPTH);
	out->expanding[out->depth++] = n;
	int ret = expand(r, n, where, out);
	out->depth--;
	return ret;
}

static int expand(struct yaml_reader *r, const yaml_node_t *n, const char *where, struct pairs *out)
{
	size_t first = out->count;
	const yaml_node_pair_t *start = n->data.mapping.pairs.start,
			       *top = n->data.mapping.pairs.top;
	bool merges = false;
	for (const yaml_node_pair_t *pair = start; pair < top; pair++) {
		const yaml_node_t *k = yaml_document_get_node(&r->doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(&r->doc, pair->value);
		if (!k || !v || k->type != YAML_SCALAR_NODE ||
		    strlen(yaml_reader_scalar(k)) != k->data.scalar.length)
			return yaml_reader_fail(r, k, where, "every key must be a string");
		merges |= is_merge_key(k);
		int ret = is_merge_key(k) ? 0 : push(r, out, k, v, where);
		if (ret < 0)
			return ret;
	}
	size_t own_end = out->next_rank;
	for (const yaml_node_pair_t *pair = start; merges && pair < top; pair++) {
		const yaml_node_t *k = yaml_document_get_node(&r->doc, pair->key);
		int ret = is_merge_key(k) ? merge(r, yaml_document_get_node(&r->doc, pair->value),
						  where, out) :
					    0;
		if (ret < 0)
			return ret;
	}
	return keep_first_of_each_key(r, out, first, own_end, where);
}

int yaml_reader_each_pair(struct yaml_reader *r, const yaml_node_t *n, const char *where,
			  yaml_reader_pair_fn fn)
{
	if (yaml_reader_is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return yaml_reader_fail(r, n, where, "must be a mapping");
	struct pairs ps = { 0 };
	int ret = effective_pairs(r, n, where, &ps);
	for (size_t i = 0; ret == 0 && i < ps.count; i++)
		ret = fn(r, ps.at[i].key, ps.at[i].v);
	free(ps.at);
	return ret;
}
