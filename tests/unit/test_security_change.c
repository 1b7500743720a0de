/* Specification of what a reload may change: logged always, refused when it lowers security. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "serve/security_change.h"

/* Two unrelated self-signed CA certificates (openssl req -x509, EC P-256), as test data. */
static const char ca_a[] = "-----BEGIN CERTIFICATE-----\n"
			   "MIIBfjCCASWgAwIBAgIURy1K5RkaeiC8Lmma6O+Qr3fMHZMwCgYIKoZIzj0EAwIw\n"
			   "FDESMBAGA1UEAwwJdGVzdCBDQSBhMCAXDTI2MTIwNzE3MjUxN1oYDzIxMjYxMTEz\n"
			   "MTcyNTE3WjAUMRIwEAYDVQQDDAl0ZXN0IENBIGEwWTATBgcqhkjOPQIBBggqhkjO\n"
			   "PQMBBwNCAARE/wVBgAfJAgvctJ5z8PLul1BEOl4cAPXpn+Br1N/FMtcCMa/1GqRE\n"
			   "nxM151efoYPs4WMf6VmPpUwDY9JGghQio1MwUTAdBgNVHQ4EFgQU2FBdqKriMTGn\n"
			   "qtv91AbpGfK4DYswHwYDVR0jBBgwFoAU2FBdqKriMTGnqtv91AbpGfK4DYswDwYD\n"
			   "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAzAvY6F3YsX0IDzvjPsNYR\n"
			   "ysbAOmyc2cz0CLlj6ZdGigIgVF1wr+YeMaSlsw5H2uGkDoy0OThf4f72okGA/R1m\n"
			   "4rU=\n"
			   "-----END CERTIFICATE-----\n";
static const char ca_b[] = "-----BEGIN CERTIFICATE-----\n"
			   "MIIBfzCCASWgAwIBAgIUMn47RvzTgM8DBgGpRDVFbxX1qdAwCgYIKoZIzj0EAwIw\n"
			   "FDESMBAGA1UEAwwJdGVzdCBDQSBiMCAXDTI2MTIwNzE3MjUxN1oYDzIxMjYxMTEz\n"
			   "MTcyNTE3WjAUMRIwEAYDVQQDDAl0ZXN0IENBIGIwWTATBgcqhkjOPQIBBggqhkjO\n"
			   "PQMBBwNCAASCAc0PXAOca1vv7cB0Zw0IPyGHokxmT4ZtybMAVJZHmFpRW8KVvyoS\n"
			   "bLbDaXj+y8F4lHwNvzRcgJYdC5ZxaIcOo1MwUTAdBgNVHQ4EFgQU0FQ5N+O83YDu\n"
			   "OUOh+Mxl56ZfiFgwHwYDVR0jBBgwFoAU0FQ5N+O83YDuOUOh+Mxl56ZfiFgwDwYD\n"
			   "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAvmM5Dvl9ujc7HmyoNSQR\n"
			   "OwP/ZCJV4UYctUa/faXy8FMCIG1CuxAj+K52DurTKSCGzjwzvaPltboKiirupeTG\n"
			   "dTns\n"
			   "-----END CERTIFICATE-----\n";

static char changed[1024], lowered[1024];

static bool lowers(const struct webconfig *old, const struct webconfig *new)
{
	return security_change(old, new, changed, sizeof(changed), lowered, sizeof(lowered));
}

static struct webconfig_user alice_bob[] = {
	{ "alice", "$2y$10$abcdefghijklmnopqrstuu5Mo1Xcjv6J8Gx1nTJ0HgWrkv.MpXFG" },
	{ "bob", "$2y$10$bbcdefghijklmnopqrstuu5Mo1Xcjv6J8Gx1nTJ0HgWrkv.MpXFG" },
};
static struct webconfig_header nosniff[] = { { "X-Content-Type-Options", "nosniff" } };

/* TLS 1.2 and 1.3 with the default suites, two users, one security header. */
static struct webconfig tls_auth(void)
{
	return (struct webconfig){ .tls = true,
				   .min_version = WEBCONFIG_TLS12,
				   .max_version = WEBCONFIG_TLS13,
				   .prefer_server_cipher_suites = true,
				   .users = alice_bob,
				   .user_count = 2,
				   .headers = nosniff,
				   .header_count = 1 };
}

static struct webconfig mtls(const char *ca)
{
	struct webconfig w = tls_auth();
	w.client_auth = WEBCONFIG_REQUIRE_AND_VERIFY_CLIENT_CERT;
	w.client_ca_file = "ca.pem";
	w.client_ca_pem = (char *)ca;
	return w;
}

