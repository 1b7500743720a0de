#include "vendor_table.h"

/* Copied as the sources write them: clang-format is off. */
/* clang-format off */
/* include/linux/panic.h, RHEL 9 */
#define TAINT_PROPRIETARY_MODULE 0
#define TAINT_FORCED_MODULE 1
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
#define TAINT_AUX 16
#define TAINT_RANDSTRUCT 17
#define TAINT_TEST 18
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
#define TAINT_28 28
#define TAINT_29 29
#define TAINT_30 30
#define TAINT_31 31
#define TAINT_PARTNER_SUPPORTED 26
#define TAINT_SUPPORT_REMOVED 27
#define TAINT_RESERVED28 28
#define TAINT_RESERVED29 29
#define TAINT_RESERVED30 30
#define TAINT_UNPRIVILEGED_BPF 31
#define TAINT_FLAGS_COUNT 32

/* bobolopolis/linux-el tag 5.14.0-70.13.1.el9_0 (e36896deee7094c20eaa41abd75ae47c900188d4) kernel/panic.c (RHEL 9.0; 9.1's -162 the same) */
static const struct taint_flag rhel9_0_flags[TAINT_FLAGS_COUNT] = {
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
	[TAINT_18] = { '?', '-', false },
	[TAINT_19] = { '?', '-', false },
	[TAINT_20] = { '?', '-', false },
	[TAINT_21] = { '?', '-', false },
	[TAINT_22] = { '?', '-', false },
	[TAINT_23] = { '?', '-', false },
	[TAINT_24] = { '?', '-', false },
	[TAINT_25] = { '?', '-', false },
	[TAINT_26] = { '?', '-', false },
	[TAINT_SUPPORT_REMOVED] = { 'h', ' ', false },
	[TAINT_RESERVED28] = { '?', '-', false },
	[TAINT_RESERVED29] = { '?', '-', false },
	[TAINT_RESERVED30] = { '?', '-', false },
	[TAINT_UNPRIVILEGED_BPF] = { 'u', ' ', false },
};
const struct vendor_table vendor_rhel9_0 = {
	.layout = "rhel9.0",
	.osrelease = "5.14.0-70.13.1.el9_0.x86_64",
	.source =
		"bobolopolis/linux-el tag 5.14.0-70.13.1.el9_0 (e36896deee7094c20eaa41abd75ae47c900188d4) kernel/panic.c (RHEL 9.0; 9.1's -162 the same)",
	FLAGS(rhel9_0_flags),
};

/* bobolopolis/linux-el tags 5.14.0-284.* kernel/panic.c (RHEL 9.2) */
static const struct taint_flag rhel9_2_flags[TAINT_FLAGS_COUNT] = {
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
	[TAINT_18] = { '?', '-', false },
	[TAINT_19] = { '?', '-', false },
	[TAINT_20] = { '?', '-', false },
	[TAINT_21] = { '?', '-', false },
	[TAINT_22] = { '?', '-', false },
	[TAINT_23] = { '?', '-', false },
	[TAINT_24] = { '?', '-', false },
	[TAINT_25] = { '?', '-', false },
	[TAINT_PARTNER_SUPPORTED] = { 'p', ' ', false },
	[TAINT_SUPPORT_REMOVED] = { 'h', ' ', false },
	[TAINT_RESERVED28] = { '?', '-', false },
	[TAINT_RESERVED29] = { '?', '-', false },
	[TAINT_RESERVED30] = { '?', '-', false },
	[TAINT_UNPRIVILEGED_BPF] = { 'u', ' ', false },
};
const struct vendor_table vendor_rhel9_2 = {
	.layout = "rhel9.2",
	.osrelease = "5.14.0-284.11.1.el9_2.x86_64",
	.source = "bobolopolis/linux-el tags 5.14.0-284.* kernel/panic.c (RHEL 9.2)",
	FLAGS(rhel9_2_flags),
};

/* bobolopolis/linux-el tag 5.14.0-362.8.1.el9_3 (016b45752702276e3aaaadcdf81f8e3deb93e3cb) kernel/panic.c (RHEL 9.3) */
static const struct taint_flag rhel9_3_flags[TAINT_FLAGS_COUNT] = {
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
	[TAINT_19] = { '?', '-', false },
	[TAINT_20] = { '?', '-', false },
	[TAINT_21] = { '?', '-', false },
	[TAINT_22] = { '?', '-', false },
	[TAINT_23] = { '?', '-', false },
	[TAINT_24] = { '?', '-', false },
	[TAINT_25] = { '?', '-', false },
	[TAINT_PARTNER_SUPPORTED] = { 'p', ' ', false },
	[TAINT_SUPPORT_REMOVED] = { 'h', ' ', false },
	[TAINT_RESERVED28] = { '?', '-', false },
	[TAINT_RESERVED29] = { '?', '-', false },
	[TAINT_RESERVED30] = { '?', '-', false },
	[TAINT_UNPRIVILEGED_BPF] = { 'u', ' ', false },
};
const struct vendor_table vendor_rhel9_3 = {
	.layout = "rhel9.3",
	.osrelease = "5.14.0-362.8.1.el9_3.x86_64",
	.source =
		"bobolopolis/linux-el tag 5.14.0-362.8.1.el9_3 (016b45752702276e3aaaadcdf81f8e3deb93e3cb) kernel/panic.c (RHEL 9.3)",
	FLAGS(rhel9_3_flags),
};
/* clang-format on */
