/* Specification of what a reload may change: logged always, refused when it lowers security. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "serve/security_change.h"

static const struct security_level plain = { false, 0, WEBCONFIG_NO_CLIENT_CERT, WEBCONFIG_TLS12 };
static const struct security_level tls_auth = { true, 2, WEBCONFIG_NO_CLIENT_CERT, WEBCONFIG_TLS12 };
static const struct security_level mtls = { true, 0, WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT,
					    WEBCONFIG_TLS13 };

static bool lowers(const struct security_level *old, const struct security_level *new,
		   char *changed, char *lowered)
{
	return security_change(old, new, changed, 256, lowered, 256);
}

static void no_web_config_is_plain_http_without_auth(void **state)
{
	(void)state;
	struct security_level l;
	security_level_of(NULL, &l);
	assert_false(l.tls);
	assert_int_equal(l.users, 0);
	assert_int_equal(l.client_auth, plain.client_auth);
	struct webconfig web = { .tls = false,
				 .user_count = 1,
				 .client_auth = WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT };
	security_level_of(&web, &l);
	assert_false(l.tls);
	assert_int_equal(l.users, 1);
	assert_int_equal(l.client_auth, WEBCONFIG_NO_CLIENT_CERT); /* no TLS: no certificates */
}

static void an_empty_file_after_tls_and_auth_lowers_both(void **state)
{
	(void)state;
	char changed[256], lowered[256];
	assert_true(lowers(&tls_auth, &plain, changed, lowered));
	assert_string_equal(lowered, "tls=true->false basic_auth_users=2->0");
	assert_string_equal(changed, "tls=true->false basic_auth_users=2->0");
}

static void removing_auth_alone_or_tls_alone_lowers(void **state)
{
	(void)state;
	char changed[256], lowered[256];
	struct security_level no_auth = tls_auth;
	no_auth.users = 0;
	assert_true(lowers(&tls_auth, &no_auth, changed, lowered));
	assert_string_equal(lowered, "basic_auth_users=2->0");
	struct security_level auth_no_tls = tls_auth;
	auth_no_tls.tls = false;
	assert_true(lowers(&tls_auth, &auth_no_tls, changed, lowered));
	assert_string_equal(lowered, "tls=true->false");
}

static void client_certificates_no_longer_required_or_verified_lower(void **state)
{
	(void)state;
	char changed[256], lowered[256];
	static const enum webconfig_client_auth weaker[] = {
		WEBCONFIG_NO_CLIENT_CERT, WEBCONFIG_REQUEST_CLIENT_CERT,
		WEBCONFIG_REQUIRE_ANY_CLIENT_CERT, WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN
	};
	for (size_t i = 0; i < sizeof(weaker) / sizeof(weaker[0]); i++) {
		struct security_level next = mtls;
		next.client_auth = weaker[i];
		assert_true(lowers(&mtls, &next, changed, lowered));
		assert_non_null(strstr(lowered, "client_auth_type=RequireAndVerifyClientCert->"));
	}
	struct security_level older = mtls;
	older.min_version = WEBCONFIG_TLS12;
	assert_true(lowers(&mtls, &older, changed, lowered));
	assert_string_equal(lowered, "min_version=TLS13->TLS12");
}

static void raising_or_keeping_security_is_logged_and_allowed(void **state)
{
	(void)state;
	char changed[256], lowered[256];
	assert_false(lowers(&plain, &tls_auth, changed, lowered));
	assert_string_equal(changed, "tls=false->true basic_auth_users=0->2");
	assert_string_equal(lowered, "");
	assert_false(lowers(&tls_auth, &tls_auth, changed, lowered));
	assert_string_equal(changed, "");
	struct security_level one_user = tls_auth;
	one_user.users = 1; /* still basic auth */
	assert_false(lowers(&tls_auth, &one_user, changed, lowered));
	assert_string_equal(changed, "basic_auth_users=2->1");
	struct security_level verify = tls_auth;
	verify.client_auth = WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN;
	assert_false(lowers(&tls_auth, &verify, changed, lowered));
	assert_string_equal(changed, "client_auth_type=NoClientCert->VerifyClientCertIfGiven");
}

static void the_descriptions_are_truncated_to_their_buffers(void **state)
{
	(void)state;
	char changed[8], lowered[8];
	assert_true(security_change(&tls_auth, &plain, changed, sizeof(changed), lowered,
				    sizeof(lowered)));
	assert_int_equal(strlen(changed), 7);
	assert_int_equal(strlen(lowered), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_web_config_is_plain_http_without_auth),
		cmocka_unit_test(an_empty_file_after_tls_and_auth_lowers_both),
		cmocka_unit_test(removing_auth_alone_or_tls_alone_lowers),
		cmocka_unit_test(client_certificates_no_longer_required_or_verified_lower),
		cmocka_unit_test(raising_or_keeping_security_is_logged_and_allowed),
		cmocka_unit_test(the_descriptions_are_truncated_to_their_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
