#ifndef TAINT_EXPORTER_MALLOC_SETTINGS_H
#define TAINT_EXPORTER_MALLOC_SETTINGS_H

/*
 * How the server mode sets up glibc's allocator: one arena, and no per-thread cache (tcache).
 *
 * libmicrohttpd 0.9.75's poll loop calloc()s its pollfd array on every iteration, a size for
 * every count of connections a thread has held, and each connection adds a pool and a few
 * small blocks. Freed, each block of up to 1 KiB stays in the freeing thread's tcache, where
 * malloc_trim() cannot reach it, and pins the page around it: Private_Dirty crept up by
 * 72-128 KiB over a million scrapes. With the tcache off it stayed flat. glibc reads that
 * setting only from GLIBC_TUNABLES at start, so the server sets the variable and executes
 * itself once.
 */

#include <stddef.h>

#define MALLOC_TCACHE_OFF "glibc.malloc.tcache_count=0"

/*
 * malloc_tunables_with_tcache_off() - the GLIBC_TUNABLES value that turns the tcache off,
 * given @current (NULL when unset), written NUL-terminated to @out of @size bytes.
 * Returns 1 when @out holds a new value: MALLOC_TCACHE_OFF, appended after @current's own
 * tunables when it has some; 0 when @current already names glibc.malloc.tcache_count, whose
 * value (the operator's, or ours after the exec) wins; -ENAMETOOLONG when the value does
 * not fit in @size.
 */
int malloc_tunables_with_tcache_off(const char *current, char *out, size_t size);

/*
 * malloc_settings_for_serving() - once, before any thread or file is opened: unless
 * GLIBC_TUNABLES already names the tcache or the process runs set-uid (AT_SECURE, where glibc
 * drops the variable and the exec would repeat), sets the variable and executes its own
 * binary (the path /proc/self/exe names) with @argv, which keeps the pid, the environment and the inherited sockets.
 * Returns only when no exec was needed or the exec failed (logged as a warning: the server
 * then runs with the tcache on). Then limits glibc to one arena.
 */
void malloc_settings_for_serving(char **argv);

#endif
