#ifndef TAINT_EXPORTER_AUTH_H
#define TAINT_EXPORTER_AUTH_H

/*
 * HTTP basic auth against the bcrypt hashes of a web config's basic_auth_users.
 *
 * bcrypt is slow on purpose (cost 10 is tens of milliseconds), and Prometheus may scrape every
 * second, so a good user/password pair is remembered: the cache holds SHA-256 digests of
 * (user, password), never the password, compared in constant time. An unknown user costs a
 * bcrypt against the costliest user's hash, and every check that needs a bcrypt lasts as long
 * as that one (auth_check_ns()), so the time taken does not say who exists, whatever the mix
 * of costs. auth_queue.h keeps that work off the serving threads.
 *
 * No bcrypt runs when a checker is made: a start or a reload costs no bcrypt whatever the
 * costs configured (three at the highest cost once did: 11 s at cost 16, days at 31). Every
 * bcrypt runs because a request asked for a check, at the cost of a configured hash.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/webconfig.h"

struct auth;

/*
 * auth_new() - the checker for @count (at least 1) users, copied: @users may be freed
 * afterwards. @previous (NULL at start), the checker it replaces on a reload, hands over the
 * pairs it remembers for users whose hash is unchanged, and the time of a check when the
 * highest cost is unchanged. Returns 0 and *@out (one reference, auth_unref()), -EINVAL for
 * no users, or -ENOMEM.
 */
int auth_new(const struct webconfig_user *users, size_t count, struct auth *previous,
	     struct auth **out);

/* auth_ref() - one more reference to @a: a check running on it keeps it. */
void auth_ref(struct auth *a);

/* auth_unref() - drop a reference to @a, freed with the last. NULL is ignored. */
void auth_unref(struct auth *a);

/*
 * auth_check() - whether @user and @password (NUL-terminated, either may be NULL for "absent")
 * are a configured user and their password. Thread-safe. Unless the pair is remembered, it
 * takes auth_check_ns() however it turns out: call it off the serving threads.
 * Returns 0 when they are, -EACCES when not.
 */
int auth_check(struct auth *a, const char *user, const char *password);

/*
 * auth_check_cached() - the fast path: 0 when @user and @password are a pair remembered from
 * an earlier successful check, -EAGAIN when only auth_check() can tell. No bcrypt, no wait.
 */
int auth_check_cached(struct auth *a, const char *user, const char *password);

/*
 * auth_check_ns() - how long each auth_check() that needs a bcrypt takes, at least: the
 * slowest check of the costliest hash so far, plus a quarter; 0 before the first check.
 */
uint64_t auth_check_ns(struct auth *a);

/* auth_bcrypt_count() - how many bcrypt computations auth_check() has done, for the tests. */
unsigned long auth_bcrypt_count(struct auth *a);

#endif
