/*
 * Specification of explain mode's JSON output (--explain --format=json): the whole object for
 * a table of cases.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "explain_cases.h"

static const struct explain_case cases[] = {
	{
		.name = "json: given 4609",
		.layout = "upstream",
		.reason = "--kernel.vendor=upstream",
		.source = "--explain=4609",
		.value = 4609,
		.format = EXPLAIN_JSON,
		.expected =
			"{\n"
			"  \"source\": \"--explain=4609\",\n"
			"  \"layout\": \"upstream\",\n"
			"  \"layout_reason\": \"--kernel.vendor=upstream\",\n"
			"  \"tainted\": true,\n"
			"  \"value\": 4609,\n"
			"  \"hex\": \"0x1201\",\n"
			"  \"kernel_string\": \"P        W  O       \",\n"
			"  \"flags\": \"PWO\",\n"
			"  \"bits\": [\n"
			"    {\"bit\": 0, \"flag\": \"P\", \"name\": \"proprietary_module\", "
			"\"known\": true, \"description\": \"A proprietary (non-GPL) module was "
			"loaded\"},\n"
			"    {\"bit\": 9, \"flag\": \"W\", \"name\": \"warn\", \"known\": true, "
			"\"description\": \"The kernel issued a warning\"},\n"
			"    {\"bit\": 12, \"flag\": \"O\", \"name\": \"oot_module\", \"known\": "
			"true, \"description\": \"An externally built (out-of-tree) module was "
			"loaded\"}\n"
			"  ],\n"
			"  \"unknown_bits\": []\n"
			"}\n",
	},
	{
		.name = "json: given 0 has empty lists",
		.layout = "upstream",
		.source = "--explain=0",
		.value = 0,
		.format = EXPLAIN_JSON,
		.expected = "{\n"
			    "  \"source\": \"--explain=0\",\n"
			    "  \"layout\": \"upstream\",\n"
			    "  \"tainted\": false,\n"
			    "  \"value\": 0,\n"
			    "  \"hex\": \"0x0\",\n"
			    "  \"kernel_string\": \"G                   \",\n"
			    "  \"flags\": \"\",\n"
			    "  \"bits\": [],\n"
			    "  \"unknown_bits\": []\n"
			    "}\n",
	},
	{
		.name = "json: unknown bit, escaped module name, counters",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = UINT64_C(1) << 63,
		.live = &hostile_and_counted,
		.format = EXPLAIN_JSON,
		.expected =
			"{\n"
			"  \"source\": \"/proc/sys/kernel/tainted\",\n"
			"  \"layout\": \"upstream\",\n"
			"  \"tainted\": true,\n"
			"  \"value\": 9223372036854775808,\n"
			"  \"hex\": \"0x8000000000000000\",\n"
			"  \"kernel_string\": \"G                   \",\n"
			"  \"flags\": \"?\",\n"
			"  \"bits\": [\n"
			"    {\"bit\": 63, \"flag\": \"?\", \"name\": \"unknown\", \"known\": false, "
			"\"description\": \"Not a bit of this layout (a newer kernel's, or another "
			"vendor's)\"}\n"
			"  ],\n"
			"  \"unknown_bits\": [63],\n"
			"  \"modules\": [\n"
			"    {\"module\": \"evil\\u001b[31m\\\"x\", \"flags\": \"OQ\", \"names\": "
			"[\"oot_module\", \"unknown\"]}\n"
			"  ],\n"
			"  \"modules_omitted\": 2,\n"
			"  \"module_read_errors\": 1,\n"
			"  \"module_list_read\": true,\n"
			"  \"unattributed\": []\n" /* Q may be bit 63's letter */
			"}\n",
	},
	{
		.name = "json: an unreadable taint file",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.error = -ENODATA,
		.live = &no_modules,
		.format = EXPLAIN_JSON,
		.expected = "{\n"
			    "  \"source\": \"/proc/sys/kernel/tainted\",\n"
			    "  \"layout\": \"upstream\",\n"
			    "  \"tainted\": null,\n"
			    "  \"error\": \"file is empty\",\n"
			    "  \"modules\": [],\n"
			    "  \"modules_omitted\": 0,\n"
			    "  \"module_read_errors\": 0,\n"
			    "  \"module_list_read\": true,\n"
			    "  \"unattributed\": null\n"
			    "}\n",
	},
};

static const struct explain_case unattributed_cases[] = {
	{
		.name = "json: P and an unknown bit that no loaded module explains",
		.layout = "upstream",
		.source = "/proc/sys/kernel/tainted",
		.value = 12289 + (UINT64_C(1) << 25),
		.live = &vboxdrv_only,
		.format = EXPLAIN_JSON,
		.expected =
			"{\n"
			"  \"source\": \"/proc/sys/kernel/tainted\",\n"
			"  \"layout\": \"upstream\",\n"
			"  \"tainted\": true,\n"
			"  \"value\": 33566721,\n"
			"  \"hex\": \"0x2003001\",\n"
			"  \"kernel_string\": \"P           OE      \",\n"
			"  \"flags\": \"POE?\",\n"
			"  \"bits\": [\n"
			"    {\"bit\": 0, \"flag\": \"P\", \"name\": \"proprietary_module\", "
			"\"known\": true, \"description\": \"A proprietary (non-GPL) module was "
			"loaded\"},\n"
			"    {\"bit\": 12, \"flag\": \"O\", \"name\": \"oot_module\", \"known\": "
			"true, \"description\": \"An externally built (out-of-tree) module was "
			"loaded\"},\n"
			"    {\"bit\": 13, \"flag\": \"E\", \"name\": \"unsigned_module\", \"known\": "
			"true, \"description\": \"An unsigned module was loaded\"},\n"
			"    {\"bit\": 25, \"flag\": \"?\", \"name\": \"unknown\", \"known\": false, "
			"\"description\": \"Not a bit of this layout (a newer kernel's, or another "
			"vendor's)\"}\n"
			"  ],\n"
			"  \"unknown_bits\": [25],\n"
			"  \"modules\": [\n"
			"    {\"module\": \"vboxdrv\", \"flags\": \"OE\", \"names\": "
			"[\"oot_module\", \"unsigned_module\"]}\n"
			"  ],\n"
			"  \"modules_omitted\": 0,\n"
			"  \"module_read_errors\": 0,\n"
			"  \"module_list_read\": true,\n"
			"  \"unattributed\": [\n"
			"    {\"bit\": 0, \"flag\": \"P\", \"name\": \"proprietary_module\"},\n"
			"    {\"bit\": 25, \"flag\": \"?\", \"name\": \"unknown\"}\n"
			"  ]\n"
			"}\n",
	},
};

static void says_which_module_flags_no_loaded_module_carries(void **state)
{
	explain_cases_check(unattributed_cases,
			    sizeof(unattributed_cases) / sizeof(unattributed_cases[0]));
}

static void renders_each_case_as_the_whole_expected_json(void **state)
{
	explain_cases_check(cases, sizeof(cases) / sizeof(cases[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renders_each_case_as_the_whole_expected_json),
		cmocka_unit_test(says_which_module_flags_no_loaded_module_carries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
