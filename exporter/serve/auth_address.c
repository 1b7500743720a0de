#include <netinet/in.h>
#include <string.h>

#include "serve/auth_address.h"

void auth_address_of(const struct sockaddr *sa, struct auth_address *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa)
		return;
	out->family = sa->sa_family;
	if (sa->sa_family == AF_INET) {
		memcpy(out->bytes, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) { /* an IPv4 client of the dual-stack [::] socket */
			out->family = AF_INET;
			memcpy(out->bytes, &a->s6_addr[12], 4);
		} else { /* one /64, what one host is given */
			memcpy(out->bytes, a, 8);
		}
	}
}

bool auth_address_same(const struct auth_address *a, const struct auth_address *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

bool auth_failures_suspect(const struct auth_failures *f, const struct auth_address *from,
			   uint64_t now)
{
	for (size_t i = 0; i < AUTH_FAILED_ADDRESSES; i++) {
		const struct auth_failure *s = &f->slot[i];
		if (s->at_ns && now - s->at_ns < AUTH_SUSPECT_NS &&
		    auth_address_same(&s->from, from))
			return true;
	}
	return false;
}

void auth_failures_record(struct auth_failures *f, const struct auth_address *from, int result,
			  uint64_t now)
{
	struct auth_failure *slot = &f->slot[0];
	for (size_t i = 0; i < AUTH_FAILED_ADDRESSES; i++) {
		struct auth_failure *s = &f->slot[i];
		if (s->at_ns && auth_address_same(&s->from, from)) {
			slot = s;
			break;
		}
		if (s->at_ns < slot->at_ns) /* the oldest, or a free one */
			slot = s;
	}
	if (result == 0) {
		if (slot->at_ns && auth_address_same(&slot->from, from))
			slot->at_ns = 0;
		return;
	}
	slot->from = *from;
	slot->at_ns = now ? now : 1;
}
