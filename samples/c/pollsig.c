/* Waits that other threads, processes and signals end: a thread blocked in epoll_wait, poll, select
 * or a timerfd read is woken by another thread's write; a child process wakes its parent's poll;
 * a signal handler interrupts poll, select, ppoll and epoll_wait with EINTR (never restarted, even
 * with SA_RESTART); ppoll's and epoll_pwait's masks let a pending signal in and are undone after.
 * One deterministic line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int handled;
static pid_t main_tid;
static int wake_fd;

static void on_signal(int sig) {
    (void)sig;
    handled++;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static const char *err(long r) {
    static char buf[64];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%ld", r);
        return buf;
    }
    snprintf(buf, sizeof buf, "-1 %s", strerrorname_np(errno));
    return buf;
}

/* a thread that sends the main thread a signal after 200 ms (by then it waits, even on a busy machine) */
static void *signaller(void *arg) {
    sleep_ms(200);
    syscall(SYS_tgkill, getpid(), main_tid, (int)(intptr_t)arg);
    return NULL;
}

/* a thread that writes 8 bytes to wake_fd after 50 ms */
static void *writer(void *arg) {
    (void)arg;
    sleep_ms(50);
    uint64_t one = 1;
    write(wake_fd, &one, 8);
    return NULL;
}

static void signal_in(int sig) {
    pthread_t th;
    pthread_create(&th, NULL, signaller, (void *)(intptr_t)sig);
    pthread_detach(th);
}

static void write_in(int fd) {
    pthread_t th;
    wake_fd = fd;
    pthread_create(&th, NULL, writer, NULL);
    pthread_join(th, NULL);
}

static void *write_later(void *arg) {
    (void)arg;
    sleep_ms(50);
    uint64_t one = 1;
    write(wake_fd, &one, 8);
    return NULL;
}

static pthread_t start_writer(int fd) {
    pthread_t th;
    wake_fd = fd;
    pthread_create(&th, NULL, write_later, NULL);
    return th;
}

int main(void) {
    main_tid = gettid();
    setvbuf(stdout, NULL, _IONBF, 0);
    (void)write_in;

    /* ---- another thread's write wakes the waiter ---- */
    int p[2];
    pipe(p);
    pthread_t th = start_writer(p[1]);
    struct pollfd pf = {p[0], POLLIN, 0};
    int r = poll(&pf, 1, 10000);
    pthread_join(th, NULL);
    printf("poll woken by a thread: %s revents %#x\n", err(r), pf.revents);
    char buf[64];
    read(p[0], buf, 8);

    th = start_writer(p[1]);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    r = select(p[0] + 1, &rs, NULL, NULL, NULL);
    pthread_join(th, NULL);
    printf("select woken by a thread: %s rd %d\n", err(r), FD_ISSET(p[0], &rs));
    read(p[0], buf, 8);

    int e = eventfd(0, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 5}, out[2];
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    th = start_writer(e);
    r = epoll_wait(ep, out, 2, 10000);
    pthread_join(th, NULL);
    printf("epoll_wait woken by a thread: %s data %llu\n", err(r), (unsigned long long)out[0].data.u64);
    uint64_t v;
    read(e, &v, 8);
    th = start_writer(e);
    r = read(e, &v, 8);
    pthread_join(th, NULL);
    printf("eventfd read woken by a thread: %s value %llu\n", err(r), (unsigned long long)v);

    /* ---- a child process wakes its parent ---- */
    pid_t child = fork();
    if (child == 0) {
        sleep_ms(50);
        write(p[1], "c", 1);
        _exit(0);
    }
    pf.revents = 0;
    r = poll(&pf, 1, 10000);
    printf("poll woken by a child: %s revents %#x\n", err(r), pf.revents);
    waitpid(child, NULL, 0);
    read(p[0], buf, 1);

    /* ---- signal handlers interrupt waits ---- */
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, NULL);

    signal_in(SIGUSR1);
    r = poll(&pf, 1, 10000);
    printf("poll, a handler: %s handled %d\n", err(r), handled);
    signal_in(SIGUSR2);
    r = poll(&pf, 1, -1);
    printf("poll, an SA_RESTART handler: %s handled %d\n", err(r), handled);
    signal_in(SIGUSR2);
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timeval tv = {10, 0};
    r = select(p[0] + 1, &rs, NULL, NULL, &tv);
    printf("select, an SA_RESTART handler: %s handled %d time left %d\n", err(r), handled, tv.tv_sec >= 8);
    signal_in(SIGUSR2);
    r = epoll_wait(ep, out, 2, -1);
    printf("epoll_wait, an SA_RESTART handler: %s handled %d\n", err(r), handled);
    int t = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec its = {{0, 0}, {1, 0}};
    timerfd_settime(t, 0, &its, NULL);
    signal_in(SIGUSR2); /* comes at 200 ms, in the middle of the read */
    r = read(t, &v, 8);
    printf("timerfd read, restarted after an SA_RESTART handler: %s value %llu handled %d\n", err(r),
           (unsigned long long)v, handled);

    /* ---- masks for the wait ---- */
    sigset_t block, none, cur;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR1); /* pending, blocked */
    struct timespec ts = {10, 0};
    r = ppoll(&pf, 1, &ts, &none);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("ppoll lets a pending signal in: %s handled %d still blocked after %d\n", err(r), handled,
           sigismember(&cur, SIGUSR1));
    raise(SIGUSR1);
    r = epoll_pwait(ep, out, 2, 10000, &none);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("epoll_pwait lets a pending signal in: %s handled %d still blocked after %d\n", err(r), handled,
           sigismember(&cur, SIGUSR1));
    raise(SIGUSR1);
    ts.tv_sec = 10;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    r = pselect(p[0] + 1, &rs, NULL, NULL, &ts, &none);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("pselect lets a pending signal in: %s handled %d still blocked after %d\n", err(r), handled,
           sigismember(&cur, SIGUSR1));
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    signal_in(SIGUSR2);
    ts.tv_sec = 1;
    ts.tv_nsec = 0;
    r = ppoll(&pf, 1, &ts, &both);
    printf("ppoll with SIGUSR2 blocked for the wait: %s handled %d\n", err(r), handled);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("after: handled %d\n", handled);
    return 0;
}
