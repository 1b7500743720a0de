#include <string.h>

#include "snapshot.h"

void taint_letter_set_add(struct taint_letter_set *set, const char *letters)
{
	for (const unsigned char *l = (const unsigned char *)letters; *l; l++) {
		if (*l < 128)
			set->bits[*l / 64] |= UINT64_C(1) << (*l % 64);
	}
}

bool taint_letter_set_has(const struct taint_letter_set *set, char letter)
{
	unsigned char l = (unsigned char)letter;
	return l < 128 && (set->bits[l / 64] >> (l % 64)) & 1;
}

void snapshot_add_module(struct taint_snapshot *snap, const char *name, const char *letters,
			 size_t max)
{
	taint_letter_set_add(&snap->module_letters, letters);
	if (snap->module_count >= max) {
		snap->modules_omitted++;
		return;
	}
	buffer_append(&snap->modules, name, strlen(name) + 1);
	buffer_append(&snap->modules, letters, strlen(letters) + 1);
	snap->module_count++;
}

void snapshot_reset(struct taint_snapshot *snap)
{
	struct buffer modules = snap->modules;
	buffer_reset(&modules);
	*snap = (struct taint_snapshot)TAINT_SNAPSHOT_INIT;
	snap->modules = modules;
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
