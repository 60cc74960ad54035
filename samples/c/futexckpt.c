/* Futex waits across a checkpoint. The main thread makes a FUTEX_WAIT with a relative timeout and a
 * FUTEX_WAIT_BITSET with an absolute deadline, each of TIMEOUT_MS (default 2000); meanwhile other
 * threads are blocked in a condition variable, a PI mutex, a barrier and pthread_join. A checkpoint
 * taken during the waits must neither end a timed wait early nor start its timeout over, and every
 * blocked thread must carry on after the restore. Usage: futexckpt [TIMEOUT_MS]. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER, pi;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static int go;
static long timeout_ms;

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void report(const char *what, long r, long start, long timeout_ns) {
    long waited = now_ns() - start;
    printf("%s: %ld %s\n", what, r, r < 0 && errno == ETIMEDOUT ? "ETIMEDOUT" : "unexpected");
    /* A wait restarted from scratch after the checkpoint would take about half as long again. */
    printf("  waited about the timeout: %d\n", waited >= timeout_ns && waited < timeout_ns + timeout_ns / 3);
    fflush(stdout);
}

static void *cond_waiter(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!go) pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return (void *)1L;
}

static void *pi_waiter(void *arg) {
    (void)arg;
    long r = pthread_mutex_lock(&pi);
    pthread_mutex_unlock(&pi);
    return (void *)(r == 0 ? 2L : -r);
}

static void *barrier_waiter(void *arg) {
    (void)arg;
    return (void *)(3L + (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD ? 0 : 0));
}

static void *sleeper(void *arg) {
    (void)arg;
    struct timespec ts = {(timeout_ms * 2 + 500) / 1000, (timeout_ms * 2 + 500) % 1000 * 1000000L};
    nanosleep(&ts, NULL);
    return (void *)4L;
}

static void *joiner(void *arg) {
    void *r;
    pthread_join(*(pthread_t *)arg, &r);
    return (void *)(10L + (long)r);
}

int main(int argc, char **argv) {
    timeout_ms = argc > 1 ? atol(argv[1]) : 2000;
    long timeout_ns = timeout_ms * 1000000L;
    static uint32_t word = 1;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi, &a);
    pthread_mutex_lock(&pi);
    pthread_barrier_init(&barrier, NULL, 3);
    pthread_t t[6];
    pthread_create(&t[0], NULL, cond_waiter, NULL);
    pthread_create(&t[1], NULL, pi_waiter, NULL);
    pthread_create(&t[2], NULL, barrier_waiter, NULL);
    pthread_create(&t[3], NULL, barrier_waiter, NULL);
    pthread_create(&t[4], NULL, sleeper, NULL);
    pthread_create(&t[5], NULL, joiner, &t[4]);
    printf("waiting %ld ms twice\n", timeout_ms);
    fflush(stdout);

    struct timespec rel = {timeout_ns / 1000000000L, timeout_ns % 1000000000L};
    long start = now_ns();
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &rel, NULL, 0);
    report("relative wait", r, start, timeout_ns);

    start = now_ns();
    long at = start + timeout_ns;
    struct timespec abs = {at / 1000000000L, at % 1000000000L};
    r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    report("absolute wait", r, start, timeout_ns);

    pthread_mutex_lock(&lock);
    go = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    pthread_mutex_unlock(&pi);
    pthread_barrier_wait(&barrier);
    static const char *what[] = {"condition variable", "PI mutex", "barrier", "barrier", NULL, "join"};
    for (int i = 0; i < 6; i++) {
        if (i == 4) continue; /* joined by t[5] */
        void *v;
        pthread_join(t[i], &v);
        printf("%s waiter: %ld\n", what[i], (long)v);
    }
    return 0;
}
