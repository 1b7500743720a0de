#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/tls_names.h"
#include "serve/security_change.h"
#include "serve/tls.h"

/* The two descriptions being written. */
struct report {
	char *changed, *lowered;
	size_t changed_size, lowered_size;
	bool lower;
};

/* Appends " @key=@what" to @buf (NUL-terminated, @size bytes), truncating. */
static void append(char *buf, size_t size, const char *key, const char *what)
{
	size_t len = strlen(buf);
	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s%s=%s", len ? " " : "", key, what);
}

/*
 * A change, as "key=was->now", or "key=was" when @now is NULL ("basic_auth_users+=bob" with
 * key "basic_auth_users+"); also a lowering when @lowers. No blanks: items are split on them.
 */
static void note(struct report *r, bool lowers, const char *key, const char *was, const char *now)
{
	char what[1100];
	if (now)
		snprintf(what, sizeof(what), "%s->%s", was, now);
	else
		snprintf(what, sizeof(what), "%s", was);
	append(r->changed, r->changed_size, key, what);
	if (lowers) {
		append(r->lowered, r->lowered_size, key, what);
		r->lower = true;
	}
}

static const char *yes_no(bool b)
{
	return b ? "true" : "false";
}

static unsigned long bcrypt_cost(const char *hash)
{
	return strtoul(hash + 4, NULL, 10); /* "$2b$10$...": checked well-formed by the parser */
}

static size_t users_of(const struct webconfig *w)
{
	return w ? w->user_count : 0;
}

/* A user by name, for sorting. */
struct named {
	const char *name;
	const struct webconfig_user *user;
};

static int by_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	return strcmp(x->name, y->name);
}

/*
 * @w's users sorted by name, for lookups in log time: a file can hold 15,000 users, and a
 * reload compared them pair by pair in 0.45 s while SIGTERM waited. NULL when there are
 * none, or no memory (then lookups go one by one).
 */
static struct named *sorted_users(const struct webconfig *w)
{
	size_t n = users_of(w);
	struct named *s = n ? calloc(n, sizeof(*s)) : NULL;
	for (size_t i = 0; s && i < n; i++)
		s[i] = (struct named){ w->users[i].name, &w->users[i] };
	if (s)
		qsort(s, n, sizeof(*s), by_name);
	return s;
}

static const struct webconfig_user *user_named(const struct webconfig *w,
					       const struct named *sorted, const char *name)
{
	if (sorted) {
		const struct named key = { name, NULL };
		const struct named *found =
			bsearch(&key, sorted, users_of(w), sizeof(key), by_name);
		return found ? found->user : NULL;
	}
	for (size_t i = 0; i < users_of(w); i++) {
		if (strcmp(w->users[i].name, name) == 0)
			return &w->users[i];
	}
	return NULL;
}

static void compare_users(struct report *r, const struct webconfig *old, const struct webconfig *new)
{
	char key[96], was[24], now[24];
	if (users_of(old) != users_of(new)) {
		snprintf(was, sizeof(was), "%zu", users_of(old));
		snprintf(now, sizeof(now), "%zu", users_of(new));
		note(r, users_of(new) == 0, "basic_auth_users", was, now);
	}
	struct named *old_sorted = sorted_users(old), *new_sorted = sorted_users(new);
	for (size_t i = 0; i < users_of(new); i++) {
		const struct webconfig_user *n = &new->users[i];
		const struct webconfig_user *o = user_named(old, old_sorted, n->name);
		if (!o) {
			if (users_of(old) > 0) /* from none to some is the count's change alone */
				note(r, false, "basic_auth_users+", n->name, NULL);
			continue;
		}
		if (strcmp(o->hash, n->hash) == 0)
			continue;
		snprintf(key, sizeof(key), "basic_auth_users.%s", n->name);
		unsigned long oc = bcrypt_cost(o->hash), nc = bcrypt_cost(n->hash);
		if (oc != nc) {
			snprintf(was, sizeof(was), "cost%lu", oc);
			snprintf(now, sizeof(now), "cost%lu", nc);
			note(r, nc < oc, key, was, now);
		} else {
			note(r, false, key, "new_password", NULL);
		}
	}
	for (size_t i = 0; users_of(new) > 0 && i < users_of(old); i++) {
		if (!user_named(new, new_sorted, old->users[i].name))
			note(r, false, "basic_auth_users-", old->users[i].name, NULL);
	}
	free(old_sorted);
	free(new_sorted);
}

