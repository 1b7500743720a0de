#ifndef TAINT_EXPORTER_AUTH_QUEUE_H
#define TAINT_EXPORTER_AUTH_QUEUE_H

/*
 * The bcrypt checks of basic auth, done by a worker thread of their own.
 *
 * A check that needs a bcrypt takes tens to hundreds of milliseconds by design (auth.h). Done
 * on a serving thread, it held up every connection of that thread: 280 clients with wrong
 * passwords over 10 addresses made authorized scrapes take 10-12 s. Now a serving thread
 * answers a remembered pair at once (auth_check_cached()) and hands any other to this queue,
 * which runs one check at a time, holds at most a fixed number waiting, and at most a few
 * from one client address; beyond those bounds the request is refused at once, without a
 * bcrypt (the caller answers 429). So a flood of wrong passwords costs at most one core, and
 * a scrape whose credentials were checked before never waits behind it.
 *
 * A scrape whose credentials were not checked before (after a restart, a new password) is
 * not locked out by a flood either: an address that sent a wrong password in the last
 * minute gets one check at a time, after every check from other addresses, and when the
 * queue is full a newcomer takes the place of the last waiting check of an address with
 * several, or of a suspect one. The flooders pay; a scraper with the right password from
 * its own address waits for the check running and those of other clean addresses only.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "serve/auth.h"

/* Checks waiting or running at once, from every client; and from one client address. */
#define AUTH_QUEUE_MAX_PENDING 32
#define AUTH_QUEUE_MAX_PER_ADDRESS 4

struct auth_queue;
struct auth_job;

/* Called on the worker thread when @job has its result (or was cancelled). */
typedef void (*auth_job_done_fn)(struct auth_job *job, void *ctx);

/*
 * auth_queue_new() - an empty queue; its worker starts with the first job. Returns 0 and
 * *@out, or -ENOMEM.
 */
int auth_queue_new(struct auth_queue **out);

/*
 * auth_queue_free() - stop the worker (jobs still queued are cancelled first), without
 * waiting for a check under way: the worker frees the queue after it. NULL is ignored.
 */
void auth_queue_free(struct auth_queue *q);

/*
 * auth_queue_submit() - queue auth_check(@a, @user, @password) for the worker.
 * @from:  the client's address (its port is ignored), for the per-address bound.
 * @owner: what the job belongs to, for auth_queue_cancel() (a generation of daemons).
 * @done:  called with @ctx once the result is in, on the worker thread; afterwards the job
 *         belongs to the caller again, who frees it with auth_job_free().
 * @a must stay valid until then. The credentials are copied (and wiped after the check).
 *
 * Returns 0 and *@out; -EBUSY when a bound is reached (nothing was queued); -EAGAIN when the
 * worker could not be started; -ENOMEM. Making room may take back another client's job:
 * its done() is called with the result -EBUSY (answer 429).
 */
int auth_queue_submit(struct auth_queue *q, struct auth *a, const char *user, const char *password,
		      const struct sockaddr *from, const void *owner, auth_job_done_fn done,
		      void *ctx, struct auth_job **out);

/*
 * auth_job_result() - 0 when the credentials were good, -EACCES when not or cancelled, -EBUSY
 * when the job gave its place to another client's.
 */
int auth_job_result(const struct auth_job *job);

/* auth_job_free() - after its done callback. NULL is ignored. */
void auth_job_free(struct auth_job *job);

/*
 * auth_queue_cancel() - finish every job of @owner (NULL: all): those waiting and the one
 * being checked are cancelled (done is called with -EACCES at once; the check under way goes
 * on, on its own copies, and its result is dropped). On return none of @owner's jobs is
 * queued, and no done() of theirs runs, so what the done callbacks use may be freed.
 */
void auth_queue_cancel(struct auth_queue *q, const void *owner);

#endif
