/*
 * proc_modules_decode() over any bytes, as the text of a <procfs>/modules, without a cap and
 * with a small one. Properties, whatever the bytes:
 *   - it never reads outside the text (a heap copy of exactly its bytes, for ASan);
 *   - every line gives at most one of: a module listed, a module omitted, an error; a line
 *     repeating the one before gives none, so listed + omitted + errors <= lines;
 *   - at most the cap is listed, and nothing is omitted below it;
 *   - a problem bit is set exactly when there is an error, and only known bits;
 *   - every listed name is non-empty valid UTF-8 without blank, newline or NUL, escaped as
 *     module_name_utf8() does, and every listed letter string is module_letters_valid(),
 *     its letters in module_letters;
 *   - with a cap, into a reset snapshot: the first records of the decoding without one, the
 *     others omitted, the same errors, problems and letters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/module.h"
#include "decode/proc_modules.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_lines(const char *text, size_t len)
{
	size_t lines = 0;
	for (const char *p = text, *end = text + len; p < end; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return lines;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * A name as module_name_utf8() makes it: every backslash starts a \xHH escape, and the bytes
 * those stand for, escaped again, give the name back (so no two names come out the same).
 */
static void check_name(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > MODULE_NAME_UTF8_MAX || strpbrk(name, " \n"))
		abort();
	char raw[MODULE_NAME_MAX + 1];
	size_t n = 0;
	for (size_t i = 0; i < len; n++) {
		if (n > MODULE_NAME_MAX)
			abort();
		if (name[i] != '\\') {
			raw[n] = name[i++];
			continue;
		}
		int hi = i + 3 < len && name[i + 1] == 'x' ? hex_digit(name[i + 2]) : -1;
		int lo = hi >= 0 ? hex_digit(name[i + 3]) : -1;
		if (lo < 0)
			abort(); /* a backslash that starts no escape */
		raw[n] = (char)(hi << 4 | lo);
		i += 4;
	}
	static char again[MODULE_NAME_UTF8_MAX + 1];
	if (module_name_utf8(raw, n, again) != len || memcmp(again, name, len) != 0)
		abort();
}

static void check_snapshot(const struct taint_snapshot *snap, size_t lines, size_t max,
			   unsigned int problems)
{
	if (snap->module_count + snap->modules_omitted + snap->module_read_errors > lines)
		abort();
	if (snap->module_count > max || (snap->modules_omitted && snap->module_count != max))
		abort();
	if ((problems != 0) != (snap->module_read_errors != 0))
		abort();
	if (problems & ~((1U << PROC_MODULES_PROBLEMS) - 1))
		abort();
	size_t cursor = 0, records = 0;
	const char *name, *letters;
	while (snapshot_next_module(snap, &cursor, &name, &letters)) {
		check_name(name);
		size_t n = strlen(letters);
		if (n == 0 || !module_letters_valid(letters, n))
			abort();
		for (const char *l = letters; *l; l++) {
			if (!taint_letter_set_has(&snap->module_letters, *l))
				abort();
		}
		records++;
	}
	if (records != snap->module_count)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A heap copy of exactly the input's bytes, so that ASan sees any read past the end. */
	char *text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	size_t lines = count_lines(text, size);

	struct taint_snapshot all = TAINT_SNAPSHOT_INIT;
	unsigned int problems = 0;
	proc_modules_decode(text, size, SIZE_MAX, &all, &problems);
	check_snapshot(&all, lines, SIZE_MAX, problems);

	/*
	 * Again through a cap of 0 to 4 (from the input's length), into a snapshot that held
	 * something and was reset: the first records of the uncapped decoding, the rest omitted,
	 * the same errors and the same letters.
	 */
	size_t max = size % 5;
	struct taint_snapshot capped = TAINT_SNAPSHOT_INIT;
	snapshot_add_module(&capped, "stale", "P", SIZE_MAX);
	capped.module_read_errors = 9;
	snapshot_reset(&capped);
	unsigned int capped_problems = 0;
	proc_modules_decode(text, size, max, &capped, &capped_problems);
	check_snapshot(&capped, lines, max, capped_problems);
	size_t listed = all.module_count < max ? all.module_count : max;
	if (capped.module_count != listed || capped.modules_omitted != all.module_count - listed ||
	    capped.module_read_errors != all.module_read_errors || capped_problems != problems ||
	    memcmp(&capped.module_letters, &all.module_letters, sizeof(all.module_letters)) != 0)
		abort();
	if (capped.modules.len > all.modules.len ||
	    (capped.modules.len &&
	     memcmp(capped.modules.data, all.modules.data, capped.modules.len) != 0))
		abort();

	snapshot_free(&capped);
	snapshot_free(&all);
	free(text);
	return 0;
}
