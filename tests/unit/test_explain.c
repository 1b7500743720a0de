/*
 * Specification of explain mode's text output (--explain): the whole text for a table of
 * cases (the JSON's: test_explain_json.c), and the parser of --explain=VALUE.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/taint.h"
#include "explain_cases.h"
#include "render/explain.h"

static const struct snapshot_spec not_collected = { .collected = false };
static const struct snapshot_spec list_unread = { .collected = true,
						  .read_errors = 1,
						  .list_unread = true };

static const struct explain_case cases[] = {
	{
		.name = "given 4609: P, W and O with their descriptions and the kernel's string",
		.layout = "upstream",
		.reason = "--kernel.vendor=upstream",
		.source = "--explain=4609",
		.value = 4609,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is tainted.\n"
			"\n"
			"  value:   4609 (0x1201)\n"
			"  string:  \"P        W  O       \"  (as the kernel prints it after \"Tainted:\")\n"
			"  flags:   PWO\n"
			"  layout:  upstream (mainline Linux), from --kernel.vendor=upstream\n"
			"  source:  --explain=4609\n"
			"\n"
			"Set flags:\n"
			"  bit  flag  name                description\n"
			"    0  P     proprietary_module  A proprietary (non-GPL) module was loaded\n"
			"    9  W     warn                The kernel issued a warning\n"
			"   12  O     oot_module          An externally built (out-of-tree) module was "
			"loaded\n",
	},
	{
		.name = "given 0: not tainted, no flag table",
		.layout = "upstream",
		.source = "--explain=0",
		.value = 0,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is not tainted.\n"
			"\n"
			"  value:   0 (0x0)\n"
			"  string:  \"G                   \"  (the kernel prints \"Not tainted\")\n"
			"  flags:   (none)\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  --explain=0\n",
	},
	{
		.name = "unknown bits are listed, never dropped",
		.layout = "upstream",
		.source = "--explain=0x10000100001",
		.value = (UINT64_C(1) << 40) | (UINT64_C(1) << 20) | 1,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is tainted.\n"
			"\n"
			"  value:   1099512676353 (0x10000100001)\n"
			"  string:  \"P                   \"  (as the kernel prints it after \"Tainted:\")\n"
			"  flags:   P??\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  --explain=0x10000100001\n"
			"\n"
			"Set flags:\n"
			"  bit  flag  name                description\n"
			"    0  P     proprietary_module  A proprietary (non-GPL) module was loaded\n"
			"   20  ?     unknown             Not a bit of this layout (a newer kernel's, or "
			"another vendor's)\n"
			"   40  ?     unknown             Not a bit of this layout (a newer kernel's, or "
			"another vendor's)\n"
			"\n"
			"Bits the upstream layout does not know: 20, 40\n",
	},
	{
		.name = "a vendor layout decodes its own bits",
		.layout = "rhel7",
		.source = "--explain=268435456",
		.value = 268435456,
		.format = EXPLAIN_TEXT,
		/* RHEL 7.9's print_tainted(): 30 columns, '-' for each bit Red Hat reserves */
		.expected =
			"The kernel is tainted.\n"
			"\n"
			"  value:   268435456 (0x10000000)\n"
			"  string:  \"G               ------------H \"  (as the kernel prints it after "
			"\"Tainted:\")\n"
			"  flags:   H\n"
			"  layout:  rhel7.3 (Red Hat Enterprise Linux 7.3 to 7.9)\n"
			"  source:  --explain=268435456\n"
			"\n"
			"Set flags:\n"
			"  bit  flag  name                  description\n"
			"   28  H     hardware_unsupported  Hardware that Red Hat does not support was "
			"detected\n",
	},
	{
		.name = "live: the tainted modules with their letters and names",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = 4609,
		.live = &nvidia_vboxdrv,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is tainted.\n"
			"\n"
			"  value:   4609 (0x1201)\n"
			"  string:  \"P        W  O       \"  (as the kernel prints it after \"Tainted:\")\n"
			"  flags:   PWO\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  /proc/sys/kernel/tainted\n"
			"\n"
			"Set flags:\n"
			"  bit  flag  name                description\n"
			"    0  P     proprietary_module  A proprietary (non-GPL) module was loaded\n"
			"    9  W     warn                The kernel issued a warning\n"
			"   12  O     oot_module          An externally built (out-of-tree) module was loaded\n"
			"\n"
			"Tainted modules:\n"
			"  module   flags  names\n"
			"  nvidia   POE    proprietary_module, oot_module, unsigned_module\n"
			"  vboxdrv  OE     oot_module, unsigned_module\n",
	},
	{
		.name = "live: a module flag that no loaded module carries is said so",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = 12289,
		.live = &vboxdrv_only,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is tainted.\n"
			"\n"
			"  value:   12289 (0x3001)\n"
			"  string:  \"P           OE      \"  (as the kernel prints it after \"Tainted:\")\n"
			"  flags:   POE\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  /proc/sys/kernel/tainted\n"
			"\n"
			"Set flags:\n"
			"  bit  flag  name                description\n"
			"    0  P     proprietary_module  A proprietary (non-GPL) module was loaded\n"
			"   12  O     oot_module          An externally built (out-of-tree) module was loaded\n"
			"   13  E     unsigned_module     An unsigned module was loaded\n"
			"\n"
			"Tainted modules:\n"
			"  module   flags  names\n"
			"  vboxdrv  OE     oot_module, unsigned_module\n"
			"\n"
			"Not explained by a loaded module (a module was unloaded, or is hidden from "
			"/proc/modules):\n"
			"  P is set but no loaded module carries it (proprietary_module)\n",
	},
	{
		.name = "live: hostile module names are escaped, omitted and unreadable ones counted",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = 4096,
		.live = &hostile_and_counted,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is tainted.\n"
			"\n"
			"  value:   4096 (0x1000)\n"
			"  string:  \"G           O       \"  (as the kernel prints it after \"Tainted:\")\n"
			"  flags:   O\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  /proc/sys/kernel/tainted\n"
			"\n"
			"Set flags:\n"
			"  bit  flag  name        description\n"
			"   12  O     oot_module  An externally built (out-of-tree) module was loaded\n"
			"\n"
			"Tainted modules:\n"
			"  module          flags  names\n"
			"  evil\\x1b[31m\"x  OQ     oot_module, unknown\n"
			"  ... and 2 more, not listed because of --collector.modules.max\n"
			"  (1 line of the module list could not be used)\n",
	},
	{
		.name = "live: untainted kernel without tainted modules",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = 0,
		.live = &no_modules,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is not tainted.\n"
			"\n"
			"  value:   0 (0x0)\n"
			"  string:  \"G                   \"  (the kernel prints \"Not tainted\")\n"
			"  flags:   (none)\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  /proc/sys/kernel/tainted\n"
			"\n"
			"Tainted modules: none\n",
	},
	{
		.name = "live: the module list could not be read, which is not 'none'",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = 0,
		.live = &list_unread,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is not tainted.\n"
			"\n"
			"  value:   0 (0x0)\n"
			"  string:  \"G                   \"  (the kernel prints \"Not tainted\")\n"
			"  flags:   (none)\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  /proc/sys/kernel/tainted\n"
			"\n"
			"Tainted modules: unknown (the module list could not be read)\n"
			"  (1 line of the module list could not be used)\n",
	},
	{
		.name = "live: modules not read with --no-collector.modules",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = 0,
		.live = &not_collected,
		.format = EXPLAIN_TEXT,
		.expected =
			"The kernel is not tainted.\n"
			"\n"
			"  value:   0 (0x0)\n"
			"  string:  \"G                   \"  (the kernel prints \"Not tainted\")\n"
			"  flags:   (none)\n"
			"  layout:  upstream (mainline Linux)\n"
			"  source:  /proc/sys/kernel/tainted\n"
			"\n"
			"Tainted modules: not read (--no-collector.modules)\n",
	},
	{
		.name = "live: an unreadable taint file says why, modules still listed",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.error = -ENOENT,
		.live = &nvidia_vboxdrv,
		.format = EXPLAIN_TEXT,
		.expected = "Cannot tell whether the kernel is tainted: /proc/sys/kernel/tainted: "
			    "No such file or directory.\n"
			    "\n"
			    "  layout:  upstream (mainline Linux)\n"
			    "  source:  /proc/sys/kernel/tainted\n"
			    "\n"
			    "Tainted modules:\n"
			    "  module   flags  names\n"
			    "  nvidia   POE    proprietary_module, oot_module, unsigned_module\n"
			    "  vboxdrv  OE     oot_module, unsigned_module\n",
	},
};

