#include "vendor_table.h"

/* Copied as the sources write them: clang-format is off. */
/* clang-format off */
/* include/linux/kernel.h, RHEL 8 */
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
#define TAINT_SUPPORT_REMOVED 27
#define TAINT_TECH_PREVIEW 29
#define TAINT_UNPRIVILEGED_BPF 30
#define TAINT_FLAGS_COUNT 32

/* bobolopolis/linux-el tag 4.18.0-513.9.1.el8_9 (16c27cfaf869b07008b70f2d32e7eb8a6e473314) kernel/panic.c (RHEL 8.9; every el8 tag from 4.18.0-80.el8, 8.0, the same; ctrliq/kernel-src-tree@d2165ffdab2dd5c719dfa5c54bac7f61c27693af the same) */
static const struct taint_flag rhel8_flags[TAINT_FLAGS_COUNT] = {
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
	[TAINT_SUPPORT_REMOVED] = { 'r', ' ', false },
	[TAINT_28] = { '?', '-', false },
	[TAINT_TECH_PREVIEW] = { 't', ' ', true },
	[TAINT_UNPRIVILEGED_BPF] = { 'u', ' ', false },
	[TAINT_31] = { '?', '-', false },
};
const struct vendor_table vendor_rhel8 = {
	.layout = "rhel8",
	.osrelease = "4.18.0-513.9.1.el8_9.x86_64",
	.source =
		"bobolopolis/linux-el tag 4.18.0-513.9.1.el8_9 (16c27cfaf869b07008b70f2d32e7eb8a6e473314) kernel/panic.c (RHEL 8.9; every el8 tag from 4.18.0-80.el8, 8.0, the same; ctrliq/kernel-src-tree@d2165ffdab2dd5c719dfa5c54bac7f61c27693af the same)",
	FLAGS(rhel8_flags),
};
/* clang-format on */
