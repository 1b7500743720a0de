#ifndef TAINT_EXPORTER_LISTEN_H
#define TAINT_EXPORTER_LISTEN_H

/*
 * Listening sockets. The program opens them itself (or takes them from systemd) and hands
 * them to libmicrohttpd, so that errors are reported in our words and socket activation is
 * the same code path.
 */

#include <stddef.h>

/* Listening addresses (--web.listen-address, or sockets from systemd) at most. */
#define LISTEN_MAX 16

struct listen_address {
	const char *spec; /* as given, for the log; not owned (argv, or the default) */
	char host[256]; /* "" for every interface */
	char port[6];
};

/*
 * listen_parse() - split @spec, "host:port", ":port" or "[v6]:port", into @addr (which keeps
 * @spec's pointer).
 * Returns 0 or -EINVAL (no port, port not a number from 0 to 65535, unbalanced brackets).
 */
int listen_parse(const char *spec, struct listen_address *addr);

/*
 * listen_open() - open a listening TCP socket for @addr (from listen_parse()).
 * An empty host listens on every IPv6 and IPv4 address (or IPv4 alone where IPv6 is off).
 * listen_describe() then tells the address actually bound, port included.
 * Returns the fd or -errno (-EADDRINUSE when the port is taken).
 */
int listen_open(const struct listen_address *addr);

/*
 * listen_from_systemd() - the listening sockets passed by systemd (LISTEN_FDS).
 * Returns how many (at least 1, stored in @fds), -ENOENT when none were passed, -ENOTSUP
 * when built without libsystemd, or -ENOTSOCK (or the -errno of looking at it) when a passed
 * fd is not a listening TCP socket (a file, a pipe, UDP, or a socket bound but not
 * listening): then @bad_fd says which.
 */
int listen_from_systemd(int *fds, size_t max, int *bad_fd);

/* listen_describe() - the address a listening fd is bound to, for the log. */
void listen_describe(int fd, char *out, size_t out_len);

#endif
