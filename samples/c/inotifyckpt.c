/* An inotify instance across a checkpoint: its watches, the events queued before the checkpoint,
 * an epoll set watching it, and a child blocked reading another instance. It queues events, counts
 * slowly (a checkpoint falls in there), then reads what was queued, makes more changes to the
 * watched files and reads those. Usage: inotifyckpt [N [DELAY_MS [PARENT_DIR]]]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

static const char *P(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static uint32_t cookies[16];
static int ncookies;

static int cookie_id(uint32_t c) {
    for (int i = 0; i < ncookies; i++)
        if (cookies[i] == c) return i + 1;
    if (ncookies < 16) cookies[ncookies++] = c;
    return ncookies;
}

static void print_events(const char *tag, char *buf, ssize_t r) {
    for (char *p = buf; p < buf + r;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("  %s wd=%d mask=0x%x", tag, e->wd, e->mask);
        if (e->cookie) printf(" cookie=c%d", cookie_id(e->cookie));
        if (e->len) printf(" name=%s", e->name);
        printf("\n");
        p += sizeof *e + e->len;
    }
}

static void drain(int fd, const char *tag) {
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0) break;
        print_events(tag, buf, r);
    }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 50;
    const char *parent = argc > 3 ? argv[3] : "/dev/shm";
    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(dir, sizeof dir, "%s/inotifyckptXXXXXX", parent);
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    mkdir(P("sub"), 0755);

    int fd = inotify_init1(IN_NONBLOCK);
    int wd = inotify_add_watch(fd, dir, IN_ALL_EVENTS);
    int f = open(P("file"), O_CREAT | O_RDWR, 0644);
    int wf = inotify_add_watch(fd, P("file"), IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF);
    int wo = inotify_add_watch(fd, P("sub"), IN_CREATE | IN_ONESHOT);
    printf("wds %d %d %d\n", wd, wf, wo);
    write(f, "before", 6);
    rename(P("file"), P("renamed"));
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u32 = 42}};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    int queued = 0;
    ioctl(fd, FIONREAD, &queued);
    printf("queued before: %d bytes\n", queued);

    /* a child blocked in read(2) on its own instance while the checkpoint is taken */
    int blocking = inotify_init();
    inotify_add_watch(blocking, P("sub"), IN_CREATE);
    pid_t child = fork();
    if (child == 0) {
        char buf[256] __attribute__((aligned(8)));
        ssize_t r = read(blocking, buf, sizeof buf);
        printf("child read %zd\n", r);
        print_events("child", buf, r);
        _exit(0);
    }

    for (int i = 1; i <= n; i++) {
        printf("count %d\n", i);
        struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }

    ioctl(fd, FIONREAD, &queued);
    printf("queued after: %d bytes\n", queued);
    memset(&ev, 0, sizeof ev);
    int r = epoll_wait(ep, &ev, 1, 0);
    printf("epoll_wait: %d events 0x%x data %u\n", r, ev.events, ev.data.u32);
    drain(fd, "queued");
    write(f, "after", 5);
    fchmod(f, 0600);
    int g = open(P("sub/new"), O_CREAT | O_WRONLY, 0644); /* wakes the child; ends the oneshot watch */
    close(g);
    waitpid(child, NULL, 0);
    unlink(P("renamed"));
    close(f);
    drain(fd, "new");
    r = epoll_wait(ep, &ev, 1, 0);
    printf("epoll_wait drained: %d\n", r);
    unlink(P("sub/new"));
    rmdir(P("sub"));
    rmdir(dir);
    return 0;
}
