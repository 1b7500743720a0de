#ifndef TAINT_EXPORTER_ATTRIBUTION_H
#define TAINT_EXPORTER_ATTRIBUTION_H

/*
 * Which set taint flags the loaded modules explain. The kernel keeps a flag set once a module
 * set it, even after the module is unloaded; a module can also hide itself from /proc/modules
 * (a rootkit's trick). Either way the kernel shows a module flag that no
 * loaded module carries: "unattributed".
 */

#include <stdbool.h>
#include <stdint.h>

#include "decode/taint_table.h"
#include "snapshot.h"

/* What an unattributed flag means, in the words the landing page and --explain use. */
#define TAINT_UNATTRIBUTED_WHY "a module was unloaded, or is hidden from /proc/modules"

/*
 * taint_module_bits() - the bits set in @value that a module can carry: the layout's module
 * flags (struct taint_bit.module), and every bit the layout does not know, which may be a
 * module flag of a newer kernel.
 */
uint64_t taint_module_bits(const struct taint_layout *layout, uint64_t value);

/*
 * taint_unattributed() - of taint_module_bits(@layout, @value), those that no loaded module
 * explains, given the letters @carried by every loaded module: a known flag whose letter no
 * module carries; a bit the layout does not know when no module carries a letter the layout
 * does not know. Meaningful only when every loaded module was read.
 */
uint64_t taint_unattributed(const struct taint_layout *layout, uint64_t value,
			    const struct taint_letter_set *carried);

#endif
