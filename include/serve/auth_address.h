#ifndef TAINT_EXPORTER_AUTH_ADDRESS_H
#define TAINT_EXPORTER_AUTH_ADDRESS_H

/*
 * Client addresses as the auth queue (auth_queue.h) counts them: without the port, an IPv6
 * client by its /64 (what one host is given), an IPv4 client of the dual-stack [::] socket
 * by its IPv4 address; and the addresses that sent a wrong password lately.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* How many addresses that sent a wrong password are remembered, and for how long. */
#define AUTH_FAILED_ADDRESSES 64
#define AUTH_SUSPECT_NS (60 * UINT64_C(1000000000))

struct auth_address {
	sa_family_t family;
	uint8_t bytes[16];
};

struct auth_failure {
	struct auth_address from;
	uint64_t at_ns; /* CLOCK_MONOTONIC of its last wrong password; 0: a free slot */
};

struct auth_failures {
	struct auth_failure slot[AUTH_FAILED_ADDRESSES];
};

/* auth_address_of() - @sa's address (NULL: all zero), as the queue counts it. */
void auth_address_of(const struct sockaddr *sa, struct auth_address *out);

/* auth_address_same() - whether @a and @b are one client. */
bool auth_address_same(const struct auth_address *a, const struct auth_address *b);

/* auth_failures_suspect() - whether @from sent a wrong password in the last AUTH_SUSPECT_NS. */
bool auth_failures_suspect(const struct auth_failures *f, const struct auth_address *from,
			   uint64_t now);

/*
 * auth_failures_record() - @from's check came out @result (0 or -errno) at @now: a failure is
 * remembered (in the oldest slot when full), a pass forgets the address.
 */
void auth_failures_record(struct auth_failures *f, const struct auth_address *from, int result,
			  uint64_t now);

#endif
