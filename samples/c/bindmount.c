/* A bind-mounted directory DIR seen from inside and outside the sandbox. One mode per run:
 *   bindmount host DIR          with a host process: SEEK_END after the host grows a file, files each
 *                               side writes seen by the other (the test plays the host's part: it
 *                               waits for DIR/ready, then appends to DIR/grow, writes DIR/from-host
 *                               and creates DIR/grown)
 *   bindmount ro DIR            every change to a read-only bind mount (DIR/f, DIR/sub exist) is EROFS
 *   bindmount escape DIR NAME   NAME, a host file next to DIR's host directory, is out of reach: via
 *                               "..", via symlinks planted in DIR (esc, deep, abs), via fchdir
 *   bindmount ckpt DIR N MS     reads half of DIR/data, counts N times every MS ms (a checkpoint falls
 *                               there), reads the rest and appends a line
 * Output is deterministic and names no inode, time or fd number, so a native run prints the same. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *ename(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";
    case EXDEV: return "EXDEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case EROFS: return "EROFS";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EIO: return "EIO";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "errno%d", e);
        return buf;
    }
    }
}

static void show(const char *what, long r) {
    if (r < 0)
        printf("%-40s -1 %s\n", what, ename(errno));
    else
        printf("%-40s %ld\n", what, r);
}

#define CHECK(what, call) do { errno = 0; long r_ = (long)(call); show(what, r_); } while (0)

static char path_buf[4096];
static const char *at(const char *dir, const char *name) {
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Prints a whole small file, or the errno of opening it. */
static void cat(const char *what, const char *path) {
    char buf[512];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%-40s -1 %s\n", what, ename(errno));
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    printf("%-40s \"%s\"\n", what, buf);
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted (readdir order is the file system's). */
static void list(const char *what, const char *dir) {
    DIR *d = opendir(dir);
    char *names[64];
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("%-40s", what);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static int host(const char *dir) {
    char buf[64];
    int fd = open(at(dir, "grow"), O_RDWR);
    CHECK("lseek(grow, 0, SEEK_END)", lseek(fd, 0, SEEK_END));
    int w = open(at(dir, "from-sandbox"), O_CREAT | O_EXCL | O_WRONLY, 0644);
    CHECK("write(from-sandbox)", write(w, "written in the sandbox\n", 23));
    close(w);
    close(open(at(dir, "ready"), O_CREAT | O_WRONLY, 0644));
    struct stat st;
    for (int i = 0; i < 2000 && stat(at(dir, "grown"), &st) != 0; i++)
        sleep_ms(10);
    CHECK("lseek(grow, 0, SEEK_END) after host append", lseek(fd, 0, SEEK_END));
    fstat(fd, &st);
    CHECK("fstat(grow) size", st.st_size);
    stat(at(dir, "grow"), &st);
    CHECK("stat(grow) size", st.st_size);
    memset(buf, 0, sizeof buf);
    CHECK("pread(grow, 20, 5)", pread(fd, buf, 20, 5));
    printf("%-40s \"%s\"\n", "host's bytes", buf);
    close(fd);
    cat("from-host", at(dir, "from-host"));
    int a = open(at(dir, "from-host"), O_WRONLY | O_APPEND);
    CHECK("append to from-host", write(a, "appended by the sandbox\n", 24));
    close(a);
    list("names", dir);
    return 0;
}

static int readonly(const char *dir) {
    struct timespec ts[2] = {{1, 0}, {2, 0}};
    cat("read(f)", at(dir, "f"));
    CHECK("open(f, O_WRONLY)", open(at(dir, "f"), O_WRONLY));
    CHECK("open(f, O_RDONLY|O_TRUNC)", open(at(dir, "f"), O_RDONLY | O_TRUNC));
    CHECK("open(new, O_CREAT)", open(at(dir, "new"), O_CREAT | O_WRONLY, 0644));
    CHECK("mkdir(newdir)", mkdir(at(dir, "newdir"), 0755));
    CHECK("unlink(f)", unlink(at(dir, "f")));
    CHECK("rmdir(sub)", rmdir(at(dir, "sub")));
    char other[4096];
    snprintf(other, sizeof other, "%s/g", dir);
    CHECK("rename(f, g)", rename(at(dir, "f"), other));
    CHECK("link(f, g)", link(at(dir, "f"), other));
    CHECK("symlink(f, g)", symlink("f", other));
    CHECK("chmod(f, 0600)", chmod(at(dir, "f"), 0600));
    CHECK("chown(f, 1, 1)", chown(at(dir, "f"), 1, 1));
    CHECK("utimensat(f)", utimensat(AT_FDCWD, at(dir, "f"), ts, 0));
    CHECK("truncate(f, 0)", truncate(at(dir, "f"), 0));
    CHECK("access(f, W_OK)", access(at(dir, "f"), W_OK));
    CHECK("access(f, R_OK)", access(at(dir, "f"), R_OK));
    list("names", dir);
    return 0;
}

static int escape(const char *dir, const char *name) {
    char p[4096];
    snprintf(p, sizeof p, "%s/../%s", dir, name);
    cat("open(DIR/../NAME)", p);
    cat("open(DIR/esc) esc -> ../NAME", at(dir, "esc"));
    cat("open(DIR/deep) deep -> ../../../../NAME", at(dir, "deep"));
    cat("open(DIR/abs) abs -> host path of NAME", at(dir, "abs"));
    int d = open(dir, O_RDONLY | O_DIRECTORY);
    CHECK("openat(DIR fd, ../NAME)", ({ char q[300]; snprintf(q, sizeof q, "../%s", name); openat(d, q, O_RDONLY); }));
    CHECK("fchdir(DIR fd)", fchdir(d));
    CHECK("chdir(..)", chdir(".."));
    cat("open(NAME) from DIR/..", name);
    char cwd[4096];
    char want[4096];
    snprintf(want, sizeof want, "%s", dir);
    *strrchr(want, '/') = 0;
    printf("%-40s %s\n", "getcwd() is DIR's parent", strcmp(getcwd(cwd, sizeof cwd), want[0] ? want : "/") == 0 ? "yes" : cwd);
    return 0;
}

static int ckpt(const char *dir, int n, int delay) {
    char buf[256];
    int fd = open(at(dir, "data"), O_RDWR);
    struct stat st;
    fstat(fd, &st);
    long half = st.st_size / 2;
    memset(buf, 0, sizeof buf);
    CHECK("read(data, half)", read(fd, buf, half));
    printf("first half: %s|\n", buf);
    fflush(stdout);
    for (int i = 1; i <= n; i++) {
        printf("count %d\n", i);
        fflush(stdout);
        sleep_ms(delay);
    }
    memset(buf, 0, sizeof buf);
    CHECK("read(data, rest)", read(fd, buf, sizeof buf - 1));
    printf("second half: %s|\n", buf);
    CHECK("write(data, appended)", write(fd, "appended after the count\n", 25));
    fstat(fd, &st);
    CHECK("fstat(data) size", st.st_size);
    close(fd);
    cat("data now", at(dir, "data"));
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 3 && !strcmp(argv[1], "host"))
        return host(argv[2]);
    if (argc >= 3 && !strcmp(argv[1], "ro"))
        return readonly(argv[2]);
    if (argc >= 4 && !strcmp(argv[1], "escape"))
        return escape(argv[2], argv[3]);
    if (argc >= 5 && !strcmp(argv[1], "ckpt"))
        return ckpt(argv[2], atoi(argv[3]), atoi(argv[4]));
    fprintf(stderr, "usage: bindmount host|ro|escape|ckpt DIR [...]\n");
    return 2;
}
