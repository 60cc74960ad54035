/* Futexes under contention: pthread mutexes (normal, recursive, error-checking, PI), condition
 * variables, barriers and rwlocks in stress loops; robust mutexes whose owner thread (or process)
 * dies, with and without a waiter blocked on them; process-shared locks across fork; and the raw
 * operations with real waiters: WAKE_OP, CMP_REQUEUE, bitsets, futex_waitv, PI hand-over,
 * requeue-PI, and a wait interrupted by a signal. Output is deterministic. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define N 6

static long fx(void *uaddr, int op, int val, long val2, void *uaddr2, int val3) {
    return syscall(SYS_futex, uaddr, op, val, (void *)val2, uaddr2, val3);
}

static pid_t gettid_(void) {
    return (pid_t)syscall(SYS_gettid);
}

/* How many tasks wait on a private futex: CMP_REQUEUE onto itself moves none and counts them all.
 * Waiters of requeue-PI (which plain requeue refuses) make it fail with EINVAL. */
static long waiters(uint32_t *f) {
    return fx(f, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, f, (int)*f);
}

static void until_waiters(uint32_t *f, long n) {
    while (waiters(f) != n)
        usleep(1000);
}

static void msleep(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- pthread stress -------------------------------------------------------------------------- */

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER, rmtx, pimtx;
static long counter, rcounter, picounter;

static void *mutex_worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 5000; i++) {
        pthread_mutex_lock(&mtx);
        counter++;
        pthread_mutex_unlock(&mtx);
        pthread_mutex_lock(&rmtx);
        pthread_mutex_lock(&rmtx);
        rcounter++;
        pthread_mutex_unlock(&rmtx);
        pthread_mutex_unlock(&rmtx);
        pthread_mutex_lock(&pimtx);
        picounter++;
        pthread_mutex_unlock(&pimtx);
    }
    return NULL;
}

static void mutexes(void) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rmtx, &a);
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pimtx, &a);
    pthread_t t[N];
    for (long i = 0; i < N; i++) pthread_create(&t[i], NULL, mutex_worker, (void *)i);
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    printf("mutex %ld, recursive %ld, PI %ld (want %d each)\n", counter, rcounter, picounter, N * 5000);

    pthread_mutex_t e;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&e, &a);
    pthread_mutex_lock(&e);
    printf("errorcheck relock: %s\n", strerror(pthread_mutex_lock(&e)));
    pthread_mutex_unlock(&e);
    printf("errorcheck unlock unlocked: %s\n", strerror(pthread_mutex_unlock(&e)));
    pthread_mutex_lock(&pimtx);
    printf("PI relock (errorcheck-like trylock): %s\n", strerror(pthread_mutex_trylock(&pimtx)));
    pthread_mutex_unlock(&pimtx);
}

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notempty = PTHREAD_COND_INITIALIZER, notfull = PTHREAD_COND_INITIALIZER;
static int q[16], qhead, qtail, qdone;

static void *consumer(void *arg) {
    long sum = 0;
    (void)arg;
    pthread_mutex_lock(&qlock);
    for (;;) {
        while (qhead == qtail && !qdone) pthread_cond_wait(&notempty, &qlock);
        if (qhead == qtail) break;
        sum += q[qhead++ % 16];
        pthread_cond_signal(&notfull);
    }
    pthread_mutex_unlock(&qlock);
    return (void *)sum;
}

static void condvars(void) {
    pthread_t c[3];
    for (int i = 0; i < 3; i++) pthread_create(&c[i], NULL, consumer, NULL);
    long want = 0;
    for (int i = 1; i <= 5000; i++) {
        pthread_mutex_lock(&qlock);
        while (qtail - qhead >= 16) pthread_cond_wait(&notfull, &qlock);
        q[qtail++ % 16] = i;
        want += i;
        pthread_cond_signal(&notempty);
        pthread_mutex_unlock(&qlock);
    }
    pthread_mutex_lock(&qlock);
    qdone = 1;
    pthread_cond_broadcast(&notempty);
    pthread_mutex_unlock(&qlock);
    long sum = 0;
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(c[i], &r);
        sum += (long)r;
    }
    printf("bounded queue: sum %ld (want %ld)\n", sum, want);

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_t cv;
    pthread_cond_init(&cv, &ca);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += 20000000;
    if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
    pthread_mutex_lock(&qlock);
    printf("cond_timedwait monotonic: %s\n", strerror(pthread_cond_timedwait(&cv, &qlock, &ts)));
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20000000;
    if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
    printf("cond_timedwait realtime: %s\n", strerror(pthread_cond_timedwait(&notfull, &qlock, &ts)));
    pthread_mutex_unlock(&qlock);
}

