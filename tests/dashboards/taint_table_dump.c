/*
 * Prints every entry of every taint layout, one per line: "layout<TAB>bit<TAB>letter<TAB>name".
 * The bit tables in exporter/taint_table.c are the single source of truth; the checks of the
 * alert rules' severity table read them through this program rather than parsing C.
 */
#include <stdio.h>

#include "decode/taint_table.h"

int main(void)
{
	size_t count = 0;
	const struct taint_layout *layouts = taint_layout_all(&count);

	for (size_t i = 0; i < count; i++) {
		const struct taint_layout *l = &layouts[i];

		for (size_t j = 0; j < l->count; j++)
			printf("%s\t%u\t%c\t%s\n", l->id, l->bits[j].bit, l->bits[j].letter,
			       l->bits[j].name);
	}
	return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
