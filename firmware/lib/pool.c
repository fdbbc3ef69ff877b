/* A fixed set of worker threads over the indices of a batch; see pool.h. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <unistd.h>

#include "lib/err.h"
#include "lib/pool.h"

struct pool {
	pool_fn fn;
	void *arg;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned gen, running, started, n;
	int quit;
	atomic_uint next;
	pthread_t *threads;
};

static void *pool_thread(void *arg)
{
	struct pool *p = arg;
	unsigned seen = 0, i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->gen == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		seen = p->gen;
		if (p->quit) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		pthread_mutex_unlock(&p->mu);
		while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
			p->fn(p->arg, i);
		pthread_mutex_lock(&p->mu);
		if (--p->running == 0)
			pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
}

void pool_run(struct pool *p, unsigned n)
{
	pthread_mutex_lock(&p->mu);
	p->n = n;
	atomic_store(&p->next, 0);
	p->running = p->started;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
}

void pool_wait(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->running > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

unsigned pool_threads(const struct pool *p)
{
	return p->started;
}

void pool_stop(struct pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	free(p->threads);
	pthread_cond_destroy(&p->go);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

static void pool_spawn(struct pool *p, unsigned jobs)
{
	pthread_attr_t attr;

	if (pthread_attr_init(&attr) != 0)
		return;
	pthread_attr_setstacksize(&attr, POOL_STACK);
	for (; p->started < jobs; p->started++)
		if (pthread_create(&p->threads[p->started], &attr, pool_thread, p) != 0)
			break;
	pthread_attr_destroy(&attr);
}

int pool_start(unsigned jobs, pool_fn fn, void *arg, struct pool **out)
{
	struct pool *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return ERR_NOMEM;
	jobs = jobs ? jobs : 1;
	p->fn = fn;
	p->arg = arg;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	p->threads = calloc(jobs, sizeof(*p->threads));
	if (p->threads)
		pool_spawn(p, jobs);
	if (p->started == 0) {
		err_detail("cannot start a worker thread");
		pool_stop(p);
		return ERR_NOMEM;
	}
	*out = p;
	return 0;
}

unsigned pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}
