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
	assert_int_equal(auth_new(users, 2, &a), 0);
	return a;
}

static void the_right_password_is_accepted(void **state)
{
	struct auth *a = two_users();
	assert_int_equal(auth_check(a, "alice", "alice's secret"), 0);
	assert_int_equal(auth_check(a, "bob", "hunter2"), 0);
	auth_free(a);
}

static void a_wrong_password_or_another_users_password_is_refused(void **state)
{
	struct auth *a = two_users();
	assert_int_equal(auth_check(a, "alice", "hunter2"), -EACCES);
	assert_int_equal(auth_check(a, "alice", "alice's secreT"), -EACCES);
	assert_int_equal(auth_check(a, "alice", ""), -EACCES);
	assert_int_equal(auth_check(a, "alice", NULL), -EACCES);
	assert_int_equal(auth_check(a, "Alice", "alice's secret"), -EACCES);
	auth_free(a);
}

static void an_unknown_user_is_refused_after_a_bcrypt_all_the_same(void **state)
{
	struct auth *a = two_users();
	unsigned long before = auth_bcrypt_count(a);
	assert_int_equal(auth_check(a, "mallory", "alice's secret"), -EACCES);
	assert_int_equal(auth_check(a, NULL, NULL), -EACCES);
	/* The dummy check costs a bcrypt too, so timing does not tell who exists. */
	assert_int_equal(auth_bcrypt_count(a), before + 2);
	auth_free(a);
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
	auth_free(a);
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
	assert_int_equal(auth_new(users, 1, &a), 0);
	assert_int_equal(auth_check(a, "carol", longpw), 0);
	assert_int_equal(auth_check(a, "carol", "x"), -EACCES);
	auth_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_right_password_is_accepted),
		cmocka_unit_test(a_wrong_password_or_another_users_password_is_refused),
		cmocka_unit_test(an_unknown_user_is_refused_after_a_bcrypt_all_the_same),
		cmocka_unit_test(a_good_password_is_cached_a_bad_one_never),
		cmocka_unit_test(a_password_longer_than_72_bytes_is_checked_as_bcrypt_does),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