static void renders_each_case_as_the_whole_expected_text(void **state)
{
	explain_cases_check(cases, sizeof(cases) / sizeof(cases[0]));
}

static void parses_decimal_and_0x_hexadecimal_values(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "4609", 4609 },
		{ "0", 0 },
		{ "0x1201", 4609 },
		{ "0X1201", 4609 },
		{ "0xAbC", 0xabc },
		{ "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
		{ "007", 7 },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		uint64_t v = 1;
		print_message("value %s\n", good[i].s);
		assert_int_equal(explain_parse_value(good[i].s, &v), 0);
		assert_true(v == good[i].v);
	}
}

static void refuses_anything_else_and_leaves_the_value_untouched(void **state)
{
	static const struct {
		const char *s;
		int err;
	} bad[] = {
		{ "", -EINVAL },
		{ "0x", -EINVAL },
		{ "-1", -EINVAL },
		{ "+1", -EINVAL },
		{ " 1", -EINVAL },
		{ "1 ", -EINVAL },
		{ "4609\n", -EINVAL },
		{ "12a", -EINVAL },
		{ "0x1g", -EINVAL },
		{ "1.5", -EINVAL },
		{ "1e3", -EINVAL },
		{ "0b101", -EINVAL },
		{ "18446744073709551616", -ERANGE },
		{ "0x10000000000000000", -ERANGE },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 42;
		print_message("value \"%s\"\n", bad[i].s);
		assert_int_equal(explain_parse_value(bad[i].s, &v), bad[i].err);
		assert_true(v == 42);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renders_each_case_as_the_whole_expected_text),
		cmocka_unit_test(parses_decimal_and_0x_hexadecimal_values),
		cmocka_unit_test(refuses_anything_else_and_leaves_the_value_untouched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