static void an_empty_file_after_tls_and_auth_lowers_all(void **state)
{
	(void)state;
	struct webconfig old = tls_auth();
	assert_true(lowers(&old, NULL));
	assert_string_equal(lowered,
			    "tls=true->false basic_auth_users=2->0 headers-=X-Content-Type-Options");
	assert_string_equal(changed, lowered);
}

static void removing_auth_alone_or_tls_alone_lowers(void **state)
{
	(void)state;
	struct webconfig old = tls_auth(), new = tls_auth();
	new.user_count = 0;
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "basic_auth_users=2->0");
	new = tls_auth();
	new.tls = false;
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "tls=true->false");
}

static void client_certificates_no_longer_required_or_verified_lower(void **state)
{
	(void)state;
	static const enum webconfig_client_auth weaker[] = {
		WEBCONFIG_NO_CLIENT_CERT, WEBCONFIG_REQUEST_CLIENT_CERT,
		WEBCONFIG_REQUIRE_ANY_CLIENT_CERT, WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN
	};
	struct webconfig old = mtls(ca_a);
	for (size_t i = 0; i < sizeof(weaker) / sizeof(weaker[0]); i++) {
		struct webconfig new = mtls(ca_a);
		new.client_auth = weaker[i];
		assert_true(lowers(&old, &new));
		assert_non_null(strstr(lowered, "client_auth_type=RequireAndVerifyClientCert->"));
	}
}

/* The attack that was accepted: the client_ca_file line gone, the system's roots trusted. */
static void a_client_ca_trusted_that_was_not_lowers(void **state)
{
	(void)state;
	struct webconfig old = mtls(ca_a), new = mtls(ca_b);
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "client_ca=+1_certificates");
	new.client_ca_file = NULL; /* tls_load() put the system bundle in its place */
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "client_ca=system_bundle+1_certificates");
	char both[sizeof(ca_a) + sizeof(ca_b)];
	snprintf(both, sizeof(both), "%s%s", ca_b, ca_a);
	new = mtls(both);
	assert_true(lowers(&old, &new)); /* one more CA: more who can get in */
	assert_string_equal(lowered, "client_ca=+1_certificates");
	assert_false(lowers(&new, &old)); /* one CA fewer: fewer */
	assert_string_equal(changed, "client_ca=+0_certificates");
	/* A CA under the older "X509 CERTIFICATE" header, which GnuTLS's trust store reads too. */
	char x509[2 * sizeof(ca_a) + sizeof(ca_b) + 16];
	snprintf(x509, sizeof(x509), "%s%s", ca_a, ca_b);
	char *b = strstr(x509 + strlen(ca_a), "-----BEGIN CERTIFICATE-----");
	assert_non_null(b);
	memmove(b + 16, b + 11, strlen(b + 11) + 1); /* "-----BEGIN " then "X509 " */
	memcpy(b + 11, "X509 ", 5);
	char *e = strstr(b, "-----END CERTIFICATE-----");
	assert_non_null(e);
	memmove(e + 14, e + 9, strlen(e + 9) + 1);
	memcpy(e + 9, "X509 ", 5);
	new = mtls(x509);
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "client_ca=+1_certificates");
	char commented[sizeof(ca_a) + 32];
	snprintf(commented, sizeof(commented), "# our CA\n%s", ca_a);
	new = mtls(commented); /* the same certificates, written differently */
	assert_false(lowers(&old, &new));
}

static void older_or_fewer_tls_versions_lower(void **state)
{
	(void)state;
	struct webconfig old = tls_auth(), new = tls_auth();
	new.min_version = WEBCONFIG_TLS10;
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "min_version=TLS12->TLS10");
	new = tls_auth();
	new.max_version = WEBCONFIG_TLS12;
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "max_version=TLS13->TLS12");
	assert_false(lowers(&new, &old));
	assert_string_equal(changed, "max_version=TLS12->TLS13");
}

