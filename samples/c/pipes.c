/* Pipe and FIFO semantics in one process: prints one line per check, the same natively and in the
 * sandbox (no inode numbers or addresses, only what Linux guarantees). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *err(int e) {
    switch (e) {
    case 0: return "ok";
    case EAGAIN: return "EAGAIN";
    case EPIPE: return "EPIPE";
    case EINVAL: return "EINVAL";
    case ENXIO: return "ENXIO";
    case ESPIPE: return "ESPIPE";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    default: return strerror(e);
    }
}

#define CHECK(name, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s: %ld %s\n", name, r_, r_ < 0 ? err(errno) : "ok"); } while (0)

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    char buf[70000];

    /* ordering and EOF */
    CHECK("pipe", pipe(p));
    CHECK("write abc", write(p[1], "abc", 3));
    CHECK("write defg", write(p[1], "defg", 4));
    int avail = -1;
    ioctl(p[0], FIONREAD, &avail);
    printf("FIONREAD: %d\n", avail);
    memset(buf, 0, sizeof buf);
    CHECK("read 5", read(p[0], buf, 5));
    printf("data: %s\n", buf);
    memset(buf, 0, sizeof buf);
    CHECK("read rest", read(p[0], buf, 100));
    printf("data: %s\n", buf);
    CHECK("read 0 bytes", read(p[0], buf, 0));
    CHECK("lseek", lseek(p[0], 0, SEEK_SET));
    CHECK("pread", pread(p[0], buf, 1, 0));
    CHECK("write to read end", write(p[0], "x", 1));
    CHECK("read from write end", read(p[1], buf, 1));
    struct stat a, b;
    fstat(p[0], &a);
    fstat(p[1], &b);
    printf("fifo: %d, same inode both ends: %d, size: %ld\n", S_ISFIFO(a.st_mode), a.st_ino == b.st_ino,
           (long)a.st_size);
    char link[64], want[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[0]);
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    snprintf(want, sizeof want, "pipe:[%lu]", (unsigned long)a.st_ino);
    printf("fd link names the pipe: %d\n", strcmp(buf, want) == 0);
    close(p[1]);
    CHECK("read after writer closed (EOF)", read(p[0], buf, 10));
    close(p[0]);

    /* EPIPE */
    pipe(p);
    close(p[0]);
    CHECK("write without reader", write(p[1], "x", 1));
    close(p[1]);

    /* nonblocking, capacity, atomic writes, wrap-around */
    CHECK("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(p, O_NONBLOCK | O_CLOEXEC));
    printf("cloexec: %d, nonblock: %d\n", (fcntl(p[0], F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0);
    CHECK("read empty nonblocking", read(p[0], buf, 10));
    memset(buf, 'z', sizeof buf);
    long total = 0;
    for (;;) {
        ssize_t w = write(p[1], buf, 4096);
        if (w < 0) break;
        total += w;
    }
    printf("capacity: %ld (%s)\n", total, err(errno));
    CHECK("read 100", read(p[0], buf, 100));
    CHECK("atomic 4096 into 100 free", write(p[1], buf, 4096));
    CHECK("large write into 100 free (partial)", write(p[1], buf, 8192));
    CHECK("drain", read(p[0], buf, sizeof buf));
    /* wrap-around: the ring's read position is now mid-buffer */
    for (int i = 0; i < 60000; i++) buf[i] = (char)(i * 7);
    CHECK("write 60000", write(p[1], buf, 60000));
    CHECK("read 10000", read(p[0], buf + 60000, 10000));
    char *rd = malloc(70000);
    long got = 0;
    while (got < 50000) {
        ssize_t r = read(p[0], rd + got, 50000 - got);
        if (r <= 0) break;
        got += r;
    }
    int same = memcmp(rd, buf + 10000, 50000) == 0;
    printf("wrap read back: %ld same: %d\n", got, same);
    for (int i = 0; i < 40000; i++) buf[i] = (char)(i * 13 + 1);
    CHECK("write 40000 (wraps)", write(p[1], buf, 40000));
    got = 0;
    while (got < 40000) {
        ssize_t r = read(p[0], rd + got, 40000 - got);
        if (r <= 0) break;
        got += r;
    }
    printf("wrapped data intact: %d\n", memcmp(rd, buf, 40000) == 0);
    free(rd);
    close(p[0]);
    close(p[1]);
    CHECK("pipe2 bad flags", pipe2(p, 0x40000000));
    CHECK("pipe bad address", syscall(SYS_pipe, (void *)8));

    /* reopening a pipe through /proc/self/fd */
    pipe(p);
    snprintf(link, sizeof link, "/proc/self/fd/%d", p[1]);
    int w2 = open(link, O_WRONLY);
    printf("reopen write end: %s\n", w2 >= 0 ? "ok" : err(errno));
    CHECK("write via reopened end", write(w2, "hello", 5));
    memset(buf, 0, 16);
    CHECK("read it", read(p[0], buf, 16));
    printf("data: %s\n", buf);
    close(w2);
    close(p[1]);
    CHECK("EOF after both writers closed", read(p[0], buf, 16));
    close(p[0]);

    /* FIFOs */
    const char *fifo = "/tmp/jvisor-pipes-fifo";
    unlink(fifo);
    CHECK("mkfifo", mkfifo(fifo, 0600));
    CHECK("open O_WRONLY|O_NONBLOCK without reader", open(fifo, O_WRONLY | O_NONBLOCK));
    int r = open(fifo, O_RDONLY | O_NONBLOCK);
    printf("open O_RDONLY|O_NONBLOCK: %s\n", r >= 0 ? "ok" : err(errno));
    CHECK("read with no writer (EOF)", read(r, buf, 10));
    int w = open(fifo, O_WRONLY | O_NONBLOCK);
    printf("open O_WRONLY|O_NONBLOCK with reader: %s\n", w >= 0 ? "ok" : err(errno));
    CHECK("read empty fifo with writer", read(r, buf, 10));
    CHECK("write fifo", write(w, "fifo!", 5));
    memset(buf, 0, 16);
    CHECK("read fifo", read(r, buf, 16));
    printf("data: %s\n", buf);
    fstat(r, &a);
    printf("fifo fstat: %d\n", S_ISFIFO(a.st_mode));
    snprintf(link, sizeof link, "/proc/self/fd/%d", r);
    n = readlink(link, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("fifo fd link: %s\n", buf);
    close(w);
    close(r);
    int rw = open(fifo, O_RDWR);
    printf("open O_RDWR: %s\n", rw >= 0 ? "ok" : err(errno));
    CHECK("write rdwr", write(rw, "both", 4));
    memset(buf, 0, 16);
    CHECK("read rdwr", read(rw, buf, 16));
    printf("data: %s\n", buf);
    close(rw);
    unlink(fifo);

    /* sendfile: file -> pipe, file -> file, with and without an offset */
    const char *src = "/tmp/jvisor-pipes-src", *dst = "/tmp/jvisor-pipes-dst";
    int fd = open(src, O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "0123456789abcdef", 16);
    lseek(fd, 4, SEEK_SET);
    pipe(p);
    CHECK("sendfile file->pipe", sendfile(p[1], fd, NULL, 6));
    printf("file offset after: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    memset(buf, 0, 16);
    read(p[0], buf, 16);
    printf("data: %s\n", buf);
    off_t off = 10;
    CHECK("sendfile with offset", sendfile(p[1], fd, &off, 100));
    printf("offset now %ld, file offset %ld\n", (long)off, (long)lseek(fd, 0, SEEK_CUR));
    memset(buf, 0, 16);
    read(p[0], buf, 16);
    printf("data: %s\n", buf);
    int out = open(dst, O_RDWR | O_CREAT | O_TRUNC, 0600);
    off = 0;
    CHECK("sendfile file->file", sendfile(out, fd, &off, 16));
    memset(buf, 0, 32);
    pread(out, buf, 32, 0);
    printf("data: %s\n", buf);
    CHECK("sendfile from a pipe", sendfile(out, p[0], NULL, 4));
    close(p[0]);
    close(p[1]);
    close(out);
    close(fd);
    unlink(src);
    unlink(dst);
    return 0;
}
