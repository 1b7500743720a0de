#ifndef TAINT_EXPORTER_TEST_EXPLAIN_CASES_H
#define TAINT_EXPORTER_TEST_EXPLAIN_CASES_H

/*
 * The case table shared by test_explain.c (text) and test_explain_json.c: a case gives the
 * input of explain_render() and the whole expected output.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/explain.h"

/* A live snapshot as the reader would fill it: two tainted modules and their counters. */
struct snapshot_spec {
	const char *modules[4][2]; /* {name, letters}, ended by {NULL} */
	bool collected;
	size_t omitted;
	size_t read_errors;
	bool list_unread; /* the module list could not be read (out of file descriptors) */
};

struct explain_case {
	const char *name;
	const char *layout;
	const char *reason;
	const char *source;
	int error;
	uint64_t value;
	const struct snapshot_spec *live; /* NULL: a given value, no modules */
	enum explain_format format;
	const char *expected;
};

/* The live snapshots that both outputs show. */
extern const struct snapshot_spec nvidia_vboxdrv, hostile_and_counted, no_modules, vboxdrv_only;

/* explain_cases_check() - render each of @count @cases and compare with what it expects. */
void explain_cases_check(const struct explain_case *cases, size_t count);

#endif