static pthread_barrier_t bar;
static int serial;
static long generation_sum;
static pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gen_cond = PTHREAD_COND_INITIALIZER;
static int generation, gen_seen;

static void *barrier_worker(void *arg) {
    (void)arg;
    for (int r = 0; r < 300; r++)
        if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD) __atomic_add_fetch(&serial, 1, __ATOMIC_SEQ_CST);
    int seen = 0;
    pthread_mutex_lock(&gen_lock);
    while (generation < 50) {
        while (generation == seen) pthread_cond_wait(&gen_cond, &gen_lock);
        seen = generation;
        generation_sum += seen;
        gen_seen++;
        pthread_cond_broadcast(&gen_cond);
    }
    pthread_mutex_unlock(&gen_lock);
    return NULL;
}

static void barriers(void) {
    pthread_t t[N];
    pthread_barrier_init(&bar, NULL, N);
    for (int i = 0; i < N; i++) pthread_create(&t[i], NULL, barrier_worker, NULL);
    /* Each generation is announced once every worker has seen the previous one. */
    for (int g = 1; g <= 50; g++) {
        pthread_mutex_lock(&gen_lock);
        while (gen_seen < N * (g - 1)) pthread_cond_wait(&gen_cond, &gen_lock);
        generation = g;
        pthread_cond_broadcast(&gen_cond);
        pthread_mutex_unlock(&gen_lock);
    }
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    printf("barrier rounds with one serial thread: %d (want 300)\n", serial);
    printf("broadcast generations seen: %d, sum %ld (want %d, %d)\n", gen_seen, generation_sum, N * 50, N * 1275);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b, rw_reads, rw_torn;

static void *rw_worker(void *arg) {
    long id = (long)arg;
    for (int i = 0; i < 3000; i++) {
        if (id % 3 == 0) {
            pthread_rwlock_wrlock(&rw);
            rw_a++;
            rw_b++;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            if (rw_a != rw_b) __atomic_add_fetch(&rw_torn, 1, __ATOMIC_SEQ_CST);
            __atomic_add_fetch(&rw_reads, 1, __ATOMIC_SEQ_CST);
            pthread_rwlock_unlock(&rw);
        }
    }
    return NULL;
}

static void rwlocks(void) {
    pthread_t t[N];
    for (long i = 0; i < N; i++) pthread_create(&t[i], NULL, rw_worker, (void *)i);
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    printf("rwlock: writes %ld/%ld, reads %ld, torn %ld\n", rw_a, rw_b, rw_reads, rw_torn);
}

/* ---- robust mutexes -------------------------------------------------------------------------- */

static pthread_mutex_t robust, robust_pi;
static int locked_flag;

static void *die_holding(void *arg) {
    pthread_mutex_t *m = arg;
    pthread_mutex_lock(m);
    __atomic_store_n(&locked_flag, 1, __ATOMIC_SEQ_CST);
    msleep(50); /* the main thread is blocked on the mutex by now, most likely */
    return NULL; /* exits holding it */
}

static void robust_case(const char *name, pthread_mutex_t *m) {
    pthread_t t;
    locked_flag = 0;
    pthread_create(&t, NULL, die_holding, m);
    while (!__atomic_load_n(&locked_flag, __ATOMIC_SEQ_CST)) usleep(1000);
    int r = pthread_mutex_lock(m);
    printf("%s: lock after the owner died: %s\n", name, strerror(r));
    if (r == EOWNERDEAD) printf("  consistent: %d\n", pthread_mutex_consistent(m));
    pthread_mutex_unlock(m);
    pthread_join(t, NULL);
    printf("  lock again: %s\n", strerror(pthread_mutex_lock(m)));
    pthread_mutex_unlock(m);

    /* Died holding it, nobody waiting; not made consistent: the mutex becomes unusable. */
    pthread_create(&t, NULL, die_holding, m);
    pthread_join(t, NULL);
    r = pthread_mutex_lock(m);
    printf("  after a second death: %s\n", strerror(r));
    pthread_mutex_unlock(m);
    printf("  then: %s\n", strerror(pthread_mutex_lock(m)));
}

static void robust_mutexes(void) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&robust_pi, &a);
    robust_case("robust", &robust);
    robust_case("robust PI", &robust_pi);
}

