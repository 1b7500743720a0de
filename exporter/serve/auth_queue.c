#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/auth_queue.h"

/* A client address without its port: the family and up to 16 bytes. */
struct address {
	sa_family_t family;
	uint8_t bytes[16];
};

struct auth_job {
	struct auth_job *next;
	struct auth *auth;
	char *user, *password;
	struct address from;
	const void *owner;
	auth_job_done_fn done;
	void *ctx;
	int result;
};

/* An address that sent a wrong password, and when it last did. */
struct failure {
	struct address from;
	uint64_t at_ns;
};

struct auth_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* a job was queued, or stop */
	pthread_cond_t finished; /* a done() called by the worker returned */
	pthread_t worker;
	bool started; /* the worker runs from the first job on: most exporters have no users */
	bool stop;
	bool busy; /* the worker runs a check, without the lock */
	bool orphaned; /* auth_queue_free() left the queue to the worker, busy with a check */
	struct auth_job *head, **tail;
	struct auth_job *checking; /* the job whose check runs; NULL once cancelled */
	bool in_done; /* the worker is in checking's done() */
	size_t pending; /* queued and checking */
	struct {
		struct address from;
		unsigned int jobs;
	} per_address[AUTH_QUEUE_MAX_PENDING];
	struct failure failures[AUTH_QUEUE_FAILED_ADDRESSES];
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void address_of(const struct sockaddr *sa, struct address *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa)
		return;
	out->family = sa->sa_family;
	if (sa->sa_family == AF_INET)
		memcpy(out->bytes, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	else if (sa->sa_family == AF_INET6) /* one /64, what one host is given */
		memcpy(out->bytes, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 8);
}

