#include <stddef.h>
#include <string.h>

#include "decode/taint_table.h"
#include "util.h"

/*
 * The taint bit tables, each transcribed from its kernel's own tree: what each bit means
 * (struct taint_bit) and how that kernel's print_tainted() prints its "Tainted:" string
 * (struct taint_column, the vendor's tnts[] or taint_flags[] row for row). docs/taint-bits.md
 * lists every layout with its sources and the releases it covers; tests/unit/vendor/ holds a
 * verbatim copy of each vendor table, which tests/unit/test_vendor_tables.c prints with a
 * model of the vendor's loop and compares with these, for every value it draws.
 *
 * A bit no source names is not in a layout's bits, so it reads as unknown ('?'); a column the
 * vendor prints as a placeholder ('?' set, '-' clear) is a column all the same. Letters are
 * the vendor's; names follow upstream's TAINT_ constant for an upstream bit (one label value
 * across a fleet), the vendor's own for its bits. The tables are laid out by hand, one row per
 * bit, to read as tables: clang-format is off.
 */
/* clang-format off */
#define BY_MODULE true
#define NOT_MODULE false

/*
 * Upstream Linux: include/linux/panic.h and kernel/panic.c taint_flags[] (torvalds/linux,
 * v6.15: TAINT_FLAGS_COUNT 20); descriptions after Documentation/admin-guide/
 * tainted-kernels.rst. The last field is the kernel's taint_flags[].module: whether a module
 * can carry the flag (module_flags_taint()), so that a set flag no loaded module carries is
 * worth saying (attribution.h).
 */
#define UPSTREAM_0  {0, 'P', "proprietary_module", "A proprietary (non-GPL) module was loaded", BY_MODULE}
#define UPSTREAM_1  {1, 'F', "forced_module", "A module was force-loaded (insmod -f)", BY_MODULE}
#define UPSTREAM_2  {2, 'S', "cpu_out_of_spec", "The CPU or system is out of specification (was: unsafe SMP)", NOT_MODULE}
#define UPSTREAM_3  {3, 'R', "forced_rmmod", "A module was force-unloaded (rmmod -f)", NOT_MODULE}
#define UPSTREAM_4  {4, 'M', "machine_check", "A machine check exception (hardware error) occurred", NOT_MODULE}
#define UPSTREAM_5  {5, 'B', "bad_page", "A bad page was referenced or unexpected page flags were found", NOT_MODULE}
#define UPSTREAM_6  {6, 'U', "user", "Taint was requested by user space", NOT_MODULE}
#define UPSTREAM_7  {7, 'D', "die", "The kernel died recently (OOPS or BUG)", NOT_MODULE}
#define UPSTREAM_8  {8, 'A', "overridden_acpi_table", "An ACPI table was overridden by the user", NOT_MODULE}
#define UPSTREAM_9  {9, 'W', "warn", "The kernel issued a warning", NOT_MODULE}
#define UPSTREAM_10 {10, 'C', "crap", "A staging driver was loaded", BY_MODULE}
#define UPSTREAM_11 {11, 'I', "firmware_workaround", "A workaround for a platform firmware bug was applied", NOT_MODULE}
#define UPSTREAM_12 {12, 'O', "oot_module", "An externally built (out-of-tree) module was loaded", BY_MODULE}
#define UPSTREAM_13 {13, 'E', "unsigned_module", "An unsigned module was loaded", BY_MODULE}
#define UPSTREAM_14 {14, 'L', "softlockup", "A soft lockup occurred", NOT_MODULE}
#define UPSTREAM_15 {15, 'K', "livepatch", "The kernel was live patched", BY_MODULE}
#define UPSTREAM_16 {16, 'X', "aux", "Auxiliary taint, defined for and used by distributions", BY_MODULE}
#define UPSTREAM_17 {17, 'T', "randstruct", "The kernel was built with the randstruct plugin", BY_MODULE}
#define UPSTREAM_18 {18, 'N', "test", "An in-kernel test (such as a KUnit test) was run", BY_MODULE}
#define UPSTREAM_19 {19, 'J', "fwctl", "A mutating fwctl debug operation was used", BY_MODULE}

