#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

struct auth_queue {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* a job was queued, or stop */
	pthread_cond_t finished; /* the running job finished (auth_queue_cancel()) */
	pthread_t worker;
	bool started; /* the worker runs from the first job on: most exporters have no users */
	bool stop;
	struct auth_job *head, **tail;
	bool running; /* a job is being checked, or its done() runs */
	const void *running_owner; /* its owner (the job itself may be freed by then) */
	size_t pending; /* queued and running */
	struct {
		struct address from;
		unsigned int jobs;
	} per_address[AUTH_QUEUE_MAX_PENDING];
};

static void address_of(const struct sockaddr *sa, struct address *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa)
		return;
	out->family = sa->sa_family;
	if (sa->sa_family == AF_INET)
		memcpy(out->bytes, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	else if (sa->sa_family == AF_INET6)
		memcpy(out->bytes, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
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
		if (memcmp(&q->per_address[i].from, from, sizeof(*from)) == 0)
			return &q->per_address[i].jobs;
	}
	return free_slot;
}

static void wipe_free(char *s)
{
	if (!s)
		return;
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

static void *work(void *arg)
{
	struct auth_queue *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->wake, &q->lock);
		if (!q->head)
			break; /* stopping, nothing left */
		struct auth_job *job = q->head;
		q->head = job->next;
		if (!q->head)
			q->tail = &q->head;
		q->running = true;
		q->running_owner = job->owner;
		pthread_mutex_unlock(&q->lock);

		job->result = auth_check(job->auth, job->user, job->password);

		pthread_mutex_lock(&q->lock);
		finish_locked(q, job);
		pthread_mutex_unlock(&q->lock);
		/*
		 * Still "running" until done() returns, so that auth_queue_cancel() does not let
		 * its caller free what done() uses. The job is the caller's from done() on.
		 */
		job->done(job, job->ctx);
		pthread_mutex_lock(&q->lock);
		q->running = false;
		pthread_cond_broadcast(&q->finished);
	}
	pthread_mutex_unlock(&q->lock);
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
		job->result = -EACCES;
		job->next = cancelled;
		cancelled = job;
	}
	q->tail = &q->head;
	while (*q->tail)
		q->tail = &(*q->tail)->next;
	while (q->running && (!owner || q->running_owner == owner))
		pthread_cond_wait(&q->finished, &q->lock);
	pthread_mutex_unlock(&q->lock);
	while (cancelled) {
		struct auth_job *next = cancelled->next;
		cancelled->done(cancelled, cancelled->ctx);
		cancelled = next;
	}
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
	pthread_mutex_unlock(&q->lock);
	if (started)
		pthread_join(q->worker, NULL);
	pthread_cond_destroy(&q->finished);
	pthread_cond_destroy(&q->wake);
	pthread_mutex_destroy(&q->lock);
	free(q);
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
	unsigned int *jobs = address_jobs(q, &job->from);
	if (q->pending >= AUTH_QUEUE_MAX_PENDING || !jobs || *jobs >= AUTH_QUEUE_MAX_PER_ADDRESS) {
		pthread_mutex_unlock(&q->lock);
		auth_job_free(job);
		return -EBUSY;
	}
	int err = q->started ? 0 : pthread_create(&q->worker, NULL, work, q);
	if (err) {
		pthread_mutex_unlock(&q->lock);
		auth_job_free(job);
		return -err;
	}
	q->started = true;
	(*jobs)++;
	q->pending++;
	*q->tail = job;
	q->tail = &job->next;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
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
