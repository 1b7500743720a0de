/*
 * Specification of the web config parser: what the exporter-toolkit accepts is accepted, and
 * each bad file is refused with a message naming the key and the problem. Files that need
 * certificates on disk are tested by tests/integration/security.sh.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buffer.h"
#include "config/tls_names.h"
#include "config/webconfig.h"
#include "serve/tls.h"

#define HASH "$2y$10$abcdefghijklmnopqrstuu5Ttu8/2IaN1oqvhCq81hBKFKxDmUj1W"

static int parse(const char *yaml, struct webconfig **cfg, char *err, size_t errlen)
{
	return webconfig_parse(yaml, strlen(yaml), "/etc/taint", cfg, err, errlen);
}

static void an_empty_file_is_plain_http_without_auth(void **state)
{
	static const char *const empty[] = { "", "---\n", "# nothing\n", "{}\n",
					     "tls_server_config:\nbasic_auth_users:\n" };
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		struct webconfig *cfg = NULL;
		char err[256] = "";
		assert_int_equal(parse(empty[i], &cfg, err, sizeof(err)), 0);
		assert_false(cfg->tls);
		assert_int_equal(cfg->user_count, 0);
		assert_int_equal(cfg->min_version, WEBCONFIG_TLS12);
		assert_int_equal(cfg->max_version, WEBCONFIG_TLS13);
		webconfig_free(cfg);
	}
}

static void a_full_file_fills_every_field(void **state)
{
	const char *yaml = "tls_server_config:\n"
			   "  cert_file: server.crt\n"
			   "  key_file: /abs/server.key\n"
			   "  client_auth_type: RequireAndVerifyClientCert\n"
			   "  client_ca_file: ca.crt\n"
			   "  min_version: TLS13\n"
			   "  max_version: TLS13\n"
			   "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"
			   "  curve_preferences: [X25519, CurveP256]\n"
			   "  prefer_server_cipher_suites: false\n"
			   "http_server_config:\n"
			   "  http2: false\n"
			   "  headers:\n"
			   "    X-Frame-Options: sameorigin\n"
			   "    Strict-Transport-Security: max-age=31536000\n"
			   "basic_auth_users:\n"
			   "  alice: " HASH "\n"
			   "  bob: '" HASH "'\n";
	struct webconfig *cfg = NULL;
	char err[256] = "";
	assert_int_equal(parse(yaml, &cfg, err, sizeof(err)), 0);
	assert_true(cfg->tls);
	/* Relative paths are relative to the config file's directory, as in the toolkit. */
	assert_string_equal(cfg->cert_file, "/etc/taint/server.crt");
	assert_string_equal(cfg->key_file, "/abs/server.key");
	assert_string_equal(cfg->client_ca_file, "/etc/taint/ca.crt");
	assert_int_equal(cfg->client_auth, WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT);
	assert_int_equal(cfg->min_version, WEBCONFIG_TLS13);
	assert_int_equal(cfg->cipher_count, 1);
	assert_string_equal(tls_names_cipher_name(cfg->ciphers[0]),
			    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	assert_int_equal(cfg->curve_count, 2);
	assert_false(cfg->prefer_server_cipher_suites);
	assert_false(cfg->http2);
	assert_int_equal(cfg->header_count, 2);
	assert_string_equal(cfg->headers[0].name, "X-Frame-Options");
	assert_string_equal(cfg->headers[0].value, "sameorigin");
	assert_int_equal(cfg->user_count, 2);
	assert_string_equal(cfg->users[1].name, "bob");
	assert_string_equal(cfg->users[1].hash, HASH);
	webconfig_free(cfg);
}

