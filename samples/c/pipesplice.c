/* tee(2), vmsplice(2), splice(2) between pipes and pipe sizes (F_GETPIPE_SZ / F_SETPIPE_SZ):
 * what moves, what stays, and the errors, as Linux gives them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s: %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerror(errno) : ""); } while (0)

static int avail(int fd) {
    int n = -1;
    ioctl(fd, FIONREAD, &n);
    return n;
}

static void show(const char *label, int fd, int n) {
    char buf[128] = {0};
    ssize_t r = read(fd, buf, n);
    printf("%s: %zd [%.*s]\n", label, r, (int)(r > 0 ? r : 0), buf);
}

static void nap(int ms) { struct timespec ts = {0, ms * 1000000L}; nanosleep(&ts, NULL); }

static void tee_section(void) {
    printf("== tee\n");
    int a[2], b[2], c[2];
    pipe(a);
    pipe(b);
    pipe(c);
    write(a[1], "hello world", 11);
    T("tee 5", tee(a[0], b[1], 5, 0));
    T("tee all", tee(a[0], c[1], 100, 0));
    printf("left in a: %d, b: %d, c: %d\n", avail(a[0]), avail(b[0]), avail(c[0]));
    show("b", b[0], 64);
    show("c", c[0], 64);
    show("a", a[0], 64);
    T("tee same pipe", tee(a[0], a[1], 1, 0));
    T("tee len 0", tee(a[0], b[1], 0, 0));
    T("tee bad flag", tee(a[0], b[1], 1, 0x10));
    T("tee bad fd", tee(99, b[1], 1, 0));
    T("tee wrong ends", tee(b[1], a[1], 1, 0));
    int f = open("/dev/null", O_RDWR);
    T("tee from a file", tee(f, b[1], 1, 0));
    T("tee to a file", tee(a[0], f, 1, 0));
    T("tee empty, SPLICE_F_NONBLOCK", tee(a[0], b[1], 1, SPLICE_F_NONBLOCK));
    fcntl(a[0], F_SETFL, O_NONBLOCK);
    T("tee empty, O_NONBLOCK", tee(a[0], b[1], 1, 0));
    fcntl(a[0], F_SETFL, 0);
    /* a full output pipe */
    int d[2];
    pipe2(d, O_NONBLOCK);
    char big[65536];
    memset(big, 'x', sizeof big);
    write(d[1], big, sizeof big);
    write(a[1], "q", 1);
    T("tee to a full pipe", tee(a[0], d[1], 1, 0));
    /* no writer left: 0 */
    int e[2];
    pipe(e);
    close(e[1]);
    T("tee from a pipe without writers", tee(e[0], b[1], 1, 0));
    /* no reader left: EPIPE and SIGPIPE */
    signal(SIGPIPE, SIG_IGN);
    int g[2];
    pipe(g);
    close(g[0]);
    T("tee to a pipe without readers", tee(a[0], g[1], 1, 0));
    signal(SIGPIPE, SIG_DFL);
    /* a blocked tee woken by a writer */
    int h[2];
    pipe(h);
    pid_t child = fork();
    if (child == 0) {
        nap(100);
        write(a[1], "late", 4);
        _exit(0);
    }
    show("drain a", a[0], 64);
    T("blocking tee", tee(a[0], h[1], 64, 0));
    waitpid(child, NULL, 0);
    show("h", h[0], 64);
    close(f);
}

static void splice_section(void) {
    printf("== splice between pipes\n");
    int a[2], b[2];
    pipe(a);
    pipe(b);
    write(a[1], "0123456789", 10);
    write(a[1], "abcdef", 6);
    T("splice 3", splice(a[0], NULL, b[1], NULL, 3, 0));
    T("splice 100", splice(a[0], NULL, b[1], NULL, 100, 0));
    printf("left in a: %d, b: %d\n", avail(a[0]), avail(b[0]));
    show("b", b[0], 64);
    T("splice same pipe", splice(a[0], NULL, a[1], NULL, 1, 0));
    loff_t off = 0;
    T("splice with an offset on a pipe", splice(a[0], &off, b[1], NULL, 1, 0));
    T("splice empty, SPLICE_F_NONBLOCK", splice(a[0], NULL, b[1], NULL, 1, SPLICE_F_NONBLOCK));
    T("splice len 0", splice(a[0], NULL, b[1], NULL, 0, 0));
    T("splice bad flag", splice(a[0], NULL, b[1], NULL, 1, 0x20));
    int f = open("/dev/null", O_RDWR);
    T("splice between files", splice(f, NULL, f, NULL, 1, 0));
    int e[2];
    pipe(e);
    close(e[1]);
    T("splice from a pipe without writers", splice(e[0], NULL, b[1], NULL, 1, 0));
    /* pipe -> file with an offset, file -> pipe */
    char path[] = "/dev/shm/pipespliceXXXXXX";
    int t = mkstemp(path);
    write(a[1], "to the file", 11);
    off = 4;
    T("splice pipe->file at 4", splice(a[0], NULL, t, &off, 64, 0));
    printf("offset now %lld\n", (long long)off);
    off = 6;
    T("splice file->pipe from 6", splice(t, &off, b[1], NULL, 5, 0));
    show("b", b[0], 64);
    /* a file into a nearly full pipe: only the free slots fill */
    int s[2];
    pipe2(s, O_NONBLOCK);
    char big[65536];
    memset(big, 'y', sizeof big);
    write(s[1], big, 61440);
    ftruncate(t, 20000);
    off = 0;
    T("splice 20000 from the file into a pipe with one free slot", splice(t, &off, s[1], NULL, 20000, 0));
    T("and again (full)", splice(t, &off, s[1], NULL, 20000, 0));
    unlink(path);
    close(t);
    close(f);
}

