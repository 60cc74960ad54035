/* eventfd(2) and timerfd(2): counters, EFD_SEMAPHORE/NONBLOCK/CLOEXEC, overflow, readiness; timers on
 * each clock, relative and absolute, one-shot and periodic, expiration counts, gettime/settime, EAGAIN,
 * blocking reads and waits that sleep until a timer fires (poll, select, epoll), the errnos Linux
 * gives, and /proc/self/fdinfo. One deterministic line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
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

static int revents(int fd, short events) {
    struct pollfd p = {fd, events, 0};
    poll(&p, 1, 0);
    return p.revents;
}

static const char *rd(int fd) {
    static char buf[64];
    uint64_t v = 0;
    ssize_t r = read(fd, &v, sizeof v);
    if (r < 0) return err(r);
    snprintf(buf, sizeof buf, "%zd value %llu", r, (unsigned long long)v);
    return buf;
}

static long wr(int fd, uint64_t v) {
    return write(fd, &v, sizeof v);
}

/* the fdinfo lines starting with one of the prefixes */
static void fdinfo(int fd, const char *const *prefixes) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        for (const char *const *p = prefixes; *p; p++)
            if (strncmp(line, *p, strlen(*p)) == 0) printf("  fdinfo %s", line);
    if (f) fclose(f);
}

static void settime(int fd, int flags, long long value_ns, long long interval_ns) {
    struct itimerspec its = {{interval_ns / 1000000000, interval_ns % 1000000000},
                             {value_ns / 1000000000, value_ns % 1000000000}};
    if (timerfd_settime(fd, flags, &its, NULL) < 0) printf("settime failed: %s\n", err(-1));
}