#define UPSTREAM_0_TO_10 UPSTREAM_0, UPSTREAM_1, UPSTREAM_2, UPSTREAM_3, UPSTREAM_4, UPSTREAM_5, \
	UPSTREAM_6, UPSTREAM_7, UPSTREAM_8, UPSTREAM_9, UPSTREAM_10
#define UPSTREAM_0_TO_12 UPSTREAM_0_TO_10, UPSTREAM_11, UPSTREAM_12
#define UPSTREAM_0_TO_15 UPSTREAM_0_TO_12, UPSTREAM_13, UPSTREAM_14, UPSTREAM_15
#define UPSTREAM_0_TO_17 UPSTREAM_0_TO_15, UPSTREAM_16, UPSTREAM_17

/* Columns: a bit printed with its letter when set, blank when clear (G for a clear bit 0). */
#define COLUMN(bit, letter) {bit, letter, (bit) == 0 ? 'G' : ' '}
/* A bit the vendor reserves: printed '?' when set, '-' when clear (Red Hat's TAINT_nn rows). */
#define RESERVED(bit) {bit, '?', '-'}
#define COLUMNS_0_TO_10 COLUMN(0, 'P'), COLUMN(1, 'F'), COLUMN(2, 'S'), COLUMN(3, 'R'), \
	COLUMN(4, 'M'), COLUMN(5, 'B'), COLUMN(6, 'U'), COLUMN(7, 'D'), COLUMN(8, 'A'), COLUMN(9, 'W'), \
	COLUMN(10, 'C')
#define COLUMNS_0_TO_12 COLUMNS_0_TO_10, COLUMN(11, 'I'), COLUMN(12, 'O')
#define COLUMNS_0_TO_15 COLUMNS_0_TO_12, COLUMN(13, 'E'), COLUMN(14, 'L'), COLUMN(15, 'K')
#define COLUMNS_0_TO_17 COLUMNS_0_TO_15, COLUMN(16, 'X'), COLUMN(17, 'T')
#define RESERVED_16_TO_26 RESERVED(16), RESERVED(17), RESERVED(18), RESERVED(19), RESERVED(20), \
	RESERVED(21), RESERVED(22), RESERVED(23), RESERVED(24), RESERVED(25), RESERVED(26)
#define RESERVED_19_TO_25 RESERVED(19), RESERVED(20), RESERVED(21), RESERVED(22), RESERVED(23), \
	RESERVED(24), RESERVED(25)

static const struct taint_bit upstream_bits[] = {
	UPSTREAM_0_TO_17, UPSTREAM_18, UPSTREAM_19,
};
/* Upstream prints one column per flag its release knows: a prefix of these (taint.c). */
static const struct taint_column upstream_columns[] = {
	COLUMNS_0_TO_17, COLUMN(18, 'N'), COLUMN(19, 'J'),
};

/*
 * Red Hat Enterprise Linux. Each table is the release's kernel/panic.c and include/linux/
 * kernel.h (panic.h from RHEL 9), read from the source imports tagged by kernel build; the
 * release a build belongs to is decode/vendor.c's. Red Hat's own bits:
 */
#define RH_BIT_BY_ZOMBIE {27, 'Z', "bit_by_zombie", "The OMGZOMBIES boot parameter was given (Red Hat test taint)", NOT_MODULE}
#define RH_HARDWARE_UNSUPPORTED {28, 'H', "hardware_unsupported", "Hardware that Red Hat does not support was detected", NOT_MODULE}
/* mark_tech_preview(msg, mod) also sets the flag in mod->taints (kernel/rh_taint.c) */
#define RH_TECH_PREVIEW(bit, letter) {bit, letter, "tech_preview", "A Technology Preview driver or feature was used", BY_MODULE}
#define RH_SUPPORT_REMOVED(letter) {27, letter, "support_removed", "Hardware or a driver whose support was removed by Red Hat is in use", NOT_MODULE}
#define RH_UNPRIVILEGED_BPF(bit) {bit, 'u', "unprivileged_bpf", "Unprivileged BPF was enabled", NOT_MODULE}
#define RH_PARTNER_SUPPORTED {26, 'p', "partner_supported", "A module supported by a Red Hat partner was loaded", NOT_MODULE}

/*
 * RHEL 6.0 (2.6.32-71): bits 0-11, 12-27 TAINT_nn placeholders, 28 H; bit 29 has no row and
 * is never printed. ziozzang/rhel6-kernel-src@cda29a801909888c2ceb1c4a48d94a8d333387b9.
 */
