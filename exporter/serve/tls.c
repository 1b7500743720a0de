#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/tls_names.h"
#include "read/file.h"
#include "serve/tls.h"
#include "util.h"

/*
 * Ten times the system CA bundle (about 200 KiB): a client CA bundle at this size is parsed
 * and compared on a reload in about 0.1 s, so that SIGTERM meanwhile waits no longer (8 MiB,
 * the limit before, took 0.4-0.5 s a reload here, and 8 s before certificates were compared
 * by digest).
 */
#define MAX_PEM_FILE ((size_t)2 * 1024 * 1024)

bool tls_verifies_client_certs(enum webconfig_client_auth a)
{
	return a == WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN ||
	       a == WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT;
}

bool tls_requires_client_cert(enum webconfig_client_auth a)
{
	return a == WEBCONFIG_REQUIRE_ANY_CLIENT_CERT ||
	       a == WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT;
}

static int load_pem(const char *key, const char *path, char **out, char *err, size_t errlen)
{
	int ret = file_read_alloc_at(AT_FDCWD, path, MAX_PEM_FILE, out, NULL);
	if (ret < 0)
		snprintf(err, errlen, "tls_server_config.%s: cannot read \"%s\": %s", key, path,
			 file_error_text(ret));
	return ret;
}

static gnutls_datum_t datum(const char *s)
{
	return (gnutls_datum_t){ (unsigned char *)s, (unsigned int)strlen(s) };
}

/* Counts the PEM certificates in @pem; -EINVAL when there are none. */
static int check_certs(const char *pem)
{
	gnutls_x509_crt_t *list = NULL;
	unsigned int n = 0;
	gnutls_datum_t d = datum(pem);
	int r = gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0);
	if (r < 0)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return n > 0 ? 0 : -EINVAL;
}

