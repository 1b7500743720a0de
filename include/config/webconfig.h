#ifndef TAINT_EXPORTER_WEBCONFIG_H
#define TAINT_EXPORTER_WEBCONFIG_H

/*
 * --web.config.file: the Prometheus exporter-toolkit's web-config.yml (TLS, client
 * certificates, basic auth, security headers), so that a fleet secures this exporter exactly
 * as it secures node_exporter.
 *
 * Two steps, so that the parser stays a pure function the tests and fuzzers can feed strings:
 * webconfig_parse() turns YAML text into a struct and checks everything that needs no file;
 * tls_load() (serve/tls.h) then reads the certificate, key and CA files and checks them with
 * GnuTLS. webconfig_load() reads and parses a path; the serve layer's tls_load() follows.
 */

#include <stdbool.h>
#include <stddef.h>

#define WEBCONFIG_MAX_CIPHERS 32
#define WEBCONFIG_MAX_CURVES 8
/* The CA bundle used to verify client certificates when client_ca_file is absent, as Go does. */
#define WEBCONFIG_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

enum webconfig_client_auth {
	WEBCONFIG_NO_CLIENT_CERT,
	WEBCONFIG_REQUEST_CLIENT_CERT,
	WEBCONFIG_REQUIRE_ANY_CLIENT_CERT,
	WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN,
	WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT,
};

/* TLS versions as numbers that compare: TLS 1.0 is 10, TLS 1.3 is 13. */
enum webconfig_tls_version {
	WEBCONFIG_TLS10 = 10,
	WEBCONFIG_TLS11 = 11,
	WEBCONFIG_TLS12 = 12,
	WEBCONFIG_TLS13 = 13,
};

struct webconfig_header {
	char *name;
	char *value;
};

struct webconfig_user {
	char *name;
	char *hash; /* bcrypt, checked well-formed: $2a$, $2b$, $2x$ or $2y$, cost 4-31 */
};

struct webconfig {
	/* tls_server_config: TLS is on when any of cert, key, client_auth_type, client_ca is set.
	 */
	bool tls;
	char *cert_file; /* resolved against the config file's directory; NULL when absent */
	char *key_file;
	char *client_ca_file;
	char *cert_pem; /* inline `cert`, or cert_file's contents after webconfig_load_tls() */
	char *key_pem;
	char *client_ca_pem; /* client_ca_file's contents (or the system bundle) after loading */
	enum webconfig_client_auth client_auth;
	enum webconfig_tls_version min_version; /* default TLS12 */
	enum webconfig_tls_version max_version; /* default TLS13 */
	unsigned char ciphers[WEBCONFIG_MAX_CIPHERS]; /* indexes into the cipher table */
	size_t cipher_count; /* 0: GnuTLS's defaults */
	unsigned char curves[WEBCONFIG_MAX_CURVES]; /* indexes into the curve table */
	size_t curve_count;
	bool prefer_server_cipher_suites; /* default true, as in the toolkit */

	/* http_server_config */
	bool http2; /* accepted for compatibility and ignored: libmicrohttpd speaks HTTP/1.1 */
	struct webconfig_header *headers;
	size_t header_count;

	/* basic_auth_users */
	struct webconfig_user *users;
	size_t user_count;
};

/*
 * webconfig_parse() - parse and check a web config.
 * @yaml, @len:  the file's text (need not be NUL-terminated).
 * @base_dir:    directory that relative cert_file, key_file and client_ca_file are relative to
 *               (the config file's directory, as in the toolkit); NULL leaves them as written.
 * @out:         on success, a new config the caller frees with webconfig_free(). Untouched
 *               (and nothing to free) on failure.
 * @err:         on failure, one line naming the key (e.g. "tls_server_config.min_version"),
 *               the line number and the problem.
 *
 * Returns 0, -EINVAL for a bad file, or -ENOMEM.
 */
int webconfig_parse(const char *yaml, size_t len, const char *base_dir, struct webconfig **out,
		    char *err, size_t errlen);

/*
 * webconfig_load() - read the file at @path (at most 1 MiB), webconfig_parse() it relative to
 * its directory. Same ownership and errors as webconfig_parse(); then tls_load() it.
 */
int webconfig_load(const char *path, struct webconfig **out, char *err, size_t errlen);

/* webconfig_client_auth_name() - the client_auth_type name of @a, as the file spells it. */
const char *webconfig_client_auth_name(enum webconfig_client_auth a);

/*
 * webconfig_free() - release @cfg, made by webconfig_parse() or webconfig_load(), and all it
 * owns (the key and the password hashes wiped first). NULL is ignored.
 */
void webconfig_free(struct webconfig *cfg);

#endif
