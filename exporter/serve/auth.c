#include <crypt.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/auth.h"

#define DIGEST_SIZE 32 /* SHA-256 */
/*
 * Only successes are cached, so the cache cannot be filled by guessing; a small ring is
 * plenty for the few scrapers of an exporter.
 */
#define CACHE_SLOTS 16

struct auth {
	atomic_uint refs;
	pthread_mutex_t lock;
	struct webconfig_user *users;
	size_t count;
	/*
	 * The hash an unknown user is checked against: the costliest user's own, so that the
	 * check costs what a real one costs and needs no bcrypt made in advance (the result is
	 * a refusal whatever the password). Start and reload run no bcrypt at all.
	 */
	const char *costliest;
	uint8_t cache[CACHE_SLOTS][DIGEST_SIZE];
	size_t cache_user[CACHE_SLOTS]; /* whose pair each slot holds, an index into users */
	bool cache_used[CACHE_SLOTS];
	size_t cache_next;
	unsigned long bcrypts;
	/*
	 * How long every check that needs a bcrypt takes, whoever asks: the slowest check
	 * against the costliest hash seen so far, with a quarter more for a busier moment. A
	 * user whose hash costs less, and a wrong password, wait out the rest, so that the time
	 * does not say which users exist whatever the mix of costs. 0 until the first check,
	 * which measures it (auth_check()); kept across reloads that keep the highest cost.
	 */
	uint64_t check_ns;
};

static bool equal_ct(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

static void free_users(struct webconfig_user *users, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(users[i].name);
		free(users[i].hash);
	}
	free(users);
}

void auth_ref(struct auth *a)
{
	atomic_fetch_add(&a->refs, 1);
}

void auth_unref(struct auth *a)
{
	if (!a || atomic_fetch_sub(&a->refs, 1) != 1)
		return;
	free_users(a->users, a->count);
	pthread_mutex_destroy(&a->lock);
	explicit_bzero(a, sizeof(*a));
	free(a);
}

static unsigned long cost_of(const char *hash)
{
	return strtoul(hash + 4, NULL, 10); /* "$2b$10$...": checked well-formed by the parser */
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Sleeps until @start + @check_ns. */
static void wait_out(uint64_t check_ns, uint64_t start)
{
	uint64_t end = start + check_ns, now;
	while ((now = now_ns()) < end) {
		uint64_t left = end - now;
		struct timespec t = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
		nanosleep(&t, NULL);
	}
}

/* The index of the user of @a named as @previous's user @i, with the same hash; or count. */
static size_t same_user(const struct auth *a, const struct auth *previous, size_t i)
{
	for (size_t j = 0; j < a->count; j++) {
		if (strcmp(a->users[j].name, previous->users[i].name) == 0 &&
		    strcmp(a->users[j].hash, previous->users[i].hash) == 0)
			return j;
	}
	return a->count;
}

/*
 * What @previous learnt that still holds: the remembered pairs of users whose hash did not
 * change (a wrong-password flood then cannot make a reload cost a scraper its pass), and
 * the time of a check when the highest cost is the same.
 */
static void carry_over(struct auth *a, struct auth *previous)
{
	pthread_mutex_lock(&previous->lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (!previous->cache_used[i])
			continue;
		size_t user = same_user(a, previous, previous->cache_user[i]);
		if (user == a->count)
			continue;
		memcpy(a->cache[a->cache_next], previous->cache[i], DIGEST_SIZE);
		a->cache_user[a->cache_next] = user;
		a->cache_used[a->cache_next] = true;
		a->cache_next = (a->cache_next + 1) % CACHE_SLOTS;
	}
	if (cost_of(previous->costliest) == cost_of(a->costliest))
		a->check_ns = previous->check_ns;
	pthread_mutex_unlock(&previous->lock);
}

/* Copies @count users into @a, noting the costliest. Returns 0 or -ENOMEM. */
static int copy_users(struct auth *a, const struct webconfig_user *users, size_t count)
{
	a->users = calloc(count, sizeof(*a->users));
	if (!a->users)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		char *name = strdup(users[i].name), *hash = strdup(users[i].hash);
		if (!name || !hash) {
			free(name);
			free(hash);
			return -ENOMEM;
		}
		a->users[a->count++] = (struct webconfig_user){ name, hash };
		if (!a->costliest || cost_of(hash) > cost_of(a->costliest))
			a->costliest = hash;
	}
	return 0;
}

int auth_new(const struct webconfig_user *users, size_t count, struct auth *previous,
	     struct auth **out)
{
	struct auth *a = count ? calloc(1, sizeof(*a)) : NULL;
	if (!a)
		return count ? -ENOMEM : -EINVAL;
	atomic_init(&a->refs, 1);
	pthread_mutex_init(&a->lock, NULL);
	if (copy_users(a, users, count) < 0) {
		auth_unref(a);
		return -ENOMEM;
	}
	if (previous)
		carry_over(a, previous);
	*out = a;
	return 0;
}