static const struct taint_bit rhel6_0_bits[] = {
	UPSTREAM_0_TO_10, UPSTREAM_11, RH_HARDWARE_UNSUPPORTED,
};
static const struct taint_column rhel6_0_columns[] = {
	COLUMNS_0_TO_10, COLUMN(11, 'I'), RESERVED(12), RESERVED(13), RESERVED(14), RESERVED(15),
	RESERVED_16_TO_26, RESERVED(27), COLUMN(28, 'H'),
};

/* RHEL 6.1 and 6.2 (-131, -220): 29 TECH_PREVIEW 'T'. ziozzang/rhel6-kernel-src@cbc42715b159. */
static const struct taint_bit rhel6_1_bits[] = {
	UPSTREAM_0_TO_10, UPSTREAM_11, RH_HARDWARE_UNSUPPORTED, RH_TECH_PREVIEW(29, 'T'),
};
static const struct taint_column rhel6_1_columns[] = {
	COLUMNS_0_TO_10, COLUMN(11, 'I'), RESERVED(12), RESERVED(13), RESERVED(14), RESERVED(15),
	RESERVED_16_TO_26, RESERVED(27), COLUMN(28, 'H'), COLUMN(29, 'T'),
};

/* RHEL 6.3 to 6.6 (-279 to -504): 27 BIT_BY_ZOMBIE 'Z'. ziozzang/rhel6-kernel-src@d69d9f8b46e6. */
static const struct taint_bit rhel6_3_bits[] = {
	UPSTREAM_0_TO_10, UPSTREAM_11, RH_BIT_BY_ZOMBIE, RH_HARDWARE_UNSUPPORTED,
	RH_TECH_PREVIEW(29, 'T'),
};
static const struct taint_column rhel6_3_columns[] = {
	COLUMNS_0_TO_10, COLUMN(11, 'I'), RESERVED(12), RESERVED(13), RESERVED(14), RESERVED(15),
	RESERVED_16_TO_26, COLUMN(27, 'Z'), COLUMN(28, 'H'), COLUMN(29, 'T'),
};

/*
 * RHEL 6.7 to 6.10 (-573 to -754): 14 SOFTLOCKUP 'L'. bobolopolis/linux-el, tag
 * 2.6.32-754.35.1.el6 (4b3765ffdb8798713f4000175b4a48b736ca24f5); 6.8:
 * functor/linux-2.6.32-642.6.2.el6@310e44f07adf; 6.7 only from an OpenVZ kernel built on it,
 * seyko2/openvz_rhel6_kernel_mirror@9202124d012d (RHEL_RELEASE 573).
 */
static const struct taint_bit rhel6_7_bits[] = {
	UPSTREAM_0_TO_10, UPSTREAM_11, UPSTREAM_14, RH_BIT_BY_ZOMBIE, RH_HARDWARE_UNSUPPORTED,
	RH_TECH_PREVIEW(29, 'T'),
};
static const struct taint_column rhel6_7_columns[] = {
	COLUMNS_0_TO_10, COLUMN(11, 'I'), RESERVED(12), RESERVED(13), COLUMN(14, 'L'), RESERVED(15),
	RESERVED_16_TO_26, COLUMN(27, 'Z'), COLUMN(28, 'H'), COLUMN(29, 'T'),
};

/*
 * RHEL 7.0 and 7.1 (-123, -229): tnts[] has no row for bit 13, so the column after O is bit
 * 14; 14 to 27 TAINT_nn placeholders. spacex/kernel-centos7, tags 3.10.0-123.el7
 * (b53523509d80f74ac8544857753ad80d6faaa31b) and 3.10.0-229.el7 (47048af01ca8).
 */
static const struct taint_bit rhel7_0_bits[] = {
	UPSTREAM_0_TO_12, RH_HARDWARE_UNSUPPORTED, RH_TECH_PREVIEW(29, 'T'),
};
static const struct taint_column rhel7_0_columns[] = {
	COLUMNS_0_TO_12, RESERVED(14), RESERVED(15), RESERVED_16_TO_26, RESERVED(27),
	COLUMN(28, 'H'), COLUMN(29, 'T'),
};

