#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/tls_names.h"
#include "config/webconfig.h"
#include "config/yaml_reader.h"
#include "read/file.h"
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

/* The web config's schema on the generic reader: r comes first, so a reader is a parser. */
struct parser {
	struct yaml_reader r;
	struct webconfig *cfg;
	bool tls_keys_seen; /* any key that turns TLS on, as the toolkit decides it */
};

static struct parser *parser_of(struct yaml_reader *r)
{
	return (struct parser *)r;
}

static int parse_version(struct parser *p, const yaml_node_t *n, const char *key,
			 enum webconfig_tls_version *out)
{
	const char *s = NULL;
	int ret = yaml_reader_get_scalar(&p->r, n, key, &s);
	if (ret < 0 || yaml_reader_is_null(n))
		return ret;
	if (tls_names_version_parse(s, out) == 0)
		return 0;
	return yaml_reader_fail(&p->r, n, key,
				"unknown TLS version \"%s\" (TLS10, TLS11, TLS12 or TLS13)", s);
}

static int parse_client_auth(struct parser *p, const yaml_node_t *n)
{
	const char *key = "tls_server_config.client_auth_type";
	const char *s = NULL;
	int ret = yaml_reader_get_scalar(&p->r, n, key, &s);
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
	return yaml_reader_fail(
		&p->r, n, key,
		"unknown client auth type \"%s\" (NoClientCert, RequestClientCert, "
		"RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert)",
		s);
}

