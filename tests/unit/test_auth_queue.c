/*
 * Specification of the auth queue: bcrypt checks on a worker of their own, within bounds per
 * client address and in all, cancelled per owner; and of the time every check takes.
 */
#include <arpa/inet.h>
#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "serve/auth_queue.h"

static char hash_cost10[CRYPT_OUTPUT_SIZE], hash_cost4[CRYPT_OUTPUT_SIZE];

static void make_hash(const char *password, unsigned long cost, char out[CRYPT_OUTPUT_SIZE])
{
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	assert_non_null(crypt_gensalt_rn("$2b$", cost, NULL, 0, salt, sizeof(salt)));
	struct crypt_data data;
	memset(&data, 0, sizeof(data));
	const char *h = crypt_r(password, salt, &data);
	assert_non_null(h);
	strcpy(out, h);
}

static struct auth *users(void)
{
	if (!hash_cost10[0]) {
		make_hash("dear secret", 10, hash_cost10);
		make_hash("cheap secret", 4, hash_cost4);
	}
	struct webconfig_user u[] = { { "dear", hash_cost10 }, { "cheap", hash_cost4 } };
	struct auth *a = NULL;
	assert_int_equal(auth_new(u, 2, NULL, &a), 0);
	return a;
}

/*
 * A cost-14 hash written out, not made (about a second a check here, far longer under
 * valgrind): checks of it surely still run while a test submits or cancels, whatever the
 * scheduler or the load.
 */
#define SLOW_HASH "$2b$14$abcdefghijklmnopqrstuu5Mo1Xcjv6J8Gx1nTJ0HgWrkv.MpXFG"

/* "slow" (SLOW_HASH) and "cheap" (cost 4, "cheap secret"). */
static struct auth *slow_users(void)
{
	if (!hash_cost4[0])
		make_hash("cheap secret", 4, hash_cost4);
	struct webconfig_user u[] = { { "slow", SLOW_HASH }, { "cheap", hash_cost4 } };
	struct auth *a = NULL;
	assert_int_equal(auth_new(u, 2, NULL, &a), 0);
	return a;
}

static struct sockaddr_in address(int last)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(1000 + last) };
	sa.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)last);
	return sa;
}

struct tally {
	pthread_mutex_t lock;
	int done;
};

