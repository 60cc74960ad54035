/* inotify(7) as programs see it: events of every kind on a tmpfs directory (and, given a second
 * argument, on a directory elsewhere: the sandbox's overlay root, the host's disk), watch flags,
 * coalescing, the read-buffer rule, FIONREAD, queue overflow, blocking reads (woken, interrupted,
 * restarted), poll and epoll. Prints only deterministic facts: wds, masks, names, whether cookies
 * pair up. Usage: inotify [TMPFS_PARENT [OTHER_PARENT]] (defaults /dev/shm and none). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE 0x10000000
#endif

static char dir[256];

static const char *P(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void mask_str(uint32_t m, char *out) {
    static const struct { uint32_t bit; const char *name; } names[] = {
        {IN_ACCESS, "ACCESS"}, {IN_MODIFY, "MODIFY"}, {IN_ATTRIB, "ATTRIB"}, {IN_CLOSE_WRITE, "CLOSE_WRITE"},
        {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"}, {IN_OPEN, "OPEN"}, {IN_MOVED_FROM, "MOVED_FROM"},
        {IN_MOVED_TO, "MOVED_TO"}, {IN_CREATE, "CREATE"}, {IN_DELETE, "DELETE"}, {IN_DELETE_SELF, "DELETE_SELF"},
        {IN_MOVE_SELF, "MOVE_SELF"}, {IN_UNMOUNT, "UNMOUNT"}, {IN_Q_OVERFLOW, "Q_OVERFLOW"},
        {IN_IGNORED, "IGNORED"}, {IN_ISDIR, "ISDIR"}};
    out[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (m & names[i].bit) {
            if (out[0]) strcat(out, "|");
            strcat(out, names[i].name);
            m &= ~names[i].bit;
        }
    }
    if (m) sprintf(out + strlen(out), "|0x%x", m);
}

/* Cookies are kernel-global numbers: printed as c1, c2... in order of appearance. */
static uint32_t cookies[64];
static int ncookies;

static int cookie_id(uint32_t c) {
    for (int i = 0; i < ncookies; i++)
        if (cookies[i] == c) return i + 1;
    if (ncookies < 64) cookies[ncookies++] = c;
    return ncookies;
}

static void print_event(const char *tag, struct inotify_event *e) {
    char m[256];
    mask_str(e->mask, m);
    printf("  %s wd=%d %s", tag, e->wd, m);
    if (e->cookie) printf(" cookie=c%d", cookie_id(e->cookie));
    if (e->len) printf(" name=%s", e->name);
    printf("\n");
}

/* Reads and prints every queued event (the fd is non-blocking); returns how many. */
static int drain(int fd, const char *tag) {
    char buf[65536] __attribute__((aligned(8)));
    int n = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno != EAGAIN) printf("  read: %s\n", strerror(errno));
            break;
        }
        for (char *p = buf; p < buf + r;) {
            struct inotify_event *e = (struct inotify_event *)p;
            print_event(tag, e);
            p += sizeof *e + e->len;
            n++;
        }
    }
    return n;
}

#define T(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s: %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerror(errno) : ""); } while (0)

static void touch(const char *p) { int f = open(p, O_CREAT | O_WRONLY, 0644); close(f); }

static void section(const char *s) { printf("== %s\n", s); }

static void nap(int ms) { struct timespec ts = {0, ms * 1000000L}; nanosleep(&ts, NULL); }

static volatile int got_signal;
static void on_signal(int s) { (void)s; got_signal = 1; }

