#ifndef TAINT_EXPORTER_SECURITY_CHANGE_H
#define TAINT_EXPORTER_SECURITY_CHANGE_H

/*
 * What a SIGHUP reload would change in how the exporter protects itself, so that it can log
 * what changed and refuse what would lower security without a word: an empty or truncated
 * web config must not turn a TLS port with basic auth into a plaintext port without it.
 * Lowering security takes a restart, which reads the file as if for the first time.
 */

#include <stdbool.h>
#include <stddef.h>

#include "config/webconfig.h"

/* The parts of a web config that make a port more or less protected. */
struct security_level {
	bool tls;
	size_t users; /* basic_auth_users; 0: no basic auth */
	enum webconfig_client_auth client_auth; /* WEBCONFIG_NO_CLIENT_CERT without TLS */
	enum webconfig_tls_version min_version; /* meaningful only with TLS */
};

/* security_level_of() - the level of @web; NULL (no web config) is plain HTTP, no auth. */
void security_level_of(const struct webconfig *web, struct security_level *out);

/*
 * security_change() - compare the level in force, @old, with a reload's, @new.
 * @changed:  out: what changed, as "tls=true->false basic_auth_users=2->0 ..." (empty when
 *            nothing did), for the reload's log line.
 * @lowered:  out: only what lowers security, the same way, for the refusal's log line:
 *            TLS removed, basic auth removed, client certificates no longer required or no
 *            longer verified, an older minimum TLS version.
 * Both are truncated to their sizes (at least 1 byte each).
 *
 * Returns true when @new lowers security in any of those ways.
 */
bool security_change(const struct security_level *old, const struct security_level *new,
		     char *changed, size_t changed_size, char *lowered, size_t lowered_size);

#endif