static void count_done(struct auth_job *job, void *ctx)
{
	(void)job;
	struct tally *t = ctx;
	pthread_mutex_lock(&t->lock);
	t->done++;
	pthread_mutex_unlock(&t->lock);
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Each check lasts at least auth_check_ns(), for a cheap hash, a wrong password, nobody. */
static void every_check_that_needs_a_bcrypt_lasts_as_long(void **state)
{
	(void)state;
	struct auth *a = users();
	const char *tries[][2] = { { "cheap", "cheap secret" },
				   { "cheap", "wrong" },
				   { "dear", "wrong" },
				   { "nobody", "wrong" } };
	for (size_t i = 0; i < 4; i++) {
		uint64_t start = now_ns();
		int r = auth_check(a, tries[i][0], tries[i][1]);
		uint64_t took = now_ns() - start;
		assert_int_equal(r, i == 0 ? 0 : -EACCES);
		if (took < auth_check_ns(a))
			fail_msg("%s/%s took %llu ns, less than the %llu ns of every check",
				 tries[i][0], tries[i][1], (unsigned long long)took,
				 (unsigned long long)auth_check_ns(a));
	}
	assert_true(auth_check_ns(a) > 0);
	/* Remembered now: no bcrypt, no wait, and the cached-only check says so too. */
	assert_int_equal(auth_check_cached(a, "cheap", "cheap secret"), 0);
	assert_int_equal(auth_check_cached(a, "cheap", "wrong"), -EAGAIN);
	assert_int_equal(auth_check_cached(a, "nobody", "wrong"), -EAGAIN);
	auth_unref(a);
}

static int threads_of_this_process(void)
{
	DIR *d = opendir("/proc/self/task");
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * pthread_join returns when a worker has stopped running, but the kernel may list its task
 * under /proc/self/task for a moment longer: the previous test's worker can still be counted.
 * So wait, up to a second, for this process to be down to its one main thread.
 */
static int threads_once_earlier_workers_are_gone(void)
{
	int n = threads_of_this_process();
	for (int waited_ms = 0; n > 1 && waited_ms < 1000; waited_ms++) {
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
		n = threads_of_this_process();
	}
	return n;
}

/*
 * Most exporters have no basic auth users: the queue costs them no thread (and no stack)
 * until a check is submitted, and freeing a queue that never started one works.
 */
static void the_worker_starts_with_the_first_job(void **state)
{
	(void)state;
	int before = threads_once_earlier_workers_are_gone();
	assert_int_equal(before, 1);
	struct auth_queue *q = NULL;
	assert_int_equal(auth_queue_new(&q), 0);
	assert_int_equal(threads_of_this_process(), before);
	auth_queue_free(q);

	struct auth *a = users();
	assert_int_equal(auth_queue_new(&q), 0);
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0 };
	struct sockaddr_in from = address(1);
	struct auth_job *job = NULL;
	assert_int_equal(auth_queue_submit(q, a, "cheap", "cheap secret", (struct sockaddr *)&from,
					   q, count_done, &t, &job),
			 0);
	assert_int_equal(threads_of_this_process(), before + 1);
	auth_queue_cancel(q, NULL);
	auth_job_free(job);
	auth_queue_free(q);
	auth_unref(a);
}

/*
 * Cancelling does not wait for a bcrypt under way (at cost 16 one takes seconds, and
 * SIGTERM and the reaping of old daemons wait for the cancel): done() is called at once,
 * the check goes on, on its own copies, and the queue is freed by its worker after it.
 */
static void a_check_under_way_is_let_go_not_waited_for(void **state)
{
	(void)state;
	/* SLOW_HASH: the check is surely still running when the cancel comes. */
	struct auth *a = slow_users();
	struct auth_queue *q = NULL;
	assert_int_equal(auth_queue_new(&q), 0);
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0 };
	struct sockaddr_in from = address(1);
	struct auth_job *job = NULL;
	assert_int_equal(auth_queue_submit(q, a, "slow", "guess", (struct sockaddr *)&from, &t,
					   count_done, &t, &job),
			 0);
	auth_queue_cancel(q, &t);
	assert_int_equal(t.done, 1);
	assert_int_equal(auth_job_result(job), -EACCES);
	/* The check has not finished: it was not waited for. */
	assert_int_equal(auth_bcrypt_count(a), 0);
	auth_job_free(job);
	auth_queue_free(q); /* the worker, still checking, frees the queue after */
	auth_unref(a); /* the worker holds its own reference until its check ends */
}

struct order {
	pthread_mutex_t lock;
	int next;
	int of[4];
};

static struct order order = { PTHREAD_MUTEX_INITIALIZER, 0, { 0 } };

static void note_order(struct auth_job *job, void *ctx)
{
	(void)job;
	pthread_mutex_lock(&order.lock);
	order.of[(intptr_t)ctx] = ++order.next;
	pthread_mutex_unlock(&order.lock);
}

