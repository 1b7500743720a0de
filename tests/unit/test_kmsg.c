/*
 * The kernel log's account of taint (decode/kmsg.h): /dev/kmsg records, and the messages the
 * kernel prints when it sets a flag, in the words a real kernel used (../shared/KERNEL-VM.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/kmsg.h"

static void parses_a_record_with_its_dictionary(void **state)
{
	const char rec[] = "4,1234,5678901,-,caller=T116;taint_test: loading out-of-tree module "
			   "taints kernel.\n SUBSYSTEM=module\n DEVICE=+module:taint_test\n";
	struct kmsg_record r;
	assert_int_equal(kmsg_record_parse(rec, strlen(rec), &r), 0);
	assert_int_equal(r.prio, 4);
	assert_int_equal(r.seq, 1234);
	assert_int_equal(r.ts_usec, 5678901);
	assert_int_equal(r.flag, '-');
	const char text[] = "taint_test: loading out-of-tree module taints kernel.";
	assert_int_equal(r.text_len, strlen(text));
	assert_memory_equal(r.text, text, r.text_len);
}

static void refuses_what_is_not_a_record(void **state)
{
	const char *bad[] = {
		"",
		"hello",
		"4,1,2;no flag",
		"4,1,2,x;bad flag",
		"x,1,2,-;prio not a number",
		"4,,2,-;empty seq",
		"4,1,99999999999999999999999,-;timestamp overflows",
		"4096,1,2,-;prio too large",
		"4,1,2,-", /* no ';' */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kmsg_record r;
		if (kmsg_record_parse(bad[i], strlen(bad[i]), &r) != -22)
			fail_msg("accepted %s", bad[i]);
	}
	struct kmsg_record r;
	assert_int_equal(kmsg_record_parse("6,2,3,c;a continuation", 22, &r), 0);
	assert_int_equal(r.flag, 'c');
	assert_int_equal(r.text_len, strlen("a continuation"));
}

struct note_case {
	const char *text;
	char letter; /* 0: explains nothing */
	const char *module;
	const char *location;
};

