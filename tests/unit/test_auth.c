/* Specification of basic auth against bcrypt hashes: right, wrong, unknown, and the cache. */
#include <crypt.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "serve/auth.h"

/* A fresh bcrypt hash of @password at @cost, made here so no test depends on a fixed salt. */
static void make_hash(const char *password, unsigned long cost, char out[CRYPT_OUTPUT_SIZE])
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	assert_non_null(crypt_gensalt_rn("$2b$", cost, NULL, 0, salt, sizeof(salt)));
	struct crypt_data data;
	memset(&data, 0, sizeof(data));
	const char *h = crypt_r(password, salt, &data);
	assert_non_null(h);
	assert_int_equal(h[0], '$');
	strcpy(out, h);
}

static struct auth *two_users(void)
{
	static char alice[CRYPT_OUTPUT_SIZE], bob[CRYPT_OUTPUT_SIZE];
	make_hash("alice's secret", 4, alice);
	make_hash("hunter2", 5, bob);
	struct webconfig_user users[] = { { "alice", alice }, { "bob", bob } };
	struct auth *a = NULL;
	assert_int_equal(auth_new(users, 2, NULL, &a), 0);
	return a;
}

static void the_right_password_is_accepted(void **state)
{
	struct auth *a = two_users();
	assert_int_equal(auth_check(a, "alice", "alice's secret"), 0);
	assert_int_equal(auth_check(a, "bob", "hunter2"), 0);
	auth_unref(a);
}

static void a_wrong_password_or_another_users_password_is_refused(void **state)
{
	struct auth *a = two_users();
	assert_int_equal(auth_check(a, "alice", "hunter2"), -EACCES);
	assert_int_equal(auth_check(a, "alice", "alice's secreT"), -EACCES);
	assert_int_equal(auth_check(a, "alice", ""), -EACCES);
	assert_int_equal(auth_check(a, "alice", NULL), -EACCES);
	assert_int_equal(auth_check(a, "Alice", "alice's secret"), -EACCES);
	auth_unref(a);
}

static void an_unknown_user_is_refused_after_a_bcrypt_all_the_same(void **state)
{
	struct auth *a = two_users();
	unsigned long before = auth_bcrypt_count(a);
	assert_int_equal(auth_check(a, "mallory", "alice's secret"), -EACCES);
	assert_int_equal(auth_check(a, NULL, NULL), -EACCES);
	/* Checked against the costliest user's hash: a bcrypt too, so time tells nobody apart. */
	assert_int_equal(auth_bcrypt_count(a), before + 2);
	auth_unref(a);
}

static void a_good_password_is_cached_a_bad_one_never(void **state)
{
	struct auth *a = two_users();
	assert_int_equal(auth_check(a, "bob", "hunter2"), 0);
	unsigned long after_first = auth_bcrypt_count(a);
	for (int i = 0; i < 100; i++)
		assert_int_equal(auth_check(a, "bob", "hunter2"), 0);
	assert_int_equal(auth_bcrypt_count(a), after_first);
	/* A wrong password costs a bcrypt every time: guessing cannot fill the cache. */
	assert_int_equal(auth_check(a, "bob", "hunter3"), -EACCES);
	assert_int_equal(auth_check(a, "bob", "hunter3"), -EACCES);
	assert_int_equal(auth_bcrypt_count(a), after_first + 2);
	/* The cache is keyed by user and password together. */
	assert_int_equal(auth_check(a, "alice", "hunter2"), -EACCES);
	auth_unref(a);
}

static void a_password_longer_than_72_bytes_is_checked_as_bcrypt_does(void **state)
{
	char longpw[101];
	memset(longpw, 'x', 100);
	longpw[100] = '\0';
	char hash[CRYPT_OUTPUT_SIZE];
	make_hash(longpw, 4, hash);
	struct webconfig_user users[] = { { "carol", hash } };
	struct auth *a = NULL;
	assert_int_equal(auth_new(users, 1, NULL, &a), 0);
	assert_int_equal(auth_check(a, "carol", longpw), 0);
	assert_int_equal(auth_check(a, "carol", "x"), -EACCES);
	auth_unref(a);
}

