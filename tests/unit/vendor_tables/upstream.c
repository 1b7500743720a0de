#include "vendor_table.h"

/* Copied as the sources write them: clang-format is off. */
/* clang-format off */
/*
 * Mainline Linux, one table per release that added a flag, each read in a copy of that
 * release's tree (its Makefile's VERSION checked): the exporter's upstream layout prints the
 * first rows of its table by release (taint_string_columns()).
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
#define TAINT_AUX 16
#define TAINT_RANDSTRUCT 17
#define TAINT_TEST 18
#define TAINT_FWCTL 19

/* chenbq83/Linux-2.6.32.69@ba91854bc5f534c4d670c888b73a5b9aa6090859 kernel/panic.c */
static const struct tnt upstream_2_6_32_tnts[] = {
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
};
const struct vendor_table vendor_upstream_2_6_32 = {
	.layout = "upstream",
	.osrelease = "2.6.32.69",
	.source = "chenbq83/Linux-2.6.32.69@ba91854bc5f534c4d670c888b73a5b9aa6090859 kernel/panic.c",
	TNTS(upstream_2_6_32_tnts),
};

/* rivsidn/linux-2.6.35.6@cabec0f7ec4160c33938f3060b07b1cf10f716d4 kernel/panic.c */
static const struct tnt upstream_2_6_35_tnts[] = {
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
};
const struct vendor_table vendor_upstream_2_6_35 = {
	.layout = "upstream",
	.osrelease = "2.6.35.6",
	.source = "rivsidn/linux-2.6.35.6@cabec0f7ec4160c33938f3060b07b1cf10f716d4 kernel/panic.c",
	TNTS(upstream_2_6_35_tnts),
};

/* x86-8/linux-3.2 kernel/panic.c@262f319910ca229bbebc18c4ce612a66e05ba264 (3.2.0; nadavitay/linux-3.14.1@57f2526e25ee the same) */
static const struct tnt upstream_3_2_tnts[] = {
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
};
const struct vendor_table vendor_upstream_3_2 = {
	.layout = "upstream",
	.osrelease = "3.2.0",
	.source =
		"x86-8/linux-3.2 kernel/panic.c@262f319910ca229bbebc18c4ce612a66e05ba264 (3.2.0; nadavitay/linux-3.14.1@57f2526e25ee the same)",
	TNTS(upstream_3_2_tnts),
};

/* pradeep0605/CS736_Eager_paging_linux-3.15.5@cfe7452da730198d6f3577cd39ebd67f2e2d5cb1 kernel/panic.c (TAINT_UNSAFE_SMP renamed TAINT_CPU_OUT_OF_SPEC here) */
static const struct tnt upstream_3_15_tnts[] = {
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
};
const struct vendor_table vendor_upstream_3_15 = {
	.layout = "upstream",
	.osrelease = "3.15.5",
	.source =
		"pradeep0605/CS736_Eager_paging_linux-3.15.5@cfe7452da730198d6f3577cd39ebd67f2e2d5cb1 kernel/panic.c (TAINT_UNSAFE_SMP renamed TAINT_CPU_OUT_OF_SPEC here)",
	TNTS(upstream_3_15_tnts),
};

/* lexi6725/linux-3.17.0@0d353ed372f59665b615984b6e0c40ec8579ccbf kernel/panic.c */
static const struct tnt upstream_3_17_tnts[] = {
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
};
const struct vendor_table vendor_upstream_3_17 = {
	.layout = "upstream",
	.osrelease = "3.17.0",
	.source = "lexi6725/linux-3.17.0@0d353ed372f59665b615984b6e0c40ec8579ccbf kernel/panic.c",
	TNTS(upstream_3_17_tnts),
};

