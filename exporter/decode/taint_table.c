#include <stddef.h>
#include <string.h>

#include "decode/taint_table.h"
#include "util.h"

/*
 * Upstream Linux: include/linux/panic.h and kernel/panic.c taint_flags[] (TAINT_FLAGS_COUNT 20),
 * descriptions after Documentation/admin-guide/tainted-kernels.rst. Every vendor layout starts
 * from a prefix of these entries, so the macros below are the single copy of their text.
 * The tables are laid out by hand, one row per bit, to read as tables: clang-format is off.
 *
 * The last column is the kernel's taint_flags[].module: whether a module can carry the flag
 * (module_flags_taint() prints it in /proc/modules and /sys/module/<m>/taint), so that a set
 * flag no loaded module carries is worth saying (attribution.h).
 */
/* clang-format off */
#define BY_MODULE true
#define NOT_MODULE false
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

#define UPSTREAM_0_TO_15                                                                           \
	UPSTREAM_0, UPSTREAM_1, UPSTREAM_2, UPSTREAM_3, UPSTREAM_4, UPSTREAM_5, UPSTREAM_6,        \
		UPSTREAM_7, UPSTREAM_8, UPSTREAM_9, UPSTREAM_10, UPSTREAM_11, UPSTREAM_12,         \
		UPSTREAM_13, UPSTREAM_14, UPSTREAM_15

static const struct taint_bit upstream_bits[] = {
	UPSTREAM_0_TO_15, UPSTREAM_16, UPSTREAM_17, UPSTREAM_18, UPSTREAM_19,
};

/*
 * RHEL 6/7 (kernel 3.10): include/linux/kernel.h of the Red Hat sources has 0-15 upstream,
 * 16-26 unused, 27 BIT_BY_ZOMBIE, 28 HARDWARE_UNSUPPORTED (H), 29 TECH_PREVIEW (T), 30-31
 * reserved. The letter of bit 27 is not printed by any source we found; 'Z' is our choice.
 */
static const struct taint_bit rhel7_bits[] = {
	UPSTREAM_0_TO_15,
	{27, 'Z', "bit_by_zombie", "The OMGZOMBIES boot parameter was given (Red Hat test taint)", NOT_MODULE},
	{28, 'H', "hardware_unsupported", "Hardware that Red Hat does not support was detected", NOT_MODULE},
	/* mark_tech_preview(msg, mod) also sets the flag in mod->taints (kernel/rh_taint.c) */
	{29, 'T', "tech_preview", "A Technology Preview driver or feature was used", BY_MODULE},
};

/*
 * RHEL 8 (kernel 4.18): 0-17 upstream, 18-26 placeholders, 27 SUPPORT_REMOVED, 28 unused,
 * 29 TECH_PREVIEW, 30 UNPRIVILEGED_BPF. Letters are unconfirmed: h and u as RHEL 9 prints them,
 * t because upstream T (randstruct, bit 17) is taken.
 */
static const struct taint_bit rhel8_bits[] = {
	UPSTREAM_0_TO_15, UPSTREAM_16, UPSTREAM_17,
	{27, 'h', "support_removed", "Hardware or a driver whose support was removed by Red Hat is in use", NOT_MODULE},
	{29, 't', "tech_preview", "A Technology Preview driver or feature was used", BY_MODULE},
	{30, 'u', "unprivileged_bpf", "Unprivileged BPF was enabled", NOT_MODULE},
};

/*
 * RHEL 9 (kernel 5.14): 0-18 upstream, 19-26 placeholders (so upstream J is not bit 19 here),
 * 27 SUPPORT_REMOVED (h), 31 UNPRIVILEGED_BPF (u). Tech preview uses TAINT_AUX (bit 16).
 */
static const struct taint_bit rhel9_bits[] = {
	UPSTREAM_0_TO_15,
	{16, 'X', "aux", "Auxiliary taint; Red Hat uses it for Technology Preview code", BY_MODULE},
	UPSTREAM_17, UPSTREAM_18,
	{27, 'h', "support_removed", "Hardware or a driver whose support was removed by Red Hat is in use", NOT_MODULE},
	{31, 'u', "unprivileged_bpf", "Unprivileged BPF was enabled", NOT_MODULE},
};

/*
 * SUSE: three generations of SUSE's supported-flag patch (openSUSE/kernel-source,
 * patches.suse/supported-flag, supported-flag-enterprise and add-suse-supported-flag.patch;
 * README.md, "Taint bits and vendor layouts", lists the versions read), which a SUSE kernel's
 * release tells apart (decode/vendor.c). EXTERNAL_SUPPORT: a module supported by a third
 * party; NO_SUPPORT: one SUSE does not support (also set by reverting a live patch).
 */