/* ---- across fork: futexes in a shared file mapping -------------------------------------------------------- */

struct shared {
    pthread_mutex_t m, robust;
    pthread_cond_t c;
    long count;
    int turn;
};

static void processes(void) {
    /* A memfd rather than MAP_SHARED|MAP_ANONYMOUS: the sandbox does not yet share the latter
     * across fork. */
    int fd = memfd_create("shared", 0);
    ftruncate(fd, sizeof(struct shared));
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->m, &a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&s->robust, &a);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&s->c, &ca);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 3000; i++) {
            pthread_mutex_lock(&s->m);
            s->count++;
            pthread_mutex_unlock(&s->m);
        }
        /* ping-pong on a shared condition variable */
        for (int i = 0; i < 200; i++) {
            pthread_mutex_lock(&s->m);
            while (s->turn != 1) pthread_cond_wait(&s->c, &s->m);
            s->turn = 0;
            pthread_cond_signal(&s->c);
            pthread_mutex_unlock(&s->m);
        }
        pthread_mutex_lock(&s->robust);
        _exit(0); /* dies holding the robust mutex */
    }
    for (int i = 0; i < 3000; i++) {
        pthread_mutex_lock(&s->m);
        s->count++;
        pthread_mutex_unlock(&s->m);
    }
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&s->m);
        while (s->turn != 0) pthread_cond_wait(&s->c, &s->m);
        s->turn = 1;
        pthread_cond_signal(&s->c);
        pthread_mutex_unlock(&s->m);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("two processes, one shared mutex: %ld (want 6000), ping-pong done\n", s->count);
    int r = pthread_mutex_lock(&s->robust);
    printf("shared robust mutex after the child died: %s\n", strerror(r));
    pthread_mutex_consistent(&s->robust);
    pthread_mutex_unlock(&s->robust);
}

/* ---- raw operations with waiters ---------------------------------------------------------------- */

static uint32_t fa, fb, fstage, fcond, fpi;
static long results[8];

struct job {
    int op;
    uint32_t *addr, *addr2;
    uint32_t val, bitset;
    int slot;
};

static void *raw_waiter(void *arg) {
    struct job *j = arg;
    long r = fx(j->addr, j->op, (int)j->val, 0, j->addr2, (int)j->bitset);
    results[j->slot] = r < 0 ? -errno : r;
    return NULL;
}

static pthread_t spawn(struct job *j) {
    pthread_t t;
    pthread_create(&t, NULL, raw_waiter, j);
    return t;
}

static void *waitv_thread(void *arg) {
    static struct { uint64_t val, uaddr; uint32_t flags, reserved; } v[2];
    (void)arg;
    v[0].uaddr = (uintptr_t)&fa;
    v[0].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    v[1].uaddr = (uintptr_t)&fb;
    v[1].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    results[0] = syscall(SYS_futex_waitv, v, 2, 0, NULL, 0);
    return NULL;
}

static void *pi_thread(void *arg) {
    (void)arg;
    results[0] = fx(&fpi, FUTEX_LOCK_PI_PRIVATE, 0, 0, NULL, 0);
    results[1] = fpi == ((uint32_t)gettid_() | FUTEX_WAITERS);
    fx(&fpi, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0);
    return NULL;
}