/* Until @n checks are done: up to two minutes, for valgrind's cost-10 bcrypts. */
static void wait_for_order(int n)
{
	for (int i = 0; i < 12000; i++) {
		pthread_mutex_lock(&order.lock);
		int done = order.next;
		pthread_mutex_unlock(&order.lock);
		if (done >= n)
			return;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	fail_msg("only %d of %d checks done", order.next, n);
}

/*
 * An address that sent a wrong password has one check at a time, and it waits behind the
 * checks of every other address: a scraper with the right password is not queued behind a
 * flood (issue 31: a flood from 16 addresses got every correct scrape 429).
 */
static void a_suspect_address_waits_behind_clean_ones(void **state)
{
	(void)state;
	struct auth *a = users();
	struct auth_queue *q = NULL;
	assert_int_equal(auth_queue_new(&q), 0);
	struct sockaddr_in flooder = address(1), other = address(3), scraper = address(2);
	struct auth_job *jobs[4] = { 0 }, *refused = NULL;
	assert_int_equal(auth_queue_submit(q, a, "dear", "guess", (struct sockaddr *)&flooder, q,
					   note_order, (void *)0, &jobs[0]),
			 0);
	wait_for_order(1); /* the flooder's wrong password is in: it is suspect now */
	assert_int_equal(auth_queue_submit(q, a, "dear", "guess", (struct sockaddr *)&other, q,
					   note_order, (void *)1, &jobs[1]),
			 0); /* runs at once, so that the next two wait */
	assert_int_equal(auth_queue_submit(q, a, "dear", "guess2", (struct sockaddr *)&flooder, q,
					   note_order, (void *)2, &jobs[2]),
			 0);
	assert_int_equal(auth_queue_submit(q, a, "dear", "guess3", (struct sockaddr *)&flooder, q,
					   note_order, (void *)2, &refused),
			 -EBUSY); /* one at a time */
	assert_int_equal(auth_queue_submit(q, a, "cheap", "cheap secret",
					   (struct sockaddr *)&scraper, q, note_order, (void *)3,
					   &jobs[3]),
			 0);
	wait_for_order(4);
	assert_int_equal(order.of[1], 2);
	assert_int_equal(order.of[3], 3); /* the scraper, queued last, before the flooder */
	assert_int_equal(order.of[2], 4);
	assert_int_equal(auth_job_result(jobs[3]), 0);
	for (size_t i = 0; i < 4; i++)
		auth_job_free(jobs[i]);
	auth_queue_free(q);
	auth_unref(a);
}

/*
 * One address gets AUTH_QUEUE_MAX_PER_ADDRESS checks waiting or running, then -EBUSY; others
 * still get theirs, up to AUTH_QUEUE_MAX_PENDING in all. (Each check is of SLOW_HASH: none
 * finishes while the submissions below run, even under valgrind and load.)
 */
static void the_queue_bounds_each_address_and_the_whole(void **state)
{
	(void)state;
	struct auth *a = slow_users();
	struct auth_queue *q = NULL;
	assert_int_equal(auth_queue_new(&q), 0);
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0 };
	struct auth_job *jobs[AUTH_QUEUE_MAX_PENDING + 8] = { 0 };
	size_t n = 0;
	struct sockaddr_in one = address(1);
	for (int i = 0; i < AUTH_QUEUE_MAX_PER_ADDRESS; i++)
		assert_int_equal(auth_queue_submit(q, a, "slow", "wrong", (struct sockaddr *)&one,
						   &t, count_done, &t, &jobs[n++]),
				 0);
	struct auth_job *refused = NULL;
	struct sockaddr_in same_host_other_port = one;
	same_host_other_port.sin_port = htons(9);
	assert_int_equal(auth_queue_submit(q, a, "slow", "wrong",
					   (struct sockaddr *)&same_host_other_port, &t, count_done,
					   &t, &refused),
			 -EBUSY);
	for (int host = 2; n < AUTH_QUEUE_MAX_PENDING; host++) {
		struct sockaddr_in other = address(host);
		assert_int_equal(auth_queue_submit(q, a, "slow", "wrong", (struct sockaddr *)&other,
						   &t, count_done, &t, &jobs[n++]),
				 0);
	}
	/*
	 * Full. A newcomer takes the place of the last waiting check of the address with
	 * several (that check is answered -EBUSY, a 429), until each address has one waiting;
	 * then newcomers are refused. The check being run is not a waiting one: address 1 has
	 * three waiting if the worker has taken its first already, four if not yet.
	 */
	size_t fresh = 0;
	for (int host = 200; host < 200 + AUTH_QUEUE_MAX_PER_ADDRESS; host++) {
		struct sockaddr_in newcomer = address(host);
		struct auth_job *job = NULL;
		int r = auth_queue_submit(q, a, "slow", "wrong", (struct sockaddr *)&newcomer, &t,
					  count_done, &t, &job);
		if (r == -EBUSY)
			break;
		assert_int_equal(r, 0);
		jobs[n++] = job;
		fresh++;
	}
	assert_true(fresh == AUTH_QUEUE_MAX_PER_ADDRESS - 2 ||
		    fresh == AUTH_QUEUE_MAX_PER_ADDRESS - 1);
	assert_int_equal(t.done, (int)fresh);
	/* Address 1's last ones gave their places, the last first. */
	size_t first_taken = AUTH_QUEUE_MAX_PER_ADDRESS - fresh;
	for (size_t i = first_taken; i < AUTH_QUEUE_MAX_PER_ADDRESS; i++)
		assert_int_equal(auth_job_result(jobs[i]), -EBUSY);
	struct sockaddr_in late = address(250);
	assert_int_equal(auth_queue_submit(q, a, "slow", "wrong", (struct sockaddr *)&late, &t,
					   count_done, &t, &refused),
			 -EBUSY);
	/* Cancelled: every done callback has run on return, the waiting ones refused. */
	auth_queue_cancel(q, &t);
	assert_int_equal(t.done, (int)n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(auth_job_result(jobs[i]),
				 i >= first_taken && i < AUTH_QUEUE_MAX_PER_ADDRESS ? -EBUSY :
										      -EACCES);
		auth_job_free(jobs[i]);
	}
	/* And the queue takes checks again, with their real answers. */
	struct auth_job *job = NULL;
	assert_int_equal(auth_queue_submit(q, a, "cheap", "cheap secret", (struct sockaddr *)&one,
					   NULL, count_done, &t, &job),
			 0);
	/*
	 * Its done callback, on the worker: a bounded wait, long enough for valgrind, where the
	 * worker first finishes the slow check it was running when cancelled (not waited for).
	 */
	for (int i = 0; i < 12000; i++) {
		pthread_mutex_lock(&t.lock);
		int done = t.done;
		pthread_mutex_unlock(&t.lock);
		if (done == (int)n + 1)
			break;
		struct timespec ms = { 0, 10 * 1000 * 1000 };
		nanosleep(&ms, NULL);
	}
	assert_int_equal(t.done, (int)n + 1);
	assert_int_equal(auth_job_result(job), 0);
	auth_job_free(job);
	auth_queue_free(q);
	auth_unref(a);
}

