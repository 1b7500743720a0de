#include "vendor_table.h"

/* Copied as the sources write them: clang-format is off. */
/* clang-format off */
/* include/linux/kernel.h */
#define TAINT_PROPRIETARY_MODULE 0
#define TAINT_FORCED_MODULE 1
#define TAINT_UNSAFE_SMP 2
#define TAINT_FORCED_RMMOD 3
#define TAINT_MACHINE_CHECK 4
#define TAINT_BAD_PAGE 5
#define TAINT_USER 6
#define TAINT_DIE 7
#define TAINT_OVERRIDDEN_ACPI_TABLE 8
#define TAINT_WARN 9
#define TAINT_CRAP 10
#define TAINT_FIRMWARE_WORKAROUND 11
#define TAINT_OOT_MODULE 12
#define TAINT_UNSIGNED_MODULE 13
#define TAINT_SOFTLOCKUP 14
#define TAINT_LIVEPATCH 15
#define TAINT_14 14
#define TAINT_15 15
#define TAINT_16 16
#define TAINT_17 17
#define TAINT_18 18
#define TAINT_19 19
#define TAINT_20 20
#define TAINT_21 21
#define TAINT_22 22
#define TAINT_23 23
#define TAINT_24 24
#define TAINT_25 25
#define TAINT_26 26
#define TAINT_27 27
#define TAINT_HARDWARE_UNSUPPORTED 28
#define TAINT_TECH_PREVIEW 29

/* spacex/kernel-centos7 tag 3.10.0-123.el7 (b53523509d80f74ac8544857753ad80d6faaa31b) kernel/panic.c (RHEL 7.0; 3.10.0-229.el7, RHEL 7.1, the same): no row for bit 13 */
static const struct tnt rhel7_0_tnts[] = {
	{ TAINT_PROPRIETARY_MODULE, 'P', 'G' },
	{ TAINT_FORCED_MODULE, 'F', ' ' },
	{ TAINT_UNSAFE_SMP, 'S', ' ' },
	{ TAINT_FORCED_RMMOD, 'R', ' ' },
	{ TAINT_MACHINE_CHECK, 'M', ' ' },
	{ TAINT_BAD_PAGE, 'B', ' ' },
	{ TAINT_USER, 'U', ' ' },
	{ TAINT_DIE, 'D', ' ' },
	{ TAINT_OVERRIDDEN_ACPI_TABLE, 'A', ' ' },
	{ TAINT_WARN, 'W', ' ' },
	{ TAINT_CRAP, 'C', ' ' },
	{ TAINT_FIRMWARE_WORKAROUND, 'I', ' ' },
	{ TAINT_OOT_MODULE, 'O', ' ' },
	{ TAINT_14, '?', '-' },
	{ TAINT_15, '?', '-' },
	{ TAINT_16, '?', '-' },
	{ TAINT_17, '?', '-' },
	{ TAINT_18, '?', '-' },
	{ TAINT_19, '?', '-' },
	{ TAINT_20, '?', '-' },
	{ TAINT_21, '?', '-' },
	{ TAINT_22, '?', '-' },
	{ TAINT_23, '?', '-' },
	{ TAINT_24, '?', '-' },
	{ TAINT_25, '?', '-' },
	{ TAINT_26, '?', '-' },
	{ TAINT_27, '?', '-' },
	{ TAINT_HARDWARE_UNSUPPORTED, 'H', ' ' },
	{ TAINT_TECH_PREVIEW, 'T', ' ' },
};
const struct vendor_table vendor_rhel7_0 = {
	.layout = "rhel7.0",
	.osrelease = "3.10.0-123.el7.x86_64",
	.source =
		"spacex/kernel-centos7 tag 3.10.0-123.el7 (b53523509d80f74ac8544857753ad80d6faaa31b) kernel/panic.c (RHEL 7.0; 3.10.0-229.el7, RHEL 7.1, the same): no row for bit 13",
	TNTS(rhel7_0_tnts),
};

