/* File system calls and their errors, in a scratch directory argv[1] (created here, must not exist).
 * One line per check: the result, or -1 and the errno's name. Nothing printed depends on the file
 * system under the scratch directory (no inode numbers, times of day, block counts, directory sizes,
 * fd numbers or the directory's own path), so a native run and a sandboxed run print the same.
 * Most calls are made with syscall(2) so the syscall named is the one made. Runs as root (chown). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

static const struct { int e; const char *name; } ERRNOS[] = {
    {EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {EIO, "EIO"}, {EBADF, "EBADF"}, {EACCES, "EACCES"},
    {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"}, {EEXIST, "EEXIST"}, {EXDEV, "EXDEV"}, {ENOTDIR, "ENOTDIR"},
    {EISDIR, "EISDIR"}, {EINVAL, "EINVAL"}, {EMFILE, "EMFILE"}, {ENOTTY, "ENOTTY"}, {EFBIG, "EFBIG"},
    {ENOSPC, "ENOSPC"}, {ESPIPE, "ESPIPE"}, {EROFS, "EROFS"}, {EMLINK, "EMLINK"}, {ERANGE, "ERANGE"},
    {ENAMETOOLONG, "ENAMETOOLONG"}, {ENOSYS, "ENOSYS"}, {ENOTEMPTY, "ENOTEMPTY"}, {ELOOP, "ELOOP"},
    {ENXIO, "ENXIO"}, {ENODEV, "ENODEV"}, {EOPNOTSUPP, "EOPNOTSUPP"}, {EAGAIN, "EAGAIN"},
    {E2BIG, "E2BIG"}, {ENOMEM, "ENOMEM"}, {EOVERFLOW, "EOVERFLOW"},
};

static const char *ename(int e) {
    static char buf[32];
    for (size_t i = 0; i < sizeof ERRNOS / sizeof ERRNOS[0]; i++)
        if (ERRNOS[i].e == e)
            return ERRNOS[i].name;
    snprintf(buf, sizeof buf, "errno%d", e);
    return buf;
}

static void show(const char *what, long r, int e) {
    if (r == -1)
        printf("%-44s -1 %s\n", what, ename(e));
    else
        printf("%-44s %ld\n", what, r);
}

/* A call whose result is printed as is. */
#define CHECK(what, call) do { errno = 0; long r_ = (long)(call); show(what, r_, errno); } while (0)
/* A call that returns an fd (or -1): prints "fd" rather than the number; keeps the fd in VAR. */
#define CHECKFD(var, what, call) do { errno = 0; var = (int)(call); if (var >= 0) printf("%-44s fd\n", what); \
        else show(what, -1, errno); } while (0)

static void line(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(const char *what, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("%-44s ", what);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static const char *ftype(mode_t m) {
    switch (m & S_IFMT) {
    case S_IFREG: return "reg";
    case S_IFDIR: return "dir";
    case S_IFLNK: return "lnk";
    case S_IFCHR: return "chr";
    case S_IFBLK: return "blk";
    case S_IFIFO: return "fifo";
    case S_IFSOCK: return "sock";
    }
    return "?";
}

/* The stable parts of a struct stat. */
static void showstat(const char *what, long r, const struct stat *st) {
    if (r != 0) {
        show(what, r, errno);
        return;
    }
    if (S_ISDIR(st->st_mode))
        line(what, "%s mode=%04o nlink=%lu uid=%u gid=%u", ftype(st->st_mode), st->st_mode & 07777,
             (unsigned long)st->st_nlink, st->st_uid, st->st_gid);
    else
        line(what, "%s mode=%04o nlink=%lu uid=%u gid=%u size=%lld", ftype(st->st_mode), st->st_mode & 07777,
             (unsigned long)st->st_nlink, st->st_uid, st->st_gid, (long long)st->st_size);
}

#define STAT(what, call) do { struct stat st_; memset(&st_, 0, sizeof st_); errno = 0; \
        long r_ = (long)(call); showstat(what, r_, &st_); } while (0)

static void writefile(const char *path, const char *s) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s)) {
        printf("setup: cannot write %s: %s\n", path, ename(errno));
        exit(2);
    }
    close(fd);
}

/* The whole file as a printable string (non-printing bytes as \ooo). */
static void showfile(const char *what, const char *path) {
    char buf[512], out[2048];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        show(what, -1, errno);
        return;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    size_t o = 0;
    for (ssize_t i = 0; i < n && o < sizeof out - 8; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127 && c != '\\')
            out[o++] = c;
        else
            o += snprintf(out + o, sizeof out - o, "\\%03o", c);
    }
    out[o] = 0;
    line(what, "%zd \"%s\"", n, out);
}

static void showbuf(const char *what, long n, const char *buf) {
    if (n < 0) {
        show(what, -1, errno);
        return;
    }
    char out[1024];
    size_t o = 0;
    for (long i = 0; i < n && o < sizeof out - 8; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127 && c != '\\')
            out[o++] = c;
        else
            o += snprintf(out + o, sizeof out - o, "\\%03o", c);
    }
    out[o] = 0;
    line(what, "%ld \"%s\"", n, out);
}

static int cmpstr(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* getdents64 of a directory, sorted, with d_type. */
static void listdir(const char *what, const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        show(what, -1, errno);
        return;
    }
    char buf[4096];
    char *names[256];
    int count = 0;
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n < 0) {
            show(what, -1, errno);
            close(fd);
            return;
        }
        if (n == 0)
            break;
        for (long off = 0; off < n;) {
            struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; } *d = (void *)(buf + off);
            char *s = malloc(strlen(d->name) + 8);
            const char *t = d->type == DT_DIR ? "/" : d->type == DT_LNK ? "@" : d->type == DT_REG ? "" : "?";
            sprintf(s, "%s%s", d->name, t);
            if (count < 256)
                names[count++] = s;
            off += d->reclen;
        }
    }
    close(fd);
    qsort(names, count, sizeof names[0], cmpstr);
    char out[2048] = "";
    for (int i = 0; i < count; i++) {
        strcat(out, i ? " " : "");
        strcat(out, names[i]);
        free(names[i]);
    }
    line(what, "%d [%s]", count, out);
}