#define SUSE_EXTERNAL(bit) {bit, 'X', "external_support", "A module supported by a third party, not SUSE, was loaded", BY_MODULE}
#define SUSE_NO_SUPPORT(bit, letter) {bit, letter, "no_support", "A module that is not supported was loaded", BY_MODULE}

/* Kernels 6.0 and later (SLE 15 SP6, SLE 16, Tumbleweed): X = TAINT_AUX, 31 n (N is TEST). */
static const struct taint_bit suse_bits[] = {
	UPSTREAM_0_TO_15, SUSE_EXTERNAL(16), UPSTREAM_17, UPSTREAM_18, UPSTREAM_19,
	SUSE_NO_SUPPORT(31, 'n'),
};

/* Kernels 5.3 to 5.x (SLE 15 SP2 to SP5): X = TAINT_AUX, 31 N; upstream had no TEST yet. */
static const struct taint_bit suse15_bits[] = {
	UPSTREAM_0_TO_15, SUSE_EXTERNAL(16), UPSTREAM_17, SUSE_NO_SUPPORT(31, 'N'),
};

/* Kernels 2.6.25 to 4.19 (SLE 11, SLE 12 GA to SP5, SLE 15 GA and SP1): 30 N, 31 X. */
static const struct taint_bit suse12_bits[] = {
	UPSTREAM_0_TO_15, SUSE_NO_SUPPORT(30, 'N'), SUSE_EXTERNAL(31),
};

/*
 * Kernels 4.20 to 5.2 (Tumbleweed of 2019, no SLE): the sources read do not say which of the
 * two older layouts they had. What both agree on only, so that bits 16, 30 and 31 and the
 * letters N and X show as unknown rather than as a flag they may not be.
 */
static const struct taint_bit suse_ambiguous_bits[] = {
	UPSTREAM_0_TO_15, UPSTREAM_17,
};

#define LAYOUT(id_, title_, bits_) {id_, title_, bits_, ARRAY_SIZE(bits_), false}

/* Upstream kernels print one column per flag their release knows (taint_string_columns()). */
static const struct taint_layout upstream = {"upstream", "mainline Linux", upstream_bits,
					     ARRAY_SIZE(upstream_bits), true};
static const struct taint_layout rhel7 = LAYOUT("rhel7", "Red Hat Enterprise Linux 6/7", rhel7_bits);
static const struct taint_layout rhel8 = LAYOUT("rhel8", "Red Hat Enterprise Linux 8", rhel8_bits);
static const struct taint_layout rhel9 = LAYOUT("rhel9", "Red Hat Enterprise Linux 9", rhel9_bits);
static const struct taint_layout suse = LAYOUT("suse", "SUSE Linux Enterprise / openSUSE, kernel 6.0 and later", suse_bits);
static const struct taint_layout suse15 = LAYOUT("suse15", "SUSE Linux Enterprise 15 SP2-SP5, kernel 5.3 to 5.x", suse15_bits);
static const struct taint_layout suse12 = LAYOUT("suse12", "SUSE Linux Enterprise 11, 12, 15 GA/SP1, kernel 2.6.25 to 4.19", suse12_bits);
static const struct taint_layout suse_ambiguous = LAYOUT("suse-ambiguous", "SUSE, kernel 4.20 to 5.2: bits 16, 30 and 31 not known", suse_ambiguous_bits);

/* clang-format on */

static const struct taint_layout *const layouts[] = { &upstream, &rhel7,  &rhel8,  &rhel9,
						      &suse,	 &suse15, &suse12, &suse_ambiguous };

const struct taint_bit taint_bit_unknown = {
	TAINT_MAX_BITS, '?',
	"unknown",	"Not a bit of this layout (a newer kernel's, or another vendor's)",
	true, /* it may be a module flag of a newer kernel: attribution.h */
};

const struct taint_layout *const *taint_layout_all(size_t *count)
{
	*count = ARRAY_SIZE(layouts);
	return layouts;
}

const struct taint_layout *taint_layout_find(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(layouts); i++) {
		if (strcmp(layouts[i]->id, id) == 0)
			return layouts[i];
	}
	return NULL;
}

const struct taint_bit *taint_layout_bit(const struct taint_layout *layout, unsigned int bit)
{
	for (size_t i = 0; i < layout->count; i++) {
		if (layout->bits[i].bit == bit)
			return &layout->bits[i];
	}
	return &taint_bit_unknown;
}

const struct taint_bit *taint_layout_letter(const struct taint_layout *layout, char letter)
{
	for (size_t i = 0; i < layout->count; i++) {
		if (layout->bits[i].letter == letter)
			return &layout->bits[i];
	}
	return &taint_bit_unknown;
}

uint64_t taint_layout_mask(const struct taint_layout *layout)
{
	uint64_t mask = 0;
	for (size_t i = 0; i < layout->count; i++)
		mask |= UINT64_C(1) << layout->bits[i].bit;
	return mask;
}