static int check_key_pair(const struct webconfig *c, char *err, size_t errlen)
{
	const char *cert_key = c->cert_file ? "cert_file" : "cert";
	const char *key_key = c->key_file ? "key_file" : "key";
	if (check_certs(c->cert_pem) < 0) {
		snprintf(err, errlen, "tls_server_config.%s: no PEM certificate in %s%s%s",
			 cert_key, c->cert_file ? "\"" : "the inline value",
			 c->cert_file ? c->cert_file : "", c->cert_file ? "\"" : "");
		return -EINVAL;
	}
	gnutls_x509_privkey_t pk;
	if (gnutls_x509_privkey_init(&pk) < 0)
		return -ENOMEM;
	gnutls_datum_t kd = datum(c->key_pem);
	int r = gnutls_x509_privkey_import2(pk, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_x509_privkey_deinit(pk);
	if (r < 0) {
		snprintf(err, errlen,
			 "tls_server_config.%s: not an unencrypted PEM private key (%s)", key_key,
			 gnutls_strerror(r));
		return -EINVAL;
	}
	gnutls_certificate_credentials_t cred;
	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return -ENOMEM;
	gnutls_datum_t cd = datum(c->cert_pem);
	r = gnutls_certificate_set_x509_key_mem2(cred, &cd, &kd, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_certificate_free_credentials(cred);
	if (r == GNUTLS_E_CERTIFICATE_KEY_MISMATCH) {
		snprintf(err, errlen,
			 "tls_server_config.%s: the key does not match the certificate", key_key);
		return -EINVAL;
	}
	if (r < 0) {
		snprintf(err, errlen, "tls_server_config.%s: GnuTLS refuses the certificate: %s",
			 cert_key, gnutls_strerror(r));
		return -EINVAL;
	}
	return 0;
}

int tls_load(struct webconfig *c, char *err, size_t errlen)
{
	if (!c->tls)
		return 0;
	int ret = 0;
	if (c->cert_file && !c->cert_pem)
		ret = load_pem("cert_file", c->cert_file, &c->cert_pem, err, errlen);
	if (ret == 0 && c->key_file && !c->key_pem)
		ret = load_pem("key_file", c->key_file, &c->key_pem, err, errlen);
	if (ret == 0)
		ret = check_key_pair(c, err, errlen);
	if (ret == 0 && c->client_ca_file && !c->client_ca_pem) {
		ret = load_pem("client_ca_file", c->client_ca_file, &c->client_ca_pem, err, errlen);
		if (ret == 0 && check_certs(c->client_ca_pem) < 0) {
			snprintf(err, errlen,
				 "tls_server_config.client_ca_file: no PEM certificate in \"%s\"",
				 c->client_ca_file);
			ret = -EINVAL;
		}
	}
	/* As Go does with no ClientCAs: verify against the system's roots. */
	if (ret == 0 && !c->client_ca_pem && tls_verifies_client_certs(c->client_auth))
		ret = load_pem("client_ca_file (absent, so the system bundle)",
			       WEBCONFIG_SYSTEM_CA_FILE, &c->client_ca_pem, err, errlen);
	if (ret < 0)
		return ret;

	char prio[1024];
	if (tls_priorities(c, prio, sizeof(prio)) < 0) {
		snprintf(err, errlen, "tls_server_config.cipher_suites: too many entries");
		return -EINVAL;
	}
	gnutls_priority_t pc;
	const char *where = NULL;
	int r = gnutls_priority_init(&pc, prio, &where);
	if (r < 0) {
		snprintf(err, errlen,
			 "tls_server_config: GnuTLS refuses the priority string \"%s\" at \"%s\": %s",
			 prio, where ? where : "", gnutls_strerror(r));
		return -EINVAL;
	}
	gnutls_priority_deinit(pc);
	return 0;
}

/* Appends ":+item" unless @item is already in @buf (the union of the suites' parts). */
static void add_unique(char *buf, size_t size, const char *item)
{
	char needle[64];
	snprintf(needle, sizeof(needle), ":+%s", item);
	const char *at = strstr(buf, needle);
	if (at && (at[strlen(needle)] == ':' || at[strlen(needle)] == '\0'))
		return;
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, "%s", needle);
}

/*
 * Without cipher_suites, what exporter-toolkit offers: it leaves them to Go's crypto/tls,
 * whose defaults (Go 1.22 and later) drop static-RSA key exchange, 3DES, RC4 and the
 * CBC-SHA256 suites. For TLS 1.2 that is ECDHE key exchange only, with AES-GCM,
 * ChaCha20-Poly1305, and AES-CBC with SHA-1 (Go keeps those ECDHE suites); TLS 1.3's AES-GCM
 * and ChaCha20 suites. GnuTLS's NORMAL alone would add static RSA, DHE, CCM and CBC with
 * SHA-256 and SHA-384.
 */
static const char default_suites[] =
	":-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA"
	":-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-CBC:+AES-256-CBC"
	":-MAC-ALL:+AEAD:+SHA1";

int tls_priorities(const struct webconfig *c, char *buf, size_t size)
{
	snprintf(buf, size, "NORMAL%s:-VERS-ALL",
		 c->prefer_server_cipher_suites ? ":%SERVER_PRECEDENCE" : "");
	for (size_t i = 0; i < tls_names_version_count; i++) {
		if (tls_names_versions[i].version >= c->min_version &&
		    tls_names_versions[i].version <= c->max_version)
			add_unique(buf, size, tls_names_versions[i].gnutls);
	}
	if (c->cipher_count > 0) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, ":-KX-ALL:-CIPHER-ALL:-MAC-ALL");
		for (size_t i = 0; i < c->cipher_count; i++) {
			unsigned k = c->ciphers[i];
			if (!tls_names_ciphers[k].kx)
				continue; /* TLS 1.3: always on below, as in Go */
			add_unique(buf, size, tls_names_ciphers[k].kx);
			add_unique(buf, size, tls_names_ciphers[k].cipher);
			add_unique(buf, size, tls_names_ciphers[k].mac);
		}
		if (c->max_version >= WEBCONFIG_TLS13) {
			for (size_t k = 0; k < tls_names_cipher_count; k++) {
				if (!tls_names_ciphers[k].kx) {
					add_unique(buf, size, tls_names_ciphers[k].cipher);
					add_unique(buf, size, tls_names_ciphers[k].mac);
				}
			}
		}
	} else {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s", default_suites);
	}
	if (c->curve_count > 0) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, ":-GROUP-ALL");
		for (size_t i = 0; i < c->curve_count; i++)
			add_unique(buf, size, tls_names_curves[c->curves[i]].group);
	}
	return strlen(buf) + 1 < size ? 0 : -ENOSPC;
}

int tls_check_peer(gnutls_session_t session, enum webconfig_client_auth a)
{
	if (a == WEBCONFIG_NO_CLIENT_CERT || a == WEBCONFIG_REQUEST_CLIENT_CERT)
		return 0;
	if (!session)
		return -EACCES;
	unsigned int n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(session, &n);
	if (!certs || n == 0)
		return tls_requires_client_cert(a) ? -EACCES : 0;
	if (!tls_verifies_client_certs(a))
		return 0;
	/*
	 * The chain against the client CA, and its extended key usage against TLS client
	 * authentication, as Go's crypto/tls does under exporter-toolkit: a certificate made for
	 * serverAuth only (any host's server certificate from a shared CA) is refused, one with no
	 * extended key usage, or anyExtendedKeyUsage, is accepted.
	 */
	gnutls_typed_vdata_st purpose = {
		.type = GNUTLS_DT_KEY_PURPOSE_OID,
		.data = (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT,
	};
	unsigned int status = 0;
	if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) < 0 || status != 0)
		return -EACCES;
	return 0;
}
