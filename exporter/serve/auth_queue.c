#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/auth_address.h"
#include "serve/auth_queue.h"

struct auth_job {
	struct auth_job *next;
	struct auth *auth;
	char *user, *password;
	struct auth_address from;
	const void *owner;
	auth_job_done_fn done;
	void *ctx;
	int result;
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
	/*
	 * done() callbacks running without the lock: the worker's for the job it checked, a
	 * submitter's for the jobs it took the place of. auth_queue_cancel() waits for them.
	 */
	unsigned int callbacks;
	size_t pending; /* queued and checking */
	struct {
		struct auth_address from;
		unsigned int jobs;
	} per_address[AUTH_QUEUE_MAX_PENDING];
	struct auth_failures failures;
};

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* The count of @from's jobs, made when absent (the table has a slot per pending job). */
static unsigned int *address_jobs(struct auth_queue *q, const struct auth_address *from)
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
		if (auth_address_same(&q->per_address[i].from, from))
			return &q->per_address[i].jobs;
	}
	return free_slot;
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
		if (!auth_failures_suspect(&q->failures, &(*link)->from, now)) {
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
		struct auth_address from = job->from;
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
		auth_failures_record(&q->failures, &from, result, now_ns());
		if (q->checking != job)
			continue; /* cancelled meanwhile: its done() was called already */
		q->checking = NULL;
		job->result = result;
		finish_locked(q, job);
		/* In done() until it returns, so that auth_queue_cancel() does not free what it uses. */
		q->callbacks++;
		pthread_mutex_unlock(&q->lock);
		job->done(job, job->ctx); /* the job is the caller's from here */
		pthread_mutex_lock(&q->lock);
		q->callbacks--;
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
	while (q->callbacks) /* done()s of jobs just checked or taken back: a moment */
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

/* Answers -EBUSY to @evicted, a job taken back (or none), then lets auth_queue_cancel() on. */
static void finish_taken_back(struct auth_queue *q, struct auth_job *evicted)
{
	if (!evicted)
		return;
	finish_all(evicted, -EBUSY);
	pthread_mutex_lock(&q->lock);
	q->callbacks--;
	pthread_cond_broadcast(&q->finished);
	pthread_mutex_unlock(&q->lock);
}

/*
 * With the lock held, when the queue is full: makes room for a job from @from by taking back
 * the last waiting job of an address that has more than one waiting, or, for a clean @from,
 * of a suspect address. Returns that job (its done() is the caller's to call), or NULL.
 */
static struct auth_job *evict_for(struct auth_queue *q, const struct auth_address *from, bool clean,
				  uint64_t now)
{
	unsigned int *mine = address_jobs(q, from);
	if (mine && *mine > 0)
		return NULL; /* a client with a check waiting waits for it */
	struct auth_job **victim = NULL;
	for (struct auth_job **link = &q->head; *link; link = &(*link)->next) {
		const struct auth_address *from_them = &(*link)->from;
		unsigned int *theirs = address_jobs(q, from_them);
		/* Their waiting jobs: the one being checked does not count. */
		unsigned int waiting = theirs ? *theirs : 0;
		if (waiting && q->checking && auth_address_same(&q->checking->from, from_them))
			waiting--;
		if (waiting > 1 || (clean && auth_failures_suspect(&q->failures, from_them, now)))
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
	auth_address_of(from, &job->from);
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
	bool clean = !auth_failures_suspect(&q->failures, &job->from, now);
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
	if (evicted)
		q->callbacks++; /* its done() runs below, without the lock */
	if (err) {
		pthread_mutex_unlock(&q->lock);
		finish_taken_back(q, evicted);
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
	finish_taken_back(q, evicted);
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