static int tls_pair(struct yaml_reader *r, const char *key, const yaml_node_t *v)
{
	struct parser *p = parser_of(r);
	struct webconfig *c = p->cfg;
	char where[96];
	snprintf(where, sizeof(where), "tls_server_config.%s", key);
	int ret;

	if (strcmp(key, "cert_file") == 0 || strcmp(key, "key_file") == 0 ||
	    strcmp(key, "client_ca_file") == 0) {
		char **dst = key[0] == 'c' ? (key[1] == 'e' ? &c->cert_file : &c->client_ca_file) :
					     &c->key_file;
		ret = yaml_reader_resolve_path(&p->r, v, where, dst);
		if (*dst)
			p->tls_keys_seen = true;
		return ret;
	}
	if (strcmp(key, "cert") == 0 || strcmp(key, "key") == 0) {
		char **dst = key[0] == 'c' ? &c->cert_pem : &c->key_pem;
		ret = yaml_reader_dup_string(&p->r, v, where, dst);
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
		return yaml_reader_name_list(&p->r, v, where, tls_names_cipher_name, c->ciphers,
					     WEBCONFIG_MAX_CIPHERS, &c->cipher_count);
	if (strcmp(key, "curve_preferences") == 0)
		return yaml_reader_name_list(&p->r, v, where, tls_names_curve_name, c->curves,
					     WEBCONFIG_MAX_CURVES, &c->curve_count);
	if (strcmp(key, "prefer_server_cipher_suites") == 0)
		return yaml_reader_get_bool(&p->r, v, where, &c->prefer_server_cipher_suites);
	return yaml_reader_fail(
		&p->r, v, where,
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

static int header_pair(struct yaml_reader *r, const char *name, const yaml_node_t *v)
{
	struct parser *p = parser_of(r);
	const char *key = "http_server_config.headers";
	size_t h = 0;
	while (h < ARRAY_SIZE(headers) && strcmp(headers[h].name, name) != 0)
		h++;
	if (h == ARRAY_SIZE(headers))
		return yaml_reader_fail(
			&p->r, v, key,
			"header \"%s\" can not be configured (allowed: Strict-Transport-Security, "
			"X-Content-Type-Options, X-Frame-Options, X-XSS-Protection, "
			"Content-Security-Policy)",
			name);
	const char *value = NULL;
	int ret = yaml_reader_get_scalar(&p->r, v, key, &value);
	if (ret < 0)
		return ret;
	for (const char *s = value; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return yaml_reader_fail(&p->r, v, key,
						"value of %s holds a control character", name);
	}
	if (!header_value_allowed(h, value))
		return yaml_reader_fail(&p->r, v, key,
					"invalid value \"%s\" for %s (allowed: %s%s%s)", value,
					name, headers[h].allowed[0],
					headers[h].allowed[1] ? ", " : "",
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

static int http_pair(struct yaml_reader *r, const char *key, const yaml_node_t *v)
{
	struct parser *p = parser_of(r);
	if (strcmp(key, "http2") == 0)
		return yaml_reader_get_bool(&p->r, v, "http_server_config.http2", &p->cfg->http2);
	if (strcmp(key, "headers") == 0)
		return yaml_reader_each_pair(&p->r, v, "http_server_config.headers", header_pair);
	return yaml_reader_fail(&p->r, v, "http_server_config",
				"unknown key \"%s\" (known: http2, headers)", key);
}

static bool bcrypt_char(char ch)
{
	return ch == '.' || ch == '/' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9');
}

/* NULL when @h is a bcrypt hash crypt_r() can check, or what is wrong with it. */
static const char *hash_problem(const char *h)
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

static int user_pair(struct yaml_reader *r, const char *name, const yaml_node_t *v)
{
	struct parser *p = parser_of(r);
	const char *hash = NULL;
	char where[320];
	snprintf(where, sizeof(where), "basic_auth_users.%s", name);
	int ret = yaml_reader_get_scalar(&p->r, v, where, &hash);
	if (ret < 0)
		return ret;
	const char *problem = hash_problem(hash);
	if (problem)
		return yaml_reader_fail(&p->r, v, where, "%s", problem);

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

static int top_pair(struct yaml_reader *r, const char *key, const yaml_node_t *v)
{
	struct parser *p = parser_of(r);
	if (strcmp(key, "tls_server_config") == 0)
		return yaml_reader_each_pair(&p->r, v, key, tls_pair);
	if (strcmp(key, "http_server_config") == 0)
		return yaml_reader_each_pair(&p->r, v, key, http_pair);
	if (strcmp(key, "basic_auth_users") == 0)
		return yaml_reader_each_pair(&p->r, v, key, user_pair);
	return yaml_reader_fail(
		&p->r, v, key,
		"unknown key (known: tls_server_config, http_server_config, basic_auth_users)");
}

/* What the toolkit checks once the whole file is read. */
static int check_whole(struct parser *p)
{
	struct webconfig *c = p->cfg;
	const char *t = "tls_server_config";
	c->tls = p->tls_keys_seen;
	if (c->cert_file && c->cert_pem)
		return yaml_reader_fail(&p->r, NULL, t, "cert and cert_file are mutually exclusive");
	if (c->key_file && c->key_pem)
		return yaml_reader_fail(&p->r, NULL, t, "key and key_file are mutually exclusive");
	if (c->min_version > c->max_version)
		return yaml_reader_fail(&p->r, NULL, t,
					"min_version is above max_version: no TLS version is left");
	if (!c->tls)
		return 0;
	if (!c->cert_file && !c->cert_pem)
		return yaml_reader_fail(&p->r, NULL, t,
					"missing cert_file (TLS is on because of a TLS key)");
	if (!c->key_file && !c->key_pem)
		return yaml_reader_fail(&p->r, NULL, t,
					"missing key_file (TLS is on because of a TLS key)");
	if (c->client_ca_file && c->client_auth == WEBCONFIG_NO_CLIENT_CERT)
		return yaml_reader_fail(
			&p->r, NULL, "tls_server_config.client_ca_file",
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

/* The whole file: its keys, then what the toolkit checks once all are read. */
static int read_root(struct yaml_reader *r, const yaml_node_t *root)
{
	int ret = root ? yaml_reader_each_pair(r, root, "web config", top_pair) : 0;
	return ret < 0 ? ret : check_whole(parser_of(r));
}

int webconfig_parse(const char *yaml, size_t len, const char *base_dir, struct webconfig **out,
		    char *err, size_t errlen)
{
	struct parser p = {
		.r = { .name = "web config", .base_dir = base_dir, .err = err, .errlen = errlen },
		.cfg = with_defaults(),
	};
	if (!p.cfg)
		return -ENOMEM;
	int ret = yaml_reader_read_document(&p.r, yaml, len, read_root);
	if (ret < 0) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		webconfig_free(p.cfg);
		return ret;
	}
	*out = p.cfg;
	return 0;
}

int webconfig_load(const char *path, struct webconfig **out, char *err, size_t errlen)
{
	char *text;
	size_t len;
	int ret = file_read_alloc_at(AT_FDCWD, path, MAX_CONFIG_FILE, &text, &len);
	if (ret < 0) {
		snprintf(err, errlen, "cannot read \"%s\": %s", path, file_error_text(ret));
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
