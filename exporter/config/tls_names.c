#include <errno.h>
#include <string.h>

#include "config/tls_names.h"
#include "util.h"

/*
 * The cipher suites the toolkit accepts (Go's tls.CipherSuites(), checked against promtool
 * 2.42), with the GnuTLS key exchange, cipher and MAC each one is made of. The TLS 1.3 suites
 * have no key exchange here: as in Go, cipher_suites does not restrict TLS 1.3.
 */
const struct tls_names_cipher tls_names_ciphers[] = {
	{ "TLS_RSA_WITH_AES_128_CBC_SHA", "RSA", "AES-128-CBC", "SHA1" },
	{ "TLS_RSA_WITH_AES_256_CBC_SHA", "RSA", "AES-256-CBC", "SHA1" },
	{ "TLS_RSA_WITH_AES_128_GCM_SHA256", "RSA", "AES-128-GCM", "AEAD" },
	{ "TLS_RSA_WITH_AES_256_GCM_SHA384", "RSA", "AES-256-GCM", "AEAD" },
	{ "TLS_AES_128_GCM_SHA256", NULL, "AES-128-GCM", "AEAD" },
	{ "TLS_AES_256_GCM_SHA384", NULL, "AES-256-GCM", "AEAD" },
	{ "TLS_CHACHA20_POLY1305_SHA256", NULL, "CHACHA20-POLY1305", "AEAD" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA", "AES-128-CBC", "SHA1" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA", "AES-256-CBC", "SHA1" },
	{ "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA", "AES-128-CBC", "SHA1" },
	{ "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA", "AES-256-CBC", "SHA1" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA", "AES-128-GCM", "AEAD" },
	{ "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA", "AES-256-GCM", "AEAD" },
	{ "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA", "AES-128-GCM", "AEAD" },
	{ "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA", "AES-256-GCM", "AEAD" },
	{ "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA", "CHACHA20-POLY1305", "AEAD" },
	{ "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA", "CHACHA20-POLY1305",
	  "AEAD" },
};

const struct tls_names_curve tls_names_curves[] = {
	{ "CurveP256", "GROUP-SECP256R1" },
	{ "CurveP384", "GROUP-SECP384R1" },
	{ "CurveP521", "GROUP-SECP521R1" },
	{ "X25519", "GROUP-X25519" },
};

const struct tls_names_version tls_names_versions[] = {
	{ "TLS10", WEBCONFIG_TLS10, "VERS-TLS1.0" },
	{ "TLS11", WEBCONFIG_TLS11, "VERS-TLS1.1" },
	{ "TLS12", WEBCONFIG_TLS12, "VERS-TLS1.2" },
	{ "TLS13", WEBCONFIG_TLS13, "VERS-TLS1.3" },
};

const size_t tls_names_cipher_count = ARRAY_SIZE(tls_names_ciphers);
const size_t tls_names_curve_count = ARRAY_SIZE(tls_names_curves);
const size_t tls_names_version_count = ARRAY_SIZE(tls_names_versions);

int tls_names_version_parse(const char *name, enum webconfig_tls_version *out)
{
	for (size_t i = 0; i < tls_names_version_count; i++) {
		if (strcmp(name, tls_names_versions[i].name) == 0) {
			*out = tls_names_versions[i].version;
			return 0;
		}
	}
	return -ENOENT;
}

const char *tls_names_cipher_name(size_t index)
{
	return index < tls_names_cipher_count ? tls_names_ciphers[index].go : NULL;
}

const char *tls_names_curve_name(size_t index)
{
	return index < tls_names_curve_count ? tls_names_curves[index].go : NULL;
}