/* AndrewGBelcher/4kopen-linux-4.0@2f42bb3f394a804a65081ce3d141b19954bd9c06 kernel/panic.c (lxuxx/linux-4.9@157606459ea2, 4.9.0, the same) */
static const struct tnt upstream_4_0_tnts[] = {
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
};
const struct vendor_table vendor_upstream_4_0 = {
	.layout = "upstream",
	.osrelease = "4.0.0",
	.source =
		"AndrewGBelcher/4kopen-linux-4.0@2f42bb3f394a804a65081ce3d141b19954bd9c06 kernel/panic.c (lxuxx/linux-4.9@157606459ea2, 4.9.0, the same)",
	TNTS(upstream_4_0_tnts),
};

/* pengdonglin137/linux-4.10.17@6962d94c6185f0c9cfe4d174049562d77828d241 kernel/panic.c (TAINT_FLAGS_COUNT 16) */
static const struct taint_flag upstream_4_10_flags[16] = {
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
};
const struct vendor_table vendor_upstream_4_10 = {
	.layout = "upstream",
	.osrelease = "4.10.17",
	.source =
		"pengdonglin137/linux-4.10.17@6962d94c6185f0c9cfe4d174049562d77828d241 kernel/panic.c (TAINT_FLAGS_COUNT 16)",
	FLAGS(upstream_4_10_flags),
};

/* sndrzt/linux-4.15@f6fbd7765776799433951604a671d9261dab97bd kernel/panic.c (TAINT_FLAGS_COUNT 17) */
static const struct taint_flag upstream_4_15_flags[17] = {
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
	{ 'X', ' ', true }, /* TAINT_AUX */
};
const struct vendor_table vendor_upstream_4_15 = {
	.layout = "upstream",
	.osrelease = "4.15.18",
	.source =
		"sndrzt/linux-4.15@f6fbd7765776799433951604a671d9261dab97bd kernel/panic.c (TAINT_FLAGS_COUNT 17)",
	FLAGS(upstream_4_15_flags),
};

/* SaumyaSachdev/linux-4.17@4b4a148ccf1229e4390dfcca529f99bcc8394ffd kernel/panic.c (TAINT_FLAGS_COUNT 18; yishangzhang/linux-5.19@4a8550523ce9 the same) */
static const struct taint_flag upstream_4_17_flags[18] = {
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
};
const struct vendor_table vendor_upstream_4_17 = {
	.layout = "upstream",
	.osrelease = "4.17.0",
	.source =
		"SaumyaSachdev/linux-4.17@4b4a148ccf1229e4390dfcca529f99bcc8394ffd kernel/panic.c (TAINT_FLAGS_COUNT 18; yishangzhang/linux-5.19@4a8550523ce9 the same)",
	FLAGS(upstream_4_17_flags),
};

/* HHRhr/linux-6.0.1@0f3467a6a960edb3c57f55311ca2582b092f1ab5 kernel/panic.c (TAINT_FLAGS_COUNT 19; perishh/linux-6.14@347b100ec166 the same) */
static const struct taint_flag upstream_6_0_flags[19] = {
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
};
const struct vendor_table vendor_upstream_6_0 = {
	.layout = "upstream",
	.osrelease = "6.0.1",
	.source =
		"HHRhr/linux-6.0.1@0f3467a6a960edb3c57f55311ca2582b092f1ab5 kernel/panic.c (TAINT_FLAGS_COUNT 19; perishh/linux-6.14@347b100ec166 the same)",
	FLAGS(upstream_6_0_flags),
};

/*
 * rikudousennin22/linux-7.1.3@037c6bf47ba7b581c3b798e5220e3746ff6c24f2 kernel/panic.c
 * (TAINT_FLAGS_COUNT 20; the torvalds/linux index's include/linux/panic.h@136114e0abf0 the
 * same count): the TAINT_FLAG() form, whose struct has a description in place of module.
 */
