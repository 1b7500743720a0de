/*
 * Specification of --kernel.vendor=auto: the layout chosen from a kernel release string, and
 * from fixture trees standing in for /proc and /sys (tests/fixtures/vendor-*).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "decode/vendor.h"
#include "fixture.h"
#include "read/vendor.h"

static void osrelease_is(const char *osrelease, const char *expected_id)
{
	const char *reason = NULL;
	const struct taint_layout *l = vendor_from_osrelease(osrelease, &reason);
	if (l && (!reason || !strstr(reason, "Red Hat dist tag")))
		fail_msg("osrelease \"%s\": the reason should say what was found: %s", osrelease,
			 reason ? reason : "(none)");
	const char *got = l ? l->id : "(none)";
	const char *want = expected_id ? expected_id : "(none)";
	if (strcmp(got, want) != 0)
		fail_msg("osrelease \"%s\": expected layout %s, got %s", osrelease, want, got);
}

/* Red Hat's tables changed between minor releases: the build number tells them apart. */
static void red_hat_dist_tags_and_builds_pick_their_layout(void **state)
{
	osrelease_is("3.10.0-1160.el7.x86_64", "rhel7.3");
	osrelease_is("3.10.0-1160.el7.x86_64\n", "rhel7.3"); /* as read from the file */
	osrelease_is("3.10.0-514.el7.x86_64", "rhel7.3");
	osrelease_is("3.10.0-513.el7.x86_64", "rhel7.2");
	osrelease_is("3.10.0-327.36.3.el7.x86_64", "rhel7.2");
	osrelease_is("3.10.0-326.el7.x86_64", "rhel7.0");
	osrelease_is("3.10.0-123.el7.x86_64", "rhel7.0");
	osrelease_is("2.6.32-754.35.1.el6.x86_64", "rhel6.7");
	osrelease_is("2.6.32-573.el6.x86_64", "rhel6.7");
	osrelease_is("2.6.32-504.16.2.el6.x86_64", "rhel6.3");
	osrelease_is("2.6.32-279.el6.x86_64", "rhel6.3");
	osrelease_is("2.6.32-220.el6.x86_64", "rhel6.1");
	osrelease_is("2.6.32-131.0.15.el6.x86_64", "rhel6.1");
	osrelease_is("2.6.32-71.el6.x86_64", "rhel6.0");
	osrelease_is("4.18.0-477.10.1.el8_8.x86_64", "rhel8");
	osrelease_is("4.18.0-80.el8.x86_64", "rhel8");
	osrelease_is("5.14.0-570.12.1.el9_6.x86_64", "rhel9.3"); /* newer than read: newest */
	osrelease_is("5.14.0-362.8.1.el9_3.x86_64", "rhel9.3");
	osrelease_is("5.14.0-284.11.1.el9_2.x86_64", "rhel9.2");
	osrelease_is("5.14.0-162.6.1.el9_1.x86_64", "rhel9.0");
	osrelease_is("5.14.0-70.13.1.el9_0.aarch64", "rhel9.0");
	osrelease_is("5.14.0.el9", "rhel9.3"); /* no build number: the newest of the tag */
	osrelease_is("3.10.0-1062.el7.x86_64", "rhel7.3"); /* 7.7: a build above 1000 */
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

static void detects_rhel6_and_rhel7_trees(void **state)
{
	tree_is("vendor-rhel6", "rhel6.7");
	tree_is("vendor-rhel7", "rhel7.3");
}

static void detects_rhel8_tree(void **state)
{
	tree_is("vendor-rhel8", "rhel8");
}

static void detects_rhel9_tree(void **state)
{
	tree_is("vendor-rhel9", "rhel9.3");
}

/* SUSE kernels by their files, each generation by its release (SUSE moved its two bits). */
static void detects_suse_by_proc_sys_kernel_unsupported(void **state)
{
	tree_is("vendor-suse-unsupported", "suse-5.3"); /* 5.14.21, SLE 15 SP5 */
	tree_is("vendor-suse12", "suse-4.12"); /* 4.12.14-122, SLE 12 SP5 */
	tree_is("vendor-suse-ambiguous", "suse-ambiguous"); /* 5.1.16, a 2019 Tumbleweed */
}

static void detects_suse_by_sys_kernel_supported(void **state)
{
	tree_is("vendor-suse-supported", "suse-6.0"); /* 6.4.0, SLE 15 SP6 */
	tree_is("vendor-suse15", "suse-5.3"); /* 5.3.18, SLE 15 SP2 */
}

static void suse_is(const char *osrelease, const char *expected_id)
{
	const char *reason = NULL;
	const struct taint_layout *l = vendor_suse_generation(osrelease, &reason);
	if (!l || strcmp(l->id, expected_id) != 0)
		fail_msg("SUSE release \"%s\": expected layout %s, got %s",
			 osrelease ? osrelease : "(none)", expected_id, l ? l->id : "(none)");
	if (!reason || !strstr(reason, "SUSE-only file present"))
		fail_msg("SUSE release \"%s\": the reason should say what was found: %s",
			 osrelease ? osrelease : "(none)", reason ? reason : "(none)");
}

/* The kernel lines whose tables were read (docs/taint-bits.md); any other is ambiguous. */
static void each_suse_generation_by_its_release(void **state)
{
	suse_is("2.6.16.60-0.21-smp", "suse-ambiguous"); /* SLE 10: no table read */
	suse_is("2.6.27.19-5-default", "suse-ambiguous"); /* SLE 11 GA: no table read */
	suse_is("2.6.32.12-0.7-default", "suse-2.6.32"); /* SLE 11 SP1 */
	suse_is("3.0.101-63-default", "suse-3.0"); /* SLE 11 SP4 */
	suse_is("3.1.10-1.29-desktop", "suse-ambiguous"); /* openSUSE 12.1 */
	suse_is("3.12.28-4-default", "suse-3.12"); /* SLE 12 GA */
	suse_is("3.16.7-53-desktop", "suse-ambiguous");
	suse_is("4.4.21-69-default", "suse-4.4"); /* SLE 12 SP2 */
	suse_is("4.12.14-122.37-default", "suse-4.12"); /* SLE 12 SP5 */
	suse_is("4.12.14-195-default", "suse-4.12"); /* SLE 15 SP1 */
	suse_is("4.19.0", "suse-ambiguous");
	suse_is("5.2.21-1-default", "suse-ambiguous");
	suse_is("5.3.18-59.37-default", "suse-5.3"); /* SLE 15 SP2/SP3 */
	suse_is("5.14.21-150500.55.39-default", "suse-5.3"); /* SLE 15 SP4/SP5 */
	suse_is("5.19.8-1-default", "suse-5.3");
	suse_is("6.0.0-1-default", "suse-6.0");
	suse_is("6.4.0-150600.23.7-default", "suse-6.0"); /* SLE 15 SP6 */
	suse_is("6.12.0-160000.5-default", "suse-6.0"); /* SLE 16 */
	suse_is("garbage", "suse-ambiguous");
	suse_is("", "suse-ambiguous");
	suse_is(NULL, "suse-ambiguous");
}

static void release_versions_are_read_from_the_start(void **state)
{
	unsigned int a, b, c;
	assert_int_equal(vendor_release_version("4.12.14-122.37-default", &a, &b, &c), 0);
	assert_true(a == 4 && b == 12 && c == 14);
	assert_int_equal(vendor_release_version("6.0-rc1", &a, &b, &c), 0);
	assert_true(a == 6 && b == 0 && c == 0);
	assert_int_equal(vendor_release_version("6.1.0-57-amd64\n", &a, &b, &c), 0);
	assert_true(a == 6 && b == 1 && c == 0);
	assert_int_equal(vendor_release_version("6", &a, &b, &c), -EINVAL);
	assert_int_equal(vendor_release_version("v6.1", &a, &b, &c), -EINVAL);
	assert_int_equal(vendor_release_version(".1.2", &a, &b, &c), -EINVAL);
	assert_int_equal(vendor_release_version("-1.2", &a, &b, &c), -EINVAL);
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
		cmocka_unit_test(red_hat_dist_tags_and_builds_pick_their_layout),
		cmocka_unit_test(other_releases_name_no_vendor),
		cmocka_unit_test(detects_rhel6_and_rhel7_trees),
		cmocka_unit_test(detects_rhel8_tree),
		cmocka_unit_test(detects_rhel9_tree),
		cmocka_unit_test(detects_suse_by_proc_sys_kernel_unsupported),
		cmocka_unit_test(detects_suse_by_sys_kernel_supported),
		cmocka_unit_test(each_suse_generation_by_its_release),
		cmocka_unit_test(release_versions_are_read_from_the_start),
		cmocka_unit_test(a_plain_upstream_release_is_upstream),
		cmocka_unit_test(a_missing_osrelease_is_upstream),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