/*
 * RHEL 7.3 to 7.9 (-514 to -1160): 13 E, 14 L, 15 K; 16 to 27 TAINT_nn. 7.3 prints tnts[]
 * (Shun-Hao/linux-3.10.0-514.el7@b783267f0cc7), 7.7 to 7.9 taint_flags[32] whose entries 30
 * and 31 are zero, ending the string after 30 (dcui/RHEL77@ec7220466c4a, jiho-dev/
 * linux-3.10.0-1127@5b91672a9071, bobolopolis/linux-el tag 3.10.0-1160.59.1.el7 at
 * 9d835aa785f210cb7ef71420d8fe56645e0b5493): the same 30 columns. 7.4 to 7.6 (-693 to
 * -957), between two releases with this table, are read with it.
 */
static const struct taint_bit rhel7_3_bits[] = {
	UPSTREAM_0_TO_15, RH_HARDWARE_UNSUPPORTED, RH_TECH_PREVIEW(29, 'T'),
};
static const struct taint_column rhel7_3_columns[] = {
	COLUMNS_0_TO_15, RESERVED_16_TO_26, RESERVED(27), COLUMN(28, 'H'), COLUMN(29, 'T'),
};

/*
 * RHEL 7.2 (-327): no source found. What 7.1 and 7.3 agree on: bits 0-12, H and T; the
 * string's width (29 or 30) is not known, so no string is printed for it.
 */
static const struct taint_bit rhel7_2_bits[] = {
	UPSTREAM_0_TO_12, RH_HARDWARE_UNSUPPORTED, RH_TECH_PREVIEW(29, 'T'),
};

/*
 * RHEL 8.0 to 8.9 (4.18.0-80 to -513): 18 to 26 placeholders, 27 SUPPORT_REMOVED 'r', 28
 * placeholder, 29 TECH_PREVIEW 't', 30 UNPRIVILEGED_BPF 'u', 31 placeholder; 32 columns.
 * bobolopolis/linux-el, tags 4.18.0-80.el8 (82ad8125d761474472c7407439222234af9e3975) to
 * 4.18.0-513.9.1.el8_9 (16c27cfaf869b07008b70f2d32e7eb8a6e473314), one table throughout;
 * ctrliq/kernel-src-tree@d2165ffdab2dd5c719dfa5c54bac7f61c27693af the same. From 8.6 tech
 * preview sets X (TAINT_AUX) rather than t.
 */
static const struct taint_bit rhel8_bits[] = {
	UPSTREAM_0_TO_15,
	{16, 'X', "aux", "Auxiliary taint; Red Hat uses it for Technology Preview code from 8.6", BY_MODULE},
	UPSTREAM_17, RH_SUPPORT_REMOVED('r'), RH_TECH_PREVIEW(29, 't'), RH_UNPRIVILEGED_BPF(30),
};
static const struct taint_column rhel8_columns[] = {
	COLUMNS_0_TO_17, RESERVED(18), RESERVED_19_TO_25, RESERVED(26), COLUMN(27, 'r'),
	RESERVED(28), COLUMN(29, 't'), COLUMN(30, 'u'), RESERVED(31),
};

/*
 * RHEL 9: 18 placeholder (TEST 'N' from 9.3), 19 to 25 placeholders, 26 placeholder
 * (PARTNER_SUPPORTED 'p' from 9.2), 27 SUPPORT_REMOVED 'h', 28 to 30 placeholders, 31
 * UNPRIVILEGED_BPF 'u'; 32 columns. Tech preview sets X (TAINT_AUX). bobolopolis/linux-el,
 * tags 5.14.0-70.13.1.el9_0 (e36896deee7094c20eaa41abd75ae47c900188d4, 9.0 and 9.1),
 * 5.14.0-284.* (9.2) and 5.14.0-362.8.1.el9_3 (016b45752702276e3aaaadcdf81f8e3deb93e3cb).
 */
