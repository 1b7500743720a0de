#include "vendor_table.h"

/* Copied as the sources write them: clang-format is off. */
/* clang-format off */
/*
 * SUSE's tables are upstream's of the kernel line with the hunks of SUSE's supported-flag
 * patch applied (openSUSE/kernel-source patches.suse/); each names both.
 */
#define TAINT_PROPRIETARY_MODULE 0
#define TAINT_FORCED_MODULE 1
#define TAINT_UNSAFE_SMP 2
#define TAINT_CPU_OUT_OF_SPEC 2
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
#define TAINT_KGRAFT 15
#define TAINT_UNSAFE_HIBERNATE 16
#define TAINT_AUX 16
#define TAINT_RANDSTRUCT 17
#define TAINT_TEST 18
#define TAINT_NO_SUPPORT_OLD 30 /* TAINT_NO_SUPPORT to 4.12 */
#define TAINT_EXTERNAL_SUPPORT_OLD 31 /* TAINT_EXTERNAL_SUPPORT to 4.12 */
#define TAINT_NO_SUPPORT 31 /* from 5.3 */
#define TAINT_FLAGS_COUNT 32

/* kernel 2.6.32's tnts[] (P to C) with openSUSE/kernel-source patches.suse/supported-flag-enterprise@8f81b58a31ee63a0b120e23c77d069f7d22a9e9b (SLE 11 SP1) */
static const struct tnt suse_2_6_32_tnts[] = {
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
	{ TAINT_NO_SUPPORT_OLD, 'N', ' ' },
	{ TAINT_EXTERNAL_SUPPORT_OLD, 'X', ' ' },
};
const struct vendor_table vendor_suse_2_6_32 = {
	.layout = "suse-2.6.32",
	.osrelease = "2.6.32.59-0.7-default",
	.suse = true,
	.source =
		"kernel 2.6.32's tnts[] (P to C) with openSUSE/kernel-source patches.suse/supported-flag-enterprise@8f81b58a31ee63a0b120e23c77d069f7d22a9e9b (SLE 11 SP1)",
	TNTS(suse_2_6_32_tnts),
};

/* eastmoutain/Linux-3.0.1@3992f4b1cf29c7dcdb494d9cfcad7ed3175e40a5 kernel/panic.c tnts[] with vadorovsky/kernel-source patches.suse/supported-flag@2890aaca5b2899c8f32b438f1222dc6b62c76d4f (SLE 11 SP2 to SP4) */
static const struct tnt suse_3_0_tnts[] = {
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
	{ TAINT_NO_SUPPORT_OLD, 'N', ' ' },
	{ TAINT_EXTERNAL_SUPPORT_OLD, 'X', ' ' },
};
const struct vendor_table vendor_suse_3_0 = {
	.layout = "suse-3.0",
	.osrelease = "3.0.101-63-default",
	.suse = true,
	.source =
		"eastmoutain/Linux-3.0.1@3992f4b1cf29c7dcdb494d9cfcad7ed3175e40a5 kernel/panic.c tnts[] with vadorovsky/kernel-source patches.suse/supported-flag@2890aaca5b2899c8f32b438f1222dc6b62c76d4f (SLE 11 SP2 to SP4)",
	TNTS(suse_3_0_tnts),
};

/* uARMport/linux-3.12@06202fdee7c8f4c61b0c04a6994d1ade3279267c kernel/panic.c tnts[] with michal42/kernel-source patches.suse/supported-flag@7e4561dbfce26bdc2618dd61b35bb369a3be4868 and kgr-0102-add-TAINT_KGRAFT.patch@06ba4c88e260fd6119dcdc6247cd387b5869ace8 (SLE 12 GA and SP1) */
static const struct tnt suse_3_12_tnts[] = {
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
	{ TAINT_KGRAFT, 'K', ' ' },
	{ TAINT_UNSAFE_HIBERNATE, 'H', ' ' },
	{ TAINT_NO_SUPPORT_OLD, 'N', ' ' },
	{ TAINT_EXTERNAL_SUPPORT_OLD, 'X', ' ' },
};
const struct vendor_table vendor_suse_3_12 = {
	.layout = "suse-3.12",
	.osrelease = "3.12.74-60.64.40-default",
	.suse = true,
	.source =
		"uARMport/linux-3.12@06202fdee7c8f4c61b0c04a6994d1ade3279267c kernel/panic.c tnts[] with michal42/kernel-source patches.suse/supported-flag@7e4561dbfce26bdc2618dd61b35bb369a3be4868 and kgr-0102-add-TAINT_KGRAFT.patch@06ba4c88e260fd6119dcdc6247cd387b5869ace8 (SLE 12 GA and SP1)",
	TNTS(suse_3_12_tnts),
};

