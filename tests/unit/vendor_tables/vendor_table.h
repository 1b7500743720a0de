#ifndef TAINT_EXPORTER_TEST_VENDOR_TABLE_H
#define TAINT_EXPORTER_TEST_VENDOR_TABLE_H

/*
 * A kernel's print table, copied from its tree as it is written there, with the structs it
 * is written in: kernels before 4.10 print a `struct tnt tnts[]`, row by row with the bit
 * each row tests; later ones a `struct taint_flag taint_flags[]` indexed by bit. Each file
 * of this folder holds one, with the repository and commit it was read from. Nothing here is
 * the exporter's: test_vendor_tables.c prints each with a model of its kernel's
 * print_tainted() and compares the exporter with that.
 */

#include <stdbool.h>
#include <stddef.h>

/* As in the kernels' kernel/panic.c; `true` and `false` renamed, as C99 reserves them. */
struct tnt {
	unsigned char bit;
	char c_true;
	char c_false;
};

/* As in include/linux/kernel.h (4.10 to 5.13) and include/linux/panic.h. */
struct taint_flag {
	char c_true;
	char c_false;
	bool module;
};

struct vendor_table {
	const char *layout; /* the exporter's layout for this kernel */
	const char *osrelease; /* a release of it, from which the exporter picks the layout */
	bool suse; /* the release is a SUSE kernel's (picked by the SUSE-only files) */
	const char *source; /* where the table was read */
	const struct tnt *tnts; /* one of these two */
	size_t tnt_count;
	const struct taint_flag *flags;
	size_t flag_count;
	/* SUSE's fix (bsc#1172814): a row with no character is skipped, not printed as a NUL */
	bool skip_empty;
};

#define TNTS(a) .tnts = a, .tnt_count = sizeof(a) / sizeof(a[0])
#define FLAGS(a) .flags = a, .flag_count = sizeof(a) / sizeof(a[0])

extern const struct vendor_table vendor_rhel6_0, vendor_rhel6_1, vendor_rhel6_3, vendor_rhel6_10,
	vendor_rhel7_0, vendor_rhel7_3, vendor_rhel7_9, vendor_rhel8, vendor_rhel9_0,
	vendor_rhel9_2, vendor_rhel9_3, vendor_suse_2_6_32, vendor_suse_3_0, vendor_suse_3_12,
	vendor_suse_4_4, vendor_suse_4_12, vendor_suse_5_3, vendor_suse_6_4, vendor_suse_6_12,
	vendor_upstream_2_6_32, vendor_upstream_2_6_35, vendor_upstream_3_2, vendor_upstream_3_15,
	vendor_upstream_3_17, vendor_upstream_4_0, vendor_upstream_4_10, vendor_upstream_4_15,
	vendor_upstream_4_17, vendor_upstream_6_0, vendor_upstream_7_1, vendor_upstream_2_6_34,
	vendor_upstream_3_14, vendor_upstream_3_16, vendor_upstream_3_19, vendor_upstream_4_14,
	vendor_upstream_4_16, vendor_upstream_5_19, vendor_upstream_6_14;

#endif
