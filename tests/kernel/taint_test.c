// SPDX-License-Identifier: Apache-2.0
/*
 * taint_test: the kernel module of the kernel test bed (tests/kernel/). Built at test time
 * against the installed image's headers, out of tree and unsigned, with a proprietary license:
 * loading it sets P, O and E, and its /sys/module/taint_test/taint reads "POE".
 *
 * Two write-only parameters make the kernel act on demand, as root:
 *   echo 1 > /sys/module/taint_test/parameters/warn   a WARN(): sets W, logs "WARNING: ... at"
 *   echo 1 > /sys/module/taint_test/parameters/dump   dump_stack(): logs "Tainted: <string>"
 *                                                     without setting any bit
 * The second is how the test reads the kernel's own taint string without changing it.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int warn_set(const char *val, const struct kernel_param *kp)
{
	WARN(1, "taint_test: warning on request\n");
	return 0;
}

static const struct kernel_param_ops warn_ops = { .set = warn_set };
module_param_cb(warn, &warn_ops, NULL, 0200);
MODULE_PARM_DESC(warn, "write anything: the kernel issues a warning (taint W)");

static int dump_set(const char *val, const struct kernel_param *kp)
{
	dump_stack();
	return 0;
}

static const struct kernel_param_ops dump_ops = { .set = dump_set };
module_param_cb(dump, &dump_ops, NULL, 0200);
MODULE_PARM_DESC(dump, "write anything: log a stack dump, whose header shows the taint string");

static int __init taint_test_init(void)
{
	return 0;
}

static void __exit taint_test_exit(void)
{
}

module_init(taint_test_init);
module_exit(taint_test_exit);
MODULE_DESCRIPTION("taint_exporter's kernel test bed: taints P, O, E and warns on demand");
MODULE_LICENSE("Proprietary");
