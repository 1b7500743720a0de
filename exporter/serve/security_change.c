#include <stdio.h>
#include <string.h>

#include "serve/security_change.h"
#include "serve/tls.h"

void security_level_of(const struct webconfig *web, struct security_level *out)
{
	*out = (struct security_level){ false, 0, WEBCONFIG_NO_CLIENT_CERT, WEBCONFIG_TLS12 };
	if (!web)
		return;
	out->tls = web->tls;
	out->users = web->user_count;
	if (web->tls) {
		out->client_auth = web->client_auth;
		out->min_version = web->min_version;
	}
}

/* Appends " key=old->new" to @buf (NUL-terminated, @size bytes), truncating. */
static void note(char *buf, size_t size, const char *key, const char *was, const char *now)
{
	size_t len = strlen(buf);
	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s%s=%s->%s", len ? " " : "", key, was, now);
}

bool security_change(const struct security_level *old, const struct security_level *new,
		     char *changed, size_t changed_size, char *lowered, size_t lowered_size)
{
	changed[0] = lowered[0] = '\0';
	bool lower = false;
	char was[24], now[24];

	if (old->tls != new->tls) {
		note(changed, changed_size, "tls", old->tls ? "true" : "false",
		     new->tls ? "true" : "false");
		if (old->tls) {
			note(lowered, lowered_size, "tls", "true", "false");
			lower = true;
		}
	}
	if (old->users != new->users) {
		snprintf(was, sizeof(was), "%zu", old->users);
		snprintf(now, sizeof(now), "%zu", new->users);
		note(changed, changed_size, "basic_auth_users", was, now);
		if (new->users == 0) {
			note(lowered, lowered_size, "basic_auth_users", was, now);
			lower = true;
		}
	}
	if (old->client_auth != new->client_auth) {
		const char *a = webconfig_client_auth_name(old->client_auth),
			   *b = webconfig_client_auth_name(new->client_auth);
		note(changed, changed_size, "client_auth_type", a, b);
		enum webconfig_client_auth from = old->client_auth, to = new->client_auth;
		if ((tls_requires_client_cert(from) && !tls_requires_client_cert(to)) ||
		    (tls_verifies_client_certs(from) && !tls_verifies_client_certs(to))) {
			note(lowered, lowered_size, "client_auth_type", a, b);
			lower = true;
		}
	}
	if (old->tls && new->tls && old->min_version != new->min_version) {
		snprintf(was, sizeof(was), "TLS1%d", (int)old->min_version - 10);
		snprintf(now, sizeof(now), "TLS1%d", (int)new->min_version - 10);
		note(changed, changed_size, "min_version", was, now);
		if (new->min_version < old->min_version) {
			note(lowered, lowered_size, "min_version", was, now);
			lower = true;
		}
	}
	return lower;
}