static void basics(void) {
    section("init and errors");
    T("inotify_init1(bad flag)", inotify_init1(0x1));
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("cloexec: %d nonblock: %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    char buf[64];
    T("read empty nonblocking", read(fd, buf, sizeof buf));
    T("write", write(fd, "x", 1));
    T("lseek", lseek(fd, 0, SEEK_SET));
    touch(P("f"));
    T("mask 0", inotify_add_watch(fd, P("f"), 0));
    T("unknown bit", inotify_add_watch(fd, P("f"), IN_MODIFY | 0x08000000));
    T("MASK_ADD|MASK_CREATE", inotify_add_watch(fd, P("f"), IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
    T("not an inotify fd", inotify_add_watch(0, P("f"), IN_MODIFY));
    T("bad fd", inotify_add_watch(999, P("f"), IN_MODIFY));
    T("missing path", inotify_add_watch(fd, P("nope"), IN_MODIFY));
    T("ONLYDIR on a file", inotify_add_watch(fd, P("f"), IN_MODIFY | IN_ONLYDIR));
    T("only flag bits", inotify_add_watch(fd, P("f"), IN_ONLYDIR));
    T("rm_watch unknown wd", inotify_rm_watch(fd, 42));
    T("rm_watch not inotify", inotify_rm_watch(0, 1));
    T("add f", inotify_add_watch(fd, P("f"), IN_MODIFY));
    link(P("f"), P("f2"));
    T("add f again through a hard link", inotify_add_watch(fd, P("f2"), IN_ATTRIB));
    T("MASK_CREATE on a watched inode", inotify_add_watch(fd, P("f"), IN_MODIFY | IN_MASK_CREATE));
    T("add dir", inotify_add_watch(fd, dir, IN_CREATE | IN_ONLYDIR));
    /* the mask of wd 1 is IN_ATTRIB now (replaced): a write is not reported, a chmod is */
    int w = open(P("f"), O_WRONLY);
    write(w, "x", 1);
    fchmod(w, 0600);
    drain(fd, "replaced");
    T("MASK_ADD", inotify_add_watch(fd, P("f"), IN_MODIFY | IN_MASK_ADD));
    write(w, "x", 1);
    fchmod(w, 0644);
    drain(fd, "added");
    close(w);
    T("rm_watch 1", inotify_rm_watch(fd, 1));
    T("rm_watch 1 again", inotify_rm_watch(fd, 1));
    drain(fd, "removed");
    T("next wd is not reused", inotify_add_watch(fd, P("f"), IN_MODIFY));
    close(fd);
    unlink(P("f"));
    unlink(P("f2"));
}

static void directory_events(void) {
    section("directory events");
    int fd = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(fd, dir, IN_ALL_EVENTS);
    int f = open(P("a"), O_CREAT | O_RDWR, 0644);
    write(f, "hello", 5);
    pwrite(f, "!", 1, 5);
    char b[8];
    pread(f, b, 3, 0);
    read(f, b, 8); /* at EOF: no IN_ACCESS */
    fchmod(f, 0600);
    ftruncate(f, 2);
    fallocate(f, 0, 0, 100);
    close(f);
    f = open(P("a"), O_RDONLY);
    close(f);
    f = open(P("a"), O_WRONLY | O_TRUNC);
    close(f);
    drain(fd, "file");
    mkdir(P("sub"), 0755);
    int d = open(P("sub"), O_RDONLY | O_DIRECTORY);
    char dents[4096];
    syscall(217, d, dents, sizeof dents); /* getdents64 */
    syscall(217, d, dents, sizeof dents);
    close(d);
    rename(P("a"), P("b"));
    rename(P("sub"), P("sub2"));
    symlink("b", P("ln"));
    link(P("b"), P("hard"));
    mknod(P("fifo"), S_IFIFO | 0600, 0);
    drain(fd, "names");
    struct timespec both[2] = {{1, 0}, {2, 0}};
    struct timespec at_only[2] = {{3, 0}, {0, UTIME_OMIT}};
    struct timespec mt_only[2] = {{0, UTIME_OMIT}, {4, 0}};
    utimensat(AT_FDCWD, P("b"), both, 0);
    utimensat(AT_FDCWD, P("b"), at_only, 0);
    utimensat(AT_FDCWD, P("b"), mt_only, 0);
    utimensat(AT_FDCWD, P("b"), NULL, 0);
    utimes(P("b"), NULL);
    truncate(P("b"), 0);
    chown(P("b"), -1, -1);
    chown(P("b"), 0, -1);
    utimensat(AT_FDCWD, P("ln"), both, AT_SYMLINK_NOFOLLOW);
    drain(fd, "attrs");
    unlink(P("hard"));
    unlink(P("b"));
    unlink(P("ln"));
    unlink(P("fifo"));
    rmdir(P("sub2"));
    drain(fd, "removal");
    close(fd);
}

static void file_watches(void) {
    section("watching files");
    int fd = inotify_init1(IN_NONBLOCK);
    touch(P("x"));
    touch(P("y"));
    int wx = inotify_add_watch(fd, P("x"), IN_ALL_EVENTS);
    int wd = inotify_add_watch(fd, dir, IN_ALL_EVENTS);
    printf("wx=%d wd=%d\n", wx, wd);
    int f = open(P("x"), O_RDWR);
    write(f, "a", 1);
    write(f, "b", 1); /* coalesced with the one before, on both watches? no: they alternate */
    close(f);
    drain(fd, "both");
    inotify_rm_watch(fd, wd);
    drain(fd, "rm dir watch");
    f = open(P("x"), O_RDWR);
    write(f, "a", 1);
    write(f, "b", 1); /* coalesced: the same event as the last queued one */
    lseek(f, 0, SEEK_SET);
    char c;
    read(f, &c, 1);
    write(f, "c", 1);
    close(f);
    drain(fd, "coalesce");
    /* rename over y: y's link count changes, then y is gone */
    int wy = inotify_add_watch(fd, P("y"), IN_ALL_EVENTS);
    printf("wy=%d\n", wy);
    rename(P("x"), P("y"));
    drain(fd, "rename over");
    /* x (now named y) is unlinked while open: IN_DELETE_SELF waits for the close */
    f = open(P("y"), O_RDWR);
    unlink(P("y"));
    drain(fd, "unlinked while open");
    write(f, "z", 1);
    close(f);
    drain(fd, "closed");
    close(fd);
}

static void flags(void) {
    section("watch flags");
    int fd = inotify_init1(IN_NONBLOCK);
    touch(P("o"));
    inotify_add_watch(fd, P("o"), IN_ATTRIB | IN_ONESHOT);
    chmod(P("o"), 0600);
    chmod(P("o"), 0644);
    drain(fd, "oneshot");
    /* IN_EXCL_UNLINK: no more events through an open file once its name is gone */
    int d1 = inotify_add_watch(fd, dir, IN_MODIFY | IN_EXCL_UNLINK);
    int f = open(P("o"), O_RDWR);
    write(f, "1", 1);
    unlink(P("o"));
    write(f, "2", 1);
    close(f);
    drain(fd, "excl_unlink");
    inotify_rm_watch(fd, d1);
    drain(fd, "rm");
    inotify_add_watch(fd, dir, IN_MODIFY);
    touch(P("o"));
    f = open(P("o"), O_RDWR);
    unlink(P("o"));
    write(f, "3", 1);
    close(f);
    drain(fd, "without excl_unlink");
    /* IN_DONT_FOLLOW watches the symlink itself */
    touch(P("target"));
    symlink("target", P("sym"));
    int ws = inotify_add_watch(fd, P("sym"), IN_ATTRIB | IN_DONT_FOLLOW);
    int wt = inotify_add_watch(fd, P("sym"), IN_ATTRIB);
    printf("symlink wd=%d target wd=%d\n", ws, wt);
    chmod(P("sym"), 0600);
    struct timespec ts[2] = {{5, 0}, {6, 0}};
    utimensat(AT_FDCWD, P("sym"), ts, AT_SYMLINK_NOFOLLOW);
    drain(fd, "dont_follow");
    unlink(P("sym"));
    unlink(P("target"));
    drain(fd, "gone");
    close(fd);
}

static void moves(void) {
    section("moves between directories");
    int fd = inotify_init1(IN_NONBLOCK);
    mkdir(P("A"), 0755);
    mkdir(P("B"), 0755);
    touch(P("A/m"));
    int wa = inotify_add_watch(fd, P("A"), IN_MOVE | IN_MOVE_SELF | IN_DELETE_SELF);
    int wb = inotify_add_watch(fd, P("B"), IN_MOVE | IN_MOVE_SELF | IN_DELETE_SELF);
    int wm = inotify_add_watch(fd, P("A/m"), IN_MOVE_SELF);
    printf("A=%d B=%d m=%d\n", wa, wb, wm);
    rename(P("A/m"), P("B/m2"));
    rename(P("B/m2"), P("B/m3"));
    rename(P("B"), P("C"));
    unlink(P("C/m3"));
    rmdir(P("C"));
    rmdir(P("A"));
    drain(fd, "moves");
    close(fd);
}

static void exchange(void) {
    section("renameat2");
    int fd = inotify_init1(IN_NONBLOCK);
    touch(P("e1"));
    mkdir(P("e2"), 0755);
    inotify_add_watch(fd, dir, IN_MOVE | IN_CREATE | IN_DELETE);
    T("RENAME_EXCHANGE", renameat2(AT_FDCWD, P("e1"), AT_FDCWD, P("e2"), RENAME_EXCHANGE));
    struct stat st;
    stat(P("e1"), &st);
    printf("e1 is a directory: %d\n", S_ISDIR(st.st_mode));
    drain(fd, "exchange");
    rmdir(P("e1"));
    unlink(P("e2"));
    drain(fd, "cleanup");
    close(fd);
}

static void buffers(void) {
    section("read buffers");
    int fd = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(fd, dir, IN_CREATE);
    touch(P("a_name_of_20_chars__"));
    int n = -1;
    ioctl(fd, FIONREAD, &n);
    printf("FIONREAD: %d\n", n);
    char buf[256] __attribute__((aligned(8)));
    T("read 16 bytes", read(fd, buf, 16));
    T("read 47 bytes", read(fd, buf, 47));
    T("read 48 bytes", read(fd, buf, 48));
    struct inotify_event *e = (struct inotify_event *)buf;
    printf("len %u name %s\n", e->len, e->name);
    touch(P("s1"));
    touch(P("s2"));
    ioctl(fd, FIONREAD, &n);
    printf("FIONREAD: %d\n", n);
    T("read for one and a half", read(fd, buf, 48));
    T("read the rest", read(fd, buf, sizeof buf));
    unlink(P("a_name_of_20_chars__"));
    unlink(P("s1"));
    unlink(P("s2"));
    close(fd);
}

static void overflow(void) {
    section("queue overflow");
    FILE *q = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
    int max = 0;
    if (q) { fscanf(q, "%d", &max); fclose(q); }
    q = fopen("/proc/sys/fs/inotify/max_user_instances", "r");
    int inst = 0;
    if (q) { fscanf(q, "%d", &inst); fclose(q); }
    q = fopen("/proc/sys/fs/inotify/max_user_watches", "r");
    int watches = 0;
    if (q) { fscanf(q, "%d", &watches); fclose(q); }
    printf("max_queued_events %d max_user_instances %d max_user_watches>=8192 %d\n", max, inst, watches >= 8192);
    int fd = inotify_init1(IN_NONBLOCK);
    touch(P("of"));
    inotify_add_watch(fd, dir, IN_MODIFY);
    inotify_add_watch(fd, P("of"), IN_MODIFY);
    int f = open(P("of"), O_WRONLY);
    /* each write is two events (the directory's and the file's), so none coalesce */
    for (int i = 0; i < max / 2 + 10; i++) write(f, "x", 1);
    static char buf[1 << 20] __attribute__((aligned(8)));
    int count = 0, overflows = 0, last_wd = 0;
    uint32_t last_mask = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0) break;
        for (char *p = buf; p < buf + r;) {
            struct inotify_event *e = (struct inotify_event *)p;
            count++;
            if (e->mask & IN_Q_OVERFLOW) overflows++;
            last_wd = e->wd;
            last_mask = e->mask;
            p += sizeof *e + e->len;
        }
    }
    printf("events %d overflows %d last wd %d mask 0x%x\n", count, overflows, last_wd, last_mask);
    write(f, "y", 1);
    drain(fd, "after");
    close(f);
    unlink(P("of"));
    close(fd);
}

static void waiting(void) {
    section("waiting");
    int fd = inotify_init();
    inotify_add_watch(fd, dir, IN_CREATE);
    struct pollfd pfd = {fd, POLLIN, 0};
    T("poll empty", poll(&pfd, 1, 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u32 = 7}};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    T("epoll_wait empty", epoll_wait(ep, &ev, 1, 0));
    pid_t child = fork();
    if (child == 0) {
        nap(100);
        touch(P("w1"));
        _exit(0);
    }
    memset(&ev, 0, sizeof ev);
    int r = epoll_wait(ep, &ev, 1, 5000);
    printf("epoll_wait: %d events 0x%x data %u\n", r, ev.events, ev.data.u32);
    T("poll", poll(&pfd, 1, 0));
    printf("revents 0x%x\n", pfd.revents);
    char buf[256] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    printf("read %zd\n", n);
    print_event("woken", (struct inotify_event *)buf);
    waitpid(child, NULL, 0);
    /* a blocking read woken by another process's change */
    child = fork();
    if (child == 0) {
        nap(100);
        touch(P("w2"));
        _exit(0);
    }
    n = read(fd, buf, sizeof buf);
    printf("blocking read %zd\n", n);
    print_event("woken", (struct inotify_event *)buf);
    waitpid(child, NULL, 0);
    /* a handler without SA_RESTART: EINTR; with SA_RESTART: the read goes on */
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    pid_t parent = getpid();
    child = fork();
    if (child == 0) {
        nap(100);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    errno = 0;
    n = read(fd, buf, sizeof buf);
    printf("interrupted read %zd %s signal %d\n", n, strerror(errno), got_signal);
    waitpid(child, NULL, 0);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    got_signal = 0;
    child = fork();
    if (child == 0) {
        nap(100);
        kill(parent, SIGUSR1);
        nap(100);
        touch(P("w3"));
        _exit(0);
    }
    n = read(fd, buf, sizeof buf);
    printf("restarted read %zd signal %d\n", n, got_signal);
    print_event("after restart", (struct inotify_event *)buf);
    waitpid(child, NULL, 0);
    unlink(P("w1"));
    unlink(P("w2"));
    unlink(P("w3"));
    close(ep);
    close(fd);
}

static void other_fs(const char *parent) {
    section("another file system");
    char saved[256];
    strcpy(saved, dir);
    snprintf(dir, sizeof dir, "%s/inotifyXXXXXX", parent);
    if (!mkdtemp(dir)) { printf("mkdtemp: %s\n", strerror(errno)); strcpy(dir, saved); return; }
    int fd = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(fd, dir, IN_ALL_EVENTS & ~(IN_ACCESS | IN_OPEN | IN_CLOSE_NOWRITE));
    int f = open(P("o1"), O_CREAT | O_WRONLY, 0644);
    write(f, "data", 4);
    close(f);
    rename(P("o1"), P("o2"));
    mkdir(P("od"), 0755);
    chmod(P("o2"), 0600);
    unlink(P("o2"));
    rmdir(P("od"));
    drain(fd, "other");
    close(fd);
    rmdir(dir);
    strcpy(dir, saved);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *parent = argc > 1 ? argv[1] : "/dev/shm";
    snprintf(dir, sizeof dir, "%s/inotifyXXXXXX", parent);
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    basics();
    directory_events();
    file_watches();
    flags();
    moves();
    exchange();
    buffers();
    overflow();
    waiting();
    if (argc > 2) other_fs(argv[2]);
    rmdir(dir);
    return 0;
}