static void each_message_explains_its_flag(void **state)
{
	const struct note_case cases[] = {
		{ "taint_test: loading out-of-tree module taints kernel.", 'O', "taint_test", "" },
		{ "taint_test: module license 'Proprietary' taints kernel.", 'P', "taint_test", "" },
		{ "nvidia: module license taints kernel.", 'P', "nvidia", "" },
		{ "taint_test: module verification failed: signature and/or required key missing - "
		  "tainting kernel",
		  'E', "taint_test", "" },
		{ "kunit_test: loading test module taints kernel.", 'N', "kunit_test", "" },
		{ "vboxdrv: disagrees about version of symbol module_layout: kernel tainted.", 'F',
		  "vboxdrv", "" },
		{ "r8188eu: module is from the staging directory, the quality is unknown, you have "
		  "been warned.",
		  'C', "r8188eu", "" },
		{ "livepatch_sample: tainting kernel with TAINT_LIVEPATCH", 'K', "livepatch_sample",
		  "" },
		{ "fwctl_tool(812): has requested full access to the physical device device", 'J',
		  "", "" },
		{ "WARNING: CPU: 0 PID: 116 at /tmp/kt/taint_test.c:8 taint_test_init+0xe/0x1000 "
		  "[taint_test]",
		  'W', "taint_test", "/tmp/kt/taint_test.c:8 taint_test_init" },
		{ "WARNING: CPU: 1 PID: 9 at crypto/testmgr.c:5804 alg_test+0x3c4/0x5d0", 'W', "",
		  "crypto/testmgr.c:5804 alg_test" },
		{ "watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [swapper/1:0]", 'L', "", "" },
		{ "BUG: Bad page state in process swapper  pfn:1234", 'B', "", "" },
		{ "Oops: general protection fault, probably for non-canonical address", 'D', "",
		  "" },
		{ "kernel BUG at mm/slub.c:400!", 'D', "", "" },
		{ "BUG: unable to handle page fault for address: 0000000000001234", 'D', "", "" },
		{ "mce: [Hardware Error]: Machine check events logged", 'M', "", "" },
		/* the kernel's other lines, and look-alikes, explain nothing */
		{ "Disabling lock debugging due to kernel taint", 0, NULL, NULL },
		{ "------------[ cut here ]------------", 0, NULL, NULL },
		{ "ext4: module license 'GPL' is fine", 0, NULL, NULL },
		{ "Modules linked in: taint_test(POE+)", 0, NULL, NULL },
		{ "", 0, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct note_case *c = &cases[i];
		struct kmsg_taint_note note;
		bool found = kmsg_taint_note(c->text, strlen(c->text), &note);
		if (found != (c->letter != 0) || (found && note.letter != c->letter))
			fail_msg("%s: expected %c, got %c", c->text, c->letter ? c->letter : '-',
				 found ? note.letter : '-');
		if (found) {
			assert_string_equal(note.module, c->module);
			assert_string_equal(note.location, c->location);
		}
	}
}

static void a_name_that_is_not_a_module_name_is_not_taken(void **state)
{
	struct kmsg_taint_note note;
	const char text[] = "some words: loading out-of-tree module taints kernel.";
	assert_true(kmsg_taint_note(text, strlen(text), &note));
	assert_int_equal(note.letter, 'O');
	assert_string_equal(note.module, ""); /* a blank: not a module name */
	char long_location[600] = "WARNING: CPU: 0 PID: 1 at ";
	memset(long_location + strlen(long_location), 'x', 400);
	strcat(long_location, ":1 f+0x1/0x2");
	assert_true(kmsg_taint_note(long_location, strlen(long_location), &note));
	assert_int_equal(strlen(note.location), KMSG_LOCATION_MAX); /* cut to its limit */
}

static void reads_the_letters_of_a_tainted_header(void **state)
{
	char letters[65];
	const char h1[] =
		"CPU: 0 PID: 116 Comm: insmod Tainted: P           OE      6.1.0-57-amd64 #1";
	assert_true(kmsg_tainted_letters(h1, strlen(h1), letters));
	assert_string_equal(letters, "POE");
	const char h2[] =
		"CPU: 1 PID: 9 Comm: k Tainted: G        W         6.1.0-57-amd64 #1 Debian";
	assert_true(kmsg_tainted_letters(h2, strlen(h2), letters));
	assert_string_equal(letters, "W");
	const char h3[] = "Tainted: [P]=PROPRIETARY_MODULE, [W]=WARN, [O]=OOT_MODULE";
	assert_true(kmsg_tainted_letters(h3, strlen(h3), letters));
	assert_string_equal(letters, "PWO");
	const char h4[] = "CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-57-amd64 #1";
	assert_true(kmsg_tainted_letters(h4, strlen(h4), letters));
	assert_string_equal(letters, "");
	const char h5[] = "usb 1-1: new high-speed USB device";
	assert_false(kmsg_tainted_letters(h5, strlen(h5), letters));
}

/*
 * Text a user chooses: a task's name ("Tainted: D W " is a valid one, 15 bytes at most) starts
 * the kernel's lines about that task, and stands in a dump header before the kernel's own
 * taint string. None of it may account for a flag.
 */
static void a_task_named_like_a_taint_string_explains_nothing(void **state)
{
	char letters[65];
	struct kmsg_taint_note note;
	const char *forged[] = {
		"Tainted: D W [1234]: segfault at 0 ip 0000000000401126 sp 00007ffd error 6",
		"Tainted: [D]=DI[1234]: segfault at 0 ip 0000000000401126 sp 00007ffd error 6",
		"usb 1-1: Tainted: D W ",
		"a.out[1]: Comm: x Tainted: D W ",
	};
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		if (kmsg_tainted_letters(forged[i], strlen(forged[i]), letters))
			fail_msg("\"%s\": expected no taint header, got letters \"%s\"", forged[i],
				 letters);
	}
	const char named_clean[] =
		"CPU: 0 PID: 5 Comm: Tainted: D W  Not tainted 6.1.0-57-amd64 #1";
	assert_true(kmsg_tainted_letters(named_clean, strlen(named_clean), letters));
	assert_string_equal(letters, ""); /* the kernel's own "Not tainted", last */
	const char named_tainted[] =
		"CPU: 0 PID: 5 Comm: Tainted: D W  Tainted: P           OE      6.1.0-57-amd64 #1";
	assert_true(kmsg_tainted_letters(named_tainted, strlen(named_tainted), letters));
	assert_string_equal(letters, "POE");
	const char *not_warnings[] = {
		"WARNING: x[12]: segfault at 0 ip 0 sp 0 error 4",
		"WARNING: CPU: x PID: 1 at a.c:1 f",
		"WARNING: CPU: 1 PID: 2 is not how __warn() writes it",
	};
	for (size_t i = 0; i < sizeof(not_warnings) / sizeof(not_warnings[0]); i++) {
		if (kmsg_taint_note(not_warnings[i], strlen(not_warnings[i]), &note))
			fail_msg("\"%s\": expected no note, got one for %c", not_warnings[i],
				 note.letter);
	}
}

/* Only the kernel's own messages, at notice or above, explain a flag. */
static void only_the_kernels_records_of_notice_or_above_count(void **state)
{
	const struct {
		unsigned int prio;
		bool counts;
	} cases[] = {
		{ 0, true }, /* LOG_KERN | LOG_EMERG */
		{ 4, true }, /* a warning: __warn(), the module taint messages */
		{ 5, true }, /* notice */
		{ 6, false }, /* info: "a.out[7]: segfault at ..." */
		{ 7, false }, /* debug */
		{ 1 << 3 | 4, false }, /* LOG_USER: written to /dev/kmsg */
		{ 3 << 3 | 0, false }, /* LOG_DAEMON */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kmsg_record rec = { .prio = cases[i].prio };
		if (kmsg_record_from_kernel(&rec) != cases[i].counts)
			fail_msg("prio %u: expected %s", cases[i].prio,
				 cases[i].counts ? "the kernel's" : "not the kernel's");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_a_record_with_its_dictionary),
		cmocka_unit_test(refuses_what_is_not_a_record),
		cmocka_unit_test(each_message_explains_its_flag),
		cmocka_unit_test(a_name_that_is_not_a_module_name_is_not_taken),
		cmocka_unit_test(reads_the_letters_of_a_tainted_header),
		cmocka_unit_test(a_task_named_like_a_taint_string_explains_nothing),
		cmocka_unit_test(only_the_kernels_records_of_notice_or_above_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