int main(void) {
    char link[128], path[64];
    /* ---- eventfd ---- */
    printf("eventfd2 flags 0x10: %s\n", err(eventfd(0, 0x10)));
    int e = eventfd(5, 0);
    printf("read: %s\n", rd(e));
    printf("poll empty: %#x\n", revents(e, POLLIN | POLLOUT));
    printf("write 3: %s\n", err(wr(e, 3)));
    printf("write 4: %s\n", err(wr(e, 4)));
    printf("poll 7: %#x\n", revents(e, POLLIN | POLLOUT));
    printf("read: %s\n", rd(e));
    uint32_t small;
    uint64_t ticks_buf;
    printf("read 4 bytes: %s\n", err(read(e, &small, 4)));
    printf("write 4 bytes: %s\n", err(write(e, &small, 4)));
    printf("write ULLONG_MAX: %s\n", err(wr(e, UINT64_MAX)));
    printf("write to bad address: %s\n", err(syscall(SYS_write, e, 8L, 8)));
    printf("lseek: %s\n", err(lseek(e, 0, SEEK_SET)));
    printf("pread: %s\n", err(syscall(SYS_pread64, e, &ticks_buf, 8, 0)));
    struct stat st;
    fstat(e, &st);
    printf("fstat mode %#o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
    snprintf(path, sizeof path, "/proc/self/fd/%d", e);
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("fd link: %s\n", link);
    close(e);

    e = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
    printf("semaphore: cloexec %d F_GETFL %#o\n", fcntl(e, F_GETFD) & FD_CLOEXEC, fcntl(e, F_GETFL));
    for (int i = 0; i < 4; i++) printf("  read: %s\n", rd(e));
    static const char *const efd_info[] = {"eventfd-count", "eventfd-semaphore", "flags", NULL};
    wr(e, 0x1234);
    fdinfo(e, efd_info);
    printf("write 0xfffffffffffffffe - 0x1234: %s\n", err(wr(e, 0xfffffffffffffffeULL - 0x1234)));
    printf("poll at the maximum: %#x\n", revents(e, POLLIN | POLLOUT));
    printf("write 1 more: %s\n", err(wr(e, 1)));
    printf("write 0: %s\n", err(wr(e, 0)));
    close(e);

    /* eventfd in epoll: every write is an edge */
    e = eventfd(0, EFD_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 7}, out[4];
    epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev);
    printf("ET eventfd, zero: %d\n", epoll_wait(ep, out, 4, 0));
    wr(e, 1);
    printf("ET eventfd, written: %d\n", epoll_wait(ep, out, 4, 0));
    printf("ET eventfd, again: %d\n", epoll_wait(ep, out, 4, 0));
    wr(e, 1);
    printf("ET eventfd, written again: %d events %#x\n", epoll_wait(ep, out, 4, 0), out[0].events);
    close(e);
    printf("ET eventfd, closed: %d\n", epoll_wait(ep, out, 4, 0));

    /* ---- timerfd: creation and errors ---- */
    printf("create clock 5: %s\n", err(timerfd_create(5, 0)));
    printf("create flags 1: %s\n", err(timerfd_create(CLOCK_MONOTONIC, 1)));
    int ta = timerfd_create(CLOCK_REALTIME_ALARM, 0);
    printf("create CLOCK_REALTIME_ALARM (as root): %s\n", ta >= 0 ? "ok" : err(ta));
    if (ta >= 0) close(ta);
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    printf("created: cloexec %d F_GETFL %#o\n", fcntl(t, F_GETFD) & FD_CLOEXEC, fcntl(t, F_GETFL));
    struct itimerspec its = {{0, 0}, {0, 0}}, old;
    timerfd_gettime(t, &old);
    printf("gettime disarmed: %ld.%09ld %ld.%09ld\n", (long)old.it_value.tv_sec, old.it_value.tv_nsec,
           (long)old.it_interval.tv_sec, old.it_interval.tv_nsec);
    printf("read disarmed: %s\n", rd(t));
    printf("read 4 bytes: %s\n", err(read(t, &small, 4)));
    printf("write: %s\n", err(wr(t, 1)));
    its.it_value.tv_nsec = 1000000000;
    printf("settime nsec=1e9: %s\n", err(timerfd_settime(t, 0, &its, NULL)));
    its.it_value.tv_nsec = 0;
    its.it_interval.tv_sec = -1;
    printf("settime interval sec=-1: %s\n", err(timerfd_settime(t, 0, &its, NULL)));
    its.it_interval.tv_sec = 0;
    printf("settime flags 4: %s\n", err(timerfd_settime(t, 4, &its, NULL)));
    printf("settime bad address: %s\n", err(timerfd_settime(t, 0, (void *)8, NULL)));
    int p[2];
    pipe(p);
    printf("settime on a pipe: %s\n", err(timerfd_settime(p[0], 0, &its, NULL)));
    printf("gettime on a pipe: %s\n", err(timerfd_gettime(p[0], &old)));
    printf("settime on a closed fd: %s\n", err(timerfd_settime(99, 0, &its, NULL)));
    printf("gettime to a bad address: %s\n", err(timerfd_gettime(t, (void *)8)));

    /* one-shot, relative: readable once it fires, then disarmed */
    long long t0 = now_ms();
    settime(t, 0, 30000000, 0);
    printf("one-shot armed: poll %#x\n", revents(t, POLLIN));
    struct pollfd pf = {t, POLLIN, 0};
    int r = poll(&pf, 1, 5000);
    long long dt = now_ms() - t0;
    printf("poll until it fires: %d revents %#x waited>=30 %d <2000 %d\n", r, pf.revents, dt >= 30, dt < 2000);
    timerfd_gettime(t, &old);
    printf("gettime after firing: %ld.%09ld\n", (long)old.it_value.tv_sec, old.it_value.tv_nsec);
    printf("read: %s\n", rd(t));
    printf("read again: %s\n", rd(t));

    /* periodic, absolute in the past: the missed expirations are counted */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec < 1) { /* a fresh sandbox's monotonic clock starts near 0: be at least 1s up */
        struct timespec rest = {0, 1000000000L - now.tv_nsec};
        nanosleep(&rest, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
    }
    long long first = now.tv_sec * 1000000000LL + now.tv_nsec - 950000000LL;
    settime(t, TFD_TIMER_ABSTIME, first, 100000000);
    printf("abs 950ms ago, every 100ms: %s\n", rd(t));
    timerfd_gettime(t, &old);
    printf("gettime: interval %ld.%09ld value<=100ms %d\n", (long)old.it_interval.tv_sec, old.it_interval.tv_nsec,
           old.it_value.tv_sec == 0 && old.it_value.tv_nsec <= 100000000);
    its.it_value.tv_sec = 10;
    its.it_value.tv_nsec = 0;
    its.it_interval.tv_sec = 0;
    its.it_interval.tv_nsec = 0;
    timerfd_settime(t, 0, &its, &old);
    printf("settime old: interval %ld.%09ld\n", (long)old.it_interval.tv_sec, old.it_interval.tv_nsec);
    timerfd_settime(t, 0, &its, &old);
    printf("settime old value in (9s,10s]: %d\n",
           old.it_value.tv_sec == 9 || (old.it_value.tv_sec == 10 && old.it_value.tv_nsec == 0));
    static const char *const tfd_info[] = {"clockid", "ticks", "settime flags", "it_interval", NULL};
    fdinfo(t, tfd_info);
    settime(t, 0, 0, 0);
    timerfd_gettime(t, &old);
    printf("disarmed: %ld.%09ld\n", (long)old.it_value.tv_sec, old.it_value.tv_nsec);

    /* settime clears expirations not yet read */
    settime(t, 0, 1000000, 0);
    poll(&pf, 1, 5000);
    settime(t, 0, 10000000000LL, 0);
    printf("expired then re-armed: %s\n", rd(t));
    close(t);

    /* CLOCK_REALTIME, absolute in the past: fires at once */
    t = timerfd_create(CLOCK_REALTIME, 0);
    clock_gettime(CLOCK_REALTIME, &now);
    settime(t, TFD_TIMER_ABSTIME, now.tv_sec * 1000000000LL + now.tv_nsec - 1000000, 0);
    printf("realtime abs in the past: %s\n", rd(t));
    /* a blocking read sleeps until the timer fires */
    t0 = now_ms();
    settime(t, 0, 40000000, 0);
    printf("blocking read: %s", rd(t));
    printf(" waited>=40 %d\n", now_ms() - t0 >= 40);
    close(t);

    /* CLOCK_BOOTTIME, periodic, waited for by select and by epoll */
    t = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
    settime(t, 0, 20000000, 20000000);
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(t, &rs);
    r = select(t + 1, &rs, NULL, NULL, NULL);
    printf("select until it fires: %d rd %d\n", r, FD_ISSET(t, &rs));
    uint64_t ticks;
    read(t, &ticks, 8);
    ev.events = EPOLLIN;
    ev.data.u64 = 99;
    epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev);
    int got = 0;
    t0 = now_ms();
    for (int i = 0; i < 3; i++) {
        r = epoll_wait(ep, out, 4, 5000);
        if (r == 1 && out[0].data.u64 == 99 && read(t, &ticks, 8) == 8 && ticks >= 1) got++;
    }
    printf("epoll_wait on a periodic timer: %d of 3, waited>=30 %d\n", got, now_ms() - t0 >= 30);
    ev.events = EPOLLIN | EPOLLET;
    epoll_ctl(ep, EPOLL_CTL_MOD, t, &ev);
    r = epoll_wait(ep, out, 4, 5000);
    printf("ET on a periodic timer: %d\n", r);
    snprintf(path, sizeof path, "/proc/self/fd/%d", t);
    n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("fd link: %s\n", link);
    close(t);
    close(ep);
    return 0;
}
