/*
 * Specification of --kernel.vendor=auto: the layout chosen from a kernel release string, and
 * from fixture trees standing in for /proc and /sys (tests/fixtures/vendor-*).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/vendor.h"
#include "fixture.h"
#include "read/vendor.h"

static void osrelease_is(const char *osrelease, const char *expected_id)
{
	const struct taint_layout *l = vendor_from_osrelease(osrelease);
	const char *got = l ? l->id : "(none)";
	const char *want = expected_id ? expected_id : "(none)";
	if (strcmp(got, want) != 0)
		fail_msg("osrelease \"%s\": expected layout %s, got %s", osrelease, want, got);
}

static void red_hat_dist_tags_pick_their_layout(void **state)
{
	osrelease_is("3.10.0-1160.el7.x86_64", "rhel7");
	osrelease_is("3.10.0-1160.el7.x86_64\n", "rhel7"); /* as read from the file */
	osrelease_is("2.6.32-754.el6.x86_64", "rhel7");
	osrelease_is("4.18.0-477.10.1.el8_8.x86_64", "rhel8");
	osrelease_is("4.18.0-80.el8.x86_64", "rhel8");
	osrelease_is("5.14.0-362.8.1.el9_3.x86_64", "rhel9");
	osrelease_is("5.14.0-70.13.1.el9_0.aarch64", "rhel9");
}

static void other_releases_name_no_vendor(void **state)
{
	osrelease_is("6.1.0-18-amd64", NULL);
	osrelease_is("6.8.0-45-generic", NULL);
	osrelease_is("5.14.21-150500.55.39-default", NULL); /* SUSE: told by its files instead */
	osrelease_is("6.11.4-301.fc41.x86_64", NULL);
	osrelease_is("5.4.17-2136.330.7.1.el7uek.x86_64", NULL); /* Oracle UEK: not Red Hat's */
	osrelease_is("5.15.0-200.131.27.el9uek.x86_64", NULL);
	osrelease_is("", NULL);
}

/* Runs vendor_detect() on FIXTURES/<tree>/proc and .../sys. */
static void tree_is(const char *tree, const char *expected_id)
{
	int procfs = fixture_open(tree, "proc");
	int sysfs = fixture_open(tree, "sys");
	const char *reason = NULL;
	const struct taint_layout *l = vendor_detect(procfs, sysfs, &reason);
	close(procfs);
	close(sysfs);

	if (!l)
		fail_msg("tree %s: expected layout %s, got none", tree, expected_id);
	if (strcmp(l->id, expected_id) != 0)
		fail_msg("tree %s: expected layout %s, got %s (%s)", tree, expected_id, l->id,
			 reason ? reason : "no reason");
	if (!reason || !reason[0])
		fail_msg("tree %s: expected a reason for the start-up log", tree);
}

static void detects_rhel6_and_rhel7_trees_as_rhel7(void **state)
{
	tree_is("vendor-rhel6", "rhel7");
	tree_is("vendor-rhel7", "rhel7");
}

static void detects_rhel8_tree(void **state)
{
	tree_is("vendor-rhel8", "rhel8");
}

static void detects_rhel9_tree(void **state)
{
	tree_is("vendor-rhel9", "rhel9");
}

static void detects_suse_by_proc_sys_kernel_unsupported(void **state)
{
	tree_is("vendor-suse-unsupported", "suse");
}

static void detects_suse_by_sys_kernel_supported(void **state)
{
	tree_is("vendor-suse-supported", "suse");
}

static void a_plain_upstream_release_is_upstream(void **state)
{
	tree_is("vendor-upstream", "upstream");
}

static void a_missing_osrelease_is_upstream(void **state)
{
	tree_is("vendor-no-osrelease", "upstream");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(red_hat_dist_tags_pick_their_layout),
		cmocka_unit_test(other_releases_name_no_vendor),
		cmocka_unit_test(detects_rhel6_and_rhel7_trees_as_rhel7),
		cmocka_unit_test(detects_rhel8_tree),
		cmocka_unit_test(detects_rhel9_tree),
		cmocka_unit_test(detects_suse_by_proc_sys_kernel_unsupported),
		cmocka_unit_test(detects_suse_by_sys_kernel_supported),
		cmocka_unit_test(a_plain_upstream_release_is_upstream),
		cmocka_unit_test(a_missing_osrelease_is_upstream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