/* Shun-Hao/linux-3.10.0-514.el7@b783267f0cc758a3960ef98829f4de1688fbacd9 kernel/panic.c (RHEL 7.3) */
static const struct tnt rhel7_3_tnts[] = {
	{ TAINT_PROPRIETARY_MODULE, 'P', 'G' },
	{ TAINT_FORCED_MODULE, 'F', ' ' },
	{ TAINT_UNSAFE_SMP, 'S', ' ' },
	{ TAINT_FORCED_RMMOD, 'R', ' ' },
	{ TAINT_MACHINE_CHECK, 'M', ' ' },
	{ TAINT_BAD_PAGE, 'B', ' ' },
	{ TAINT_USER, 'U', ' ' },
	{ TAINT_DIE, 'D', ' ' },
	{ TAINT_OVERRIDDEN_ACPI_TABLE, 'A', ' ' },
	{ TAINT_WARN, 'W', ' ' },
	{ TAINT_CRAP, 'C', ' ' },
	{ TAINT_FIRMWARE_WORKAROUND, 'I', ' ' },
	{ TAINT_OOT_MODULE, 'O', ' ' },
	{ TAINT_UNSIGNED_MODULE, 'E', ' ' },
	{ TAINT_SOFTLOCKUP, 'L', ' ' },
	{ TAINT_LIVEPATCH, 'K', ' ' },
	{ TAINT_16, '?', '-' },
	{ TAINT_17, '?', '-' },
	{ TAINT_18, '?', '-' },
	{ TAINT_19, '?', '-' },
	{ TAINT_20, '?', '-' },
	{ TAINT_21, '?', '-' },
	{ TAINT_22, '?', '-' },
	{ TAINT_23, '?', '-' },
	{ TAINT_24, '?', '-' },
	{ TAINT_25, '?', '-' },
	{ TAINT_26, '?', '-' },
	{ TAINT_27, '?', '-' },
	{ TAINT_HARDWARE_UNSUPPORTED, 'H', ' ' },
	{ TAINT_TECH_PREVIEW, 'T', ' ' },
};
const struct vendor_table vendor_rhel7_3 = {
	.layout = "rhel7.3",
	.osrelease = "3.10.0-514.el7.x86_64",
	.source =
		"Shun-Hao/linux-3.10.0-514.el7@b783267f0cc758a3960ef98829f4de1688fbacd9 kernel/panic.c (RHEL 7.3)",
	TNTS(rhel7_3_tnts),
};

/*
 * bobolopolis/linux-el tag 3.10.0-1160.59.1.el7 (9d835aa785f210cb7ef71420d8fe56645e0b5493)
 * kernel/panic.c (RHEL 7.9; dcui/RHEL77@ec7220466c4a, 7.7, and jiho-dev/
 * linux-3.10.0-1127@5b91672a9071, 7.8, the same): TAINT_FLAGS_COUNT 32, rows 30 and 31 zero.
 */
#define TAINT_FLAGS_COUNT 32
static const struct taint_flag rhel7_9_flags[TAINT_FLAGS_COUNT] = {
	{ 'P', 'G', true }, /* TAINT_PROPRIETARY_MODULE */
	{ 'F', ' ', true }, /* TAINT_FORCED_MODULE */
	{ 'S', ' ', false }, /* TAINT_UNSAFE_SMP */
	{ 'R', ' ', false }, /* TAINT_FORCED_RMMOD */
	{ 'M', ' ', false }, /* TAINT_MACHINE_CHECK */
	{ 'B', ' ', false }, /* TAINT_BAD_PAGE */
	{ 'U', ' ', false }, /* TAINT_USER */
	{ 'D', ' ', false }, /* TAINT_DIE */
	{ 'A', ' ', false }, /* TAINT_OVERRIDDEN_ACPI_TABLE */
	{ 'W', ' ', false }, /* TAINT_WARN */
	{ 'C', ' ', true }, /* TAINT_CRAP */
	{ 'I', ' ', false }, /* TAINT_FIRMWARE_WORKAROUND */
	{ 'O', ' ', true }, /* TAINT_OOT_MODULE */
	{ 'E', ' ', true }, /* TAINT_UNSIGNED_MODULE */
	{ 'L', ' ', false }, /* TAINT_SOFTLOCKUP */
	{ 'K', ' ', true }, /* TAINT_LIVEPATCH */
	{ '?', '-', false }, /* TAINT_16 */
	{ '?', '-', false }, /* TAINT_17 */
	{ '?', '-', false }, /* TAINT_18 */
	{ '?', '-', false }, /* TAINT_19 */
	{ '?', '-', false }, /* TAINT_20 */
	{ '?', '-', false }, /* TAINT_21 */
	{ '?', '-', false }, /* TAINT_22 */
	{ '?', '-', false }, /* TAINT_23 */
	{ '?', '-', false }, /* TAINT_24 */
	{ '?', '-', false }, /* TAINT_25 */
	{ '?', '-', false }, /* TAINT_26 */
	{ '?', '-', false }, /* TAINT_27 */
	{ 'H', ' ', false }, /* TAINT_HARDWARE_UNSUPPORTED */
	{ 'T', ' ', true }, /* TAINT_TECH_PREVIEW */
};
const struct vendor_table vendor_rhel7_9 = {
	.layout = "rhel7.3",
	.osrelease = "3.10.0-1160.59.1.el7.x86_64",
	.source = "bobolopolis/linux-el tag 3.10.0-1160.59.1.el7 "
		  "(9d835aa785f210cb7ef71420d8fe56645e0b5493) kernel/panic.c (RHEL 7.9)",
	FLAGS(rhel7_9_flags),
};
/* clang-format on */