/* AnTuanHa/linux-stable-v4.4.121@2fbc93135f8d52084b11bfb512a6834b6cfe8767 kernel/panic.c tnts[] with jcberthon/kernel-source patches.suse/supported-flag@243d24a224a348768bd5786fc7cdd293ea929253 (SLE 12 SP2 and SP3) */
static const struct tnt suse_4_4_tnts[] = {
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
	{ TAINT_NO_SUPPORT_OLD, 'N', ' ' },
	{ TAINT_EXTERNAL_SUPPORT_OLD, 'X', ' ' },
};
const struct vendor_table vendor_suse_4_4 = {
	.layout = "suse-4.4",
	.osrelease = "4.4.180-94.97-default",
	.suse = true,
	.source =
		"AnTuanHa/linux-stable-v4.4.121@2fbc93135f8d52084b11bfb512a6834b6cfe8767 kernel/panic.c tnts[] with jcberthon/kernel-source patches.suse/supported-flag@243d24a224a348768bd5786fc7cdd293ea929253 (SLE 12 SP2 and SP3)",
	TNTS(suse_4_4_tnts),
};

/* jason50123/linux-4.12@d7bbb6bbf66c5c7db4efe6701854351da24ef07b kernel/panic.c taint_flags[] (positional) with seanpm2001/kernel-source patches.suse/supported-flag@0168c1b8017d68c8ad5d295dd88f04613f516288 (SLE 12 SP4 and SP5, SLE 15 GA and SP1): N and X at indexes 16 and 17, zero from 18 */
static const struct taint_flag suse_4_12_flags[TAINT_FLAGS_COUNT] = {
	{ 'P', 'G', true }, /* TAINT_PROPRIETARY_MODULE */
	{ 'F', ' ', true }, /* TAINT_FORCED_MODULE */
	{ 'S', ' ', false }, /* TAINT_CPU_OUT_OF_SPEC */
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
	{ 'N', ' ', true }, /* TAINT_NO_SUPPORT */
	{ 'X', ' ', true }, /* TAINT_EXTERNAL_SUPPORT */
};
const struct vendor_table vendor_suse_4_12 = {
	.layout = "suse-4.12",
	.osrelease = "4.12.14-122.37-default",
	.suse = true,
	.source =
		"jason50123/linux-4.12@d7bbb6bbf66c5c7db4efe6701854351da24ef07b kernel/panic.c taint_flags[] (positional) with seanpm2001/kernel-source patches.suse/supported-flag@0168c1b8017d68c8ad5d295dd88f04613f516288 (SLE 12 SP4 and SP5, SLE 15 GA and SP1): N and X at indexes 16 and 17, zero from 18",
	FLAGS(suse_4_12_flags),
};

#define CONFIG_SUSE_KERNEL_SUPPORTED 1

/* github-lvbing/linux-5.3.1@676199489bfb41501e98df6308598af1db4e1748 kernel/panic.c with openSUSE/kernel-source patches.suse/supported-flag@ad215ed4f62076c800d591c32f2a868523286218 and panic-do-not-print-uninitialized-taint_flags.patch@dfce59760d42a32971364dcf09a4b6b10c07a0e1 (SLE 15 SP2 to SP5) */
static const struct taint_flag suse_5_3_flags[TAINT_FLAGS_COUNT] = {
	[TAINT_PROPRIETARY_MODULE] = { 'P', 'G', true },
	[TAINT_FORCED_MODULE] = { 'F', ' ', true },
	[TAINT_CPU_OUT_OF_SPEC] = { 'S', ' ', false },
	[TAINT_FORCED_RMMOD] = { 'R', ' ', false },
	[TAINT_MACHINE_CHECK] = { 'M', ' ', false },
	[TAINT_BAD_PAGE] = { 'B', ' ', false },
	[TAINT_USER] = { 'U', ' ', false },
	[TAINT_DIE] = { 'D', ' ', false },
	[TAINT_OVERRIDDEN_ACPI_TABLE] = { 'A', ' ', false },
	[TAINT_WARN] = { 'W', ' ', false },
	[TAINT_CRAP] = { 'C', ' ', true },
	[TAINT_FIRMWARE_WORKAROUND] = { 'I', ' ', false },
	[TAINT_OOT_MODULE] = { 'O', ' ', true },
	[TAINT_UNSIGNED_MODULE] = { 'E', ' ', true },
	[TAINT_SOFTLOCKUP] = { 'L', ' ', false },
	[TAINT_LIVEPATCH] = { 'K', ' ', true },
	[TAINT_AUX] = { 'X', ' ', true },
	[TAINT_RANDSTRUCT] = { 'T', ' ', true },
#ifdef CONFIG_SUSE_KERNEL_SUPPORTED
	[TAINT_NO_SUPPORT] = { 'N', ' ', true },
#endif
};
const struct vendor_table vendor_suse_5_3 = {
	.layout = "suse-5.3",
	.osrelease = "5.3.18-150300.59.93-default",
	.suse = true,
	.source =
		"github-lvbing/linux-5.3.1@676199489bfb41501e98df6308598af1db4e1748 kernel/panic.c with openSUSE/kernel-source patches.suse/supported-flag@ad215ed4f62076c800d591c32f2a868523286218 and panic-do-not-print-uninitialized-taint_flags.patch@dfce59760d42a32971364dcf09a4b6b10c07a0e1 (SLE 15 SP2 to SP5)",
	FLAGS(suse_5_3_flags),
	.skip_empty = true,
};

