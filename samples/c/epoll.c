/* epoll(7): epoll_create/create1, epoll_ctl (ADD/MOD/DEL, EPOLLET, EPOLLONESHOT, EPOLLEXCLUSIVE,
 * EPOLLRDHUP, its errnos), epoll_wait/pwait/pwait2 (timeouts, maxevents, errnos), nested epoll,
 * entries going away on the last close, and /proc/self/fdinfo. One deterministic line per check,
 * identical natively and in the sandbox. Usage: epoll [DIR] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
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

static int ctl(int ep, int op, int fd, unsigned events, unsigned long long data) {
    struct epoll_event ev = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, op, fd, &ev);
}

/* epoll_wait with a timeout; prints the count and each (data, events), sorted by data */
static int wait_print(const char *what, int ep, int max, int timeout) {
    struct epoll_event evs[16];
    int r = epoll_wait(ep, evs, max, timeout);
    printf("%-36s %s", what, err(r));
    for (int i = 0; i < r; i++)
        for (int j = i + 1; j < r; j++)
            if (evs[j].data.u64 < evs[i].data.u64) {
                struct epoll_event x = evs[i];
                evs[i] = evs[j];
                evs[j] = x;
            }
    for (int i = 0; i < r; i++) printf(" [%llu %#x]", (unsigned long long)evs[i].data.u64, evs[i].events);
    printf("\n");
    return r;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[512];
    char buf[65536];
    signal(SIGPIPE, SIG_IGN);

    /* ---- creation ---- */
    printf("epoll_create(0): %s\n", err(epoll_create(0)));
    printf("epoll_create(-1): %s\n", err(epoll_create(-1)));
    printf("epoll_create1(1): %s\n", err(epoll_create1(1)));
    int ep = epoll_create(1);
    int epc = epoll_create1(EPOLL_CLOEXEC);
    printf("created: %d cloexec %d %d\n", ep >= 0 && epc >= 0, fcntl(ep, F_GETFD) & FD_CLOEXEC,
           fcntl(epc, F_GETFD) & FD_CLOEXEC);
    printf("F_GETFL: %#o\n", fcntl(ep, F_GETFL));
    printf("lseek: %s\n", err(lseek(ep, 0, SEEK_CUR)));
    close(epc);

    /* ---- epoll_ctl errors ---- */
    int p[2];
    pipe(p);
    snprintf(path, sizeof path, "%s/epoll-file", dir);
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    int dn = open("/dev/null", O_RDWR);
    int op = open(dir, O_PATH);
    printf("ADD regular file: %s\n", err(ctl(ep, EPOLL_CTL_ADD, f, EPOLLIN, 1)));
    printf("ADD directory: %s\n", err(ctl(ep, EPOLL_CTL_ADD, d, EPOLLIN, 1)));
    printf("ADD /dev/null: %s\n", err(ctl(ep, EPOLL_CTL_ADD, dn, EPOLLIN, 1)));
    printf("ADD O_PATH fd: %s\n", err(ctl(ep, EPOLL_CTL_ADD, op, EPOLLIN, 1)));
    printf("ADD stdin (a file): %s\n", err(ctl(ep, EPOLL_CTL_ADD, 0, EPOLLIN, 1)));
    printf("ADD itself: %s\n", err(ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 1)));
    printf("ADD to a pipe: %s\n", err(ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 1)));
    printf("ADD closed fd: %s\n", err(ctl(ep, EPOLL_CTL_ADD, 77, EPOLLIN, 1)));
    printf("ADD to closed epfd: %s\n", err(ctl(78, EPOLL_CTL_ADD, p[0], EPOLLIN, 1)));
    printf("ADD NULL event: %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL)));
    printf("MOD absent: %s\n", err(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 1)));
    printf("DEL absent: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL)));
    printf("op 99: %s\n", err(ctl(ep, 99, p[0], EPOLLIN, 1)));
    printf("ADD EXCLUSIVE|ONESHOT: %s\n", err(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 1)));
    printf("ADD EXCLUSIVE|RDHUP: %s\n", err(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP, 1)));
    printf("ADD pipe: %s\n", err(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLRDHUP, 1)));
    printf("ADD again: %s\n", err(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1)));
    printf("MOD EXCLUSIVE: %s\n", err(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1)));
    printf("DEL: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL)));
    printf("ADD EXCLUSIVE: %s\n", err(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 1)));
    printf("MOD an exclusive entry: %s\n", err(ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 1)));
    printf("DEL an exclusive entry: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL)));
    close(f);
    unlink(path);
    close(d);
    close(dn);
    close(op);

    /* ---- epoll_wait errors ---- */
    struct epoll_event evs[8];
    printf("wait maxevents 0: %s\n", err(epoll_wait(ep, evs, 0, 0)));
    printf("wait maxevents -1: %s\n", err(syscall(SYS_epoll_wait, ep, evs, -1, 0)));
    printf("wait NULL events: %s\n", err(epoll_wait(ep, NULL, 1, 0)));
    printf("wait kernel address: %s\n", err(syscall(SYS_epoll_wait, ep, 0xffff800000000000UL, 1, 0)));
    printf("wait on a pipe: %s\n", err(epoll_wait(p[0], evs, 1, 0)));
    printf("wait on closed fd: %s\n", err(epoll_wait(79, evs, 1, 0)));
    printf("wait unmapped, nothing ready: %s\n", err(syscall(SYS_epoll_wait, ep, 8L, 1, 0)));

    /* ---- level-triggered ---- */
    ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 10);
    ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT, 11);
    wait_print("LT: empty pipe", ep, 8, 0);
    write(p[1], "hello", 5);
    wait_print("LT: 5 bytes", ep, 8, 0);
    wait_print("LT: again", ep, 8, 0);
    printf("wait unmapped, events ready: %s\n", err(syscall(SYS_epoll_wait, ep, 8L, 1, 0)));
    wait_print("LT: still there", ep, 8, 0);
    read(p[0], buf, 5);
    wait_print("LT: drained", ep, 8, 0);
    ctl(ep, EPOLL_CTL_MOD, p[1], EPOLLIN, 11);
    wait_print("LT: write end asks IN", ep, 8, 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL);

    /* ---- edge-triggered ---- */
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 20);
    wait_print("ET: empty", ep, 8, 0);
    write(p[1], "abc", 3);
    wait_print("ET: 3 bytes", ep, 8, 0);
    wait_print("ET: nothing new", ep, 8, 0);
    write(p[1], "d", 1);
    wait_print("ET: one more byte", ep, 8, 0);
    read(p[0], buf, 2);
    wait_print("ET: a partial read", ep, 8, 0);
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 21);
    wait_print("ET: MOD while readable", ep, 8, 0);
    read(p[0], buf, 2);
    int w2 = dup(p[1]);
    ctl(ep, EPOLL_CTL_ADD, w2, EPOLLOUT | EPOLLET, 22);
    wait_print("ET OUT: added writable", ep, 8, 0);
    wait_print("ET OUT: nothing new", ep, 8, 0);
    fcntl(w2, F_SETFL, O_NONBLOCK);
    while (write(w2, buf, sizeof buf) > 0) {
    }
    wait_print("ET OUT: filled", ep, 8, 0);
    read(p[0], buf, 100);
    wait_print("ET OUT: 100 bytes read", ep, 8, 0);
    read(p[0], buf, 4096);
    wait_print("ET OUT: a page freed", ep, 8, 0);
    while (read(p[0], buf, sizeof buf) == sizeof buf) {
    }
    wait_print("ET: drained", ep, 8, 0);
    epoll_ctl(ep, EPOLL_CTL_DEL, w2, NULL);
    close(w2);

    /* ---- one-shot ---- */
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 30);
    write(p[1], "x", 1);
    wait_print("ONESHOT: readable", ep, 8, 0);
    wait_print("ONESHOT: disarmed", ep, 8, 0);
    write(p[1], "y", 1);
    wait_print("ONESHOT: still disarmed", ep, 8, 0);
    printf("ONESHOT: ADD again: %s\n", err(ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 31)));
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 32);
    wait_print("ONESHOT: rearmed", ep, 8, 0);
    read(p[0], buf, 2);
    ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 33);

    /* ---- several ready, fewer slots: level-triggered entries take turns ---- */
    int q[3][2];
    for (int i = 0; i < 3; i++) {
        pipe(q[i]);
        write(q[i][1], "q", 1);
        ctl(ep, EPOLL_CTL_ADD, q[i][0], EPOLLIN, 40 + i);
    }
    wait_print("3 ready, max 2", ep, 2, 0);
    wait_print("3 ready, max 2, next", ep, 2, 0);
    wait_print("3 ready, max 8", ep, 8, 0);

    /* ---- hang-ups and errors ---- */
    close(q[0][1]);
    wait_print("a writer closed", ep, 8, 0);
    read(q[0][0], buf, 1);
    wait_print("a writer closed, drained", ep, 8, 0);
    ctl(ep, EPOLL_CTL_ADD, q[1][1], EPOLLOUT, 50);
    close(q[1][0]); /* the entry for q[1][0] goes away with its last fd */
    wait_print("a reader closed", ep, 8, 0);
    int keep = dup(q[2][0]);
    close(q[2][0]); /* still open through keep: the entry stays, with fd q[2][0] */
    wait_print("closed, a dup left", ep, 8, 0);
    printf("DEL by the closed number: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, q[2][0], NULL)));
    printf("DEL by the dup: %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, keep, NULL)));
    close(keep);
    close(q[0][0]);
    close(q[1][1]);
    close(q[2][1]);
    wait_print("all closed", ep, 8, 0);

    /* ---- timeouts and the p-variants ---- */
    long long t0 = now_ms();
    int r = epoll_wait(ep, evs, 8, 50);
    long long dt = now_ms() - t0;
    printf("wait 50ms: %s waited>=50 %d <2000 %d\n", err(r), dt >= 50, dt < 2000);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    r = epoll_pwait(ep, evs, 8, 20, &mask);
    printf("pwait 20ms with a mask: %s\n", err(r));
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("mask restored: %d\n", !sigismember(&cur, SIGUSR2));
    printf("pwait sigsetsize 4: %s\n", err(syscall(SYS_epoll_pwait, ep, evs, 8, 0, &mask, 4)));
    struct timespec ts = {0, 30000000};
    t0 = now_ms();
    r = syscall(SYS_epoll_pwait2, ep, evs, 8, &ts, NULL, 8);
    dt = now_ms() - t0;
    printf("pwait2 30ms: %s waited>=30 %d\n", err(r), dt >= 30);
    ts.tv_nsec = -1;
    printf("pwait2 nsec=-1: %s\n", err(syscall(SYS_epoll_pwait2, ep, evs, 8, &ts, NULL, 8)));
    printf("pwait2 bad timeout address: %s\n", err(syscall(SYS_epoll_pwait2, ep, evs, 8, (void *)8, NULL, 8)));
    write(p[1], "w", 1);
    r = syscall(SYS_epoll_pwait2, ep, evs, 8, NULL, NULL, 8);
    printf("pwait2 no timeout, ready: %s data %llu\n", err(r), (unsigned long long)evs[0].data.u64);
    read(p[0], buf, 1);

    /* ---- nesting ---- */
    int inner = epoll_create1(0);
    int outer = epoll_create1(0);
    int pp[2];
    pipe(pp);
    ctl(inner, EPOLL_CTL_ADD, pp[0], EPOLLIN, 60);
    printf("ADD inner to outer: %s\n", err(ctl(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 61)));
    printf("ADD outer to inner (a loop): %s\n", err(ctl(inner, EPOLL_CTL_ADD, outer, EPOLLIN, 62)));
    printf("ADD inner EXCLUSIVE: %s\n", err(ctl(ep, EPOLL_CTL_ADD, inner, EPOLLIN | EPOLLEXCLUSIVE, 63)));
    wait_print("outer, nothing", outer, 8, 0);
    struct pollfd pf = {inner, POLLIN | POLLOUT, 0};
    r = poll(&pf, 1, 0);
    printf("poll inner: %s revents %#x\n", err(r), pf.revents);
    write(pp[1], "n", 1);
    wait_print("outer, inner readable", outer, 8, 0);
    r = poll(&pf, 1, 0);
    printf("poll inner: %s revents %#x\n", err(r), pf.revents);
    wait_print("inner", inner, 8, 0);
    read(pp[0], buf, 1);
    wait_print("outer, drained", outer, 8, 0);
    /* a chain deeper than 5 instances is refused */
    int chain[7];
    chain[0] = epoll_create1(0);
    ctl(chain[0], EPOLL_CTL_ADD, pp[0], EPOLLIN, 70);
    for (int i = 1; i < 7; i++) {
        chain[i] = epoll_create1(0);
        printf("chain depth %d: %s\n", i, err(ctl(chain[i], EPOLL_CTL_ADD, chain[i - 1], EPOLLIN, 70 + i)));
    }
    write(pp[1], "c", 1);
    wait_print("top of the chain", chain[4], 8, 0);
    read(pp[0], buf, 1);
    for (int i = 0; i < 7; i++) close(chain[i]);
    close(inner);
    wait_print("outer after inner closed", outer, 8, 0);
    close(outer);

    /* ---- fdinfo ---- */
    ctl(ep, EPOLL_CTL_ADD, pp[1], EPOLLOUT | EPOLLET, 0x1234);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", ep);
    FILE *fi = fopen(path, "r");
    char line[256], tfd[8][256];
    int ntfd = 0;
    while (fi && fgets(line, sizeof line, fi)) {
        if (strncmp(line, "tfd:", 4) == 0 && ntfd < 8) {
            char *pos = strstr(line, " pos:"); /* inode numbers and devices differ from the host's */
            if (pos) *pos = 0;
            strcpy(tfd[ntfd++], line);
        } else if (strncmp(line, "flags:", 6) == 0) {
            printf("fdinfo %s", line);
        }
    }
    if (fi) fclose(fi);
    qsort(tfd, ntfd, sizeof tfd[0], (int (*)(const void *, const void *))strcmp);
    for (int i = 0; i < ntfd; i++) printf("fdinfo %s\n", tfd[i]);
    snprintf(path, sizeof path, "/proc/self/fd/%d", ep);
    ssize_t n = readlink(path, line, sizeof line - 1);
    line[n > 0 ? n : 0] = 0;
    printf("fd link: %s\n", line);
    close(ep);
    return 0;
}
