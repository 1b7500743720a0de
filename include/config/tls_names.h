#ifndef TAINT_EXPORTER_TLS_NAMES_H
#define TAINT_EXPORTER_TLS_NAMES_H

/*
 * The TLS names a web config may use, as the Prometheus exporter toolkit (Go's crypto/tls)
 * spells them, each with the GnuTLS names serve/tls.c builds its priority string from: one
 * table per kind, read by the config parser and by the TLS setup alike.
 */

#include <stddef.h>

#include "config/webconfig.h"

struct tls_names_cipher {
	const char *go;
	const char *kx; /* NULL for a TLS 1.3 suite, which cipher_suites does not restrict */
	const char *cipher;
	const char *mac;
};

struct tls_names_curve {
	const char *go;
	const char *group;
};

struct tls_names_version {
	const char *name;
	enum webconfig_tls_version version;
	const char *gnutls;
};

extern const struct tls_names_cipher tls_names_ciphers[];
extern const size_t tls_names_cipher_count;
extern const struct tls_names_curve tls_names_curves[];
extern const size_t tls_names_curve_count;
extern const struct tls_names_version tls_names_versions[];
extern const size_t tls_names_version_count;

/*
 * tls_names_version_parse() - the version the file calls @name ("TLS10" ... "TLS13"), into
 * *@out. Returns 0, or -ENOENT for another name.
 */
int tls_names_version_parse(const char *name, enum webconfig_tls_version *out);

/* tls_names_cipher_name() - the Go name of cipher entry @index; NULL past the table's end. */
const char *tls_names_cipher_name(size_t index);

/* tls_names_curve_name() - the Go name of curve entry @index; NULL past the table's end. */
const char *tls_names_curve_name(size_t index);

#endif