static void compare_client_auth(struct report *r, enum webconfig_client_auth from,
				enum webconfig_client_auth to)
{
	if (from == to)
		return;
	bool lowers = (tls_requires_client_cert(from) && !tls_requires_client_cert(to)) ||
		      (tls_verifies_client_certs(from) && !tls_verifies_client_certs(to));
	note(r, lowers, "client_auth_type", webconfig_client_auth_name(from),
	     webconfig_client_auth_name(to));
}

#define DIGEST_SIZE 32 /* SHA-256 */

static int by_digest(const void *a, const void *b)
{
	return memcmp(a, b, DIGEST_SIZE);
}

/*
 * The SHA-256 of each certificate GnuTLS reads from the PEM bundle @pem (whatever header it
 * accepts, as the trust store does), sorted, into *@out (free it) and their number into
 * *@count: certificates compared as certificates, not as text, and in n log n (5,040 of them
 * compared one by one took 8 s of a reload). -1 when the bundle will not read, or out of
 * memory.
 */
static int certificate_digests(const char *pem, uint8_t **out, size_t *count)
{
	gnutls_x509_crt_t *certs = NULL;
	unsigned int n = 0;
	gnutls_datum_t data = { (unsigned char *)(uintptr_t)pem, (unsigned int)strlen(pem) };
	if (gnutls_x509_crt_list_import2(&certs, &n, &data, GNUTLS_X509_FMT_PEM, 0) < 0)
		return -1;
	uint8_t *d = n ? malloc((size_t)n * DIGEST_SIZE) : NULL;
	int ret = n && !d ? -1 : 0;
	for (unsigned int i = 0; i < n; i++) {
		size_t size = DIGEST_SIZE;
		if (ret == 0 &&
		    gnutls_x509_crt_get_fingerprint(certs[i], GNUTLS_DIG_SHA256,
						    d + (size_t)i * DIGEST_SIZE, &size) < 0)
			ret = -1;
		gnutls_x509_crt_deinit(certs[i]);
	}
	gnutls_free(certs);
	if (ret < 0) {
		free(d);
		return -1;
	}
	if (n)
		qsort(d, n, DIGEST_SIZE, by_digest);
	*out = d;
	*count = n;
	return 0;
}

/* How many certificates of the PEM bundle @new are not in @old; -1 when either will not read. */
static int certificates_added(const char *old, const char *new)
{
	uint8_t *o = NULL, *n = NULL;
	size_t on = 0, nn = 0;
	int added = -1;
	if (certificate_digests(old, &o, &on) == 0 && certificate_digests(new, &n, &nn) == 0) {
		added = 0;
		for (size_t i = 0; i < nn; i++)
			added += !on ||
				 !bsearch(n + i * DIGEST_SIZE, o, on, DIGEST_SIZE, by_digest);
	}
	free(o);
	free(n);
	return added;
}

/* Only where both verify client certificates: otherwise client_auth_type said it all. */
static void compare_client_cas(struct report *r, const struct webconfig *old,
			       const struct webconfig *new)
{
	if (!tls_verifies_client_certs(old->client_auth) ||
	    !tls_verifies_client_certs(new->client_auth) ||
	    strcmp(old->client_ca_pem, new->client_ca_pem) == 0)
		return;
	int added = certificates_added(old->client_ca_pem, new->client_ca_pem);
	char what[80];
	if (added >= 0)
		snprintf(what, sizeof(what), "%s+%d_certificates",
			 new->client_ca_file ? "" : "system_bundle", added);
	else
		snprintf(what, sizeof(what), "not_comparable");
	note(r, added != 0, "client_ca", what, NULL);
}

static void version_name(enum webconfig_tls_version v, char *buf, size_t size)
{
	snprintf(buf, size, "TLS1%d", (int)v - 10);
}

static void compare_versions(struct report *r, const struct webconfig *old,
			     const struct webconfig *new)
{
	char was[16], now[16];
	if (old->min_version != new->min_version) {
		version_name(old->min_version, was, sizeof(was));
		version_name(new->min_version, now, sizeof(now));
		note(r, new->min_version < old->min_version, "min_version", was, now);
	}
	if (old->max_version != new->max_version) {
		version_name(old->max_version, was, sizeof(was));
		version_name(new->max_version, now, sizeof(now));
		note(r, new->max_version < old->max_version, "max_version", was, now);
	}
}

/*
 * The TLS 1.2 suites of the cipher table that @w allows, one bit each: its list, or without
 * one the defaults of tls_priorities(), which are the ECDHE suites of the table.
 */