static bool same_address(const struct address *a, const struct address *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The count of @from's jobs, made when absent (the table has a slot per pending job). */
static unsigned int *address_jobs(struct auth_queue *q, const struct address *from)
{
	unsigned int *free_slot = NULL;
	for (size_t i = 0; i < AUTH_QUEUE_MAX_PENDING; i++) {
		if (q->per_address[i].jobs == 0) {
			if (!free_slot) {
				q->per_address[i].from = *from;
				free_slot = &q->per_address[i].jobs;
			}
			continue;
		}
		if (same_address(&q->per_address[i].from, from))
			return &q->per_address[i].jobs;
	}
	return free_slot;
}

/* With the lock held: whether @from sent a wrong password in the last AUTH_QUEUE_SUSPECT_NS. */
static bool suspect(const struct auth_queue *q, const struct address *from, uint64_t now)
{
	for (size_t i = 0; i < AUTH_QUEUE_FAILED_ADDRESSES; i++) {
		const struct failure *f = &q->failures[i];
		if (f->at_ns && now - f->at_ns < AUTH_QUEUE_SUSPECT_NS &&
		    same_address(&f->from, from))
			return true;
	}
	return false;
}

/* With the lock held: @from's check came out @result; a failure is remembered, a pass forgets. */
static void record(struct auth_queue *q, const struct address *from, int result, uint64_t now)
{
	struct failure *slot = &q->failures[0];
	for (size_t i = 0; i < AUTH_QUEUE_FAILED_ADDRESSES; i++) {
		struct failure *f = &q->failures[i];
		if (f->at_ns && same_address(&f->from, from)) {
			slot = f;
			break;
		}
		if (f->at_ns < slot->at_ns) /* the oldest, or a free one */
			slot = f;
	}
	if (result == 0) {
		if (slot->at_ns && same_address(&slot->from, from))
			slot->at_ns = 0;
		return;
	}
	slot->from = *from;
	slot->at_ns = now ? now : 1;
}

static void wipe_free(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	free(s);
}

/* With the lock held: @job is done; its address and the pending count let go of it. */
static void finish_locked(struct auth_queue *q, struct auth_job *job)
{
	unsigned int *jobs = address_jobs(q, &job->from);
	if (jobs && *jobs)
		(*jobs)--;
	q->pending--;
	wipe_free(job->user);
	wipe_free(job->password);
	job->user = job->password = NULL;
}

/* With the lock held: takes the next job off the queue, those from clean addresses first. */
static struct auth_job *next_job(struct auth_queue *q)
{
	uint64_t now = now_ns();
	struct auth_job **pick = &q->head;
	for (struct auth_job **link = &q->head; *link; link = &(*link)->next) {
		if (!suspect(q, &(*link)->from, now)) {
			pick = link;
			break;
		}
	}
	struct auth_job *job = *pick;
	*pick = job->next;
	if (!*pick)
		q->tail = pick;
	job->next = NULL;
	return job;
}

static void free_queue(struct auth_queue *q)
{
	pthread_cond_destroy(&q->finished);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

static void *work(void *arg)
{
	struct auth_queue *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->wake, &q->lock);
		if (!q->head)
			break; /* stopping, nothing left */
		struct auth_job *job = next_job(q);
		q->checking = job;
		/*
		 * The check runs on what the worker holds itself, so that auth_queue_cancel() need
		 * not wait for a bcrypt (seconds, at a high cost) before its caller frees the job
		 * and the policy: the credentials move here, the checker is referenced.
		 */
		struct address from = job->from;
		char *user = job->user, *password = job->password;
		job->user = job->password = NULL;
		struct auth *a = job->auth;
		auth_ref(a);
		q->busy = true;
		pthread_mutex_unlock(&q->lock);

		int result = auth_check(a, user, password);
		wipe_free(user);
		wipe_free(password);
		auth_unref(a);

		pthread_mutex_lock(&q->lock);
		q->busy = false;
		record(q, &from, result, now_ns());
		if (q->checking != job)
			continue; /* cancelled meanwhile: its done() was called already */
		q->checking = NULL;
		job->result = result;
		finish_locked(q, job);
		/* In done() until it returns, so that auth_queue_cancel() does not free what it uses. */
		q->in_done = true;
		pthread_mutex_unlock(&q->lock);
		job->done(job, job->ctx); /* the job is the caller's from here */
		pthread_mutex_lock(&q->lock);
		q->in_done = false;
		pthread_cond_broadcast(&q->finished);
	}
	bool orphaned = q->orphaned;
	pthread_mutex_unlock(&q->lock);
	if (orphaned)
		free_queue(q);
	return NULL;
}

int auth_queue_new(struct auth_queue **out)
{
	struct auth_queue *q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	pthread_cond_init(&q->finished, NULL);
	q->tail = &q->head;
	*out = q;
	return 0;
}

/* Calls the done() of each job of the list @jobs with @result; the lock is not held. */
static void finish_all(struct auth_job *jobs, int result)
{
	for (struct auth_job *next; jobs; jobs = next) {
		next = jobs->next;
		jobs->result = result;
		jobs->done(jobs, jobs->ctx);
	}
}

void auth_queue_cancel(struct auth_queue *q, const void *owner)
{
	struct auth_job *cancelled = NULL;
	pthread_mutex_lock(&q->lock);
	for (struct auth_job **link = &q->head; *link;) {
		struct auth_job *job = *link;
		if (owner && job->owner != owner) {
			link = &job->next;
			continue;
		}
		*link = job->next;
		finish_locked(q, job);
		job->next = cancelled;
		cancelled = job;
	}
	q->tail = &q->head;
	while (*q->tail)
		q->tail = &(*q->tail)->next;
	/* A check still running is let go: its result is dropped, its done() called here. */
	struct auth_job *job = q->checking;
	if (job && (!owner || job->owner == owner)) {
		q->checking = NULL;
		finish_locked(q, job);
		job->next = cancelled;
		cancelled = job;
	}
	while (q->in_done) /* the worker's done() of a job just checked: a moment */
		pthread_cond_wait(&q->finished, &q->lock);
	pthread_mutex_unlock(&q->lock);
	finish_all(cancelled, -EACCES);
}

