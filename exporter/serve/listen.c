#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "build_config.h"
#include "serve/listen.h"

#if HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

int listen_parse(const char *spec, struct listen_address *addr)
{
	const char *colon = strrchr(spec, ':');
	if (!colon)
		return -EINVAL;

	const char *host = spec;
	size_t host_len = (size_t)(colon - spec);
	if (host[0] == '[') {
		if (host_len < 2 || host[host_len - 1] != ']')
			return -EINVAL;
		host++;
		host_len -= 2;
	} else if (memchr(host, ':', host_len) || memchr(host, ']', host_len)) {
		return -EINVAL; /* an IPv6 address must be in brackets */
	}
	if (host_len >= sizeof(addr->host))
		return -EINVAL;

	const char *port = colon + 1;
	size_t port_len = strlen(port);
	if (port_len == 0 || port_len >= sizeof(addr->port) ||
	    strspn(port, "0123456789") != port_len)
		return -EINVAL;
	if (strtoul(port, NULL, 10) > 65535)
		return -EINVAL;

	memcpy(addr->host, host, host_len);
	addr->host[host_len] = '\0';
	memcpy(addr->port, port, port_len + 1);
	addr->spec = spec;
	return 0;
}

void listen_describe(int fd, char *out, size_t out_len)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[NI_MAXHOST], port[NI_MAXSERV];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, out_len, "fd %d", fd);
		return;
	}
	snprintf(out, out_len, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
}

static int bind_and_listen(int family, const struct sockaddr *sa, socklen_t len, int dual_stack)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;

	int one = 1, v6only = !dual_stack;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0) ||
	    bind(fd, sa, len) < 0 || listen(fd, SOMAXCONN) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* ":port": every address, IPv6 and IPv4 on one socket, as Go's net.Listen does. */
static int open_wildcard(const char *port)
{
	in_port_t p = htons((in_port_t)strtoul(port, NULL, 10));
	struct sockaddr_in6 any6 = { .sin6_family = AF_INET6,
				     .sin6_port = p,
				     .sin6_addr = in6addr_any };
	int fd = bind_and_listen(AF_INET6, (struct sockaddr *)&any6, sizeof(any6), 1);
	if (fd != -EAFNOSUPPORT)
		return fd;
	struct sockaddr_in any4 = { .sin_family = AF_INET,
				    .sin_port = p,
				    .sin_addr.s_addr = INADDR_ANY };
	return bind_and_listen(AF_INET, (struct sockaddr *)&any4, sizeof(any4), 0);
}

int listen_open(const struct listen_address *addr)
{
	int fd;
	if (addr->host[0] == '\0') {
		fd = open_wildcard(addr->port);
	} else {
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
					  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
		struct addrinfo *res;
		int gai = getaddrinfo(addr->host, addr->port, &hints, &res);
		if (gai != 0)
			return gai == EAI_SYSTEM ? -errno : -EADDRNOTAVAIL;
		fd = bind_and_listen(res->ai_family, res->ai_addr, res->ai_addrlen, 0);
		freeaddrinfo(res);
	}
	return fd;
}

int listen_from_systemd(int *fds, size_t max, int *bad_fd)
{
#if HAVE_LIBSYSTEMD
	int n = sd_listen_fds(1);
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	if ((size_t)n > max)
		n = (int)max;
	for (int i = 0; i < n; i++) {
		/*
		 * libmicrohttpd accepts on each fd: a file, a pipe, a datagram socket or a stream
		 * socket that is not listening would make it spin or serve nothing.
		 */
		int fd = SD_LISTEN_FDS_START + i;
		int ok = sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, 0);
		if (ok <= 0) {
			*bad_fd = fd;
			return ok < 0 ? ok : -ENOTSOCK;
		}
		fds[i] = fd;
	}
	return n;
#else
	(void)fds;
	(void)max;
	(void)bad_fd;
	return -ENOTSUP;
#endif
}