static long fsize(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc != 2) {
        fprintf(stderr, "usage: files SCRATCH_DIR\n");
        return 2;
    }
    const char *base = argv[1];
    char buf[16384];
    int fd, fd2, fd3;
    umask(022);

    /* ---- the scratch directory ---- */
    CHECK("mkdir(D, 0755)", syscall(SYS_mkdir, base, 0755));
    CHECK("mkdir(D, 0755) again", syscall(SYS_mkdir, base, 0755));
    CHECK("chdir(D)", syscall(SYS_chdir, base));
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) {
        printf("getcwd failed: %s\n", ename(errno));
        return 1;
    }
    int dirfd;
    CHECKFD(dirfd, "open(D, O_DIRECTORY)", open(".", O_RDONLY | O_DIRECTORY));

    /* ---- open, openat, openat2, creat ---- */
    CHECKFD(fd, "open(a, O_CREAT|O_EXCL|O_RDWR, 0644)", syscall(SYS_open, "a", O_CREAT | O_EXCL | O_RDWR, 0644));
    CHECK("write(a, \"hello world\")", write(fd, "hello world", 11));
    CHECK("close(a)", syscall(SYS_close, fd));
    CHECK("close(a) again", syscall(SYS_close, fd));
    CHECK("open(a, O_CREAT|O_EXCL)", syscall(SYS_open, "a", O_CREAT | O_EXCL | O_RDWR, 0644));
    CHECK("openat(D, a, O_CREAT|O_EXCL)", syscall(SYS_openat, dirfd, "a", O_CREAT | O_EXCL | O_WRONLY, 0644));
    struct { uint64_t flags, mode, resolve; } how = {O_CREAT | O_EXCL | O_WRONLY, 0644, 0};
    CHECK("openat2(D, a, O_CREAT|O_EXCL)", syscall(SYS_openat2, dirfd, "a", &how, sizeof how));
    how.flags = O_CREAT | O_RDWR;
    CHECKFD(fd, "openat2(D, b, O_CREAT|O_RDWR)", syscall(SYS_openat2, dirfd, "b", &how, sizeof how));
    CHECK("write(b, \"bbb\")", write(fd, "bbb", 3));
    close(fd);
    how.flags = O_RDONLY;
    how.mode = 0644;
    CHECK("openat2(O_RDONLY, mode 0644)", syscall(SYS_openat2, dirfd, "b", &how, sizeof how));
    how.mode = 0;
    CHECK("openat2(size 8)", syscall(SYS_openat2, dirfd, "b", &how, 8));
    CHECKFD(fd, "openat(D, a, O_RDONLY)", syscall(SYS_openat, dirfd, "a", O_RDONLY));
    CHECK("read(a, 100)", read(fd, buf, 100));
    CHECK("write(a opened O_RDONLY)", write(fd, "x", 1));
    close(fd);
    CHECKFD(fd, "creat(c, 0600)", syscall(SYS_creat, "c", 0600));
    CHECK("write(c, \"0123456789\")", write(fd, "0123456789", 10));
    CHECK("read(c opened by creat)", read(fd, buf, 10));
    close(fd);
    CHECKFD(fd, "creat(c) again (truncates)", syscall(SYS_creat, "c", 0600));
    close(fd);
    CHECK("size of c", fsize("c"));
    writefile("t", "some content");
    CHECKFD(fd, "open(t, O_WRONLY|O_TRUNC)", syscall(SYS_open, "t", O_WRONLY | O_TRUNC));
    close(fd);
    CHECK("size of t after O_TRUNC", fsize("t"));
    writefile("t", "some content");
    CHECKFD(fd, "open(t, O_RDONLY|O_TRUNC)", syscall(SYS_open, "t", O_RDONLY | O_TRUNC));
    close(fd);
    CHECK("size of t after O_RDONLY|O_TRUNC", fsize("t"));
    CHECKFD(fd, "open(t, O_WRONLY|O_APPEND)", syscall(SYS_open, "t", O_WRONLY | O_APPEND));
    CHECK("lseek(t, 0, SEEK_SET)", lseek(fd, 0, SEEK_SET));
    CHECK("write(t, \"+more\") with O_APPEND", write(fd, "+more", 5));
    CHECK("lseek(t, 0, SEEK_CUR) after append", lseek(fd, 0, SEEK_CUR));
    close(fd);
    showfile("contents of t", "t");
    CHECK("open(a, O_DIRECTORY)", syscall(SYS_open, "a", O_RDONLY | O_DIRECTORY));
    CHECK("open(missing, O_RDONLY)", syscall(SYS_open, "missing", O_RDONLY));
    CHECK("open(D, O_WRONLY)", syscall(SYS_open, ".", O_WRONLY));
    CHECK("open(newdir/, O_CREAT)", syscall(SYS_open, "newdir/", O_CREAT | O_WRONLY, 0644));
    CHECK("open(a/, O_RDONLY)", syscall(SYS_open, "a/", O_RDONLY));
    CHECK("symlink(a, sl)", syscall(SYS_symlink, "a", "sl"));
    CHECK("open(sl, O_NOFOLLOW)", syscall(SYS_open, "sl", O_RDONLY | O_NOFOLLOW));
    CHECKFD(fd, "open(sl, O_RDONLY) follows", syscall(SYS_open, "sl", O_RDONLY));
    CHECK("read(via sl)", read(fd, buf, 100));
    close(fd);
    CHECKFD(fd, "open(sl, O_PATH|O_NOFOLLOW)", syscall(SYS_open, "sl", O_PATH | O_NOFOLLOW));
    CHECK("read(O_PATH fd)", read(fd, buf, 1));
    close(fd);
    CHECK("symlink(nowhere, dangling)", syscall(SYS_symlink, "nowhere", "dangling"));
    CHECK("open(dangling, O_RDONLY)", syscall(SYS_open, "dangling", O_RDONLY));
    CHECKFD(fd, "open(dangling, O_CREAT) creates target", syscall(SYS_open, "dangling", O_CREAT | O_WRONLY, 0644));
    close(fd);
    CHECK("access(nowhere, F_OK)", syscall(SYS_access, "nowhere", F_OK));
    CHECK("open(dangling, O_CREAT|O_EXCL)", syscall(SYS_open, "dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));
    CHECK("unlink(nowhere)", syscall(SYS_unlink, "nowhere"));
    CHECK("unlink(dangling)", syscall(SYS_unlink, "dangling"));

    /* ---- read, write, vectors, offsets ---- */
    CHECKFD(fd, "open(rw, O_CREAT|O_RDWR)", open("rw", O_CREAT | O_RDWR, 0644));
    CHECK("write(rw, 26 letters)", write(fd, "abcdefghijklmnopqrstuvwxyz", 26));
    CHECK("lseek(rw, 0, SEEK_CUR)", lseek(fd, 0, SEEK_CUR));
    CHECK("read(rw) at EOF", read(fd, buf, 10));
    CHECK("lseek(rw, 3, SEEK_SET)", lseek(fd, 3, SEEK_SET));
    memset(buf, 0, sizeof buf);
    showbuf("read(rw, 5) at 3", read(fd, buf, 5), buf);
    CHECK("lseek(rw, 2, SEEK_CUR)", lseek(fd, 2, SEEK_CUR));
    showbuf("read(rw, 3) at 10", read(fd, buf, 3), buf);
    CHECK("lseek(rw, -4, SEEK_END)", lseek(fd, -4, SEEK_END));
    showbuf("read(rw, 10) at 22", read(fd, buf, 10), buf);
    CHECK("lseek(rw, -100, SEEK_CUR)", lseek(fd, -100, SEEK_CUR));
    CHECK("lseek(rw, 0, 99)", lseek(fd, 0, 99));
    showbuf("pread(rw, 4, 20)", pread(fd, buf, 4, 20), buf);
    CHECK("pread(rw, 4, 100) beyond EOF", pread(fd, buf, 4, 100));
    CHECK("pread(rw, 4, -1)", pread(fd, buf, 4, -1));
    CHECK("pwrite(rw, \"XY\", 2, 1)", pwrite(fd, "XY", 2, 1));
    CHECK("lseek(rw, 0, SEEK_CUR) unchanged by p*", lseek(fd, 0, SEEK_CUR));
    {
        char a[4], b[5], c[30];
        struct iovec iov[3] = {{a, 4}, {b, 5}, {c, 30}};
        lseek(fd, 0, SEEK_SET);
        long n = readv(fd, iov, 3);
        line("readv(rw, 4+5+30)", "%ld \"%.4s\" \"%.5s\" \"%.*s\"", n, a, b, (int)(n > 9 ? n - 9 : 0), c);
        struct iovec w[3] = {{"11", 2}, {"", 0}, {"333", 3}};
        CHECK("writev(rw, 2+0+3) at EOF", writev(fd, w, 3));
        CHECK("size of rw", fsize("rw"));
        char p[3], q[3];
        struct iovec pv[2] = {{p, 3}, {q, 3}};
        long m = preadv(fd, pv, 2, 24);
        line("preadv(rw, 3+3, 24)", "%ld \"%.3s\" \"%.*s\"", m, p, (int)(m > 3 ? m - 3 : 0), q);
        struct iovec pw[2] = {{"<<", 2}, {">>", 2}};
        CHECK("pwritev(rw, 2+2, 10)", pwritev(fd, pw, 2, 10));
        CHECK("readv(rw, iovcnt -1)", syscall(SYS_readv, fd, iov, (long)-1));
    }
    close(fd);
    showfile("contents of rw", "rw");
    CHECKFD(fd, "open(hole, O_CREAT|O_RDWR)", open("hole", O_CREAT | O_RDWR, 0644));
    CHECK("write(hole, \"start\")", write(fd, "start", 5));
    CHECK("lseek(hole, 10000, SEEK_SET) beyond EOF", lseek(fd, 10000, SEEK_SET));
    CHECK("size of hole before writing", fsize("hole"));
    CHECK("write(hole, \"end\") at 10000", write(fd, "end", 3));
    CHECK("size of hole", fsize("hole"));
    {
        memset(buf, 'x', sizeof buf);
        long n = pread(fd, buf, 10000, 4);
        int zeros = 0;
        for (long i = 1; i < n && buf[i] == 0; i++)
            zeros++;
        line("pread(hole, 10000, 4)", "%ld first=%c zeros=%d then=%.3s", n, buf[0], zeros, buf + 1 + zeros);
        CHECK("lseek(hole, 100, SEEK_END)", lseek(fd, 100, SEEK_END));
        CHECK("read(hole) past EOF", read(fd, buf, 10));
    }
    close(fd);

    /* ---- stat family ---- */
    STAT("stat(a)", syscall(SYS_stat, "a", &st_));
    STAT("stat(sl)", syscall(SYS_stat, "sl", &st_));
    STAT("lstat(sl)", syscall(SYS_lstat, "sl", &st_));
    STAT("stat(D)", syscall(SYS_stat, ".", &st_));
    STAT("stat(missing)", syscall(SYS_stat, "missing", &st_));
    STAT("stat(a/x) path through a file", syscall(SYS_stat, "a/x", &st_));
    STAT("stat(\"\")", syscall(SYS_stat, "", &st_));
    CHECKFD(fd, "open(a, O_RDONLY)", open("a", O_RDONLY));
    STAT("fstat(a)", syscall(SYS_fstat, fd, &st_));
    STAT("newfstatat(D, a, 0)", syscall(SYS_newfstatat, dirfd, "a", &st_, 0));
    STAT("newfstatat(D, sl, AT_SYMLINK_NOFOLLOW)", syscall(SYS_newfstatat, dirfd, "sl", &st_, AT_SYMLINK_NOFOLLOW));
    STAT("newfstatat(fd, \"\", AT_EMPTY_PATH)", syscall(SYS_newfstatat, fd, "", &st_, AT_EMPTY_PATH));
    STAT("newfstatat(fd, \"\", 0)", syscall(SYS_newfstatat, fd, "", &st_, 0));
    STAT("newfstatat(file fd, a, 0)", syscall(SYS_newfstatat, fd, "a", &st_, 0));
    STAT("newfstatat(D, a, bad flags)", syscall(SYS_newfstatat, dirfd, "a", &st_, 0x8));
    STAT("fstat(99)", syscall(SYS_fstat, 99, &st_));
    {
        struct statx sx;
        memset(&sx, 0, sizeof sx);
        errno = 0;
        long r = syscall(SYS_statx, dirfd, "a", 0, STATX_BASIC_STATS, &sx);
        if (r == 0)
            line("statx(D, a, BASIC_STATS)", "basic=%s %s mode=%04o nlink=%u size=%llu",
                 (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS ? "yes" : "no", ftype(sx.stx_mode),
                 sx.stx_mode & 07777, sx.stx_nlink, (unsigned long long)sx.stx_size);
        else
            show("statx(D, a, BASIC_STATS)", r, errno);
        r = syscall(SYS_statx, dirfd, "sl", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
        if (r == 0)
            line("statx(D, sl, AT_SYMLINK_NOFOLLOW)", "%s size=%llu", ftype(sx.stx_mode), (unsigned long long)sx.stx_size);
        else
            show("statx(D, sl, AT_SYMLINK_NOFOLLOW)", r, errno);
        r = syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx);
        if (r == 0)
            line("statx(fd, \"\", AT_EMPTY_PATH)", "%s size=%llu", ftype(sx.stx_mode), (unsigned long long)sx.stx_size);
        else
            show("statx(fd, \"\", AT_EMPTY_PATH)", r, errno);
        struct stat st;
        stat("a", &st);
        line("statx ino/times == stat's", "%s", sx.stx_ino == st.st_ino && sx.stx_mtime.tv_sec == st.st_mtim.tv_sec
             && sx.stx_mtime.tv_nsec == (uint32_t)st.st_mtim.tv_nsec && sx.stx_ctime.tv_sec == st.st_ctim.tv_sec
             && sx.stx_atime.tv_sec == st.st_atim.tv_sec && sx.stx_dev_major == major(st.st_dev)
             && sx.stx_dev_minor == minor(st.st_dev) ? "yes" : "no");
        CHECK("statx(D, missing)", syscall(SYS_statx, dirfd, "missing", 0, STATX_BASIC_STATS, &sx));
        CHECK("statx(D, a, bad flags)", syscall(SYS_statx, dirfd, "a", 0x8, STATX_BASIC_STATS, &sx));
    }
    close(fd);

    /* ---- directories ---- */
    CHECK("mkdir(d, 0777) [umask 022]", syscall(SYS_mkdir, "d", 0777));
    CHECK("mkdir(d) again", syscall(SYS_mkdir, "d", 0777));
    CHECK("mkdirat(D, d/e, 0700)", syscall(SYS_mkdirat, dirfd, "d/e", 0700));
    CHECK("mkdirat(D, d/e) again", syscall(SYS_mkdirat, dirfd, "d/e", 0700));
    CHECK("mkdir(missing/x)", syscall(SYS_mkdir, "missing/x", 0755));
    CHECK("mkdir(a/x) under a file", syscall(SYS_mkdir, "a/x", 0755));
    CHECK("mkdir(sl) over a symlink", syscall(SYS_mkdir, "sl", 0755));
    CHECK("mkdir(d/f/)", syscall(SYS_mkdir, "d/f/", 0755));
    writefile("d/file1", "1");
    writefile("d/file2", "22");
    CHECK("symlink(../a, d/link)", syscall(SYS_symlink, "../a", "d/link"));
    listdir("getdents64(d)", "d");
    listdir("getdents64(d/e) empty", "d/e");
    STAT("stat(d) nlink", syscall(SYS_stat, "d", &st_));
    STAT("stat(d/e) mode 0700", syscall(SYS_stat, "d/e", &st_));
    CHECKFD(fd, "open(a, O_RDONLY)", open("a", O_RDONLY));
    CHECK("getdents64(regular file)", syscall(SYS_getdents64, fd, buf, sizeof buf));
    close(fd);
    CHECK("getdents64(D, bufsize 1)", syscall(SYS_getdents64, dirfd, buf, 1));
    CHECK("read(D fd)", read(dirfd, buf, 10));
    CHECK("pread(D fd)", pread(dirfd, buf, 10, 0));
    CHECK("write(D fd)", write(dirfd, "x", 1));
    CHECK("getdents64(99)", syscall(SYS_getdents64, 99, buf, sizeof buf));
    CHECK("rmdir(d) not empty", syscall(SYS_rmdir, "d"));
    CHECK("rmdir(a) a file", syscall(SYS_rmdir, "a"));
    CHECK("rmdir(d/e/.)", syscall(SYS_rmdir, "d/e/."));
    CHECK("rmdir(missing)", syscall(SYS_rmdir, "missing"));
    CHECK("unlink(d) a directory", syscall(SYS_unlink, "d"));
    CHECK("unlinkat(D, d/e, 0) a directory", syscall(SYS_unlinkat, dirfd, "d/e", 0));
    CHECK("unlinkat(D, a, AT_REMOVEDIR) a file", syscall(SYS_unlinkat, dirfd, "a", AT_REMOVEDIR));
    CHECK("unlinkat(D, d/file2, 0)", syscall(SYS_unlinkat, dirfd, "d/file2", 0));
    CHECK("unlinkat(D, d/e, AT_REMOVEDIR)", syscall(SYS_unlinkat, dirfd, "d/e", AT_REMOVEDIR));
    STAT("stat(d) nlink after removals", syscall(SYS_stat, "d", &st_));
    listdir("getdents64(d) after removals", "d");

    /* ---- rename ---- */
    writefile("r1", "one");
    writefile("r2", "two");
    CHECK("rename(r1, r2) over a file", syscall(SYS_rename, "r1", "r2"));
    showfile("contents of r2", "r2");
    CHECK("access(r1) after rename", syscall(SYS_access, "r1", F_OK));
    CHECK("rename(missing, x)", syscall(SYS_rename, "missing", "x"));
    CHECK("mkdir(rd)", syscall(SYS_mkdir, "rd", 0755));
    CHECK("mkdir(rd/sub)", syscall(SYS_mkdir, "rd/sub", 0755));
    CHECK("rename(rd, rd/sub/x) into itself", syscall(SYS_rename, "rd", "rd/sub/x"));
    CHECK("rename(rd, rd/x) into itself", syscall(SYS_rename, "rd", "rd/x"));
    CHECK("rename(r2, rd) file over dir", syscall(SYS_rename, "r2", "rd"));
    CHECK("rename(rd, r2) dir over file", syscall(SYS_rename, "rd", "r2"));
    CHECK("rename(d, rd) dir over non-empty dir", syscall(SYS_rename, "d", "rd"));
    CHECK("rename(rd/sub, emptydir)", syscall(SYS_rename, "rd/sub", "emptydir"));
    CHECK("mkdir(rd/sub2)", syscall(SYS_mkdir, "rd/sub2", 0755));
    CHECK("rename(emptydir, rd/sub2) over empty dir", syscall(SYS_rename, "emptydir", "rd/sub2"));
    listdir("getdents64(rd)", "rd");
    listdir("getdents64(D) so far", ".");
    CHECK("rename(r2, r2) same", syscall(SYS_rename, "r2", "r2"));
    /* /dev/shm is another file system than the scratch directory (natively ext4 or tmpfs /tmp; in the sandbox tmpfs /tmp or the overlay). */
    CHECK("rename(r2, /dev/shm/...) across file systems", syscall(SYS_rename, "r2", "/dev/shm/jvisor-files-exdev"));
    CHECK("link(r2, /dev/shm/...) across file systems", syscall(SYS_link, "r2", "/dev/shm/jvisor-files-exdev"));
    writefile("r3", "three");
    CHECK("renameat2(r3, r2, NOREPLACE)", syscall(SYS_renameat2, dirfd, "r3", dirfd, "r2", RENAME_NOREPLACE));
    CHECK("renameat2(r3, r4, NOREPLACE)", syscall(SYS_renameat2, dirfd, "r3", dirfd, "r4", RENAME_NOREPLACE));
    CHECK("renameat2(r4, r5, flags 0x80)", syscall(SYS_renameat2, dirfd, "r4", dirfd, "r5", 0x80));
    CHECK("renameat(D, r4, D, rd/r4)", syscall(SYS_renameat, dirfd, "r4", dirfd, "rd/r4"));
    showfile("contents of rd/r4", "rd/r4");
    CHECKFD(fd, "open(rd/r4) then rename it", open("rd/r4", O_RDONLY));
    CHECK("rename(rd/r4, r6)", syscall(SYS_rename, "rd/r4", "r6"));
    showbuf("read(fd of renamed file)", read(fd, buf, 10), buf);
    close(fd);

    /* ---- links ---- */
    writefile("l1", "linked");
    CHECK("link(l1, l2)", syscall(SYS_link, "l1", "l2"));
    STAT("stat(l1) after link", syscall(SYS_stat, "l1", &st_));
    CHECK("link(l1, l2) again", syscall(SYS_link, "l1", "l2"));
    CHECK("link(d, dl) a directory", syscall(SYS_link, "d", "dl"));
    CHECK("link(missing, x)", syscall(SYS_link, "missing", "x"));
    CHECK("linkat(D, l1, D, l3, 0)", syscall(SYS_linkat, dirfd, "l1", dirfd, "l3", 0));
    STAT("stat(l2) after linkat", syscall(SYS_stat, "l2", &st_));
    CHECK("linkat(D, sl, D, sl2, 0) the link", syscall(SYS_linkat, dirfd, "sl", dirfd, "sl2", 0));
    STAT("lstat(sl2)", syscall(SYS_lstat, "sl2", &st_));
    CHECK("linkat(D, sl, D, sl3, AT_SYMLINK_FOLLOW)", syscall(SYS_linkat, dirfd, "sl", dirfd, "sl3", AT_SYMLINK_FOLLOW));
    STAT("lstat(sl3) the target", syscall(SYS_lstat, "sl3", &st_));
    CHECK("linkat(bad flags)", syscall(SYS_linkat, dirfd, "l1", dirfd, "l9", 0x8));
    CHECKFD(fd, "open(l2, O_WRONLY|O_APPEND)", open("l2", O_WRONLY | O_APPEND));
    CHECK("write(l2, \"!\")", write(fd, "!", 1));
    close(fd);
    showfile("contents of l1 (written via l2)", "l1");
    CHECK("unlink(l1)", syscall(SYS_unlink, "l1"));
    STAT("stat(l2) after unlink(l1)", syscall(SYS_stat, "l2", &st_));
    CHECK("unlink(sl3)", syscall(SYS_unlink, "sl3"));
    CHECK("unlink(sl2)", syscall(SYS_unlink, "sl2"));
    CHECKFD(fd, "open(l3) then unlink all names", open("l3", O_RDWR));
    CHECK("unlink(l2)", syscall(SYS_unlink, "l2"));
    CHECK("unlink(l3)", syscall(SYS_unlink, "l3"));
    STAT("fstat(unlinked file)", syscall(SYS_fstat, fd, &st_));
    CHECK("pwrite(unlinked file)", pwrite(fd, "?", 1, 0));
    showbuf("pread(unlinked file)", pread(fd, buf, 20, 0), buf);
    close(fd);

    /* ---- symlinks ---- */
    CHECK("symlink(a, sl) again", syscall(SYS_symlink, "a", "sl"));
    CHECK("symlink(\"\", empty)", syscall(SYS_symlink, "", "empty"));
    memset(buf, 0, sizeof buf);
    showbuf("readlink(sl)", syscall(SYS_readlink, "sl", buf, sizeof buf), buf);
    memset(buf, 0, sizeof buf);
    showbuf("readlink(sl, bufsize 1)", syscall(SYS_readlink, "sl", buf, 1), buf);
    CHECK("readlink(sl, bufsize 0)", syscall(SYS_readlink, "sl", buf, 0));
    CHECK("readlink(a) not a link", syscall(SYS_readlink, "a", buf, sizeof buf));
    CHECK("readlink(missing)", syscall(SYS_readlink, "missing", buf, sizeof buf));
    memset(buf, 0, sizeof buf);
    showbuf("readlinkat(D, d/link)", syscall(SYS_readlinkat, dirfd, "d/link", buf, sizeof buf), buf);
    CHECKFD(fd, "open(d/link) through ../a", open("d/link", O_RDONLY));
    showbuf("read(d/link)", read(fd, buf, 100), buf);
    close(fd);
    CHECK("symlink(loop2, loop1)", syscall(SYS_symlink, "loop2", "loop1"));
    CHECK("symlink(loop1, loop2)", syscall(SYS_symlink, "loop1", "loop2"));
    CHECK("open(loop1)", syscall(SYS_open, "loop1", O_RDONLY));
    CHECK("stat(loop1/x)", syscall(SYS_stat, "loop1/x", buf));
    STAT("lstat(loop1)", syscall(SYS_lstat, "loop1", &st_));
    CHECK("symlink(self, self)", syscall(SYS_symlink, "self", "self"));
    CHECK("open(self, O_CREAT)", syscall(SYS_open, "self", O_CREAT | O_WRONLY, 0644));
    CHECK("symlink(d, dsl)", syscall(SYS_symlink, "d", "dsl"));
    CHECKFD(fd, "open(dsl/file1) through a dir link", open("dsl/file1", O_RDONLY));
    close(fd);
    CHECK("open(dsl, O_NOFOLLOW|O_DIRECTORY)", syscall(SYS_open, "dsl", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
    CHECKFD(fd, "open(dsl/, O_NOFOLLOW|O_DIRECTORY)", syscall(SYS_open, "dsl/", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
    close(fd);
    CHECK("unlink(dsl/) trailing slash", syscall(SYS_unlink, "dsl/"));
    CHECK("rmdir(dsl) a link", syscall(SYS_rmdir, "dsl"));
    CHECK("open(a/b/c) path through a file", syscall(SYS_open, "a/b/c", O_RDONLY));
    CHECK("open(a/.) path through a file", syscall(SYS_open, "a/.", O_RDONLY));
    CHECK("open(sl/) link to a file, slash", syscall(SYS_open, "sl/", O_RDONLY));
    {
        char longname[300];
        memset(longname, 'n', 256);
        longname[256] = 0;
        CHECK("open(256-char name, O_CREAT)", syscall(SYS_open, longname, O_CREAT | O_WRONLY, 0644));
        CHECK("stat(256-char name)", syscall(SYS_stat, longname, buf));
        CHECK("mkdir(256-char name)", syscall(SYS_mkdir, longname, 0755));
        longname[255] = 0;
        CHECKFD(fd, "open(255-char name, O_CREAT)", syscall(SYS_open, longname, O_CREAT | O_WRONLY, 0644));
        close(fd);
        CHECK("unlink(255-char name)", syscall(SYS_unlink, longname));
        char *longpath = malloc(5000);
        memset(longpath, 0, 5000);
        for (int i = 0; i < 2500; i++)
            memcpy(longpath + 2 * i, "./", 2);
        longpath[4999] = 0;
        strcpy(longpath + 4990, "a");
        CHECK("stat(5000-byte path)", syscall(SYS_stat, longpath, buf));
        free(longpath);
    }

    /* ---- permissions, ownership, times ---- */
    writefile("p", "perm");
    STAT("stat(p) [umask 022, 0644]", syscall(SYS_stat, "p", &st_));
    CHECK("chmod(p, 04751)", syscall(SYS_chmod, "p", 04751));
    STAT("stat(p) after chmod", syscall(SYS_stat, "p", &st_));
    CHECKFD(fd, "open(p, O_RDONLY)", open("p", O_RDONLY));
    CHECK("fchmod(p, 0600)", syscall(SYS_fchmod, fd, 0600));
    STAT("fstat(p) after fchmod", syscall(SYS_fstat, fd, &st_));
    CHECK("fchmodat(D, p, 0640, 0)", syscall(SYS_fchmodat, dirfd, "p", 0640));
    STAT("stat(p) after fchmodat", syscall(SYS_stat, "p", &st_));
    CHECK("chown(p, 1234, 5678)", syscall(SYS_chown, "p", 1234, 5678));
    STAT("stat(p) after chown", syscall(SYS_stat, "p", &st_));
    CHECK("fchown(p, -1, 42)", syscall(SYS_fchown, fd, -1, 42));
    STAT("stat(p) after fchown(-1, 42)", syscall(SYS_stat, "p", &st_));
    CHECK("lchown(sl, 7, 8)", syscall(SYS_lchown, "sl", 7, 8));
    STAT("lstat(sl) after lchown", syscall(SYS_lstat, "sl", &st_));
    STAT("stat(sl) after lchown (target)", syscall(SYS_stat, "sl", &st_));
    CHECK("fchownat(D, p, 0, 0, 0)", syscall(SYS_fchownat, dirfd, "p", 0, 0, 0));
    STAT("stat(p) after fchownat", syscall(SYS_stat, "p", &st_));
    CHECK("chmod(missing)", syscall(SYS_chmod, "missing", 0644));
    close(fd);
    {
        struct timespec ts[2] = {{1000000000, 123456789}, {1234567890, 987654321}};
        CHECK("utimensat(D, p, {atime, mtime}, 0)", syscall(SYS_utimensat, dirfd, "p", ts, 0));
        struct stat st;
        stat("p", &st);
        line("stat(p) times", "atime=%ld.%09ld mtime=%ld.%09ld", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
             (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        struct timespec omit[2] = {{5, UTIME_OMIT}, {1500000000, 5}};
        CHECK("utimensat(p, {OMIT, t})", syscall(SYS_utimensat, dirfd, "p", omit, 0));
        stat("p", &st);
        line("stat(p) times after OMIT", "atime=%ld.%09ld mtime=%ld.%09ld", (long)st.st_atim.tv_sec,
             st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
        time_t before = time(NULL);
        CHECK("utimensat(p, {NOW, NOW})", syscall(SYS_utimensat, dirfd, "p", now, 0));
        stat("p", &st);
        line("mtime after NOW is now", "%s", st.st_mtim.tv_sec >= before && st.st_mtim.tv_sec <= time(NULL) + 1 ? "yes" : "no");
        struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
        CHECK("utimensat(p, nsec 1e9)", syscall(SYS_utimensat, dirfd, "p", bad, 0));
        CHECK("utimensat(sl, AT_SYMLINK_NOFOLLOW)", syscall(SYS_utimensat, dirfd, "sl", ts, AT_SYMLINK_NOFOLLOW));
        struct stat ls;
        lstat("sl", &ls);
        line("lstat(sl) mtime", "%ld.%09ld", (long)ls.st_mtim.tv_sec, ls.st_mtim.tv_nsec);
        CHECK("utimensat(D, missing)", syscall(SYS_utimensat, dirfd, "missing", ts, 0));
    }

    /* ---- truncate, ftruncate, fallocate ---- */
    writefile("tr", "0123456789");
    CHECK("truncate(tr, 4)", syscall(SYS_truncate, "tr", 4));
    showfile("contents of tr", "tr");
    CHECK("truncate(tr, 8) grow", syscall(SYS_truncate, "tr", 8));
    showfile("contents of tr", "tr");
    CHECK("truncate(tr, -1)", syscall(SYS_truncate, "tr", (long)-1));
    CHECK("truncate(d) a directory", syscall(SYS_truncate, "d", 0));
    CHECK("truncate(missing)", syscall(SYS_truncate, "missing", 0));
    CHECKFD(fd, "open(tr, O_RDWR)", open("tr", O_RDWR));
    CHECK("ftruncate(tr, 20000) grow", syscall(SYS_ftruncate, fd, 20000));
    CHECK("size of tr", fsize("tr"));
    CHECK("ftruncate(tr, 2) shrink", syscall(SYS_ftruncate, fd, 2));
    CHECK("ftruncate(tr, 6) grow", syscall(SYS_ftruncate, fd, 6));
    showfile("contents of tr", "tr");
    CHECK("fallocate(tr, 0, 0, 100)", syscall(SYS_fallocate, fd, 0, 0, 100));
    CHECK("size of tr after fallocate", fsize("tr"));
    CHECK("fallocate(tr, KEEP_SIZE, 0, 1000)", syscall(SYS_fallocate, fd, FALLOC_FL_KEEP_SIZE, 0, 1000));
    CHECK("size of tr after KEEP_SIZE", fsize("tr"));
    CHECK("fallocate(tr, 0, 0, 0)", syscall(SYS_fallocate, fd, 0, 0, 0));
    CHECK("fallocate(tr, 0, -1, 10)", syscall(SYS_fallocate, fd, 0, (long)-1, 10));
    CHECK("fsync(tr)", syscall(SYS_fsync, fd));
    CHECK("fdatasync(tr)", syscall(SYS_fdatasync, fd));
    CHECK("fsync(99)", syscall(SYS_fsync, 99));
    close(fd);
    CHECKFD(fd, "open(tr, O_RDONLY)", open("tr", O_RDONLY));
    CHECK("ftruncate(O_RDONLY fd)", syscall(SYS_ftruncate, fd, 0));
    CHECK("fallocate(O_RDONLY fd)", syscall(SYS_fallocate, fd, 0, 0, 10));
    close(fd);
    CHECK("ftruncate(D fd) a directory", syscall(SYS_ftruncate, dirfd, 0));

    /* ---- access, statfs ---- */
    writefile("ac", "x");
    chmod("ac", 0644);
    CHECK("access(ac, R_OK|W_OK)", syscall(SYS_access, "ac", R_OK | W_OK));
    CHECK("access(ac, X_OK) 0644 as root", syscall(SYS_access, "ac", X_OK));
    chmod("ac", 0100);
    CHECK("access(ac, X_OK) 0100 as root", syscall(SYS_access, "ac", X_OK));
    CHECK("access(missing, F_OK)", syscall(SYS_access, "missing", F_OK));
    CHECK("access(ac, 8) bad mode", syscall(SYS_access, "ac", 8));
    CHECK("faccessat(D, ac, R_OK, 0)", syscall(SYS_faccessat, dirfd, "ac", R_OK));
    CHECK("faccessat2(D, ac, X_OK, AT_EACCESS)", syscall(SYS_faccessat2, dirfd, "ac", X_OK, AT_EACCESS));
    CHECK("faccessat(D, a/x, F_OK)", syscall(SYS_faccessat, dirfd, "a/x", F_OK));
    {
        struct statfs sf;
        errno = 0;
        long r = syscall(SYS_statfs, ".", &sf);
        if (r == 0)
            line("statfs(D)", "bsize>0=%s namelen=%ld blocks>=bfree=%s", sf.f_bsize > 0 ? "yes" : "no",
                 (long)sf.f_namelen, sf.f_blocks >= sf.f_bfree ? "yes" : "no");
        else
            show("statfs(D)", r, errno);
        struct statfs sf2;
        r = syscall(SYS_fstatfs, dirfd, &sf2);
        line("fstatfs(D) same type as statfs", "%ld %s", r, r == 0 && sf2.f_type == sf.f_type ? "yes" : "no");
        CHECK("statfs(missing)", syscall(SYS_statfs, "missing", &sf));
    }

    /* ---- working directory, umask ---- */
    CHECK("chdir(d)", syscall(SYS_chdir, "d"));
    {
        char c[PATH_MAX];
        long r = syscall(SYS_getcwd, c, sizeof c);
        size_t bl = strlen(cwd);
        line("getcwd() in d", "%s", r > 0 && strncmp(c, cwd, bl) == 0 ? c + bl : "(wrong)");
        CHECK("getcwd(buf, 2)", syscall(SYS_getcwd, c, 2));
        CHECK("fchdir(D)", syscall(SYS_fchdir, dirfd));
        r = syscall(SYS_getcwd, c, sizeof c);
        line("getcwd() after fchdir(D)", "%s", r > 0 && strcmp(c, cwd) == 0 ? "D" : "(wrong)");
        CHECK("chdir(a) a file", syscall(SYS_chdir, "a"));
        CHECK("chdir(missing)", syscall(SYS_chdir, "missing"));
        CHECKFD(fd, "open(a, O_RDONLY)", open("a", O_RDONLY));
        CHECK("fchdir(file fd)", syscall(SYS_fchdir, fd));
        close(fd);
        CHECK("chdir(dsl) via a symlink", syscall(SYS_chdir, "dsl"));
        r = syscall(SYS_getcwd, c, sizeof c);
        line("getcwd() after chdir(dsl)", "%s", r > 0 && strncmp(c, cwd, bl) == 0 ? c + bl : "(wrong)");
        CHECK("chdir(..)", syscall(SYS_chdir, ".."));
    }
    CHECK("umask(077) returns old", syscall(SYS_umask, 077));
    CHECKFD(fd, "open(um, O_CREAT, 0666) [umask 077]", open("um", O_CREAT | O_WRONLY, 0666));
    close(fd);
    CHECK("mkdir(umd, 0777) [umask 077]", syscall(SYS_mkdir, "umd", 0777));
    STAT("stat(um)", syscall(SYS_stat, "um", &st_));
    STAT("stat(umd)", syscall(SYS_stat, "umd", &st_));
    CHECK("umask(0) returns old", syscall(SYS_umask, 0));
    CHECKFD(fd, "open(um0, O_CREAT, 0666) [umask 0]", open("um0", O_CREAT | O_WRONLY, 0666));
    close(fd);
    STAT("stat(um0)", syscall(SYS_stat, "um0", &st_));
    CHECK("umask(022) returns old", syscall(SYS_umask, 022));

    /* ---- fd table: dup, dup2, dup3, fcntl, close_range ---- */
    CHECKFD(fd, "open(a, O_RDONLY)", open("a", O_RDONLY));
    CHECKFD(fd2, "open(b, O_RDONLY)", open("b", O_RDONLY));
    close(fd);
    CHECKFD(fd3, "dup(b)", syscall(SYS_dup, fd2));
    line("dup takes the lowest free fd", "%s", fd3 == fd ? "yes" : "no");
    lseek(fd2, 1, SEEK_SET);
    CHECK("dup shares the offset", lseek(fd3, 0, SEEK_CUR));
    CHECK("fcntl(dup, F_GETFD)", syscall(SYS_fcntl, fd3, F_GETFD));
    CHECK("dup2(b, 50)", syscall(SYS_dup2, fd2, 50) == 50 ? 50 : -1);
    CHECK("dup2(b, 50) onto itself", syscall(SYS_dup2, 50, 50));
    CHECK("dup2(99, 50)", syscall(SYS_dup2, 99, 50));
    CHECK("dup3(b, 51, O_CLOEXEC)", syscall(SYS_dup3, fd2, 51, O_CLOEXEC));
    CHECK("fcntl(51, F_GETFD)", syscall(SYS_fcntl, 51, F_GETFD));
    CHECK("dup3(51, 51, 0)", syscall(SYS_dup3, 51, 51, 0));
    CHECK("fcntl(b, F_DUPFD_CLOEXEC, 60)", syscall(SYS_fcntl, fd2, F_DUPFD_CLOEXEC, 60));
    CHECK("fcntl(60, F_GETFD)", syscall(SYS_fcntl, 60, F_GETFD));
    CHECK("fcntl(b, F_DUPFD, 60) next free", syscall(SYS_fcntl, fd2, F_DUPFD, 60));
    CHECK("fcntl(61, F_SETFD, FD_CLOEXEC)", syscall(SYS_fcntl, 61, F_SETFD, FD_CLOEXEC));
    CHECK("fcntl(61, F_GETFD)", syscall(SYS_fcntl, 61, F_GETFD));
    CHECK("fcntl(b, F_GETFL) & O_ACCMODE", syscall(SYS_fcntl, fd2, F_GETFL) & O_ACCMODE);
    CHECK("close_range(50, 59, 0)", syscall(SYS_close_range, 50, 59, 0));
    CHECK("fcntl(50, F_GETFD) after close_range", syscall(SYS_fcntl, 50, F_GETFD));
    CHECK("fcntl(51, F_GETFD) after close_range", syscall(SYS_fcntl, 51, F_GETFD));
    CHECK("fcntl(60, F_GETFD) outside the range", syscall(SYS_fcntl, 60, F_GETFD));
    CHECK("close_range(60, ~0, CLOSE_RANGE_CLOEXEC)", syscall(SYS_close_range, 60, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */));
    CHECK("fcntl(61, F_GETFD) marked", syscall(SYS_fcntl, 61, F_GETFD));
    CHECK("close_range(60, ~0, 0)", syscall(SYS_close_range, 60, ~0U, 0));
    CHECK("fcntl(61, F_GETFD) closed", syscall(SYS_fcntl, 61, F_GETFD));
    CHECK("close_range(10, 5, 0)", syscall(SYS_close_range, 10, 5, 0));
    close(fd2);
    close(fd3);
    writefile("ap", "base");
    CHECKFD(fd, "open(ap, O_WRONLY)", open("ap", O_WRONLY));
    CHECK("fcntl(ap, F_SETFL, O_APPEND)", syscall(SYS_fcntl, fd, F_SETFL, O_APPEND));
    CHECK("fcntl(ap, F_GETFL) & (O_APPEND|O_ACCMODE)", syscall(SYS_fcntl, fd, F_GETFL) & (O_APPEND | O_ACCMODE));
    CHECK("write(ap, \"+x\") appends", write(fd, "+x", 2));
    CHECK("fcntl(ap, F_SETFL, O_RDWR) access mode kept", syscall(SYS_fcntl, fd, F_SETFL, O_RDWR));
    CHECK("fcntl(ap, F_GETFL) & (O_APPEND|O_ACCMODE)", syscall(SYS_fcntl, fd, F_GETFL) & (O_APPEND | O_ACCMODE));
    CHECK("write(ap, \"Z\") at offset 0", pwrite(fd, "Z", 1, 0));
    close(fd);
    showfile("contents of ap", "ap");

    /* ---- locks ---- */
    CHECKFD(fd, "open(ap, O_RDWR)", open("ap", O_RDWR));
    CHECK("flock(ap, LOCK_EX)", syscall(SYS_flock, fd, LOCK_EX));
    CHECK("flock(ap, LOCK_SH|LOCK_NB)", syscall(SYS_flock, fd, LOCK_SH | LOCK_NB));
    CHECK("flock(ap, LOCK_UN)", syscall(SYS_flock, fd, LOCK_UN));
    CHECK("flock(ap, 0) bad op", syscall(SYS_flock, fd, 0));
    CHECK("flock(99, LOCK_EX)", syscall(SYS_flock, 99, LOCK_EX));
    {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
        CHECK("fcntl(ap, F_SETLK, F_WRLCK)", syscall(SYS_fcntl, fd, F_SETLK, &fl));
        fl.l_type = F_RDLCK;
        CHECK("fcntl(ap, F_GETLK, F_RDLCK) own lock", syscall(SYS_fcntl, fd, F_GETLK, &fl));
        line("F_GETLK l_type", "%s", fl.l_type == F_UNLCK ? "F_UNLCK" : "locked");
        fl.l_type = F_UNLCK;
        CHECK("fcntl(ap, F_SETLK, F_UNLCK)", syscall(SYS_fcntl, fd, F_SETLK, &fl));
        fl.l_type = 42;
        CHECK("fcntl(ap, F_SETLK, type 42)", syscall(SYS_fcntl, fd, F_SETLK, &fl));
        /* Locks of two open file descriptions of one file conflict (flock and OFD locks belong to the description). */
        int other;
        CHECKFD(other, "open(ap, O_RDWR) a second description", open("ap", O_RDWR));
        CHECK("flock(ap 1, LOCK_EX)", syscall(SYS_flock, fd, LOCK_EX));
        CHECK("flock(ap 2, LOCK_EX|LOCK_NB) conflicts", syscall(SYS_flock, other, LOCK_EX | LOCK_NB));
        CHECK("flock(ap 2, LOCK_SH|LOCK_NB) conflicts", syscall(SYS_flock, other, LOCK_SH | LOCK_NB));
        CHECK("flock(ap 1, LOCK_SH) downgrade", syscall(SYS_flock, fd, LOCK_SH));
        CHECK("flock(ap 2, LOCK_SH|LOCK_NB) shares", syscall(SYS_flock, other, LOCK_SH | LOCK_NB));
        CHECK("flock(ap 1, LOCK_EX|LOCK_NB) upgrade blocked", syscall(SYS_flock, fd, LOCK_EX | LOCK_NB));
        CHECK("close(ap 2) drops its lock", syscall(SYS_close, other));
        CHECK("flock(ap 1, LOCK_EX|LOCK_NB) upgrade", syscall(SYS_flock, fd, LOCK_EX | LOCK_NB));
        CHECK("flock(ap 1, LOCK_UN)", syscall(SYS_flock, fd, LOCK_UN));
        CHECKFD(other, "open(ap, O_RDWR) a third description", open("ap", O_RDWR));
        struct flock ofd = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100};
        CHECK("fcntl(ap 1, F_OFD_SETLK, F_WRLCK 0-99)", syscall(SYS_fcntl, fd, F_OFD_SETLK, &ofd));
        ofd.l_start = 50;
        CHECK("fcntl(ap 3, F_OFD_SETLK, F_WRLCK 50-149)", syscall(SYS_fcntl, other, F_OFD_SETLK, &ofd));
        ofd.l_start = 100;
        CHECK("fcntl(ap 3, F_OFD_SETLK, F_WRLCK 100-199)", syscall(SYS_fcntl, other, F_OFD_SETLK, &ofd));
        ofd.l_type = F_RDLCK;
        ofd.l_start = 0;
        ofd.l_pid = 0;
        CHECK("fcntl(ap 3, F_OFD_GETLK, F_RDLCK 0-99)", syscall(SYS_fcntl, other, F_OFD_GETLK, &ofd));
        line("F_OFD_GETLK finds", "type=%s start=%ld len=%ld pid=%d", ofd.l_type == F_WRLCK ? "F_WRLCK" : ofd.l_type == F_UNLCK
             ? "F_UNLCK" : "other", (long)ofd.l_start, (long)ofd.l_len, ofd.l_pid);
        close(other);
    }
    close(fd);

    /* ---- memfd, mmap ---- */
    {
        CHECKFD(fd, "memfd_create(\"test\", MFD_CLOEXEC)", syscall(SYS_memfd_create, "test", MFD_CLOEXEC));
        CHECK("fcntl(memfd, F_GETFD)", syscall(SYS_fcntl, fd, F_GETFD));
        {
            char link[64], target[256];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            memset(target, 0, sizeof target);
            showbuf("readlink(/proc/self/fd/MEMFD)", syscall(SYS_readlink, link, target, sizeof target - 1), target);
        }
        CHECK("write(memfd, \"memfd data\")", write(fd, "memfd data", 10));
        CHECK("ftruncate(memfd, 8192)", syscall(SYS_ftruncate, fd, 8192));
        char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        line("mmap(memfd, MAP_SHARED)", "%s", m == MAP_FAILED ? ename(errno) : "ok");
        if (m != MAP_FAILED) {
            line("memfd mapping reads", "\"%.10s\"", m);
            memcpy(m + 6, "DATA", 4);
            memcpy(m + 4096, "page2", 5);
            memset(buf, 0, sizeof buf);
            showbuf("pread(memfd, 10, 0) after store", pread(fd, buf, 10, 0), buf);
            showbuf("pread(memfd, 5, 4096) after store", pread(fd, buf, 5, 4096), buf);
            CHECK("pwrite(memfd, \"MEM\", 0)", pwrite(fd, "MEM", 3, 0));
            line("mapping sees pwrite", "\"%.10s\"", m);
            munmap(m, 8192);
        }
        STAT("fstat(memfd)", syscall(SYS_fstat, fd, &st_));
        close(fd);
        CHECK("memfd_create(bad flags)", syscall(SYS_memfd_create, "x", 0x100));
    }
    {
        char data[8192];
        for (int i = 0; i < 8192; i++)
            data[i] = 'a' + i % 26;
        CHECKFD(fd, "open(mf, O_CREAT|O_RDWR)", open("mf", O_CREAT | O_RDWR, 0644));
        CHECK("write(mf, 6000 bytes)", write(fd, data, 6000));
        char *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
        line("mmap(mf, PROT_READ, MAP_PRIVATE)", "%s", m == MAP_FAILED ? ename(errno) : "ok");
        if (m != MAP_FAILED) {
            int zero = 1;
            for (int i = 6000; i < 8192; i++)
                zero &= m[i] == 0;
            line("private mapping", "start=\"%.5s\" at 4096=\"%.3s\" tail zero=%s", m, m + 4096, zero ? "yes" : "no");
            munmap(m, 8192);
        }
        m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            memcpy(m, "PRIVATE", 7);
            munmap(m, 4096);
        }
        showbuf("pread(mf, 7, 0) after private store", pread(fd, buf, 7, 0), buf);
        m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        line("mmap(mf, PROT_READ|PROT_WRITE, MAP_SHARED)", "%s", m == MAP_FAILED ? ename(errno) : "ok");
        if (m != MAP_FAILED) {
            memcpy(m + 10, "SHARED", 6);
            memcpy(m + 5000, "second", 6);
            CHECK("msync(MS_SYNC)", msync(m, 8192, MS_SYNC));
            lseek(fd, 10, SEEK_SET);
            showbuf("read(mf, 6) at 10 after shared store", read(fd, buf, 6), buf);
            showbuf("pread(mf, 6, 5000)", pread(fd, buf, 6, 5000), buf);
            CHECK("pwrite(mf, \"W\", 0)", pwrite(fd, "W", 1, 0));
            line("shared mapping sees pwrite", "%c", m[0]);
            munmap(m + 4096, 4096);
            CHECK("msync over an unmapped page", msync(m, 8192, MS_SYNC));
            munmap(m, 4096);
        }
        CHECK("size of mf", fsize("mf"));
        close(fd);
        CHECKFD(fd, "open(mf, O_RDONLY)", open("mf", O_RDONLY));
        m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        line("mmap(O_RDONLY fd, PROT_WRITE, MAP_SHARED)", "%s", m == MAP_FAILED ? ename(errno) : "ok");
        m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        line("mmap(O_RDONLY fd, PROT_WRITE, MAP_PRIVATE)", "%s", m == MAP_FAILED ? ename(errno) : "ok");
        if (m != MAP_FAILED)
            munmap(m, 4096);
        close(fd);
        m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dirfd, 0);
        line("mmap(directory fd)", "%s", m == MAP_FAILED ? ename(errno) : "ok");
        CHECKFD(fd, "open(mf, O_WRONLY)", open("mf", O_WRONLY));
        m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
        line("mmap(O_WRONLY fd)", "%s", m == MAP_FAILED ? ename(errno) : "ok");
        close(fd);
    }

    {
        /* A mapping outlives the file's last name and fd. */
        char page[4096];
        memset(page, 'A', sizeof page);
        CHECKFD(fd, "open(gone, O_CREAT|O_RDWR)", open("gone", O_CREAT | O_RDWR, 0644));
        CHECK("write(gone, 4096 x 'A')", write(fd, page, sizeof page));
        char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
        line("mmap(gone) shared and private", "%s", m == MAP_FAILED || p == MAP_FAILED ? ename(errno) : "ok");
        CHECK("unlink(gone)", syscall(SYS_unlink, "gone"));
        CHECK("close(gone)", syscall(SYS_close, fd));
        memset(page, 'B', sizeof page);
        for (int i = 0; i < 16; i++) {
            char name[16];
            snprintf(name, sizeof name, "filler%d", i);
            int f = open(name, O_CREAT | O_RDWR, 0644);
            write(f, page, sizeof page);
            close(f);
            unlink(name);
        }
        if (m != MAP_FAILED && p != MAP_FAILED) {
            m[100] = 'S';
            line("mappings of the unlinked, closed file", "shared=%c%c%c private=%c%c", m[0], m[100], m[4095], p[0], p[4095]);
            munmap(m, 4096);
            munmap(p, 4096);
        }
        CHECKFD(fd, "memfd_create(\"closed\", 0)", syscall(SYS_memfd_create, "closed", 0));
        CHECK("ftruncate(memfd, 4096)", syscall(SYS_ftruncate, fd, 4096));
        m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        CHECK("close(memfd) while mapped", syscall(SYS_close, fd));
        for (int i = 0; i < 16; i++) {
            int f = syscall(SYS_memfd_create, "filler", 0);
            write(f, page, sizeof page);
            close(f);
        }
        if (m != MAP_FAILED) {
            memcpy(m, "still here", 10);
            line("mapping of the closed memfd", "\"%.10s\" end=%d", m, m[4095]);
            munmap(m, 4096);
        }
    }

    /* ---- ioctl ---- */
    CHECKFD(fd, "open(rw, O_RDONLY)", open("rw", O_RDONLY));
    {
        int avail = -1;
        CHECK("ioctl(rw, FIONREAD)", syscall(SYS_ioctl, fd, FIONREAD, &avail));
        line("FIONREAD at offset 0", "%d", avail);
        lseek(fd, 10, SEEK_SET);
        syscall(SYS_ioctl, fd, FIONREAD, &avail);
        line("FIONREAD at offset 10", "%d", avail);
        CHECK("ioctl(rw, TCGETS)", syscall(SYS_ioctl, fd, TCGETS, buf));
    }
    close(fd);

    /* ---- "..", the root ---- */
    {
        struct stat r, rp, rpp, deep;
        stat("/", &r);
        stat("/..", &rp);
        stat("/../../..", &rpp);
        line("stat(\"/..\") == stat(\"/\")", "%s", r.st_dev == rp.st_dev && r.st_ino == rp.st_ino ? "yes" : "no");
        line("stat(\"/../../..\") == stat(\"/\")", "%s", r.st_dev == rpp.st_dev && r.st_ino == rpp.st_ino ? "yes" : "no");
        char up[4096] = "";
        for (int i = 0; i < 64; i++)
            strcat(up, "../");
        stat(up, &deep);
        line("stat(64 x \"../\") from D == stat(\"/\")", "%s", r.st_dev == deep.st_dev && r.st_ino == deep.st_ino ? "yes" : "no");
        CHECK("chdir(\"/..\")", syscall(SYS_chdir, "/.."));
        char c[PATH_MAX];
        syscall(SYS_getcwd, c, sizeof c);
        line("getcwd() after chdir(\"/..\")", "%s", c);
        CHECK("fchdir(D)", syscall(SYS_fchdir, dirfd));
    }

    /* ---- devices ---- */
    {
        CHECKFD(fd, "open(/dev/null, O_RDWR)", open("/dev/null", O_RDWR));
        CHECK("write(/dev/null, 5)", write(fd, "hello", 5));
        CHECK("read(/dev/null)", read(fd, buf, 10));
        CHECK("lseek(/dev/null, 100, SEEK_SET)", lseek(fd, 100, SEEK_SET));
        STAT("fstat(/dev/null)", syscall(SYS_fstat, fd, &st_));
        struct stat st;
        fstat(fd, &st);
        line("/dev/null rdev", "%u,%u", major(st.st_rdev), minor(st.st_rdev));
        close(fd);
        CHECKFD(fd, "open(/dev/zero, O_RDWR)", open("/dev/zero", O_RDWR));
        memset(buf, 'x', 100);
        long n = read(fd, buf, 100);
        int zero = 1;
        for (long i = 0; i < n; i++)
            zero &= buf[i] == 0;
        line("read(/dev/zero, 100)", "%ld all zero=%s", n, zero ? "yes" : "no");
        CHECK("write(/dev/zero, 5)", write(fd, "hello", 5));
        close(fd);
        CHECKFD(fd, "open(/dev/full, O_RDWR)", open("/dev/full", O_RDWR));
        CHECK("write(/dev/full, 5)", write(fd, "hello", 5));
        memset(buf, 'x', 100);
        n = read(fd, buf, 100);
        zero = 1;
        for (long i = 0; i < n; i++)
            zero &= buf[i] == 0;
        line("read(/dev/full, 100)", "%ld all zero=%s", n, zero ? "yes" : "no");
        fstat(fd, &st);
        line("/dev/full rdev", "%u,%u", major(st.st_rdev), minor(st.st_rdev));
        close(fd);
        CHECKFD(fd, "open(/dev/urandom, O_RDONLY)", open("/dev/urandom", O_RDONLY));
        CHECK("read(/dev/urandom, 64)", read(fd, buf, 64));
        close(fd);
        STAT("stat(/dev/zero)", syscall(SYS_stat, "/dev/zero", &st_));
        CHECK("open(/dev/nonexistent)", syscall(SYS_open, "/dev/nonexistent", O_RDONLY));
    }

    /* ---- final listing ---- */
    listdir("getdents64(D) at the end", ".");
    close(dirfd);
    printf("done\n");
    return 0;
}
