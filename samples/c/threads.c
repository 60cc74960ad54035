/* Threads: mutexes, condition variables, barriers, TLS, join values, thread ids, thread-directed signals. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define N 8
#define ITER 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long counter;
static __thread int tls_value;
static int queue[64], head, tail, done;
static volatile sig_atomic_t got_signal_in;

static void *adder(void *arg)
{
	long id = (long)arg;
	tls_value = (int)id;
	for (int i = 0; i < ITER; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	pthread_barrier_wait(&barrier);
	return (void *)(long)(tls_value * 100 + (syscall(SYS_gettid) != getpid()));
}

static void *consumer(void *arg)
{
	long sum = 0;
	pthread_mutex_lock(&lock);
	for (;;) {
		while (head == tail && !done)
			pthread_cond_wait(&cond, &lock);
		if (head == tail && done)
			break;
		sum += queue[head++ % 64];
	}
	pthread_mutex_unlock(&lock);
	return (void *)sum;
}

static void on_usr1(int sig)
{
	got_signal_in = (sig_atomic_t)syscall(SYS_gettid);
}

static void *waiter(void *arg)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	int sig = 0;
	sigwait(&s, &sig);
	return (void *)(long)sig;
}

static void *sleeper(void *arg)
{
	pid_t *tid = arg;
	*tid = (pid_t)syscall(SYS_gettid);
	while (!got_signal_in)
		usleep(1000);
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	pthread_barrier_init(&barrier, NULL, N);
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, adder, (void *)i);
	for (int i = 0; i < N; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("thread %d returned %ld\n", i, (long)r);
	}
	printf("counter %ld (want %d)\n", counter, N * ITER);

	pthread_t c;
	pthread_create(&c, NULL, consumer, NULL);
	long want = 0;
	for (int i = 1; i <= 5000; i++) {
		pthread_mutex_lock(&lock);
		while (tail - head >= 64) {
			pthread_mutex_unlock(&lock);
			sched_yield();
			pthread_mutex_lock(&lock);
		}
		queue[tail++ % 64] = i;
		want += i;
		pthread_cond_signal(&cond);
		pthread_mutex_unlock(&lock);
	}
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	void *sum;
	pthread_join(c, &sum);
	printf("consumer sum %ld (want %ld)\n", (long)sum, want);

	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pthread_t w;
	pthread_create(&w, NULL, waiter, NULL);
	usleep(50000);
	pthread_kill(w, SIGUSR2);
	void *sig;
	pthread_join(w, &sig);
	printf("sigwait in a thread got %ld\n", (long)sig);

	signal(SIGUSR1, on_usr1);
	pid_t target = 0;
	pthread_t sl;
	pthread_create(&sl, NULL, sleeper, &target);
	while (!target)
		usleep(1000);
	pthread_kill(sl, SIGUSR1);
	pthread_join(sl, NULL);
	printf("handler ran in the target thread: %d\n", got_signal_in == target);

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 50; i++) {
		pthread_t d;
		pthread_create(&d, &attr, adder == NULL ? NULL : (void *(*)(void *))sched_yield, NULL);
	}
	usleep(100000);
	printf("done\n");
	return 0;
}