#define TAINT_FLAG(taint, _c_true, _c_false) \
	[TAINT_##taint] = { .c_true = _c_true, .c_false = _c_false }
static const struct taint_flag upstream_7_1_flags[20] = {
	TAINT_FLAG(PROPRIETARY_MODULE, 'P', 'G'),
	TAINT_FLAG(FORCED_MODULE, 'F', ' '),
	TAINT_FLAG(CPU_OUT_OF_SPEC, 'S', ' '),
	TAINT_FLAG(FORCED_RMMOD, 'R', ' '),
	TAINT_FLAG(MACHINE_CHECK, 'M', ' '),
	TAINT_FLAG(BAD_PAGE, 'B', ' '),
	TAINT_FLAG(USER, 'U', ' '),
	TAINT_FLAG(DIE, 'D', ' '),
	TAINT_FLAG(OVERRIDDEN_ACPI_TABLE, 'A', ' '),
	TAINT_FLAG(WARN, 'W', ' '),
	TAINT_FLAG(CRAP, 'C', ' '),
	TAINT_FLAG(FIRMWARE_WORKAROUND, 'I', ' '),
	TAINT_FLAG(OOT_MODULE, 'O', ' '),
	TAINT_FLAG(UNSIGNED_MODULE, 'E', ' '),
	TAINT_FLAG(SOFTLOCKUP, 'L', ' '),
	TAINT_FLAG(LIVEPATCH, 'K', ' '),
	TAINT_FLAG(AUX, 'X', ' '),
	TAINT_FLAG(RANDSTRUCT, 'T', ' '),
	TAINT_FLAG(TEST, 'N', ' '),
	TAINT_FLAG(FWCTL, 'J', ' '),
};
const struct vendor_table vendor_upstream_7_1 = {
	.layout = "upstream",
	.osrelease = "7.1.3",
	.source =
		"rikudousennin22/linux-7.1.3@037c6bf47ba7b581c3b798e5220e3746ff6c24f2 kernel/panic.c",
	FLAGS(upstream_7_1_flags),
};

/* The last release of each line before a flag was added: the same rows as the one above it. */
#define SAME_AS(var, table, rel, src)                                        \
	const struct vendor_table vendor_##var = {                           \
		.layout = "upstream", .osrelease = rel, .source = src, table \
	}
SAME_AS(upstream_3_14, TNTS(upstream_3_2_tnts), "3.14.1",
	"nadavitay/linux-3.14.1@57f2526e25eec071caa58178b62d44787b7da141 kernel/panic.c");
SAME_AS(upstream_3_16, TNTS(upstream_3_15_tnts), "3.16.0",
	"jyizheng/linux-3.16@82df2fe423b2b673a3721391d0a4ecd7018cddb6 kernel/panic.c");
SAME_AS(upstream_3_19, TNTS(upstream_3_17_tnts), "3.19.8",
	"yuanguohuo/linux-3.19.8@a38bf8b12dbccf4e665f001feacafe825112c4e2 kernel/panic.c");
SAME_AS(upstream_4_14, FLAGS(upstream_4_10_flags), "4.14.67",
	"YimengZhao/linux-4.14.67@c685f05ba987c507d75a40b883e8a58879cf56e0 kernel/panic.c");
SAME_AS(upstream_4_16, FLAGS(upstream_4_15_flags), "4.16.13",
	"lizuobin/linux-4.16.13_tiny4412@cff582ce6f479afeb61c12d4e445ebc38f0c81aa kernel/panic.c");
SAME_AS(upstream_5_19, FLAGS(upstream_4_17_flags), "5.19.0",
	"yishangzhang/linux-5.19@4a8550523ce9de6602a52c26c161b4e7992ce34e kernel/panic.c");
SAME_AS(upstream_6_14, FLAGS(upstream_6_0_flags), "6.14.0",
	"perishh/linux-6.14@347b100ec1660714730b2ca3d7a35924461651a3 kernel/panic.c");
SAME_AS(upstream_2_6_34, TNTS(upstream_2_6_32_tnts), "2.6.34",
	"urbanspr1nter/linux-2.6.34@aaefb5bd025e3b3fce2ee6287c1991e6408569f2 kernel/panic.c");
/* clang-format on */