/* Waits on fcond to be requeued to the PI lock fpi; records whether the word then names it. */
static void *requeue_pi_thread(void *arg) {
    (void)arg;
    results[0] = fx(&fcond, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, 0, &fpi, 0);
    results[1] = (fpi & FUTEX_TID_MASK) == (uint32_t)gettid_();
    fx(&fpi, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0);
    return NULL;
}

static void raw_ops(void) {
    /* WAKE_OP: a waiter on each word; the comparison decides whether the second is woken. */
    struct job ja = {FUTEX_WAIT_PRIVATE, &fa, NULL, 0, 0, 0}, jb = {FUTEX_WAIT_PRIVATE, &fb, NULL, 0, 0, 1};
    pthread_t ta = spawn(&ja), tb = spawn(&jb);
    until_waiters(&fa, 1);
    until_waiters(&fb, 1);
    printf("wake_op, comparison false: %ld\n", fx(&fa, FUTEX_WAKE_OP_PRIVATE, 1, 1, &fb,
                                                   FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_NE, 0)));
    printf("  left on the second word: %ld\n", waiters(&fb));
    ta = spawn(&ja);
    until_waiters(&fa, 1);
    printf("wake_op, comparison true: %ld, word %u\n",
           fx(&fa, FUTEX_WAKE_OP_PRIVATE, 1, 1, &fb, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)), fb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);

    /* CMP_REQUEUE: three waiters gathered on a staging word, then split. */
    struct job js[3];
    pthread_t ts[3];
    fa = 0;
    fstage = 5;
    for (int i = 0; i < 3; i++) {
        js[i] = (struct job){FUTEX_WAIT_PRIVATE, &fa, NULL, 0, 0, 2 + i};
        ts[i] = spawn(&js[i]);
    }
    long moved = 0;
    while (moved < 3) {
        moved += fx(&fa, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &fstage, 0);
        if (moved < 3) usleep(1000);
    }
    printf("gathered on the staging word: %ld\n", moved);
    long r = fx(&fstage, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &fb, 4);
    printf("cmp_requeue, stale value: %ld %s\n", r, errno == EAGAIN ? "EAGAIN" : "?");
    printf("cmp_requeue wake 1 move 1: %ld\n", fx(&fstage, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &fb, 5));
    printf("  left: %ld on the staging word, %ld moved\n", waiters(&fstage), waiters(&fb));
    printf("requeue wake 0 move all: %ld\n", fx(&fstage, FUTEX_REQUEUE_PRIVATE, 0, INT_MAX, &fb, 0));
    printf("wake the moved: %ld\n", fx(&fb, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));
    for (int i = 0; i < 3; i++) pthread_join(ts[i], NULL);
    printf("  waiters returned %ld %ld %ld\n", results[2], results[3], results[4]);

    /* Bitsets: only matching waiters wake. */
    struct job j1 = {FUTEX_WAIT_BITSET_PRIVATE, &fa, NULL, 0, 0x1, 5}, j2 = {FUTEX_WAIT_BITSET_PRIVATE, &fa, NULL, 0, 0x6, 6};
    pthread_t t1 = spawn(&j1), t2 = spawn(&j2);
    until_waiters(&fa, 2);
    printf("wake_bitset 0x8: %ld\n", fx(&fa, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 0, NULL, 0x8));
    printf("wake_bitset 0x2: %ld\n", fx(&fa, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 0, NULL, 0x2));
    printf("wake_bitset any: %ld\n", fx(&fa, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 0, NULL, -1));
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);

    /* futex_waitv: woken through its second futex. */
    fa = fb = 0;
    pthread_t tv;
    pthread_create(&tv, NULL, waitv_thread, NULL);
    until_waiters(&fb, 1);
    printf("wake the second of a waitv: %ld\n", fx(&fb, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
    pthread_join(tv, NULL);
    printf("  futex_waitv returned index %ld, first word's waiters %ld\n", results[0], waiters(&fa));

    /* PI hand-over: the waiter gets the lock, the word names it with FUTEX_WAITERS. */
    fpi = 0;
    fx(&fpi, FUTEX_LOCK_PI_PRIVATE, 0, 0, NULL, 0);
    pthread_t tp;
    pthread_create(&tp, NULL, pi_thread, NULL);
    while (!(__atomic_load_n(&fpi, __ATOMIC_SEQ_CST) & FUTEX_WAITERS)) usleep(1000);
    printf("lock_pi contended: the word still names the owner: %d\n", (fpi & FUTEX_TID_MASK) == (uint32_t)gettid_());
    printf("unlock_pi to the waiter: %ld\n", fx(&fpi, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0));
    pthread_join(tp, NULL);
    printf("  waiter got it: %ld, word named it with FUTEX_WAITERS: %ld, word now %u\n", results[0], results[1], fpi);

    /* Requeue-PI, contended: the waiter moves to the PI lock and gets it when it is unlocked. */
    fcond = 0;
    fpi = 0;
    fx(&fpi, FUTEX_LOCK_PI_PRIVATE, 0, 0, NULL, 0);
    pthread_t tr;
    pthread_create(&tr, NULL, requeue_pi_thread, NULL);
    /* A requeue-PI waiter makes plain requeue fail: that is how we know it waits. */
    while (waiters(&fcond) == 0) usleep(1000);
    printf("plain requeue of a requeue-PI waiter: %s\n", errno == EINVAL ? "EINVAL" : "?");
    r = fx(&fcond, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
    printf("wake of a requeue-PI waiter: %ld %s\n", r, errno == EINVAL ? "EINVAL" : "?");
    printf("cmp_requeue_pi to a held lock: %ld\n", fx(&fcond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, INT_MAX, &fpi, 0));
    printf("  lock word has FUTEX_WAITERS: %d\n", (fpi & FUTEX_WAITERS) != 0);
    printf("unlock_pi: %ld\n", fx(&fpi, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0));
    pthread_join(tr, NULL);
    printf("  requeued waiter got the lock: %ld, word named it: %ld, word now %u\n", results[0], results[1], fpi);

    /* Requeue-PI, uncontended: the requeue takes the lock for the waiter and wakes it. */
    pthread_create(&tr, NULL, requeue_pi_thread, NULL);
    while (waiters(&fcond) == 0) usleep(1000);
    printf("cmp_requeue_pi to a free lock: %ld\n", fx(&fcond, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 0, &fpi, 0));
    pthread_join(tr, NULL);
    printf("  waiter woke owning it: %ld, word named it: %ld, now %u\n", results[0], results[1], fpi);
}

/* ---- a wait interrupted by a signal ------------------------------------------------------------ */

static void on_usr1(int sig) {
    (void)sig;
}

static int stage;

static void *interrupted_waiter(void *arg) {
    struct timespec ts = {5, 0};
    (void)arg;
    __atomic_store_n(&stage, 1, __ATOMIC_SEQ_CST);
    results[0] = fx(&fa, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0) < 0 ? errno : 0;
    __atomic_store_n(&stage, 2, __ATOMIC_SEQ_CST);
    results[1] = syscall(SYS_futex, &fa, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0) < 0 ? errno : 0;
    return NULL;
}

static void signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_RESTART: the waits end with EINTR */
    sigaction(SIGUSR1, &sa, NULL);
    fa = 0;
    pthread_t t;
    pthread_create(&t, NULL, interrupted_waiter, NULL);
    while (__atomic_load_n(&stage, __ATOMIC_SEQ_CST) != 1) usleep(1000);
    until_waiters(&fa, 1);
    pthread_kill(t, SIGUSR1);
    while (__atomic_load_n(&stage, __ATOMIC_SEQ_CST) != 2) usleep(1000);
    until_waiters(&fa, 1);
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    printf("futex wait interrupted by a handled signal: %s, timed: %s\n", strerror((int)results[0]),
           strerror((int)results[1]));
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    mutexes();
    condvars();
    barriers();
    rwlocks();
    robust_mutexes();
    processes();
    raw_ops();
    signals();
    printf("done\n");
    return 0;
}