/* True when crypt_r(@password, @hash) gives @hash back. */
static bool bcrypt_matches(const char *password, const char *hash)
{
	struct crypt_data *data = calloc(1, sizeof(*data));
	if (!data)
		return false;
	const char *h = crypt_rn(password, hash, data, sizeof(*data));
	size_t len = strlen(hash);
	bool ok = h && h[0] == '$' && strlen(h) == len && equal_ct(h, hash, len);
	explicit_bzero(data, sizeof(*data));
	free(data);
	return ok;
}

/* SHA-256 of the lengths and bytes of user and password: unambiguous, whatever they hold. */
static int cache_key(const char *user, const char *password, uint8_t out[DIGEST_SIZE])
{
	size_t ul = strlen(user), pl = strlen(password);
	size_t n = 2 * sizeof(size_t) + ul + pl;
	uint8_t *buf = malloc(n);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &ul, sizeof(ul));
	memcpy(buf + sizeof(ul), user, ul);
	memcpy(buf + sizeof(ul) + ul, &pl, sizeof(pl));
	memcpy(buf + 2 * sizeof(ul) + ul, password, pl);
	int r = gnutls_hash_fast(GNUTLS_DIG_SHA256, buf, n, out);
	explicit_bzero(buf, n);
	free(buf);
	return r < 0 ? -EIO : 0;
}

static bool cache_has(struct auth *a, const uint8_t key[DIGEST_SIZE])
{
	bool found = false;
	pthread_mutex_lock(&a->lock);
	/* Every slot is compared, so the time does not depend on where a match is. */
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		found |= a->cache_used[i] & equal_ct(a->cache[i], key, DIGEST_SIZE);
	pthread_mutex_unlock(&a->lock);
	return found;
}

static void cache_add(struct auth *a, const uint8_t key[DIGEST_SIZE], size_t user)
{
	pthread_mutex_lock(&a->lock);
	memcpy(a->cache[a->cache_next], key, DIGEST_SIZE);
	a->cache_user[a->cache_next] = user;
	a->cache_used[a->cache_next] = true;
	a->cache_next = (a->cache_next + 1) % CACHE_SLOTS;
	pthread_mutex_unlock(&a->lock);
}

static const struct webconfig_user *find_user(const struct auth *a, const char *user)
{
	const struct webconfig_user *found = NULL;
	for (size_t i = 0; i < a->count; i++) {
		if (strcmp(a->users[i].name, user) == 0)
			found = &a->users[i];
	}
	return found;
}

int auth_check_cached(struct auth *a, const char *user, const char *password)
{
	uint8_t key[DIGEST_SIZE];
	if (!user || !password || !find_user(a, user) || cache_key(user, password, key) < 0)
		return -EAGAIN;
	return cache_has(a, key) ? 0 : -EAGAIN;
}

/* One bcrypt of @password against @hash, timed: the costliest hash's times make check_ns. */
static bool timed_bcrypt(struct auth *a, const char *password, const char *hash)
{
	uint64_t start = now_ns();
	bool ok = bcrypt_matches(password, hash);
	uint64_t took = now_ns() - start;
	pthread_mutex_lock(&a->lock);
	a->bcrypts++;
	if (hash == a->costliest && took + took / 4 > a->check_ns)
		a->check_ns = took + took / 4;
	pthread_mutex_unlock(&a->lock);
	return ok;
}

int auth_check(struct auth *a, const char *user, const char *password)
{
	if (!user)
		user = "";
	if (!password)
		password = "";
	const struct webconfig_user *found = find_user(a, user);
	uint8_t key[DIGEST_SIZE];
	bool keyed = cache_key(user, password, key) == 0;
	if (found && keyed && cache_has(a, key))
		return 0;
	uint64_t start = now_ns();
	const char *hash = found ? found->hash : a->costliest;
	/* The first check of a cheaper hash needs the floor first: one bcrypt of the costliest. */
	if (hash != a->costliest && auth_check_ns(a) == 0)
		(void)timed_bcrypt(a, "not the password of anybody", a->costliest);
	bool ok = timed_bcrypt(a, password, hash) && found;
	if (ok && keyed)
		cache_add(a, key, (size_t)(found - a->users));
	wait_out(auth_check_ns(a), start);
	return ok ? 0 : -EACCES;
}

uint64_t auth_check_ns(struct auth *a)
{
	pthread_mutex_lock(&a->lock);
	uint64_t ns = a->check_ns;
	pthread_mutex_unlock(&a->lock);
	return ns;
}

unsigned long auth_bcrypt_count(struct auth *a)
{
	pthread_mutex_lock(&a->lock);
	unsigned long n = a->bcrypts;
	pthread_mutex_unlock(&a->lock);
	return n;
}
