/* poll(2), ppoll(2), select(2) and pselect6(2) on pipes, a FIFO, regular files, devices and stdin:
 * readiness bits, timeouts (and the time left written back), and the errnos Linux gives. Prints one
 * deterministic line per check, identical natively and in the sandbox. Usage: poll [DIR] */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static const char *err(int r) {
    static char buf[64];
    if (r >= 0) {
        snprintf(buf, sizeof buf, "%d", r);
        return buf;
    }
    snprintf(buf, sizeof buf, "-1 %s", strerrorname_np(errno));
    return buf;
}

/* poll one fd with timeout 0, print what came back */
static void poll1(const char *what, int fd, short events) {
    struct pollfd p = {fd, events, 0x7777};
    int r = poll(&p, 1, 0);
    printf("%-34s poll=%s revents=%#x\n", what, err(r), p.revents);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[512];
    int p[2];
    signal(SIGPIPE, SIG_IGN);

    /* ---- pipes ---- */
    pipe(p);
    poll1("empty pipe, read end IN", p[0], POLLIN);
    poll1("empty pipe, write end OUT", p[1], POLLOUT | POLLWRNORM);
    poll1("empty pipe, write end IN", p[1], POLLIN);
    write(p[1], "x", 1);
    poll1("1 byte, read end IN|RDNORM", p[0], POLLIN | POLLRDNORM);
    poll1("1 byte, read end IN|OUT|PRI", p[0], POLLIN | POLLOUT | POLLPRI);
    poll1("1 byte, read end no events", p[0], 0);
    close(p[1]);
    poll1("writer closed, data left", p[0], POLLIN);
    char c;
    read(p[0], &c, 1);
    poll1("writer closed, drained", p[0], POLLIN);
    poll1("writer closed, drained, no events", p[0], 0);
    close(p[0]);

    pipe(p);
    close(p[0]);
    poll1("reader closed, write end OUT", p[1], POLLOUT);
    poll1("reader closed, write end 0", p[1], 0);
    close(p[1]);

    /* a full pipe is not writable until a whole page slot is freed */
    pipe2(p, O_NONBLOCK);
    static char big[65536];
    long total = 0;
    for (;;) {
        ssize_t k = write(p[1], big, 1000);
        if (k < 0) break;
        total += k;
    }
    printf("filled %ld\n", total);
    poll1("full pipe, write end OUT", p[1], POLLOUT);
    read(p[0], big, 1000);
    poll1("1000 bytes read, write end OUT", p[1], POLLOUT);
    read(p[0], big, 4096);
    poll1("a page freed, write end OUT", p[1], POLLOUT);
    close(p[0]);
    close(p[1]);

    /* several fds at once, negative and closed fds */
    pipe(p);
    write(p[1], "ab", 2);
    struct pollfd many[5] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0x55}, {99, POLLIN, 0},
                             {p[1], POLLIN, 0}};
    int r = poll(many, 5, 1000);
    printf("poll 5 fds: %s revents", err(r));
    for (int i = 0; i < 5; i++) printf(" %#x", many[i].revents);
    printf("\n");

    /* timeouts */
    read(p[0], big, 2);
    struct pollfd one = {p[0], POLLIN, 0};
    long long t0 = now_ms();
    r = poll(&one, 1, 60);
    long long dt = now_ms() - t0;
    printf("poll timeout 60ms: %s waited>=60 %d <2000 %d\n", err(r), dt >= 60, dt < 2000);
    struct timespec ts = {0, 40 * 1000000};
    t0 = now_ms();
    r = ppoll(&one, 1, &ts, NULL);
    dt = now_ms() - t0;
    printf("ppoll timeout 40ms: %s waited>=40 %d left %ld.%09ld\n", err(r), dt >= 40, (long)ts.tv_sec, ts.tv_nsec);
    ts.tv_sec = 5;
    ts.tv_nsec = 0;
    struct pollfd w1 = {p[1], POLLOUT, 0};
    r = ppoll(&w1, 1, &ts, NULL);
    printf("ppoll ready at once: %s left>4s %d left<=5s %d\n", err(r), ts.tv_sec >= 4,
           ts.tv_sec < 5 || (ts.tv_sec == 5 && ts.tv_nsec == 0));
    ts.tv_sec = 0;
    ts.tv_nsec = 0;
    r = ppoll(&one, 1, &ts, NULL);
    printf("ppoll zero timeout: %s\n", err(r));
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    ts.tv_nsec = 1000000;
    r = ppoll(&w1, 1, &ts, &mask);
    printf("ppoll with a mask: %s\n", err(r));
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("mask restored: %d\n", !sigismember(&now, SIGUSR1));

    /* errors */
    ts.tv_nsec = 1000000000;
    r = ppoll(&one, 1, &ts, NULL);
    printf("ppoll nsec=1e9: %s\n", err(r));
    ts.tv_sec = -1;
    ts.tv_nsec = 0;
    r = ppoll(&one, 1, &ts, NULL);
    printf("ppoll sec=-1: %s\n", err(r));
    ts.tv_sec = 0;
    r = syscall(SYS_ppoll, &one, 1, &ts, &mask, 4);
    printf("ppoll sigsetsize 4: %s\n", err(r));
    r = syscall(SYS_poll, 8L, 1, 0); /* an unmapped array */
    printf("poll bad address: %s\n", err(r));
    r = poll(NULL, 0, 10);
    printf("poll nothing 10ms: %s\n", err(r));
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct rlimit low = {64, rl.rlim_max};
    setrlimit(RLIMIT_NOFILE, &low);
    static struct pollfd lots[65];
    for (int i = 0; i < 65; i++) lots[i].fd = -1;
    r = poll(lots, 65, 0);
    printf("poll 65 fds, limit 64: %s\n", err(r));
    r = poll(lots, 64, 0);
    printf("poll 64 fds, limit 64: %s\n", err(r));
    setrlimit(RLIMIT_NOFILE, &rl);

    /* ---- select ---- */
    fd_set rd, wr, ex;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_ZERO(&ex);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    FD_SET(p[0], &ex);
    struct timeval tv = {0, 0};
    r = select(p[1] + 1, &rd, &wr, &ex, &tv);
    printf("select empty pipe: %s rd %d wr %d ex %d\n", err(r), FD_ISSET(p[0], &rd), FD_ISSET(p[1], &wr),
           FD_ISSET(p[0], &ex));
    write(p[1], "z", 1);
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &rd);
    FD_SET(p[1], &wr);
    FD_SET(p[0], &wr);
    tv.tv_sec = 3;
    tv.tv_usec = 0;
    r = select(p[1] + 1, &rd, &wr, NULL, &tv);
    printf("select 1 byte: %s rd %d %d wr %d %d left>=2s %d\n", err(r), FD_ISSET(p[0], &rd), FD_ISSET(p[1], &rd),
           FD_ISSET(p[0], &wr), FD_ISSET(p[1], &wr), tv.tv_sec >= 2);
    read(p[0], &c, 1);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    tv.tv_sec = 0;
    tv.tv_usec = 50000;
    t0 = now_ms();
    r = select(p[0] + 1, &rd, NULL, NULL, &tv);
    dt = now_ms() - t0;
    printf("select timeout 50ms: %s waited>=50 %d rd %d left %ld.%06ld\n", err(r), dt >= 50, FD_ISSET(p[0], &rd),
           (long)tv.tv_sec, (long)tv.tv_usec);
    tv.tv_sec = 0;
    tv.tv_usec = 20000;
    r = select(0, NULL, NULL, NULL, &tv);
    printf("select as a sleep: %s left %ld.%06ld\n", err(r), (long)tv.tv_sec, (long)tv.tv_usec);
    tv.tv_sec = 0;
    tv.tv_usec = 1500000; /* whole seconds in tv_usec are folded in */
    FD_ZERO(&wr);
    FD_SET(p[1], &wr);
    r = select(p[1] + 1, NULL, &wr, NULL, &tv);
    printf("select usec=1500000: %s left>=1s %d\n", err(r), tv.tv_sec >= 1);
    tv.tv_sec = 0;
    tv.tv_usec = -1;
    r = select(p[1] + 1, NULL, &wr, NULL, &tv);
    printf("select usec=-1: %s\n", err(r));
    tv.tv_usec = 0;
    r = select(-1, NULL, NULL, NULL, &tv);
    printf("select n=-1: %s\n", err(r));
    FD_ZERO(&rd);
    FD_SET(50, &rd);
    r = select(51, &rd, NULL, NULL, &tv);
    printf("select closed fd 50: %s\n", err(r));
    FD_ZERO(&rd);
    FD_SET(60, &rd);
    r = select(1000, &rd, NULL, NULL, &tv); /* 60 < max_fds (64): checked */
    printf("select closed fd 60, n=1000: %s\n", err(r));
    r = select(p[1] + 1, (fd_set *)8, NULL, NULL, &tv);
    printf("select bad set: %s\n", err(r));

    /* pselect6 */
    FD_ZERO(&wr);
    FD_SET(p[1], &wr);
    ts.tv_sec = 1;
    ts.tv_nsec = 0;
    r = pselect(p[1] + 1, NULL, &wr, NULL, &ts, &mask);
    printf("pselect writable: %s wr %d\n", err(r), FD_ISSET(p[1], &wr));
    struct { const sigset_t *ss; size_t len; } arg = {&mask, 4};
    r = syscall(SYS_pselect6, p[1] + 1, NULL, &wr, NULL, &ts, &arg);
    printf("pselect6 sigsetsize 4: %s\n", err(r));
    ts.tv_sec = 0;
    ts.tv_nsec = 30000000;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    r = syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, NULL);
    printf("pselect6 timeout 30ms: %s left %ld.%09ld\n", err(r), (long)ts.tv_sec, ts.tv_nsec);
    close(p[0]);
    close(p[1]);

    /* ---- a FIFO: no POLLHUP for a non-blocking reader until a writer came and went ---- */
    snprintf(path, sizeof path, "%s/poll-fifo", dir);
    unlink(path);
    mkfifo(path, 0600);
    int fr = open(path, O_RDONLY | O_NONBLOCK);
    poll1("fifo reader, no writer yet", fr, POLLIN);
    int fw = open(path, O_WRONLY | O_NONBLOCK);
    poll1("fifo writer", fw, POLLOUT);
    poll1("fifo reader, writer open", fr, POLLIN);
    close(fw);
    poll1("fifo reader, writer gone", fr, POLLIN);
    int frw = open(path, O_RDWR);
    poll1("fifo O_RDWR", frw, POLLIN | POLLOUT);
    close(frw);
    close(fr);
    unlink(path);

    /* ---- files and devices: no poll operation, always ready ---- */
    snprintf(path, sizeof path, "%s/poll-file", dir);
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    poll1("regular file IN|OUT|PRI", f, POLLIN | POLLOUT | POLLPRI);
    close(f);
    unlink(path);
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    poll1("directory IN", d, POLLIN);
    close(d);
    int op = open(dir, O_PATH);
    poll1("O_PATH fd", op, POLLIN);
    FD_ZERO(&rd);
    FD_SET(op, &rd);
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    r = select(op + 1, &rd, NULL, NULL, &tv);
    printf("select O_PATH fd: %s\n", err(r));
    close(op);
    int dn = open("/dev/null", O_RDWR);
    poll1("/dev/null IN|OUT", dn, POLLIN | POLLOUT);
    close(dn);
    int dz = open("/dev/zero", O_RDONLY);
    poll1("/dev/zero IN", dz, POLLIN);
    close(dz);
    int dr = open("/dev/random", O_RDONLY);
    poll1("/dev/random IN|OUT", dr, POLLIN | POLLOUT);
    close(dr);
    poll1("stdin IN", 0, POLLIN);
    FD_ZERO(&rd);
    FD_SET(0, &rd);
    r = select(1, &rd, NULL, NULL, &tv);
    printf("select stdin: %s rd %d\n", err(r), FD_ISSET(0, &rd));
    return 0;
}
