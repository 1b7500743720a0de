/*
 * Specification of the GLIBC_TUNABLES value the server executes itself with: the tcache
 * turned off, after whatever tunables were already set; nothing changed when the variable
 * already names the tcache count (the operator's value, or ours after the exec, so the exec
 * happens once); a value too long for the buffer refused whole.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "malloc_settings.h"

static void unset_becomes_the_tcache_setting_alone(void **state)
{
	char out[64];
	assert_int_equal(malloc_tunables_with_tcache_off(NULL, out, sizeof(out)), 1);
	assert_string_equal(out, "glibc.malloc.tcache_count=0");
}

static void empty_becomes_the_tcache_setting_alone(void **state)
{
	char out[64];
	assert_int_equal(malloc_tunables_with_tcache_off("", out, sizeof(out)), 1);
	assert_string_equal(out, "glibc.malloc.tcache_count=0");
}

static void other_tunables_are_kept_before_it(void **state)
{
	char out[128];
	assert_int_equal(malloc_tunables_with_tcache_off("glibc.malloc.arena_max=2:glibc.rtld.nns=4",
							 out, sizeof(out)),
			 1);
	assert_string_equal(out, "glibc.malloc.arena_max=2:glibc.rtld.nns=4:"
				 "glibc.malloc.tcache_count=0");
}

static void an_operators_tcache_count_wins_wherever_it_is(void **state)
{
	static const char *const given[] = {
		"glibc.malloc.tcache_count=7",
		"glibc.malloc.tcache_count=0",
		"glibc.malloc.arena_max=2:glibc.malloc.tcache_count=7",
		"glibc.malloc.tcache_count=7:glibc.malloc.arena_max=2",
	};
	for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
		char out[128] = "untouched";
		assert_int_equal(malloc_tunables_with_tcache_off(given[i], out, sizeof(out)), 0);
		assert_string_equal(out, "untouched");
	}
}

static void names_that_only_start_alike_do_not_count(void **state)
{
	char out[128];
	/* tcache_max and tcache_unsorted_limit are other tunables; a bare name sets nothing. */
	assert_int_equal(malloc_tunables_with_tcache_off("glibc.malloc.tcache_max=64", out,
							 sizeof(out)),
			 1);
	assert_string_equal(out, "glibc.malloc.tcache_max=64:glibc.malloc.tcache_count=0");
	assert_int_equal(malloc_tunables_with_tcache_off("glibc.malloc.tcache_count", out,
							 sizeof(out)),
			 1);
	assert_string_equal(out, "glibc.malloc.tcache_count:glibc.malloc.tcache_count=0");
	assert_int_equal(malloc_tunables_with_tcache_off("xglibc.malloc.tcache_count=7", out,
							 sizeof(out)),
			 1);
}

static void a_value_that_does_not_fit_is_refused(void **state)
{
	char out[28]; /* "glibc.malloc.tcache_count=0" and its NUL fit exactly */
	assert_int_equal(malloc_tunables_with_tcache_off(NULL, out, sizeof(out)), 1);
	assert_int_equal(malloc_tunables_with_tcache_off(NULL, out, sizeof(out) - 1), -ENAMETOOLONG);
	assert_int_equal(malloc_tunables_with_tcache_off("glibc.malloc.arena_max=2", out,
							 sizeof(out)),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unset_becomes_the_tcache_setting_alone),
		cmocka_unit_test(empty_becomes_the_tcache_setting_alone),
		cmocka_unit_test(other_tunables_are_kept_before_it),
		cmocka_unit_test(an_operators_tcache_count_wins_wherever_it_is),
		cmocka_unit_test(names_that_only_start_alike_do_not_count),
		cmocka_unit_test(a_value_that_does_not_fit_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
