#include <crypt.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
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
	pthread_mutex_t lock;
	struct webconfig_user *users;
	size_t count;
	char dummy_hash[CRYPT_OUTPUT_SIZE];
	uint8_t cache[CACHE_SLOTS][DIGEST_SIZE];
	bool cache_used[CACHE_SLOTS];
	size_t cache_next;
	unsigned long bcrypts;
	/*
	 * How long every check that needs a bcrypt takes, whoever asks: the dummy's bcrypt at
	 * the highest cost, as measured when the checker was made, with a margin. A user whose
	 * hash costs less, and a wrong password, wait out the rest, so that the time does not
	 * say which users exist whatever the mix of costs.
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

void auth_free(struct auth *a)
{
	if (!a)
		return;
	free_users(a->users, a->count);
	pthread_mutex_destroy(&a->lock);
	explicit_bzero(a, sizeof(*a));
	free(a);
}

/* The highest cost among the users, so the dummy check costs what a real one costs. */
static unsigned long max_cost(const struct webconfig_user *users, size_t count)
{
	unsigned long cost = 10;
	for (size_t i = 0; i < count; i++) {
		unsigned long c = strtoul(users[i].hash + 4, NULL, 10);
		if (i == 0 || c > cost)
			cost = c;
	}
	return cost;
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Sleeps until @start + @a->check_ns. */
static void wait_out(const struct auth *a, uint64_t start)
{
	uint64_t end = start + a->check_ns, now;
	while ((now = now_ns()) < end) {
		uint64_t left = end - now;
		struct timespec t = { (time_t)(left / 1000000000u), (long)(left % 1000000000u) };
		nanosleep(&t, NULL);
	}
}

static int make_dummy(struct auth *a)
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	if (!crypt_gensalt_rn("$2b$", max_cost(a->users, a->count), NULL, 0, salt, sizeof(salt)))
		return -EIO;
	struct crypt_data *data = calloc(1, sizeof(*data));
	if (!data)
		return -ENOMEM;
	const char *h = crypt_rn("not the password of anybody", salt, data, sizeof(*data));
	int ret = -EIO;
	if (h && h[0] == '$' && strlen(h) < sizeof(a->dummy_hash)) {
		strcpy(a->dummy_hash, h);
		ret = 0;
	}
	/* The slowest of two checks against it, and a quarter more for a busier moment. */
	for (int i = 0; ret == 0 && i < 2; i++) {
		uint64_t start = now_ns();
		(void)crypt_rn("not the password of anybody", a->dummy_hash, data, sizeof(*data));
		uint64_t took = now_ns() - start;
		if (took > a->check_ns)
			a->check_ns = took;
	}
	a->check_ns += a->check_ns / 4;
	free(data);
	return ret;
}

int auth_new(const struct webconfig_user *users, size_t count, struct auth **out)
{
	struct auth *a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	pthread_mutex_init(&a->lock, NULL);
	a->users = calloc(count ? count : 1, sizeof(*a->users));
	if (!a->users) {
		auth_free(a);
		return -ENOMEM;
	}
	for (; a->count < count; a->count++) {
		a->users[a->count].name = strdup(users[a->count].name);
		a->users[a->count].hash = strdup(users[a->count].hash);
		if (!a->users[a->count].name || !a->users[a->count].hash) {
			a->count++;
			auth_free(a);
			return -ENOMEM;
		}
	}
	int ret = make_dummy(a);
	if (ret < 0) {
		auth_free(a);
		return ret;
	}
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

static void cache_add(struct auth *a, const uint8_t key[DIGEST_SIZE])
{
	pthread_mutex_lock(&a->lock);
	memcpy(a->cache[a->cache_next], key, DIGEST_SIZE);
	a->cache_used[a->cache_next] = true;
	a->cache_next = (a->cache_next + 1) % CACHE_SLOTS;
	pthread_mutex_unlock(&a->lock);
}

static void count_bcrypt(struct auth *a)
{
	pthread_mutex_lock(&a->lock);
	a->bcrypts++;
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
	count_bcrypt(a);
	bool ok = bcrypt_matches(password, found ? found->hash : a->dummy_hash) && found;
	if (ok && keyed)
		cache_add(a, key);
	wait_out(a, start);
	return ok ? 0 : -EACCES;
}

uint64_t auth_check_ns(const struct auth *a)
{
	return a->check_ns;
}

unsigned long auth_bcrypt_count(struct auth *a)
{
	pthread_mutex_lock(&a->lock);
	unsigned long n = a->bcrypts;
	pthread_mutex_unlock(&a->lock);
	return n;
}