#define RH9_AUX {16, 'X', "aux", "Auxiliary taint; Red Hat uses it for Technology Preview code", BY_MODULE}
static const struct taint_bit rhel9_0_bits[] = {
	UPSTREAM_0_TO_15, RH9_AUX, UPSTREAM_17, RH_SUPPORT_REMOVED('h'), RH_UNPRIVILEGED_BPF(31),
};
static const struct taint_column rhel9_0_columns[] = {
	COLUMNS_0_TO_17, RESERVED(18), RESERVED_19_TO_25, RESERVED(26), COLUMN(27, 'h'),
	RESERVED(28), RESERVED(29), RESERVED(30), COLUMN(31, 'u'),
};
static const struct taint_bit rhel9_2_bits[] = {
	UPSTREAM_0_TO_15, RH9_AUX, UPSTREAM_17, RH_PARTNER_SUPPORTED, RH_SUPPORT_REMOVED('h'),
	RH_UNPRIVILEGED_BPF(31),
};
static const struct taint_column rhel9_2_columns[] = {
	COLUMNS_0_TO_17, RESERVED(18), RESERVED_19_TO_25, COLUMN(26, 'p'), COLUMN(27, 'h'),
	RESERVED(28), RESERVED(29), RESERVED(30), COLUMN(31, 'u'),
};
static const struct taint_bit rhel9_3_bits[] = {
	UPSTREAM_0_TO_15, RH9_AUX, UPSTREAM_17, UPSTREAM_18, RH_PARTNER_SUPPORTED,
	RH_SUPPORT_REMOVED('h'), RH_UNPRIVILEGED_BPF(31),
};
static const struct taint_column rhel9_3_columns[] = {
	COLUMNS_0_TO_17, COLUMN(18, 'N'), RESERVED_19_TO_25, COLUMN(26, 'p'), COLUMN(27, 'h'),
	RESERVED(28), RESERVED(29), RESERVED(30), COLUMN(31, 'u'),
};

/*
 * SUSE: the supported-flag patch of openSUSE/kernel-source (patches.suse/supported-flag,
 * supported-flag-enterprise, add-suse-supported-flag.patch), one generation per kernel line,
 * chosen by the kernel's version (decode/vendor.c). NO_SUPPORT: a module SUSE does not
 * support (also set by reverting a live patch); EXTERNAL_SUPPORT: one a third party supports.
 */
#define SUSE_EXTERNAL(bit) {bit, 'X', "external_support", "A module supported by a third party, not SUSE, was loaded", BY_MODULE}
#define SUSE_NO_SUPPORT(bit, letter) {bit, letter, "no_support", "A module that is not supported was loaded", BY_MODULE}

/*
 * Kernel 2.6.32 (SLE 11 SP1): tnts[] ends P..C, then N (bit 30) and X (bit 31): 13 columns.
 * openSUSE/kernel-source patches.suse/supported-flag-enterprise@8f81b58a31ee.
 */
static const struct taint_bit suse_2_6_32_bits[] = {
	UPSTREAM_0_TO_10, SUSE_NO_SUPPORT(30, 'N'), SUSE_EXTERNAL(31),
};
static const struct taint_column suse_2_6_32_columns[] = {
	COLUMNS_0_TO_10, COLUMN(30, 'N'), COLUMN(31, 'X'),
};

/*
 * Kernel 3.0 (SLE 11 SP2 to SP4): P..I, then N and X: 14 columns. vadorovsky/kernel-source
 * patches.suse/supported-flag@2890aaca5b28, openSUSE/kernel-source patches.suse/
 * supported-flag-enterprise@004c6e29fcd5.
 */
static const struct taint_bit suse_3_0_bits[] = {
	UPSTREAM_0_TO_10, UPSTREAM_11, SUSE_NO_SUPPORT(30, 'N'), SUSE_EXTERNAL(31),
};
static const struct taint_column suse_3_0_columns[] = {
	COLUMNS_0_TO_10, COLUMN(11, 'I'), COLUMN(30, 'N'), COLUMN(31, 'X'),
};

/*
 * Kernel 3.12 (SLE 12 GA and SP1): P..O, E (13, backported), K (15, TAINT_KGRAFT), H (16,
 * TAINT_UNSAFE_HIBERNATE), N, X: 18 columns, no column for bit 14. michal42/kernel-source
 * patches.suse/supported-flag@7e4561dbfce2, kgr-0102-add-TAINT_KGRAFT.patch@06ba4c88e260
 * (2016-04; kernels before it lack K and print 17).
 */