/* The other attack that was accepted: one static-RSA CBC suite, TLS 1.2 at most. */
static void a_suite_or_curve_allowed_that_was_not_lowers(void **state)
{
	(void)state;
	struct webconfig old = tls_auth(), new = tls_auth();
	new.ciphers[0] = 0; /* TLS_RSA_WITH_AES_128_CBC_SHA */
	new.cipher_count = 1;
	new.max_version = WEBCONFIG_TLS12;
	assert_true(lowers(&old, &new));
	assert_non_null(strstr(lowered, "max_version=TLS13->TLS12"));
	assert_non_null(strstr(lowered, "cipher_suites=+TLS_RSA_WITH_AES_128_CBC_SHA,-"));
	new = tls_auth();
	new.ciphers[0] = 13; /* TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: one of the defaults */
	new.cipher_count = 1;
	assert_false(lowers(&old, &new));
	assert_true(lowers(&new, &old)); /* the defaults again: more suites */
	new = tls_auth();
	new.curves[0] = 3; /* X25519 alone */
	new.curve_count = 1;
	assert_false(lowers(&old, &new));
	assert_true(lowers(&new, &old));
	assert_string_equal(lowered, "curve_preferences=defaults");
	struct webconfig two = new;
	two.curves[1] = 0;
	two.curve_count = 2;
	assert_true(lowers(&new, &two));
	assert_string_equal(lowered, "curve_preferences=+CurveP256");
	new = tls_auth();
	new.prefer_server_cipher_suites = false;
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "prefer_server_cipher_suites=true->false");
}

static void a_cheaper_hash_or_a_header_gone_lowers(void **state)
{
	(void)state;
	struct webconfig old = tls_auth(), new = tls_auth();
	struct webconfig_user cheap[] = { alice_bob[0], { "bob", "$2y$04$bbcdefghijklmnopq" } };
	new.users = cheap;
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "basic_auth_users.bob=cost10->cost4");
	new = tls_auth();
	new.header_count = 0;
	assert_true(lowers(&old, &new));
	assert_string_equal(lowered, "headers-=X-Content-Type-Options");
}

/* Rotating credentials and adding protection is what reloads are for: logged, applied. */
static void raising_or_rotating_is_logged_and_allowed(void **state)
{
	(void)state;
	assert_false(lowers(NULL, &(struct webconfig){ .tls = false }));
	assert_string_equal(changed, "");
	struct webconfig old = tls_auth(), new = tls_auth();
	assert_false(lowers(NULL, &old));
	assert_string_equal(changed, "tls=false->true basic_auth_users=0->2 "
				     "headers+=X-Content-Type-Options");
	assert_string_equal(lowered, "");
	assert_false(lowers(&old, &new));
	assert_string_equal(changed, "");
	struct webconfig_user rotated[] = { { "alice", "$2y$12$zzzdefghijklmnopq" },
					    { "carol", "$2y$10$cccdefghijklmnopq" } };
	new.users = rotated;
	struct webconfig_header hsts[] = { { "x-content-type-options", "nosniff2" },
					   { "Strict-Transport-Security", "max-age=600" } };
	new.headers = hsts;
	new.header_count = 2;
	assert_false(lowers(&old, &new));
	assert_string_equal(changed,
			    "basic_auth_users.alice=cost10->cost12 basic_auth_users+=carol "
			    "basic_auth_users-=bob headers=X-Content-Type-Options->new_value "
			    "headers+=Strict-Transport-Security");
	struct webconfig verify = tls_auth();
	verify.client_auth = WEBCONFIG_VERIFY_CLIENT_CERT_IF_GIVEN;
	verify.client_ca_pem = (char *)ca_a;
	assert_false(lowers(&old, &verify));
	assert_string_equal(changed, "client_auth_type=NoClientCert->VerifyClientCertIfGiven");
}

static void the_descriptions_are_truncated_to_their_buffers(void **state)
{
	(void)state;
	char small_changed[8], small_lowered[8];
	struct webconfig old = tls_auth();
	assert_true(security_change(&old, NULL, small_changed, sizeof(small_changed), small_lowered,
				    sizeof(small_lowered)));
	assert_int_equal(strlen(small_changed), 7);
	assert_int_equal(strlen(small_lowered), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_empty_file_after_tls_and_auth_lowers_all),
		cmocka_unit_test(removing_auth_alone_or_tls_alone_lowers),
		cmocka_unit_test(client_certificates_no_longer_required_or_verified_lower),
		cmocka_unit_test(a_client_ca_trusted_that_was_not_lowers),
		cmocka_unit_test(older_or_fewer_tls_versions_lower),
		cmocka_unit_test(a_suite_or_curve_allowed_that_was_not_lowers),
		cmocka_unit_test(a_cheaper_hash_or_a_header_gone_lowers),
		cmocka_unit_test(raising_or_rotating_is_logged_and_allowed),
		cmocka_unit_test(the_descriptions_are_truncated_to_their_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
