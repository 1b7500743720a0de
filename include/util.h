#ifndef TAINT_EXPORTER_UTIL_H
#define TAINT_EXPORTER_UTIL_H

/*
 * The error convention of this project, in one place:
 *
 *   A function that can fail returns int: 0 on success, a negative errno value on failure
 *   (-ENOENT, -EINVAL, ...). A function that has more than one successful outcome documents
 *   its positive return values. Failures are logged once, by the caller that decides what to
 *   do about them, never by the helper that found them. main() unwinds with goto labels.
 */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
