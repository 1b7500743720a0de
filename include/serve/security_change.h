#ifndef TAINT_EXPORTER_SECURITY_CHANGE_H
#define TAINT_EXPORTER_SECURITY_CHANGE_H

/*
 * What a SIGHUP reload would change in who can get in and how, so that it can log what
 * changed and refuse what would lower security without a word: an empty or truncated web
 * config must not turn a TLS port with basic auth into a plaintext port without it, and a
 * lost client_ca_file line must not hand client verification to the system's public roots.
 * Lowering security takes a restart, which reads the file as if for the first time.
 */

#include <stdbool.h>
#include <stddef.h>

#include "config/webconfig.h"

/*
 * security_change() - compare the web config in force, @old, with a reload's, @new (either
 * NULL: no web config, plain HTTP without auth). Both were loaded by webconfig_load() and
 * tls_load(), so client_ca_pem holds the CA bundle that verification would use.
 * @changed:  out: what changed, as "tls=true->false basic_auth_users=2->0 ..." (empty when
 *            nothing did), for the reload's log line.
 * @lowered:  out: only what lowers security, the same way, for the refusal's log line. Lower:
 *            - tls: TLS removed;
 *            - basic_auth_users: every user removed, or a user's bcrypt cost lowered;
 *            - client_auth_type: client certificates no longer required, or no longer
 *              verified;
 *            - client_ca: a CA certificate trusted that was not (the system bundle included,
 *              when client_ca_file goes away);
 *            - min_version, max_version: an older TLS version allowed, or the newest one
 *              no longer allowed;
 *            - cipher_suites, curve_preferences: a TLS 1.2 suite or a group allowed that was
 *              not (an explicit list given up for the defaults included);
 *            - prefer_server_cipher_suites: true to false (the client picks the weakest);
 *            - headers: a header no longer sent.
 *            Not lower, only changed: users added, removed (while one stays) or given a new
 *            password at no lower cost, a header's new value or a new header, another server
 *            certificate: rotating credentials is what reloads are for.
 * Both are truncated to their sizes (at least 1 byte each).
 *
 * Returns true when @new lowers security in any of those ways.
 */
bool security_change(const struct webconfig *old, const struct webconfig *new, char *changed,
		     size_t changed_size, char *lowered, size_t lowered_size);

#endif
