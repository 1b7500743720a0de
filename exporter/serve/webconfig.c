#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "read/file.h"
#include "serve/tls.h"
#include "serve/webconfig.h"
#include "util.h"

#define MAX_CONFIG_FILE ((size_t)1024 * 1024)

static const char *const client_auth_names[] = {
	[WEBCONFIG_NO_CLIENT_CERT] = "NoClientCert",
	[WEBCONFIG_REQUEST_CLIENT_CERT] = "RequestClientCert",
	[WEBCONFIG_REQUIRE_ANY_CLIENT_CERT] = "RequireAnyClientCert",
	[WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN] = "VerifyClientCertIfGiven",
	[WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT] = "RequireAndVerifyClientCert",
};

const char *webconfig_client_auth_name(enum webconfig_client_auth a)
{
	return (size_t)a < ARRAY_SIZE(client_auth_names) ? client_auth_names[a] : "?";
}

/* The headers the toolkit lets a web config set, and the values it allows (NULL: any). */
static const struct {
	const char *name;
	const char *allowed[3];
} headers[] = {
	{ "Strict-Transport-Security", { NULL } },
	{ "X-Content-Type-Options", { "nosniff", NULL } },
	{ "X-Frame-Options", { "deny", "sameorigin", NULL } },
	{ "X-XSS-Protection", { NULL } },
	{ "Content-Security-Policy", { NULL } },
};

struct parser {
	yaml_document_t doc;
	const char *base_dir;
	struct webconfig *cfg;
	char *err;
	size_t errlen;
	bool tls_keys_seen; /* any key that turns TLS on, as the toolkit decides it */
};

