#ifndef TAINT_EXPORTER_TLS_H
#define TAINT_EXPORTER_TLS_H

/*
 * The GnuTLS side of a web config, in one place: the names the file may use for versions,
 * cipher suites and curves and what GnuTLS calls them; loading and checking the certificate,
 * key and client CA; the one priority-string builder; the one client-certificate check.
 * webconfig.c turns YAML into a struct with the names below; http.c serves with the result.
 */

#include <gnutls/gnutls.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/webconfig.h"

/* tls_verifies_client_certs() - whether @a checks a given client certificate against the CA. */
bool tls_verifies_client_certs(enum webconfig_client_auth a);

/* tls_requires_client_cert() - whether @a refuses a client without a certificate. */
bool tls_requires_client_cert(enum webconfig_client_auth a);

/*
 * tls_load() - read cert_file, key_file and client_ca_file (unless inline) into @cfg and
 * check them with GnuTLS: each parses, the key matches the certificate, the priority string
 * is accepted. Does nothing when TLS is off. What it reads, @cfg owns.
 * Returns 0, or -EINVAL / -errno with @err naming the key and the problem.
 */
int tls_load(struct webconfig *cfg, char *err, size_t errlen);

/*
 * tls_priorities() - the GnuTLS priority string for @cfg's versions, cipher suites and
 * curves, into @buf. Returns 0 or -ENOSPC.
 */
int tls_priorities(const struct webconfig *cfg, char *buf, size_t size);

/*
 * tls_check_peer() - the client certificate of @session (NULL: not a TLS connection)
 * against @a: present where required, and where verified, chained to the CA the session's
 * credentials hold and made for TLS client authentication.
 * Returns 0 or -EACCES.
 */
int tls_check_peer(gnutls_session_t session, enum webconfig_client_auth a);

#endif