void auth_queue_free(struct auth_queue *q)
{
	if (!q)
		return;
	auth_queue_cancel(q, NULL);
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_broadcast(&q->wake);
	bool started = q->started;
	/*
	 * A bcrypt under way is not waited for (one at cost 16 takes seconds, at 31 days, and
	 * SIGTERM is to be served within a second): the worker, let go, frees the queue when it
	 * is done, or the process ends first.
	 */
	q->orphaned = q->busy;
	bool orphaned = q->orphaned;
	pthread_mutex_unlock(&q->lock);
	if (orphaned) {
		pthread_detach(q->worker);
		return;
	}
	if (started)
		pthread_join(q->worker, NULL);
	free_queue(q);
}

/*
 * With the lock held, when the queue is full: makes room for a job from @from by taking back
 * the last waiting job of an address that has more than one waiting, or, for a clean @from,
 * of a suspect address. Returns that job (its done() is the caller's to call), or NULL.
 */
static struct auth_job *evict_for(struct auth_queue *q, const struct address *from, bool clean,
				  uint64_t now)
{
	unsigned int *mine = address_jobs(q, from);
	if (mine && *mine > 0)
		return NULL; /* a client with a check waiting waits for it */
	struct auth_job **victim = NULL;
	for (struct auth_job **link = &q->head; *link; link = &(*link)->next) {
		unsigned int *theirs = address_jobs(q, &(*link)->from);
		if ((theirs && *theirs > 1) || (clean && suspect(q, &(*link)->from, now)))
			victim = link;
	}
	if (!victim)
		return NULL;
	struct auth_job *job = *victim;
	*victim = job->next;
	q->tail = &q->head;
	while (*q->tail)
		q->tail = &(*q->tail)->next;
	finish_locked(q, job);
	job->next = NULL;
	return job;
}

int auth_queue_submit(struct auth_queue *q, struct auth *a, const char *user, const char *password,
		      const struct sockaddr *from, const void *owner, auth_job_done_fn done,
		      void *ctx, struct auth_job **out)
{
	struct auth_job *job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	job->auth = a;
	job->user = strdup(user ? user : "");
	job->password = strdup(password ? password : "");
	address_of(from, &job->from);
	job->owner = owner;
	job->done = done;
	job->ctx = ctx;
	job->result = -EACCES;
	if (!job->user || !job->password) {
		auth_job_free(job);
		return -ENOMEM;
	}
	pthread_mutex_lock(&q->lock);
	uint64_t now = now_ns();
	bool clean = !suspect(q, &job->from, now);
	struct auth_job *evicted =
		q->pending >= AUTH_QUEUE_MAX_PENDING ? evict_for(q, &job->from, clean, now) : NULL;
	unsigned int *jobs = address_jobs(q, &job->from);
	/* A client that sent a wrong password lately has one check at a time. */
	unsigned int per_address = clean ? AUTH_QUEUE_MAX_PER_ADDRESS : 1;
	int err = 0;
	if (q->pending >= AUTH_QUEUE_MAX_PENDING || !jobs || *jobs >= per_address)
		err = -EBUSY;
	else if (!q->started)
		err = -pthread_create(&q->worker, NULL, work, q);
	if (err) {
		pthread_mutex_unlock(&q->lock);
		finish_all(evicted, -EBUSY);
		auth_job_free(job);
		return err;
	}
	q->started = true;
	(*jobs)++;
	q->pending++;
	*q->tail = job;
	q->tail = &job->next;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	finish_all(evicted, -EBUSY);
	*out = job;
	return 0;
}

int auth_job_result(const struct auth_job *job)
{
	return job->result;
}

void auth_job_free(struct auth_job *job)
{
	if (!job)
		return;
	wipe_free(job->user);
	wipe_free(job->password);
	free(job);
}
