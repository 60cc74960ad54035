/* POSIX timers as Linux does them: timer_create (clocks, sigevents, ids handed out per process from 0,
 * ids used up by failed calls), timer_settime (relative, TIMER_ABSTIME, intervals, old value),
 * timer_gettime, timer_getoverrun (expirations while the signal was pending), timer_delete, every
 * errno, SIGEV_NONE, SIGEV_THREAD_ID aimed at another thread, a pending signal dropped when its timer
 * is re-armed or deleted, glibc's SIGEV_THREAD, no inheritance by fork, deletion by execve.
 * Times are printed as generous ranges (a loaded machine may pause the program), so the output is deterministic.
 *   posixtimers            every check
 *   posixtimers afterexec  (run by the sample itself) the timers after execve */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL
#define MS 1000000LL

/* The kernel's sigevent (glibc's struct has the same layout for these fields). */
static long sys_create(clockid_t clock, struct sigevent *ev, int *id) {
    return syscall(SYS_timer_create, clock, ev, id);
}
static long sys_settime(int id, int flags, const struct itimerspec *n, struct itimerspec *o) {
    return syscall(SYS_timer_settime, id, flags, n, o);
}
static long sys_gettime(int id, struct itimerspec *v) { return syscall(SYS_timer_gettime, id, v); }
static long sys_getoverrun(int id) { return syscall(SYS_timer_getoverrun, id); }
static long sys_delete(int id) { return syscall(SYS_timer_delete, id); }

static const char *err(long rc) {
    static char buf[64];
    if (rc >= 0) {
        snprintf(buf, sizeof buf, "%ld", rc);
        return buf;
    }
    switch (errno) {
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EPERM: return "EPERM";
    case EAGAIN: return "EAGAIN";
    default: return strerror(errno);
    }
}

static long long ns(struct timespec t) { return (long long)t.tv_sec * NS + t.tv_nsec; }

static long long mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return ns(t);
}

static void show(const char *what, struct itimerspec *v, long long lo, long long hi) {
    long long val = ns(v->it_value);
    printf("%s: interval %lld value %s\n", what, ns(v->it_interval), val >= lo && val <= hi ? "in range" : "OUT OF RANGE");
    if (!(val >= lo && val <= hi)) printf("  (value %lld ns, expected %lld..%lld)\n", val, lo, hi);
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static struct itimerspec spec(long long value, long long interval) {
    struct itimerspec s = {{interval / NS, interval % NS}, {value / NS, value % NS}};
    return s;
}

static volatile sig_atomic_t hits, last_code, last_tid_ok, last_overrun;
static volatile long last_value;
static volatile pid_t handler_tid;

static void on_timer(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    last_code = si->si_code;
    last_value = (long)si->si_value.sival_ptr;
    last_overrun = si->si_overrun;
    handler_tid = (pid_t)syscall(SYS_gettid);
    hits++; /* last: another thread may be waiting for it to read the rest */
}

static void set_handler(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(sig, &sa, NULL);
}

static void block(int sig, int how) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(how, &s, NULL);
}

static void wait_hits(int n) {
    sigset_t none;
    sigemptyset(&none);
    while (hits < n) sigsuspend(&none);
}

static int create(clockid_t clock, int notify, int sig, long value) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = notify;
    ev.sigev_signo = sig;
    ev.sigev_value.sival_ptr = (void *)value;
    int id = -1;
    if (sys_create(clock, &ev, &id) != 0) {
        printf("create failed: %s\n", err(-1));
        return -1;
    }
    return id;
}