/* openSUSE/kernel kernel/panic.c@0c31a018186b55a3030240d648dbcefcf9ec835f (kernel 6.4, SLE 15 SP6) */
static const struct taint_flag suse_6_4_flags[TAINT_FLAGS_COUNT] = {
	[TAINT_PROPRIETARY_MODULE] = { 'P', 'G', true },
	[TAINT_FORCED_MODULE] = { 'F', ' ', true },
	[TAINT_CPU_OUT_OF_SPEC] = { 'S', ' ', false },
	[TAINT_FORCED_RMMOD] = { 'R', ' ', false },
	[TAINT_MACHINE_CHECK] = { 'M', ' ', false },
	[TAINT_BAD_PAGE] = { 'B', ' ', false },
	[TAINT_USER] = { 'U', ' ', false },
	[TAINT_DIE] = { 'D', ' ', false },
	[TAINT_OVERRIDDEN_ACPI_TABLE] = { 'A', ' ', false },
	[TAINT_WARN] = { 'W', ' ', false },
	[TAINT_CRAP] = { 'C', ' ', true },
	[TAINT_FIRMWARE_WORKAROUND] = { 'I', ' ', false },
	[TAINT_OOT_MODULE] = { 'O', ' ', true },
	[TAINT_UNSIGNED_MODULE] = { 'E', ' ', true },
	[TAINT_SOFTLOCKUP] = { 'L', ' ', false },
	[TAINT_LIVEPATCH] = { 'K', ' ', true },
	[TAINT_AUX] = { 'X', ' ', true },
	[TAINT_RANDSTRUCT] = { 'T', ' ', true },
	[TAINT_TEST] = { 'N', ' ', true },
#ifdef CONFIG_SUSE_KERNEL_SUPPORTED
	[TAINT_NO_SUPPORT] = { 'n', ' ', true },
#endif
};
const struct vendor_table vendor_suse_6_4 = {
	.layout = "suse-6.0",
	.osrelease = "6.4.0-150600.23.25-default",
	.suse = true,
	.source =
		"openSUSE/kernel kernel/panic.c@0c31a018186b55a3030240d648dbcefcf9ec835f (kernel 6.4, SLE 15 SP6)",
	FLAGS(suse_6_4_flags),
	.skip_empty = true,
};

/*
 * openSUSE/kernel kernel/panic.c@978be33519fb2419d386e834ed3f11a90185ab41 (kernel 6.12, SUSE
 * Linux 16): the TAINT_FLAG() form, and `if (!c) continue;` in the loop.
 */
#define TAINT_FLAG(taint, _c_true, _c_false, _module) \
	[TAINT_##taint] = { .c_true = _c_true, .c_false = _c_false, .module = _module }
static const struct taint_flag suse_6_12_flags[TAINT_FLAGS_COUNT] = {
	TAINT_FLAG(PROPRIETARY_MODULE, 'P', 'G', true),
	TAINT_FLAG(FORCED_MODULE, 'F', ' ', true),
	TAINT_FLAG(CPU_OUT_OF_SPEC, 'S', ' ', false),
	TAINT_FLAG(FORCED_RMMOD, 'R', ' ', false),
	TAINT_FLAG(MACHINE_CHECK, 'M', ' ', false),
	TAINT_FLAG(BAD_PAGE, 'B', ' ', false),
	TAINT_FLAG(USER, 'U', ' ', false),
	TAINT_FLAG(DIE, 'D', ' ', false),
	TAINT_FLAG(OVERRIDDEN_ACPI_TABLE, 'A', ' ', false),
	TAINT_FLAG(WARN, 'W', ' ', false),
	TAINT_FLAG(CRAP, 'C', ' ', true),
	TAINT_FLAG(FIRMWARE_WORKAROUND, 'I', ' ', false),
	TAINT_FLAG(OOT_MODULE, 'O', ' ', true),
	TAINT_FLAG(UNSIGNED_MODULE, 'E', ' ', true),
	TAINT_FLAG(SOFTLOCKUP, 'L', ' ', false),
	TAINT_FLAG(LIVEPATCH, 'K', ' ', true),
	TAINT_FLAG(AUX, 'X', ' ', true),
	TAINT_FLAG(RANDSTRUCT, 'T', ' ', true),
	TAINT_FLAG(TEST, 'N', ' ', true),
#ifdef CONFIG_SUSE_KERNEL_SUPPORTED
	TAINT_FLAG(NO_SUPPORT, 'n', ' ', true),
#endif
};
const struct vendor_table vendor_suse_6_12 = {
	.layout = "suse-6.0",
	.osrelease = "6.12.0-160000.5-default",
	.suse = true,
	.source = "openSUSE/kernel kernel/panic.c@978be33519fb2419d386e834ed3f11a90185ab41 (6.12)",
	FLAGS(suse_6_12_flags),
	.skip_empty = true,
};
/* clang-format on */
