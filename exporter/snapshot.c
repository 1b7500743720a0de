#include <string.h>

#include "snapshot.h"

void snapshot_add_module(struct taint_snapshot *snap, const char *name, const char *letters)
{
	buffer_append(&snap->modules, name, strlen(name) + 1);
	buffer_append(&snap->modules, letters, strlen(letters) + 1);
	taint_letter_set_add(&snap->module_letters, letters);
	snap->module_count++;
}

bool snapshot_attribution_known(const struct taint_snapshot *snap)
{
	return snap->taint_error == 0 && snap->modules_collected && snap->module_list_read;
}

bool snapshot_next_module(const struct taint_snapshot *snap, size_t *cursor, const char **name,
			  const char **letters)
{
	if (*cursor >= snap->modules.len || snap->modules.failed)
		return false;
	*name = snap->modules.data + *cursor;
	*cursor += strlen(*name) + 1;
	*letters = snap->modules.data + *cursor;
	*cursor += strlen(*letters) + 1;
	return true;
}

bool snapshot_same(const struct taint_snapshot *a, const struct taint_snapshot *b)
{
	if (a->log || b->log || a->modules.failed || b->modules.failed)
		return false;
	return a->taint_error == b->taint_error && a->value == b->value &&
	       a->modules_collected == b->modules_collected && a->module_count == b->module_count &&
	       a->modules_omitted == b->modules_omitted &&
	       a->module_read_errors == b->module_read_errors &&
	       a->module_list_read == b->module_list_read &&
	       memcmp(&a->module_letters, &b->module_letters, sizeof(a->module_letters)) == 0 &&
	       a->modules.len == b->modules.len &&
	       (a->modules.len == 0 ||
		memcmp(a->modules.data, b->modules.data, a->modules.len) == 0);
}

void snapshot_free(struct taint_snapshot *snap)
{
	buffer_free(&snap->modules);
}

const struct taint_log_entry *taint_log_find(const struct taint_log *log, char letter)
{
	for (size_t i = 0; log && i < log->count; i++) {
		if (log->entries[i].letter == letter)
			return &log->entries[i];
	}
	return NULL;
}