static void vmsplice_section(void) {
    printf("== vmsplice\n");
    int a[2];
    pipe(a);
    char msg[] = "user memory";
    struct iovec iov[2] = {{msg, 4}, {msg + 4, 7}};
    T("vmsplice to pipe", vmsplice(a[1], iov, 2, 0));
    printf("in pipe: %d\n", avail(a[0]));
    char out[32] = {0};
    struct iovec riov[2] = {{out, 5}, {out + 10, 20}};
    T("vmsplice from pipe", vmsplice(a[0], riov, 2, 0));
    printf("got [%.5s] [%.6s]\n", out, out + 10);
    T("vmsplice from empty, SPLICE_F_NONBLOCK", vmsplice(a[0], riov, 1, SPLICE_F_NONBLOCK));
    struct iovec none = {out, 0};
    T("vmsplice nothing", vmsplice(a[0], &none, 1, 0));
    T("vmsplice bad flag", vmsplice(a[1], iov, 1, 0x10));
    int f = open("/dev/null", O_RDWR);
    T("vmsplice on a file", vmsplice(f, iov, 1, 0));
    int p = open("/dev/null", O_PATH);
    T("vmsplice on O_PATH", vmsplice(p, iov, 1, 0));
    /* each vmsplice piece takes a slot: 16 one-byte pieces fill the pipe */
    int b[2];
    pipe(b);
    int pieces = 0;
    for (;;) {
        struct iovec one = {msg, 1};
        if (vmsplice(b[1], &one, 1, SPLICE_F_NONBLOCK) < 0) {
            printf("after %d pieces: %s\n", pieces, strerror(errno));
            break;
        }
        pieces++;
    }
    printf("bytes held: %d\n", avail(b[0]));
    /* vmsplice'd slots are not merged into: a one-byte write needs a free slot too */
    fcntl(b[1], F_SETFL, O_NONBLOCK);
    T("write into a pipe of vmsplice slots", write(b[1], "z", 1));
    signal(SIGPIPE, SIG_IGN);
    int c[2];
    pipe(c);
    close(c[0]);
    T("vmsplice without readers", vmsplice(c[1], iov, 1, 0));
    signal(SIGPIPE, SIG_DFL);
    close(f);
    close(p);
}

static void sizes_section(void) {
    printf("== pipe sizes\n");
    int a[2];
    pipe(a);
    T("F_GETPIPE_SZ", fcntl(a[0], F_GETPIPE_SZ));
    T("F_SETPIPE_SZ 0", fcntl(a[1], F_SETPIPE_SZ, 0));
    T("F_SETPIPE_SZ 5000", fcntl(a[1], F_SETPIPE_SZ, 5000));
    T("F_GETPIPE_SZ on the other end", fcntl(a[0], F_GETPIPE_SZ));
    fcntl(a[1], F_SETFL, O_NONBLOCK);
    char big[300000];
    memset(big, 'z', sizeof big);
    T("write 9000 into 8192", write(a[1], big, 9000));
    T("shrink below the data", fcntl(a[1], F_SETPIPE_SZ, 4096));
    T("F_SETPIPE_SZ 2^31+1", fcntl(a[1], F_SETPIPE_SZ, (1u << 31) + 1));
    T("F_SETPIPE_SZ 1 MiB", fcntl(a[1], F_SETPIPE_SZ, 1 << 20));
    T("write 300000 now", write(a[1], big, sizeof big));
    printf("held %d\n", avail(a[0]));
    int f = open("/dev/null", O_RDONLY);
    T("F_GETPIPE_SZ on a file", fcntl(f, F_GETPIPE_SZ));
    T("F_SETPIPE_SZ on a file", fcntl(f, F_SETPIPE_SZ, 4096));
    close(f);
    /* one slot: a write merges into it only while it fits the page */
    int q[2];
    pipe2(q, O_NONBLOCK);
    fcntl(q[1], F_SETPIPE_SZ, 4096);
    T("one slot: write 10", write(q[1], big, 10));
    T("one slot: write 4096", write(q[1], big, 4096));
    T("one slot: write 4086", write(q[1], big, 4086));
    char r[10];
    read(q[0], r, 10);
    T("one slot: write 4086 after a read", write(q[1], big, 4086));
    /* an unprivileged process may not grow a pipe past pipe-max-size */
    pid_t child = fork();
    if (child == 0) {
        setresuid(65534, 65534, 65534);
        int u[2];
        pipe(u);
        T("unprivileged: F_SETPIPE_SZ 1 MiB", fcntl(u[1], F_SETPIPE_SZ, 1 << 20));
        T("unprivileged: F_SETPIPE_SZ 2 MiB", fcntl(u[1], F_SETPIPE_SZ, 2 << 20));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    FILE *m = fopen("/proc/sys/fs/pipe-max-size", "r");
    int max = 0;
    if (m) { fscanf(m, "%d", &max); fclose(m); }
    printf("pipe-max-size %d\n", max);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    tee_section();
    splice_section();
    vmsplice_section();
    sizes_section();
    /* a write to a pipe without readers: SIGPIPE */
    pid_t child = fork();
    if (child == 0) {
        int p[2];
        pipe(p);
        close(p[0]);
        write(p[1], "x", 1);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("writer killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}