static uint64_t suites_allowed(const struct webconfig *w)
{
	uint64_t mask = 0;
	if (w->cipher_count == 0) {
		for (size_t k = 0; k < tls_names_cipher_count; k++) {
			const char *kx = tls_names_ciphers[k].kx;
			if (kx && strncmp(kx, "ECDHE-", 6) == 0)
				mask |= UINT64_C(1) << k;
		}
		return mask;
	}
	for (size_t i = 0; i < w->cipher_count; i++) {
		if (tls_names_ciphers[w->ciphers[i]].kx) /* TLS 1.3 suites are never restricted */
			mask |= UINT64_C(1) << w->ciphers[i];
	}
	return mask;
}

/* The curves of the table @w allows; without a list, GnuTLS's defaults: all of them, and more. */
static uint64_t curves_allowed(const struct webconfig *w)
{
	if (w->curve_count == 0)
		return UINT64_MAX;
	uint64_t mask = 0;
	for (size_t i = 0; i < w->curve_count; i++)
		mask |= UINT64_C(1) << w->curves[i];
	return mask;
}

/* "+NAME,-NAME": what @now allows and @was did not, then the reverse; names from @name(). */
static void set_change(char *buf, size_t size, uint64_t was, uint64_t now, size_t count,
		       const char *(*name)(size_t))
{
	buf[0] = '\0';
	for (int sign = 0; sign < 2; sign++) {
		uint64_t diff = sign == 0 ? now & ~was : was & ~now;
		for (size_t k = 0; k < count; k++) {
			if (!(diff & (UINT64_C(1) << k)))
				continue;
			size_t len = strlen(buf);
			snprintf(buf + len, size - len, "%s%c%s", len ? "," : "",
				 sign == 0 ? '+' : '-', name(k));
		}
	}
}

static void compare_suites(struct report *r, const struct webconfig *old,
			   const struct webconfig *new)
{
	char what[512];
	uint64_t was = suites_allowed(old), now = suites_allowed(new);
	if (was != now) {
		set_change(what, sizeof(what), was, now, tls_names_cipher_count,
			   tls_names_cipher_name);
		note(r, (now & ~was) != 0, "cipher_suites", what, NULL);
	}
	was = curves_allowed(old);
	now = curves_allowed(new);
	if (was != now) {
		if (now == UINT64_MAX)
			snprintf(what, sizeof(what), "defaults");
		else
			set_change(what, sizeof(what), was & now, now, tls_names_curve_count,
				   tls_names_curve_name);
		note(r, (now & ~was) != 0, "curve_preferences", what, NULL);
	}
	if (old->prefer_server_cipher_suites != new->prefer_server_cipher_suites)
		note(r, old->prefer_server_cipher_suites, "prefer_server_cipher_suites",
		     yes_no(old->prefer_server_cipher_suites),
		     yes_no(new->prefer_server_cipher_suites));
}

static const struct webconfig_header *header_named(const struct webconfig *w, const char *name)
{
	for (size_t i = 0; w && i < w->header_count; i++) {
		if (strcasecmp(w->headers[i].name, name) == 0)
			return &w->headers[i];
	}
	return NULL;
}

static void compare_headers(struct report *r, const struct webconfig *old,
			    const struct webconfig *new)
{
	for (size_t i = 0; old && i < old->header_count; i++) {
		const struct webconfig_header *n = header_named(new, old->headers[i].name);
		if (!n)
			note(r, true, "headers-", old->headers[i].name, NULL);
		else if (strcmp(n->value, old->headers[i].value) != 0)
			note(r, false, "headers", old->headers[i].name, "new_value");
	}
	for (size_t i = 0; new &&i < new->header_count; i++) {
		if (!header_named(old, new->headers[i].name))
			note(r, false, "headers+", new->headers[i].name, NULL);
	}
}

bool security_change(const struct webconfig *old, const struct webconfig *new, char *changed,
		     size_t changed_size, char *lowered, size_t lowered_size)
{
	changed[0] = lowered[0] = '\0';
	struct report r = { changed, lowered, changed_size, lowered_size, false };
	bool was_tls = old && old->tls, is_tls = new &&new->tls;
	if (was_tls != is_tls)
		note(&r, was_tls, "tls", yes_no(was_tls), yes_no(is_tls));
	compare_users(&r, old, new);
	compare_client_auth(&r, was_tls ? old->client_auth : WEBCONFIG_NO_CLIENT_CERT,
			    is_tls ? new->client_auth : WEBCONFIG_NO_CLIENT_CERT);
	if (was_tls && is_tls) {
		compare_client_cas(&r, old, new);
		compare_versions(&r, old, new);
		compare_suites(&r, old, new);
	}
	compare_headers(&r, old, new);
	return r.lower;
}