/*
 * Making a checker runs no bcrypt, whatever the costs: a start or a reload with a hash of
 * cost 31 returns at once (it ran three bcrypts at that cost before: days). The time of a
 * check is learnt from the first one.
 */
static void making_a_checker_runs_no_bcrypt(void **state)
{
	struct webconfig_user users[] = {
		{ "slow", "$2b$31$abcdefghijklmnopqrstuu5Mo1Xcjv6J8Gx1nTJ0HgWrkv.MpXFG" },
	};
	struct auth *a = NULL;
	assert_int_equal(auth_new(users, 1, NULL, &a), 0);
	assert_int_equal(auth_bcrypt_count(a), 0);
	assert_int_equal(auth_check_ns(a), 0);
	auth_unref(a);
	assert_int_equal(auth_new(users, 0, NULL, &a), -EINVAL);
}

/* A cheaper hash checked first: the costliest is timed once before, so the floor holds. */
static void the_first_check_of_a_cheaper_hash_times_the_costliest(void **state)
{
	struct auth *a = two_users();
	assert_int_equal(auth_check(a, "alice", "alice's secret"), 0);
	assert_int_equal(auth_bcrypt_count(a), 2);
	assert_true(auth_check_ns(a) > 0);
	assert_int_equal(auth_check(a, "alice", "wrong"), -EACCES);
	assert_int_equal(auth_bcrypt_count(a), 3);
	auth_unref(a);
}

/*
 * A reload keeps the pairs remembered for users whose hash is unchanged, so that a flood of
 * wrong passwords at the time of a SIGHUP does not cost a scraper its pass; a new hash's
 * pair is forgotten, as is a user gone.
 */
static void a_reload_keeps_what_still_holds(void **state)
{
	char alice[CRYPT_OUTPUT_SIZE], bob[CRYPT_OUTPUT_SIZE], alice2[CRYPT_OUTPUT_SIZE];
	make_hash("alice's secret", 4, alice);
	make_hash("hunter2", 5, bob);
	make_hash("alice's secret", 4, alice2); /* the same password, another salt */
	struct webconfig_user before[] = { { "alice", alice }, { "bob", bob } };
	struct webconfig_user after[] = { { "bob", bob }, { "alice", alice2 } };
	struct auth *a = NULL, *b = NULL, *c = NULL;
	assert_int_equal(auth_new(before, 2, NULL, &a), 0);
	assert_int_equal(auth_check(a, "alice", "alice's secret"), 0);
	assert_int_equal(auth_check(a, "bob", "hunter2"), 0);
	assert_int_equal(auth_new(after, 2, a, &b), 0);
	assert_int_equal(auth_check_cached(b, "bob", "hunter2"), 0);
	assert_int_equal(auth_check_cached(b, "alice", "alice's secret"), -EAGAIN);
	assert_int_equal(auth_check_ns(b), auth_check_ns(a)); /* the same highest cost */
	assert_int_equal(auth_bcrypt_count(b), 0);
	assert_int_equal(auth_new(after, 1, b, &c), 0); /* alice gone, bob stays */
	assert_int_equal(auth_check_cached(c, "bob", "hunter2"), 0);
	auth_unref(c);
	auth_unref(b);
	auth_unref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_right_password_is_accepted),
		cmocka_unit_test(a_wrong_password_or_another_users_password_is_refused),
		cmocka_unit_test(an_unknown_user_is_refused_after_a_bcrypt_all_the_same),
		cmocka_unit_test(a_good_password_is_cached_a_bad_one_never),
		cmocka_unit_test(a_password_longer_than_72_bytes_is_checked_as_bcrypt_does),
		cmocka_unit_test(making_a_checker_runs_no_bcrypt),
		cmocka_unit_test(the_first_check_of_a_cheaper_hash_times_the_costliest),
		cmocka_unit_test(a_reload_keeps_what_still_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