/*
 * IPv4 clients of the default dual-stack [::] socket arrive as ::ffff:a.b.c.d: each is its own
 * client (they were all one, the /64 of ::ffff:0:0/96, so that one flooder capped every IPv4
 * scraper).
 */
static void ipv4_clients_of_a_dual_stack_socket_are_told_apart(void **state)
{
	(void)state;
	struct auth *a = users();
	struct auth_queue *q = NULL;
	assert_int_equal(auth_queue_new(&q), 0);
	struct tally t = { PTHREAD_MUTEX_INITIALIZER, 0 };
	struct auth_job *jobs[AUTH_QUEUE_MAX_PER_ADDRESS + 2] = { 0 };
	for (int i = 0; i < AUTH_QUEUE_MAX_PER_ADDRESS + 2; i++) {
		struct sockaddr_in6 v6 = { .sin6_family = AF_INET6 };
		v6.sin6_addr.s6_addr[10] = v6.sin6_addr.s6_addr[11] = 0xff;
		v6.sin6_addr.s6_addr[12] = 10;
		v6.sin6_addr.s6_addr[15] = (uint8_t)(i + 1);
		assert_int_equal(auth_queue_submit(q, a, "dear", "wrong", (struct sockaddr *)&v6,
						   &t, count_done, &t, &jobs[i]),
				 0);
	}
	auth_queue_cancel(q, &t);
	for (int i = 0; i < AUTH_QUEUE_MAX_PER_ADDRESS + 2; i++)
		auth_job_free(jobs[i]);
	auth_queue_free(q);
	auth_unref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_check_that_needs_a_bcrypt_lasts_as_long),
		cmocka_unit_test(the_queue_bounds_each_address_and_the_whole),
		cmocka_unit_test(the_worker_starts_with_the_first_job),
		cmocka_unit_test(a_check_under_way_is_let_go_not_waited_for),
		cmocka_unit_test(a_suspect_address_waits_behind_clean_ones),
		cmocka_unit_test(ipv4_clients_of_a_dual_stack_socket_are_told_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