static void every_client_auth_type_is_known(void **state)
{
	static const struct {
		const char *name;
		enum webconfig_client_auth value;
	} types[] = {
		{ "NoClientCert", WEBCONFIG_NO_CLIENT_CERT },
		{ "RequestClientCert", WEBCONFIG_REQUEST_CLIENT_CERT },
		{ "RequireAnyClientCert", WEBCONFIG_REQUIRE_ANY_CLIENT_CERT },
		{ "VerifyClientCertIfGiven", WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN },
		{ "RequireAndVerifyClientCert", WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char yaml[256], err[256] = "";
		snprintf(yaml, sizeof(yaml),
			 "tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: %s\n",
			 types[i].name);
		struct webconfig *cfg = NULL;
		assert_int_equal(parse(yaml, &cfg, err, sizeof(err)), 0);
		assert_int_equal(cfg->client_auth, types[i].value);
		webconfig_free(cfg);
	}
}

static void the_priority_string_follows_versions_and_ciphers(void **state)
{
	static const struct {
		const char *yaml;
		const char *priorities;
	} cases[] = {
		/* Without cipher_suites, Go's defaults, as exporter-toolkit has them: ECDHE only. */
		{ "tls_server_config: {cert_file: c, key_file: k}\n",
		  "NORMAL:%SERVER_PRECEDENCE:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3"
		  ":-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM"
		  ":+CHACHA20-POLY1305:+AES-128-CBC:+AES-256-CBC:-MAC-ALL:+AEAD:+SHA1" },
		{ "tls_server_config: {cert_file: c, key_file: k, min_version: TLS10, max_version: "
		  "TLS11, prefer_server_cipher_suites: false}\n",
		  "NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1"
		  ":-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM"
		  ":+CHACHA20-POLY1305:+AES-128-CBC:+AES-256-CBC:-MAC-ALL:+AEAD:+SHA1" },
		{ "tls_server_config: {cert_file: c, key_file: k, max_version: TLS12, cipher_suites: "
		  "[TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_RSA_WITH_AES_128_CBC_SHA]}\n",
		  "NORMAL:%SERVER_PRECEDENCE:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:-CIPHER-ALL:-MAC-ALL:"
		  "+ECDHE-ECDSA:+AES-256-GCM:+AEAD:+RSA:+AES-128-CBC:+SHA1" },
		/* TLS 1.3's suites stay on, as in Go, where cipher_suites does not touch them. */
		{ "tls_server_config: {cert_file: c, key_file: k, cipher_suites: "
		  "[TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA], curve_preferences: [CurveP384]}\n",
		  "NORMAL:%SERVER_PRECEDENCE:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3:-KX-ALL:-CIPHER-ALL:"
		  "-MAC-ALL:+ECDHE-RSA:+AES-128-CBC:+SHA1:+AES-128-GCM:+AEAD:+AES-256-GCM:"
		  "+CHACHA20-POLY1305:-GROUP-ALL:+GROUP-SECP384R1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct webconfig *cfg = NULL;
		char err[256] = "", prio[1024];
		assert_int_equal(parse(cases[i].yaml, &cfg, err, sizeof(err)), 0);
		assert_int_equal(tls_priorities(cfg, prio, sizeof(prio)), 0);
		assert_string_equal(prio, cases[i].priorities);
		webconfig_free(cfg);
	}
}

/* Each bad file, and the words its message must hold. */
static const struct {
	const char *yaml;
	const char *message;
} bad[] = {
	{ "foo: 1\n", "line 1: foo: unknown key" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  certfile: x\n",
	  "line 4: tls_server_config.certfile: unknown key" },
	{ "http_server_config:\n  http3: true\n", "http_server_config: unknown key \"http3\"" },
	{ "tls_server_config:\n  key_file: k\n", "tls_server_config: missing cert_file" },
	{ "tls_server_config:\n  cert_file: c\n", "tls_server_config: missing key_file" },
	{ "tls_server_config:\n  client_auth_type: RequireAnyClientCert\n",
	  "tls_server_config: missing cert_file" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca\n",
	  "tls_server_config.client_ca_file: set without a client_auth_type" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca\n"
	  "  client_auth_type: NoClientCert\n",
	  "tls_server_config.client_ca_file: set without a client_auth_type" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Foo\n",
	  "line 4: tls_server_config.client_auth_type: unknown client auth type \"Foo\"" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS14\n",
	  "line 4: tls_server_config.min_version: unknown TLS version \"TLS14\"" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  max_version: 1.3\n",
	  "tls_server_config.max_version: unknown TLS version \"1.3\"" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS13\n"
	  "  max_version: TLS12\n",
	  "min_version is above max_version" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: "
	  "[TLS_RSA_WITH_3DES_EDE_CBC_SHA]\n",
	  "tls_server_config.cipher_suites: unknown name \"TLS_RSA_WITH_3DES_EDE_CBC_SHA\"" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: TLS_AES_128_GCM_SHA256\n",
	  "tls_server_config.cipher_suites: must be a list" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  curve_preferences: [P256]\n",
	  "tls_server_config.curve_preferences: unknown name \"P256\"" },
	{ "tls_server_config:\n  cert_file: c\n  cert: x\n  key_file: k\n",
	  "cert and cert_file are mutually exclusive" },
	{ "tls_server_config:\n  cert_file: [a]\n",
	  "tls_server_config.cert_file: must be a string" },
	{ "tls_server_config: 3\n", "tls_server_config: must be a mapping" },
	{ "tls_server_config:\n  cert_file: c\n  key_file: k\n  prefer_server_cipher_suites: maybe\n",
	  "prefer_server_cipher_suites: must be true or false" },
	{ "http_server_config:\n  headers:\n    X-Frame-Options: DENY\n",
	  "http_server_config.headers: invalid value \"DENY\" for X-Frame-Options" },
	{ "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
	  "invalid value \"sniff\" for X-Content-Type-Options" },
	{ "http_server_config:\n  headers:\n    x-xss-protection: 1\n",
	  "header \"x-xss-protection\" can not be configured" },
	{ "http_server_config:\n  headers:\n    Server: me\n",
	  "header \"Server\" can not be configured" },
	{ "http_server_config:\n  headers:\n    Content-Security-Policy: \"a\\r\\nSet-Cookie: x\"\n",
	  "value of Content-Security-Policy holds a control character" },
	{ "http_server_config:\n  http2: sometimes\n",
	  "http_server_config.http2: must be true or false" },
	{ "basic_auth_users:\n  alice: secret\n",
	  "line 2: basic_auth_users.alice: too short to be a bcrypt hash" },
	{ "basic_auth_users:\n  alice:\n", "basic_auth_users.alice: too short" },
	{ "basic_auth_users:\n  alice: $1y$10$abcdefghijklmnopqrstuu5Ttu8/2IaN1oqvhCq81hBKFKxDmUj1W\n",
	  "basic_auth_users.alice: not a bcrypt hash" },
	{ "basic_auth_users:\n  alice: $2y$03$abcdefghijklmnopqrstuu5Ttu8/2IaN1oqvhCq81hBKFKxDmUj1W\n",
	  "basic_auth_users.alice: bcrypt cost is outside 4-31" },
	{ "basic_auth_users:\n  alice: $2y$10$abcdefghijklmnopqrstuu5Ttu8/2IaN1oqvhCq81hBKFKxDmUj!W\n",
	  "outside bcrypt's alphabet" },
	{ "basic_auth_users:\n  alice: " HASH "\n  alice: " HASH "\n",
	  "basic_auth_users: key \"alice\" is given twice" },
	{ "basic_auth_users: [alice]\n", "basic_auth_users: must be a mapping" },
	{ "basic_auth_users:\n  <<: " HASH "\n",
	  "line 2: basic_auth_users: << must be a mapping or a list of mappings" },
	{ "basic_auth_users: &a\n  <<: *a\n", "a merge key brings in its own mapping" },
	{ "http_server_config: &a {<<: *a}\n", "a merge key brings in its own mapping" },
	{ "basic_auth_users:\n  <<:\n    - &a0 {u0: x}\n    - &a1 {<<: [*a0, *a0, *a0, *a0]}\n"
	  "    - &a2 {<<: [*a1, *a1, *a1, *a1]}\n    - &a3 {<<: [*a2, *a2, *a2, *a2]}\n"
	  "    - &a4 {<<: [*a3, *a3, *a3, *a3]}\n    - &a5 {<<: [*a4, *a4, *a4, *a4]}\n"
	  "    - &a6 {<<: [*a5, *a5, *a5, *a5]}\n    - &a7 {<<: [*a6, *a6, *a6, *a6]}\n",
	  "more than 4096 mappings merged" },
	{ "basic_auth_users:\n  <<: [{a: " HASH "}, x]\n",
	  "basic_auth_users: << must be a mapping or a list of mappings" },
	{ "basic_auth_users:\n  <<: {a: " HASH "}\n  b: " HASH "\n  b: " HASH "\n",
	  "line 4: basic_auth_users: key \"b\" is given twice" },
	{ "tls_server_config:\n  cert_file: c\n key_file: k\n", "not valid YAML" },
	{ "basic_auth_users: {a: \"\\0\"}\n", "holds a NUL character" },
	{ "a: 1\n---\nb: 2\n", "unknown key" },
	{ "{}\n---\nb: 2\n", "holds more than one YAML document" },
	{ "- 1\n", "web config: must be a mapping" },
};

static void each_bad_file_is_refused_naming_the_key_and_problem(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct webconfig *cfg = NULL;
		char err[512] = "";
		int ret = parse(bad[i].yaml, &cfg, err, sizeof(err));
		if (ret != -EINVAL || !strstr(err, bad[i].message))
			fail_msg("file %zu:\n%s\nexpected -EINVAL and a message holding \"%s\";\n"
				 "got %d and \"%s\"",
				 i, bad[i].yaml, bad[i].message, ret, err);
	}
}

static const char *hash_of(const struct webconfig *cfg, const char *user)
{
	for (size_t i = 0; i < cfg->user_count; i++) {
		if (strcmp(cfg->users[i].name, user) == 0)
			return cfg->users[i].hash;
	}
	return NULL;
}

#define HASH2 "$2y$10$bbcdefghijklmnopqrstuu5Ttu8/2IaN1oqvhCq81hBKFKxDmUj1W"
#define HASH3 "$2y$10$cbcdefghijklmnopqrstuu5Ttu8/2IaN1oqvhCq81hBKFKxDmUj1W"

/*
 * Merge keys, which promtool accepts (yaml.v2): the merged mapping's keys come in, the
 * mapping's own keys win, and of a list of merged mappings the earlier wins
 * (yaml.org/type/merge.html). A quoted "<<" is a key like any other. The exporter refused
 * these files at start before.
 */
static void merge_keys_are_read_as_promtool_reads_them(void **state)
{
	struct webconfig *cfg = NULL;
	char err[256] = "";
	assert_int_equal(parse("basic_auth_users:\n"
			       "  <<: [{alice: '" HASH "', carol: '" HASH "'}, {alice: '" HASH2
			       "', dave: '" HASH2 "'}]\n"
			       "  carol: '" HASH3 "'\n"
			       "  bob: '" HASH2 "'\n",
			       &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(cfg->user_count, 4);
	assert_string_equal(hash_of(cfg, "carol"), HASH3); /* its own key wins */
	assert_string_equal(hash_of(cfg, "alice"), HASH); /* the earlier merged mapping wins */
	assert_string_equal(hash_of(cfg, "bob"), HASH2);
	assert_string_equal(hash_of(cfg, "dave"), HASH2);
	webconfig_free(cfg);
	assert_int_equal(parse("basic_auth_users: {'<<': '" HASH "'}\n", &cfg, err, sizeof(err)), 0);
	assert_string_equal(hash_of(cfg, "<<"), HASH);
	webconfig_free(cfg);
	/* Through an anchor, and in another section of the file. */
	assert_int_equal(parse("http_server_config:\n  headers: &h\n    X-Frame-Options: deny\n"
			       "    <<: {X-Content-Type-Options: nosniff}\n",
			       &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(cfg->header_count, 2);
	webconfig_free(cfg);
}

/* A file of @prefix, @n times @open, @n times @close, then @suffix; the caller frees it. */
static char *repeated(const char *prefix, const char *open, const char *close, size_t n,
		      const char *suffix)
{
	struct buffer b = BUFFER_INIT;
	buffer_puts(&b, prefix);
	for (size_t i = 0; i < n; i++)
		buffer_puts(&b, open);
	for (size_t i = 0; i < n; i++)
		buffer_puts(&b, close);
	buffer_puts(&b, suffix);
	char *s = (char *)buffer_cstr(&b);
	if (!s)
		fail_msg("out of memory");
	return s;
}

/*
 * A hostile file costs a bounded time: nested 65,536 levels deep in flow style (29 s of
 * libyaml's scanning before), or aliased again and again, it is refused on the parser's
 * events, before the document is built.
 */
static void a_file_too_deep_or_too_aliased_is_refused_on_its_shape(void **state)
{
	struct {
		char *yaml;
		const char *message;
	} cases[] = {
		{ repeated("basic_auth_users: ", "[", "]", 65536, "\n"),
		  "nested more than 32 levels deep" },
		{ repeated("headers: ", "{a: ", "}", 40, "\n"), "nested more than 32 levels deep" },
		{ repeated("a: &x 1\nb: [", "*x, ", "", 2000, "*x]\n"), "more than 1,024 aliases" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct webconfig *cfg = NULL;
		char err[512] = "";
		int ret = parse(cases[i].yaml, &cfg, err, sizeof(err));
		if (ret != -EINVAL || !strstr(err, cases[i].message))
			fail_msg("case %zu: expected -EINVAL and \"%s\"; got %d and \"%s\"", i,
				 cases[i].message, ret, err);
		free(cases[i].yaml);
	}
	/* 32 levels are still read (and refused for what they hold, not for their depth) */
	char *ok = repeated("headers: ", "[", "]", 31, "\n");
	struct webconfig *cfg = NULL;
	char err[512] = "";
	assert_int_equal(parse(ok, &cfg, err, sizeof(err)), -EINVAL);
	if (strstr(err, "levels deep"))
		fail_msg("31 levels refused for their depth: %s", err);
	free(ok);
}

static void a_truncated_input_never_reads_past_its_length(void **state)
{
	/* The parser is given a length, not a string: the bytes after it do not count. */
	const char *yaml = "basic_auth_users: {}\nfoo: 1\n";
	struct webconfig *cfg = NULL;
	char err[256] = "";
	assert_int_equal(webconfig_parse(yaml, 21, NULL, &cfg, err, sizeof(err)), 0);
	webconfig_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_file_is_plain_http_without_auth),
		cmocka_unit_test(a_full_file_fills_every_field),
		cmocka_unit_test(every_client_auth_type_is_known),
		cmocka_unit_test(the_priority_string_follows_versions_and_ciphers),
		cmocka_unit_test(each_bad_file_is_refused_naming_the_key_and_problem),
		cmocka_unit_test(merge_keys_are_read_as_promtool_reads_them),
		cmocka_unit_test(a_truncated_input_never_reads_past_its_length),
		cmocka_unit_test(a_file_too_deep_or_too_aliased_is_refused_on_its_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