static const struct taint_bit suse_3_12_bits[] = {
	UPSTREAM_0_TO_12, UPSTREAM_13,
	{15, 'K', "kgraft", "The kernel was live patched with kGraft", BY_MODULE},
	{16, 'H', "unsafe_hibernate", "Hibernation was found unsafe (SUSE)", NOT_MODULE},
	SUSE_NO_SUPPORT(30, 'N'), SUSE_EXTERNAL(31),
};
static const struct taint_column suse_3_12_columns[] = {
	COLUMNS_0_TO_12, COLUMN(13, 'E'), COLUMN(15, 'K'), COLUMN(16, 'H'), COLUMN(30, 'N'),
	COLUMN(31, 'X'),
};

/*
 * Kernel 4.4 (SLE 12 SP2 and SP3): P..K (0-15), N, X: 18 columns. jcberthon/kernel-source
 * patches.suse/supported-flag@243d24a224a3, alexander-naumov/kernel-source@72198cfa91d6.
 */
static const struct taint_bit suse_4_4_bits[] = {
	UPSTREAM_0_TO_15, SUSE_NO_SUPPORT(30, 'N'), SUSE_EXTERNAL(31),
};
static const struct taint_column suse_4_4_columns[] = {
	COLUMNS_0_TO_15, COLUMN(30, 'N'), COLUMN(31, 'X'),
};

/*
 * Kernel 4.12 (SLE 12 SP4 and SP5, SLE 15 GA and SP1): taint_flags[32] initialised by
 * position, so SUSE's N and X rows sit at indexes 16 and 17 (printed for bits 16 and 17,
 * which nothing sets: the layout names them after their rows) and index 18's zero ends the
 * string: 18 columns. Bits 30 and 31, NO_SUPPORT and EXTERNAL_SUPPORT, have no row: no
 * letter ('?'), never printed.
 * seanpm2001/kernel-source patches.suse/supported-flag@0168c1b8017d.
 */
static const struct taint_bit suse_4_12_bits[] = {
	UPSTREAM_0_TO_15,
	{16, 'N', "suse_row_16", "Bit 16, which nothing sets: SUSE's table prints its NO_SUPPORT letter N for it", NOT_MODULE},
	{17, 'X', "suse_row_17", "Bit 17, which nothing sets: SUSE's table prints its EXTERNAL_SUPPORT letter X for it", NOT_MODULE},
	{30, '?', "no_support", "A module that is not supported was loaded", BY_MODULE},
	{31, '?', "external_support", "A module supported by a third party, not SUSE, was loaded", BY_MODULE},
};
static const struct taint_column suse_4_12_columns[] = {
	COLUMNS_0_TO_15, COLUMN(16, 'N'), COLUMN(17, 'X'),
};

/*
 * Kernel 5.3 to 5.x (SLE 15 SP2 to SP5): EXTERNAL_SUPPORT is TAINT_AUX (16, X), NO_SUPPORT
 * bit 31 'N'; with the fix that skips empty rows (panic-do-not-print-uninitialized-
 * taint_flags.patch, bsc#1172814, 2020-06), 19 columns. openSUSE/kernel-source
 * patches.suse/supported-flag@ad215ed4f620, add-suse-supported-flag.patch@0c612fa8e326,
 * panic-do-not-print-uninitialized-taint_flags.patch@dfce59760d42.
 */
static const struct taint_bit suse_5_3_bits[] = {
	UPSTREAM_0_TO_15, SUSE_EXTERNAL(16), UPSTREAM_17, SUSE_NO_SUPPORT(31, 'N'),
};
static const struct taint_column suse_5_3_columns[] = {
	COLUMNS_0_TO_15, COLUMN(16, 'X'), COLUMN(17, 'T'), COLUMN(31, 'N'),
};

/*
 * Kernel 6.0 and later (SLE 15 SP6 and SP7, SUSE Linux 16, Tumbleweed): N is upstream's TEST
 * (18), so NO_SUPPORT prints 'n'; 20 columns. openSUSE/kernel kernel/panic.c@0c31a018186b
 * (6.4) and @978be33519fb (6.12). TAINT_FWCTL (19) is in 6.15's panic.h
 * (openSUSE/kernel@0bbad1b227c8), its row not seen: unknown.
 */
static const struct taint_bit suse_6_0_bits[] = {
	UPSTREAM_0_TO_15, SUSE_EXTERNAL(16), UPSTREAM_17, UPSTREAM_18, SUSE_NO_SUPPORT(31, 'n'),
};
static const struct taint_column suse_6_0_columns[] = {
	COLUMNS_0_TO_17, COLUMN(18, 'N'), COLUMN(31, 'n'),
};