static void ids_and_errnos(void) {
    int id = -1;
    printf("create MONOTONIC, NULL sigevent: %s", err(sys_create(CLOCK_MONOTONIC, NULL, &id)));
    printf(" id %d\n", id);
    printf("create REALTIME: id %d\n", create(CLOCK_REALTIME, SIGEV_SIGNAL, SIGRTMIN + 1, 77));
    printf("create BOOTTIME SIGEV_NONE: id %d\n", create(CLOCK_BOOTTIME, SIGEV_NONE, 0, 0));
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    printf("clock 99: %s\n", err(sys_create(99, &ev, &id)));
    printf("clock MONOTONIC_RAW: %s\n", err(sys_create(CLOCK_MONOTONIC_RAW, &ev, &id)));
    printf("clock REALTIME_COARSE: %s\n", err(sys_create(CLOCK_REALTIME_COARSE, &ev, &id)));
    printf("bad sigevent pointer: %s\n", err(sys_create(CLOCK_MONOTONIC, (void *)8, &id)));
    /* These fail after an id was handed out: the id is used up. */
    ev.sigev_notify = 99;
    printf("notify 99: %s\n", err(sys_create(CLOCK_MONOTONIC, &ev, &id)));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    printf("signal 0: %s\n", err(sys_create(CLOCK_MONOTONIC, &ev, &id)));
    ev.sigev_signo = 65;
    printf("signal 65: %s\n", err(sys_create(CLOCK_MONOTONIC, &ev, &id)));
    ev.sigev_signo = SIGUSR1;
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev._sigev_un._tid = 999999;
    printf("SIGEV_THREAD_ID of no thread: %s\n", err(sys_create(CLOCK_MONOTONIC, &ev, &id)));
    ev._sigev_un._tid = getppid();
    printf("SIGEV_THREAD_ID of another process: %s\n", err(sys_create(CLOCK_MONOTONIC, &ev, &id)));
    ev.sigev_notify = SIGEV_SIGNAL;
    printf("bad id pointer: %s\n", err(sys_create(CLOCK_MONOTONIC, &ev, (void *)8)));
    int next = create(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
    printf("next id: %d\n", next);
    printf("delete %d: %s\n", next, err(sys_delete(next)));
    printf("delete %d again: %s\n", next, err(sys_delete(next)));
    printf("next id after delete: %d\n", id = create(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0));
    sys_delete(id);

    struct itimerspec s = spec(NS, 0), o;
    printf("settime id 12345: %s\n", err(sys_settime(12345, 0, &s, NULL)));
    printf("settime id -1: %s\n", err(sys_settime(-1, 0, &s, NULL)));
    printf("settime NULL: %s\n", err(sys_settime(0, 0, NULL, NULL)));
    printf("settime bad new: %s\n", err(sys_settime(0, 0, (void *)8, NULL)));
    s.it_value.tv_nsec = NS;
    printf("settime nsec 1e9: %s\n", err(sys_settime(0, 0, &s, NULL)));
    s.it_value.tv_nsec = -1;
    printf("settime nsec -1: %s\n", err(sys_settime(0, 0, &s, NULL)));
    s = spec(NS, 0);
    s.it_interval.tv_sec = -1;
    printf("settime interval -1s: %s\n", err(sys_settime(0, 0, &s, NULL)));
    s = spec(2 * NS, 0);
    printf("settime bad old: %s\n", err(sys_settime(0, 0, &s, (void *)8)));
    sys_gettime(0, &o);
    show("armed despite bad old", &o, NS, 2 * NS);
    printf("gettime id 12345: %s\n", err(sys_gettime(12345, &o)));
    printf("gettime bad pointer: %s\n", err(sys_gettime(0, (void *)8)));
    printf("getoverrun id 12345: %s\n", err(sys_getoverrun(12345)));
    printf("getoverrun fresh: %s\n", err(sys_getoverrun(0)));
    printf("delete id -5: %s\n", err(sys_delete(-5)));
    s = spec(0, 0);
    sys_settime(0, 0, &s, NULL);
}

static void settime_gettime(void) {
    struct itimerspec s = spec(1500 * MS, 250 * MS), g, o;
    printf("settime 1.5s/0.25s: %s\n", err(sys_settime(0, 0, &s, NULL)));
    sys_gettime(0, &g);
    show("gettime", &g, 750 * MS, 1500 * MS);
    s = spec(3 * NS, 0);
    sys_settime(0, 0, &s, &o);
    show("old value", &o, 750 * MS, 1500 * MS);
    long long target = mono() + NS;
    s = spec(target, 0);
    printf("settime ABSTIME now+1s: %s\n", err(sys_settime(0, TIMER_ABSTIME, &s, &o)));
    show("old of ABSTIME", &o, 1500 * MS, 3 * NS);
    sys_gettime(0, &g);
    show("gettime ABSTIME", &g, 500 * MS, NS);
    /* REALTIME, absolute. */
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    s = spec(ns(rt) + 2 * NS, 0);
    printf("REALTIME ABSTIME now+2s: %s\n", err(sys_settime(1, TIMER_ABSTIME, &s, NULL)));
    sys_gettime(1, &g);
    show("gettime REALTIME", &g, NS, 2 * NS);
    /* A zero value disarms, the interval goes too. */
    s = spec(0, 100 * MS);
    sys_settime(0, 0, &s, NULL);
    sys_gettime(0, &g);
    show("disarmed", &g, 0, 0);
    s = spec(0, 0);
    sys_settime(1, 0, &s, NULL);
}

static void firing(void) {
    set_handler(SIGRTMIN + 1);
    hits = 0;
    /* Timer 1 (REALTIME, SIGRTMIN+1, value 77): every 30 ms. */
    struct itimerspec s = spec(30 * MS, 30 * MS), g;
    sys_settime(1, 0, &s, NULL);
    wait_hits(5);
    s = spec(0, 0);
    sys_settime(1, 0, &s, NULL);
    printf("interval timer: %d signals, si_code SI_TIMER %d, value %ld\n", hits, last_code == SI_TIMER, last_value);
    /* Absolute time in the past: fires at once. */
    hits = 0;
    s = spec(1, 0);
    sys_settime(1, TIMER_ABSTIME, &s, NULL);
    wait_hits(1);
    sys_gettime(1, &g);
    printf("past ABSTIME: %d signal, left %lld %lld\n", hits, ns(g.it_interval), ns(g.it_value));
    /* Timer 0 (NULL sigevent): SIGALRM with the timer id as value. */
    set_handler(SIGALRM);
    hits = 0;
    s = spec(20 * MS, 0);
    sys_settime(0, 0, &s, NULL);
    wait_hits(1);
    printf("NULL sigevent: SIGALRM value %ld code %d\n", last_value & 0xffffffff, last_code == SI_TIMER);
}

static void overruns(void) {
    int sig = SIGRTMIN + 1;
    block(sig, SIG_BLOCK);
    struct itimerspec s = spec(10 * MS, 10 * MS), g;
    sys_settime(1, 0, &s, NULL);
    sleep_ms(205);
    /* One signal pending, not rearmed: gettime moves the expiry past now. */
    sys_gettime(1, &g);
    show("gettime while pending", &g, 1, 10 * MS);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    siginfo_t si;
    struct timespec zero = {0, 0};
    int got = sigtimedwait(&set, &si, &zero);
    long ov = sys_getoverrun(1);
    printf("sigtimedwait: %d code SI_TIMER %d\n", got == sig, si.si_code == SI_TIMER);
    printf("si_overrun >= 15: %s, getoverrun same: %s\n", si.si_overrun >= 15 ? "yes" : "no",
           ov == si.si_overrun ? "yes" : "no");
    if (si.si_overrun < 15) printf("  (si_overrun %d)\n", si.si_overrun);
    /* Re-armed at delivery: another one comes (timing decides whether some expirations overran it). */
    struct timespec ten = {1, 0};
    got = sigtimedwait(&set, &si, &ten);
    ov = sys_getoverrun(1);
    printf("next: %d, getoverrun same: %s\n", got == sig, ov == si.si_overrun ? "yes" : "no");
    s = spec(0, 0);
    sys_settime(1, 0, &s, NULL);
    printf("getoverrun after settime: %ld\n", sys_getoverrun(1));
    /* A signal pending when its timer is re-armed or deleted is dropped, not delivered. */
    s = spec(10 * MS, 0);
    sys_settime(1, 0, &s, NULL);
    sleep_ms(50);
    sigset_t pend;
    sigpending(&pend);
    printf("one-shot pending: %d\n", sigismember(&pend, sig));
    s = spec(0, 0);
    sys_settime(1, 0, &s, NULL);
    got = sigtimedwait(&set, &si, &zero);
    printf("after disarm: %s\n", got < 0 && errno == EAGAIN ? "dropped" : "delivered");
    int tmp = create(CLOCK_MONOTONIC, SIGEV_SIGNAL, sig, 5);
    s = spec(10 * MS, 0);
    sys_settime(tmp, 0, &s, NULL);
    sleep_ms(50);
    sys_delete(tmp);
    got = sigtimedwait(&set, &si, &zero);
    printf("after delete: %s\n", got < 0 && errno == EAGAIN ? "dropped" : "delivered");
    block(sig, SIG_UNBLOCK);
}

static void sigev_none(void) {
    int id = 2; /* BOOTTIME, SIGEV_NONE */
    struct itimerspec s = spec(30 * MS, 0), g;
    sys_settime(id, 0, &s, NULL);
    sys_gettime(id, &g);
    show("SIGEV_NONE armed", &g, 1, 30 * MS);
    sleep_ms(60);
    sys_gettime(id, &g);
    show("SIGEV_NONE expired", &g, 0, 0);
    s = spec(10 * MS, 10 * MS);
    sys_settime(id, 0, &s, NULL);
    sleep_ms(55);
    sys_gettime(id, &g);
    show("SIGEV_NONE interval", &g, 1, 10 * MS);
    printf("SIGEV_NONE getoverrun: %ld\n", sys_getoverrun(id));
    s = spec(0, 0);
    sys_settime(id, 0, &s, NULL);
}

static atomic_int worker_ready;
static atomic_int worker_tid;
static atomic_int worker_done;

static void *worker(void *arg) {
    (void)arg;
    worker_tid = (int)syscall(SYS_gettid);
    worker_ready = 1;
    while (!worker_done) sleep_ms(5);
    return NULL;
}

static void thread_id(void) {
    set_handler(SIGUSR2);
    pthread_t th;
    pthread_create(&th, NULL, worker, NULL);
    while (!worker_ready) sleep_ms(1);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_value.sival_ptr = (void *)42;
    ev._sigev_un._tid = worker_tid;
    int id = -1;
    printf("SIGEV_THREAD_ID create: %s\n", err(sys_create(CLOCK_MONOTONIC, &ev, &id)));
    /* The main thread blocks the signal: only the worker may take it, and it is aimed at the worker anyway. */
    block(SIGUSR2, SIG_BLOCK);
    hits = 0;
    struct itimerspec s = spec(20 * MS, 0);
    sys_settime(id, 0, &s, NULL);
    for (int i = 0; i < 2000 && hits == 0; i++) sleep_ms(1);
    printf("SIGEV_THREAD_ID: %d signal, in the worker %d, value %ld\n", hits, handler_tid == worker_tid, last_value);
    sys_delete(id);
    block(SIGUSR2, SIG_UNBLOCK);
    worker_done = 1;
    pthread_join(th, NULL);
}

static atomic_int notified;
static atomic_long notified_value;

static void notify(union sigval v) {
    notified_value = (long)v.sival_ptr;
    notified++;
}

static void sigev_thread(void) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = notify;
    ev.sigev_value.sival_ptr = (void *)1234;
    timer_t t;
    printf("glibc SIGEV_THREAD create: %s\n", err(timer_create(CLOCK_MONOTONIC, &ev, &t)));
    struct itimerspec s = spec(20 * MS, 20 * MS);
    printf("glibc timer_settime: %s\n", err(timer_settime(t, 0, &s, NULL)));
    for (int i = 0; i < 5000 && notified < 5; i++) sleep_ms(1);
    printf("glibc timer_delete: %s\n", err(timer_delete(t)));
    printf("SIGEV_THREAD notifications >= 5: %s, value %ld\n", notified >= 5 ? "yes" : "no", notified_value);
}

static void fork_and_exec(const char *self) {
    pid_t p = fork();
    if (p == 0) {
        struct itimerspec g;
        printf("child gettime 0: %s\n", err(sys_gettime(0, &g)));
        printf("child first id: %d\n", create(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    struct itimerspec s = spec(30 * NS, 0);
    sys_settime(0, 0, &s, NULL);
    fflush(stdout);
    execl(self, self, "afterexec", (char *)NULL);
    perror("execl");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "afterexec") == 0) {
        struct itimerspec g;
        printf("after exec gettime 0: %s\n", err(sys_gettime(0, &g)));
        /* The id counter belongs to the process and goes on. */
        int id = create(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
        printf("after exec next id: %d\n", id);
        return 0;
    }
    ids_and_errnos();
    settime_gettime();
    firing();
    overruns();
    sigev_none();
    thread_id();
    sigev_thread();
    fork_and_exec(argv[0]);
    return 1;
}