__attribute__((format(printf, 4, 5))) static int fail(struct parser *p, const yaml_node_t *node,
						      const char *key, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (node)
		snprintf(p->err, p->errlen, "line %lu: %s: %s",
			 (unsigned long)node->start_mark.line + 1, key, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s", key, msg);
	return -EINVAL;
}

static bool is_null(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *v = (const char *)n->data.scalar.value;
	return n->data.scalar.length == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	       strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar's value, refused when it holds a NUL (libyaml allows "\0" in quoted strings). */
static int get_scalar(struct parser *p, const yaml_node_t *n, const char *key, const char **out)
{
	if (is_null(n)) {
		*out = "";
		return 0;
	}
	if (n->type != YAML_SCALAR_NODE)
		return fail(p, n, key, "must be a string, not a %s",
			    n->type == YAML_MAPPING_NODE ? "mapping" : "list");
	if (strlen(scalar(n)) != n->data.scalar.length)
		return fail(p, n, key, "holds a NUL character");
	*out = scalar(n);
	return 0;
}

static int dup_string(struct parser *p, const yaml_node_t *n, const char *key, char **out)
{
	const char *s = NULL;
	int ret = get_scalar(p, n, key, &s);
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
static int get_bool(struct parser *p, const yaml_node_t *n, const char *key, bool *out)
{
	static const char *const yes[] = { "y",	   "Y",	   "yes", "Yes", "YES", "true",
					   "True", "TRUE", "on",  "On",	 "ON" };
	static const char *const no[] = { "n",	   "N",	    "no",  "No",  "NO", "false",
					  "False", "FALSE", "off", "Off", "OFF" };
	if (is_null(n))
		return 0;
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
			if (strcmp(scalar(n), yes[i]) == 0) {
				*out = true;
				return 0;
			}
			if (strcmp(scalar(n), no[i]) == 0) {
				*out = false;
				return 0;
			}
		}
	}
	return fail(p, n, key, "must be true or false");
}

/* A path as the toolkit resolves it: relative to the config file's directory. */
static int resolve_path(struct parser *p, const yaml_node_t *n, const char *key, char **out)
{
	int ret = dup_string(p, n, key, out);
	if (ret < 0 || !*out || !p->base_dir || (*out)[0] == '/')
		return ret;
	char *joined;
	if (asprintf(&joined, "%s/%s", p->base_dir, *out) < 0)
		return -ENOMEM;
	free(*out);
	*out = joined;
	return 0;
}

typedef int (*pair_fn)(struct parser *p, const char *key, const yaml_node_t *value);

/*
 * Calls @fn for each key of the mapping @n (null counts as empty), refusing keys that are not
 * strings and keys given twice (Go's strict decoding refuses both).
 */
static int each_pair(struct parser *p, const yaml_node_t *n, const char *where, pair_fn fn)
{
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return fail(p, n, where, "must be a mapping");
	for (yaml_node_pair_t *pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
	     pair++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(&p->doc, pair->value);
		if (!k || !v || k->type != YAML_SCALAR_NODE ||
		    strlen(scalar(k)) != k->data.scalar.length)
			return fail(p, k, where, "every key must be a string");
		for (yaml_node_pair_t *prev = n->data.mapping.pairs.start; prev < pair; prev++) {
			yaml_node_t *pk = yaml_document_get_node(&p->doc, prev->key);
			if (pk && pk->type == YAML_SCALAR_NODE && strcmp(scalar(pk), scalar(k)) == 0)
				return fail(p, k, where, "key \"%s\" is given twice", scalar(k));
		}
		int ret = fn(p, scalar(k), v);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int parse_version(struct parser *p, const yaml_node_t *n, const char *key,
			 enum webconfig_tls_version *out)
{
	const char *s = NULL;
	int ret = get_scalar(p, n, key, &s);
	if (ret < 0 || is_null(n))
		return ret;
	if (tls_version_parse(s, out) == 0)
		return 0;
	return fail(p, n, key, "unknown TLS version \"%s\" (TLS10, TLS11, TLS12 or TLS13)", s);
}

static int parse_client_auth(struct parser *p, const yaml_node_t *n)
{
	const char *key = "tls_server_config.client_auth_type";
	const char *s = NULL;
	int ret = get_scalar(p, n, key, &s);
	if (ret < 0)
		return ret;
	if (*s == '\0')
		return 0;
	p->tls_keys_seen = true;
	for (size_t i = 0; i < ARRAY_SIZE(client_auth_names); i++) {
		if (strcmp(s, client_auth_names[i]) == 0) {
			p->cfg->client_auth = (enum webconfig_client_auth)i;
			return 0;
		}
	}
	return fail(p, n, key,
		    "unknown client auth type \"%s\" (NoClientCert, RequestClientCert, "
		    "RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert)",
		    s);
}

/* A list of names from a table whose entry @i is called @name_of(i) (NULL past its end). */
static int parse_name_list(struct parser *p, const yaml_node_t *n, const char *key,
			   const char *(*name_of)(size_t), unsigned char *out, size_t max,
			   size_t *count)
{
	*count = 0;
	if (is_null(n))
		return 0;
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(p, n, key, "must be a list");
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = yaml_document_get_node(&p->doc, *it);
		const char *s = NULL;
		int ret = get_scalar(p, item, key, &s);
		if (ret < 0)
			return ret;
		size_t i = 0;
		while (name_of(i) && strcmp(name_of(i), s) != 0)
			i++;
		if (!name_of(i))
			return fail(p, item, key, "unknown name \"%s\"", s);
		if (*count == max)
			return fail(p, item, key, "more than %zu entries", max);
		out[(*count)++] = (unsigned char)i;
	}
	return 0;
}

static int tls_pair(struct parser *p, const char *key, const yaml_node_t *v)
{
	struct webconfig *c = p->cfg;
	char where[96];
	snprintf(where, sizeof(where), "tls_server_config.%s", key);
	int ret;

	if (strcmp(key, "cert_file") == 0 || strcmp(key, "key_file") == 0 ||
	    strcmp(key, "client_ca_file") == 0) {
		char **dst = key[0] == 'c' ? (key[1] == 'e' ? &c->cert_file : &c->client_ca_file) :
					     &c->key_file;
		ret = resolve_path(p, v, where, dst);
		if (*dst)
			p->tls_keys_seen = true;
		return ret;
	}
	if (strcmp(key, "cert") == 0 || strcmp(key, "key") == 0) {
		char **dst = key[0] == 'c' ? &c->cert_pem : &c->key_pem;
		ret = dup_string(p, v, where, dst);
		if (*dst)
			p->tls_keys_seen = true;
		return ret;
	}
	if (strcmp(key, "client_auth_type") == 0)
		return parse_client_auth(p, v);
	if (strcmp(key, "min_version") == 0)
		return parse_version(p, v, where, &c->min_version);
	if (strcmp(key, "max_version") == 0)
		return parse_version(p, v, where, &c->max_version);
	if (strcmp(key, "cipher_suites") == 0)
		return parse_name_list(p, v, where, tls_cipher_name, c->ciphers,
				       WEBCONFIG_MAX_CIPHERS, &c->cipher_count);
	if (strcmp(key, "curve_preferences") == 0)
		return parse_name_list(p, v, where, tls_curve_name, c->curves, WEBCONFIG_MAX_CURVES,
				       &c->curve_count);
	if (strcmp(key, "prefer_server_cipher_suites") == 0)
		return get_bool(p, v, where, &c->prefer_server_cipher_suites);
	return fail(p, v, where,
		    "unknown key (known: cert_file, key_file, cert, key, client_auth_type, "
		    "client_ca_file, min_version, max_version, cipher_suites, curve_preferences, "
		    "prefer_server_cipher_suites)");
}

static bool header_value_allowed(size_t h, const char *value)
{
	if (!headers[h].allowed[0])
		return true;
	for (size_t i = 0; headers[h].allowed[i]; i++) {
		if (strcmp(headers[h].allowed[i], value) == 0)
			return true;
	}
	return false;
}

static int header_pair(struct parser *p, const char *name, const yaml_node_t *v)
{
	const char *key = "http_server_config.headers";
	size_t h = 0;
	while (h < ARRAY_SIZE(headers) && strcmp(headers[h].name, name) != 0)
		h++;
	if (h == ARRAY_SIZE(headers))
		return fail(p, v, key,
			    "header \"%s\" can not be configured (allowed: Strict-Transport-Security, "
			    "X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, "
			    "Content-Security-Policy)",
			    name);
	const char *value = NULL;
	int ret = get_scalar(p, v, key, &value);
	if (ret < 0)
		return ret;
	for (const char *s = value; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return fail(p, v, key, "value of %s holds a control character", name);
	}
	if (!header_value_allowed(h, value))
		return fail(p, v, key, "invalid value \"%s\" for %s (allowed: %s%s%s)", value, name,
			    headers[h].allowed[0], headers[h].allowed[1] ? ", " : "",
			    headers[h].allowed[1] ? headers[h].allowed[1] : "");

	struct webconfig *c = p->cfg;
	struct webconfig_header *grown =
		realloc(c->headers, (c->header_count + 1) * sizeof(*c->headers));
	if (!grown)
		return -ENOMEM;
	c->headers = grown;
	struct webconfig_header *out = &c->headers[c->header_count];
	out->name = strdup(headers[h].name);
	out->value = strdup(value);
	c->header_count++;
	return out->name && out->value ? 0 : -ENOMEM;
}

static int http_pair(struct parser *p, const char *key, const yaml_node_t *v)
{
	if (strcmp(key, "http2") == 0)
		return get_bool(p, v, "http_server_config.http2", &p->cfg->http2);
	if (strcmp(key, "headers") == 0)
		return each_pair(p, v, "http_server_config.headers", header_pair);
	return fail(p, v, "http_server_config", "unknown key \"%s\" (known: http2, headers)", key);
}

static bool bcrypt_char(char ch)
{
	return ch == '.' || ch == '/' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9');
}

/* Returns NULL when @h is a hash crypt_r() can check, or what is wrong with it. */
static const char *bcrypt_problem(const char *h)
{
	size_t n = strlen(h);
	if (n < 60)
		return "too short to be a bcrypt hash (60 characters)";
	if (h[0] != '$' || h[1] != '2' || !strchr("abxy", h[2]) || h[3] != '$')
		return "not a bcrypt hash: must start with $2a$, $2b$, $2x$ or $2y$";
	if (h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9' || h[6] != '$')
		return "not a bcrypt hash: no two-digit cost after the prefix";
	int cost = (h[4] - '0') * 10 + (h[5] - '0');
	if (cost < 4 || cost > 31)
		return "bcrypt cost is outside 4-31";
	if (n > 60)
		return "longer than a bcrypt hash (60 characters)";
	for (size_t i = 7; i < n; i++) {
		if (!bcrypt_char(h[i]))
			return "holds a character outside bcrypt's alphabet";
	}
	return NULL;
}

static int user_pair(struct parser *p, const char *name, const yaml_node_t *v)
{
	const char *hash = NULL;
	char where[320];
	snprintf(where, sizeof(where), "basic_auth_users.%s", name);
	int ret = get_scalar(p, v, where, &hash);
	if (ret < 0)
		return ret;
	const char *problem = bcrypt_problem(hash);
	if (problem)
		return fail(p, v, where, "%s", problem);

	struct webconfig *c = p->cfg;
	struct webconfig_user *grown = realloc(c->users, (c->user_count + 1) * sizeof(*c->users));
	if (!grown)
		return -ENOMEM;
	c->users = grown;
	struct webconfig_user *out = &c->users[c->user_count];
	out->name = strdup(name);
	out->hash = strdup(hash);
	c->user_count++;
	return out->name && out->hash ? 0 : -ENOMEM;
}

static int top_pair(struct parser *p, const char *key, const yaml_node_t *v)
{
	if (strcmp(key, "tls_server_config") == 0)
		return each_pair(p, v, key, tls_pair);
	if (strcmp(key, "http_server_config") == 0)
		return each_pair(p, v, key, http_pair);
	if (strcmp(key, "basic_auth_users") == 0)
		return each_pair(p, v, key, user_pair);
	return fail(p, v, key,
		    "unknown key (known: tls_server_config, http_server_config, basic_auth_users)");
}

/* What the toolkit checks once the whole file is read. */
static int check_whole(struct parser *p)
{
	struct webconfig *c = p->cfg;
	const char *t = "tls_server_config";
	c->tls = p->tls_keys_seen;
	if (c->cert_file && c->cert_pem)
		return fail(p, NULL, t, "cert and cert_file are mutually exclusive");
	if (c->key_file && c->key_pem)
		return fail(p, NULL, t, "key and key_file are mutually exclusive");
	if (c->min_version > c->max_version)
		return fail(p, NULL, t, "min_version is above max_version: no TLS version is left");
	if (!c->tls)
		return 0;
	if (!c->cert_file && !c->cert_pem)
		return fail(p, NULL, t, "missing cert_file (TLS is on because of a TLS key)");
	if (!c->key_file && !c->key_pem)
		return fail(p, NULL, t, "missing key_file (TLS is on because of a TLS key)");
	if (c->client_ca_file && c->client_auth == WEBCONFIG_NO_CLIENT_CERT)
		return fail(p, NULL, "tls_server_config.client_ca_file",
			    "set without a client_auth_type that asks for client certificates");
	return 0;
}

/* A config holding the toolkit's defaults, or NULL when out of memory. */
static struct webconfig *with_defaults(void)
{
	struct webconfig *cfg = calloc(1, sizeof(*cfg));
	if (cfg)
		*cfg = (struct webconfig){
			.min_version = WEBCONFIG_TLS12,
			.max_version = WEBCONFIG_TLS13,
			.prefer_server_cipher_suites = true,
			.http2 = true,
		};
	return cfg;
}

int webconfig_parse(const char *yaml, size_t len, const char *base_dir, struct webconfig **out,
		    char *err, size_t errlen)
{
	struct webconfig *cfg = with_defaults();
	struct parser p = { .base_dir = base_dir, .cfg = cfg, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	if (!cfg || !yaml_parser_initialize(&parser)) {
		free(cfg);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	int ret = 0;
	if (!yaml_parser_load(&parser, &p.doc)) {
		snprintf(err, errlen, "line %lu: not valid YAML: %s",
			 (unsigned long)parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "parse error");
		yaml_parser_delete(&parser);
		free(cfg);
		return -EINVAL;
	}
	yaml_node_t *root = yaml_document_get_root_node(&p.doc);
	if (root)
		ret = each_pair(&p, root, "web config", top_pair);
	if (ret == 0)
		ret = check_whole(&p);
	yaml_document_delete(&p.doc);
	/* A second document would be ignored by Go; refuse it rather than guess. */
	if (ret == 0 && root) {
		yaml_document_t next;
		if (!yaml_parser_load(&parser, &next)) {
			ret = fail(&p, NULL, "web config",
				   "not valid YAML after the first document");
		} else {
			if (yaml_document_get_root_node(&next))
				ret = fail(&p, NULL, "web config",
					   "holds more than one YAML document");
			yaml_document_delete(&next);
		}
	}
	yaml_parser_delete(&parser);
	if (ret < 0) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		webconfig_free(cfg);
		return ret;
	}
	*out = cfg;
	return 0;
}

int webconfig_load(const char *path, struct webconfig **out, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int ret = file_read_alloc_at(AT_FDCWD, path, MAX_CONFIG_FILE, &text, &len);
	if (ret < 0) {
		snprintf(err, errlen, "cannot read \"%s\": %s", path, strerror(-ret));
		return ret;
	}
	char *dir = strdup(path);
	if (!dir) {
		free(text);
		return -ENOMEM;
	}
	char *slash = strrchr(dir, '/');
	const char *base = ".";
	if (slash == dir)
		base = "/";
	else if (slash) {
		*slash = '\0';
		base = dir;
	}
	struct webconfig *cfg;
	ret = webconfig_parse(text, len, base, &cfg, err, errlen);
	free(text);
	free(dir);
	if (ret < 0)
		return ret;
	ret = tls_load(cfg, err, errlen);
	if (ret < 0) {
		webconfig_free(cfg);
		return ret;
	}
	*out = cfg;
	return 0;
}

void webconfig_free(struct webconfig *c)
{
	if (!c)
		return;
	free(c->cert_file);
	free(c->key_file);
	free(c->client_ca_file);
	free(c->cert_pem);
	if (c->key_pem)
		explicit_bzero(c->key_pem, strlen(c->key_pem));
	free(c->key_pem);
	free(c->client_ca_pem);
	for (size_t i = 0; i < c->header_count; i++) {
		free(c->headers[i].name);
		free(c->headers[i].value);
	}
	free(c->headers);
	for (size_t i = 0; i < c->user_count; i++) {
		free(c->users[i].name);
		/* The hash is not a secret, but there is no reason to leave it in freed memory. */
		if (c->users[i].hash)
			explicit_bzero(c->users[i].hash, strlen(c->users[i].hash));
		free(c->users[i].hash);
	}
	free(c->users);
	free(c);
}