/*
 * SUSE kernels of no line whose table was read (4.13 to 5.2 above all, Tumbleweed of 2017 to
 * 2019): upstream's bits, which SUSE never moved; SUSE's own (16, 30, 31) and the string are
 * not known. (On an older kernel, upstream bits it predates are never set.)
 */
static const struct taint_bit suse_ambiguous_bits[] = {
	UPSTREAM_0_TO_15, UPSTREAM_17,
};

#define LAYOUT(id_, title_, bits_, columns_) \
	{id_, title_, bits_, ARRAY_SIZE(bits_), columns_, ARRAY_SIZE(columns_), false}
#define LAYOUT_NO_STRING(id_, title_, bits_) {id_, title_, bits_, ARRAY_SIZE(bits_), NULL, 0, false}

const struct taint_layout taint_layouts[] = {
	/* Upstream kernels print one column per flag their release knows (taint_string_columns()). */
	{"upstream", "mainline Linux", upstream_bits, ARRAY_SIZE(upstream_bits),
	 upstream_columns, ARRAY_SIZE(upstream_columns), true},
	LAYOUT("rhel6.0", "Red Hat Enterprise Linux 6.0", rhel6_0_bits, rhel6_0_columns),
	LAYOUT("rhel6.1", "Red Hat Enterprise Linux 6.1 and 6.2", rhel6_1_bits, rhel6_1_columns),
	LAYOUT("rhel6.3", "Red Hat Enterprise Linux 6.3 to 6.6", rhel6_3_bits, rhel6_3_columns),
	LAYOUT("rhel6.7", "Red Hat Enterprise Linux 6.7 to 6.10", rhel6_7_bits, rhel6_7_columns),
	LAYOUT("rhel7.0", "Red Hat Enterprise Linux 7.0 and 7.1", rhel7_0_bits, rhel7_0_columns),
	LAYOUT_NO_STRING("rhel7.2", "Red Hat Enterprise Linux 7.2 (its table not read)", rhel7_2_bits),
	LAYOUT("rhel7.3", "Red Hat Enterprise Linux 7.3 to 7.9", rhel7_3_bits, rhel7_3_columns),
	LAYOUT("rhel8", "Red Hat Enterprise Linux 8", rhel8_bits, rhel8_columns),
	LAYOUT("rhel9.0", "Red Hat Enterprise Linux 9.0 and 9.1", rhel9_0_bits, rhel9_0_columns),
	LAYOUT("rhel9.2", "Red Hat Enterprise Linux 9.2", rhel9_2_bits, rhel9_2_columns),
	LAYOUT("rhel9.3", "Red Hat Enterprise Linux 9.3 and later", rhel9_3_bits, rhel9_3_columns),
	LAYOUT("suse-2.6.32", "SUSE, kernel 2.6.32 (SLE 11 SP1)", suse_2_6_32_bits, suse_2_6_32_columns),
	LAYOUT("suse-3.0", "SUSE, kernel 3.0 (SLE 11 SP2 to SP4)", suse_3_0_bits, suse_3_0_columns),
	LAYOUT("suse-3.12", "SUSE, kernel 3.12 (SLE 12 GA and SP1)", suse_3_12_bits, suse_3_12_columns),
	LAYOUT("suse-4.4", "SUSE, kernel 4.4 (SLE 12 SP2 and SP3)", suse_4_4_bits, suse_4_4_columns),
	LAYOUT("suse-4.12", "SUSE, kernel 4.12 (SLE 12 SP4 and SP5, SLE 15 GA and SP1)", suse_4_12_bits, suse_4_12_columns),
	LAYOUT("suse-5.3", "SUSE, kernel 5.3 to 5.x (SLE 15 SP2 to SP5)", suse_5_3_bits, suse_5_3_columns),
	LAYOUT("suse-6.0", "SUSE, kernel 6.0 and later (SLE 15 SP6 and SP7, SUSE Linux 16, Tumbleweed)", suse_6_0_bits, suse_6_0_columns),
	LAYOUT_NO_STRING("suse-ambiguous", "SUSE, a kernel whose table was not read", suse_ambiguous_bits),
};

/* clang-format on */

const size_t taint_layout_count = ARRAY_SIZE(taint_layouts);
