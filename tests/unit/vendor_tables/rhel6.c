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
#define TAINT_12 12
#define TAINT_13 13
#define TAINT_14 14
#define TAINT_SOFTLOCKUP 14
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
#define TAINT_BIT_BY_ZOMBIE 27
#define TAINT_HARDWARE_UNSUPPORTED 28
#define TAINT_TECH_PREVIEW 29

/* ziozzang/rhel6-kernel-src@cda29a801909888c2ceb1c4a48d94a8d333387b9 kernel/panic.c (2.6.32-71.el6, RHEL 6.0) */
static const struct tnt rhel6_0_tnts[] = {
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
	{ TAINT_12, '?', '-' },
	{ TAINT_13, '?', '-' },
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
};
const struct vendor_table vendor_rhel6_0 = {
	.layout = "rhel6.0",
	.osrelease = "2.6.32-71.el6.x86_64",
	.source =
		"ziozzang/rhel6-kernel-src@cda29a801909888c2ceb1c4a48d94a8d333387b9 kernel/panic.c (2.6.32-71.el6, RHEL 6.0)",
	TNTS(rhel6_0_tnts),
};

/* ziozzang/rhel6-kernel-src@cbc42715b159f4cb211d3f43082e7c04a3b89cc3 kernel/panic.c (2.6.32-131.0.15.el6, RHEL 6.1; 6.2's -220 the same) */
static const struct tnt rhel6_1_tnts[] = {
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
	{ TAINT_12, '?', '-' },
	{ TAINT_13, '?', '-' },
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
const struct vendor_table vendor_rhel6_1 = {
	.layout = "rhel6.1",
	.osrelease = "2.6.32-131.0.15.el6.x86_64",
	.source =
		"ziozzang/rhel6-kernel-src@cbc42715b159f4cb211d3f43082e7c04a3b89cc3 kernel/panic.c (2.6.32-131.0.15.el6, RHEL 6.1; 6.2's -220 the same)",
	TNTS(rhel6_1_tnts),
};

/* ziozzang/rhel6-kernel-src@d69d9f8b46e6ff1e8f19521441750f160544fb55 kernel/panic.c (2.6.32-279.el6, RHEL 6.3; -358 to -504 the same) */
static const struct tnt rhel6_3_tnts[] = {
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
	{ TAINT_12, '?', '-' },
	{ TAINT_13, '?', '-' },
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
	{ TAINT_BIT_BY_ZOMBIE, 'Z', ' ' },
	{ TAINT_HARDWARE_UNSUPPORTED, 'H', ' ' },
	{ TAINT_TECH_PREVIEW, 'T', ' ' },
};
const struct vendor_table vendor_rhel6_3 = {
	.layout = "rhel6.3",
	.osrelease = "2.6.32-279.el6.x86_64",
	.source =
		"ziozzang/rhel6-kernel-src@d69d9f8b46e6ff1e8f19521441750f160544fb55 kernel/panic.c (2.6.32-279.el6, RHEL 6.3; -358 to -504 the same)",
	TNTS(rhel6_3_tnts),
};

/* bobolopolis/linux-el tag 2.6.32-754.35.1.el6 (4b3765ffdb8798713f4000175b4a48b736ca24f5) kernel/panic.c (RHEL 6.10; 6.8's functor/linux-2.6.32-642.6.2.el6@310e44f07adf the same) */
static const struct tnt rhel6_10_tnts[] = {
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
	{ TAINT_12, '?', '-' },
	{ TAINT_13, '?', '-' },
	{ TAINT_SOFTLOCKUP, 'L', ' ' },
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
	{ TAINT_BIT_BY_ZOMBIE, 'Z', ' ' },
	{ TAINT_HARDWARE_UNSUPPORTED, 'H', ' ' },
	{ TAINT_TECH_PREVIEW, 'T', ' ' },
};
const struct vendor_table vendor_rhel6_10 = {
	.layout = "rhel6.7",
	.osrelease = "2.6.32-754.35.1.el6.x86_64",
	.source =
		"bobolopolis/linux-el tag 2.6.32-754.35.1.el6 (4b3765ffdb8798713f4000175b4a48b736ca24f5) kernel/panic.c (RHEL 6.10; 6.8's functor/linux-2.6.32-642.6.2.el6@310e44f07adf the same)",
	TNTS(rhel6_10_tnts),
};
/* clang-format on */
