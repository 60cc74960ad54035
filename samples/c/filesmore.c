/* More file syscalls, with Linux's errnos: O_TMPFILE and linking it (AT_EMPTY_PATH, /proc/self/fd),
 * renameat2 (RENAME_EXCHANGE, RENAME_WHITEOUT, RENAME_NOREPLACE), mknod of devices, utime, utimes,
 * futimesat, the old getdents, preadv2/pwritev2 with their flags, readahead, sync_file_range.
 * Usage: filesmore [PARENT [tmpfile]] (PARENT: a directory on tmpfs, default /dev/shm; "tmpfile": only
 * the O_TMPFILE part, for file systems without whiteouts). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20
#endif

#define T(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s: %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerror(errno) : ""); } while (0)

static char dir[256];

static const char *P(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void put(const char *p, const char *s) {
    int f = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(f, s, strlen(s));
    close(f);
}

static void cat(const char *label, const char *p) {
    char buf[128] = {0};
    int f = open(p, O_RDONLY);
    ssize_t n = f < 0 ? -1 : read(f, buf, sizeof buf - 1);
    printf("%s: %s\n", label, n < 0 ? strerror(errno) : buf);
    if (f >= 0) close(f);
}

static void tmpfile_section(void) {
    printf("== O_TMPFILE\n");
    T("O_TMPFILE read-only", open(dir, O_TMPFILE | O_RDONLY, 0600));
    T("O_TMPFILE with O_CREAT", open(dir, O_TMPFILE | O_CREAT | O_RDWR, 0600));
    T("__O_TMPFILE without O_DIRECTORY", open(dir, (O_TMPFILE & ~O_DIRECTORY) | O_RDWR, 0600));
    put(P("plain"), "x");
    T("O_TMPFILE on a file", open(P("plain"), O_TMPFILE | O_RDWR, 0600));
    T("O_TMPFILE in a missing directory", open(P("missing"), O_TMPFILE | O_RDWR, 0600));
    T("O_TMPFILE in /proc", open("/proc", O_TMPFILE | O_RDWR, 0600));
    umask(022);
    int fd = open(dir, O_TMPFILE | O_RDWR, 0666);
    printf("O_TMPFILE: %s\n", fd >= 0 ? "ok" : strerror(errno));
    struct stat st;
    fstat(fd, &st);
    printf("nlink %lu mode %o size %lld\n", (unsigned long)st.st_nlink, st.st_mode & 07777, (long long)st.st_size);
    write(fd, "anonymous", 9);
    char link[64], target[512];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    printf("readlink ends with (deleted): %d, names a #: %d\n", n > 10 && strcmp(target + n - 10, " (deleted)") == 0,
           strchr(target, '#') != NULL);
    DIR *d = opendir(dir);
    int entries = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] != '.') entries++;
    closedir(d);
    printf("directory entries besides dot files: %d\n", entries);
    T("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, P("named"), AT_EMPTY_PATH));
    fstat(fd, &st);
    printf("nlink %lu\n", (unsigned long)st.st_nlink);
    cat("named", P("named"));
    T("linkat again to another name", linkat(fd, "", AT_FDCWD, P("named2"), AT_EMPTY_PATH));
    T("linkat onto an existing name", linkat(fd, "", AT_FDCWD, P("named"), AT_EMPTY_PATH));
    T("linkat without AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, P("named3"), 0));
    unlink(P("named"));
    unlink(P("named2"));
    fstat(fd, &st);
    printf("nlink after unlinks %lu\n", (unsigned long)st.st_nlink);
    T("linkat of an unlinked file", linkat(fd, "", AT_FDCWD, P("named4"), AT_EMPTY_PATH));
    close(fd);
    /* through /proc/self/fd with AT_SYMLINK_FOLLOW */
    fd = open(dir, O_TMPFILE | O_WRONLY, 0640);
    write(fd, "via proc", 8);
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    T("linkat /proc/self/fd/N without FOLLOW", linkat(AT_FDCWD, link, AT_FDCWD, P("p0"), 0));
    T("linkat /proc/self/fd/N AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, link, AT_FDCWD, P("p1"), AT_SYMLINK_FOLLOW));
    stat(P("p1"), &st);
    printf("p1 mode %o nlink %lu\n", st.st_mode & 07777, (unsigned long)st.st_nlink);
    cat("p1", P("p1"));
    lstat(P("p0"), &st);
    printf("p0 is a symlink: %d\n", S_ISLNK(st.st_mode));
    close(fd);
    unlink(P("p0"));
    unlink(P("p1"));
    /* O_EXCL: never linkable */
    fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL, 0600);
    T("linkat O_TMPFILE|O_EXCL", linkat(fd, "", AT_FDCWD, P("excl"), AT_EMPTY_PATH));
    close(fd);
    /* linking a file whose name was removed */
    fd = open(P("plain"), O_RDWR);
    unlink(P("plain"));
    T("linkat of a deleted regular file", linkat(fd, "", AT_FDCWD, P("back"), AT_EMPTY_PATH));
    close(fd);
    /* a directory fd with AT_EMPTY_PATH */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    T("linkat of a directory", linkat(dfd, "", AT_FDCWD, P("dirlink"), AT_EMPTY_PATH));
    close(dfd);
}

static void rename_section(void) {
    printf("== renameat2 and mknod\n");
    put(P("r1"), "one");
    put(P("r2"), "two");
    mkdir(P("rd"), 0755);
    put(P("rd/inner"), "inner");
    T("RENAME_EXCHANGE files", renameat2(AT_FDCWD, P("r1"), AT_FDCWD, P("r2"), RENAME_EXCHANGE));
    cat("r1", P("r1"));
    cat("r2", P("r2"));
    T("RENAME_EXCHANGE file and directory", renameat2(AT_FDCWD, P("r1"), AT_FDCWD, P("rd"), RENAME_EXCHANGE));
    cat("rd", P("rd"));
    cat("r1/inner", P("r1/inner"));
    T("RENAME_EXCHANGE with a missing target", renameat2(AT_FDCWD, P("rd"), AT_FDCWD, P("none"), RENAME_EXCHANGE));
    T("RENAME_EXCHANGE|RENAME_NOREPLACE", renameat2(AT_FDCWD, P("rd"), AT_FDCWD, P("r2"),
                                                    RENAME_EXCHANGE | RENAME_NOREPLACE));
    T("RENAME_EXCHANGE|RENAME_WHITEOUT", renameat2(AT_FDCWD, P("rd"), AT_FDCWD, P("r2"),
                                                  RENAME_EXCHANGE | RENAME_WHITEOUT));
    T("unknown flag", renameat2(AT_FDCWD, P("rd"), AT_FDCWD, P("r2"), 8));
    T("RENAME_NOREPLACE onto an existing name", renameat2(AT_FDCWD, P("rd"), AT_FDCWD, P("r2"), RENAME_NOREPLACE));
    T("RENAME_EXCHANGE a directory into itself", renameat2(AT_FDCWD, P("r1"), AT_FDCWD, P("r1/inner"),
                                                          RENAME_EXCHANGE));
    T("RENAME_EXCHANGE the same file", renameat2(AT_FDCWD, P("r2"), AT_FDCWD, P("r2"), RENAME_EXCHANGE));
    T("RENAME_WHITEOUT", renameat2(AT_FDCWD, P("rd"), AT_FDCWD, P("moved"), RENAME_WHITEOUT));
    struct stat st;
    T("stat of the whiteout", lstat(P("rd"), &st));
    printf("whiteout: chr %d rdev %u:%u mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev),
           st.st_mode & 07777);
    T("open the whiteout", open(P("rd"), O_RDONLY));
    cat("moved", P("moved"));
    pid_t child = fork();
    if (child == 0) {
        setresgid(65534, 65534, 65534);
        setresuid(65534, 65534, 65534);
        T("unprivileged RENAME_WHITEOUT", renameat2(AT_FDCWD, P("open/a"), AT_FDCWD, P("open/b"), RENAME_WHITEOUT));
        T("unprivileged mknod of a whiteout", mknod(P("open/w"), S_IFCHR | 0600, makedev(0, 0)));
        T("unprivileged mknod of /dev/null's twin", mknod(P("open/n"), S_IFCHR | 0666, makedev(1, 3)));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    T("mknod a directory", mknod(P("dirnode"), S_IFDIR | 0755, 0));
    T("mknod a bad type", mknod(P("badnode"), 0170000 | 0644, 0));
    T("mknod a character device", mknod(P("null2"), S_IFCHR | 0666, makedev(1, 3)));
    int f = open(P("null2"), O_RDWR);
    printf("write to it: %zd\n", write(f, "gone", 4));
    close(f);
    T("mknod a block device no driver serves", mknod(P("blk"), S_IFBLK | 0600, makedev(60, 0)));
    T("open it", open(P("blk"), O_RDONLY));
    T("mknod an unknown char device", mknod(P("chr"), S_IFCHR | 0600, makedev(240, 1)));
    T("open it", open(P("chr"), O_RDONLY));
}

static void times_section(void) {
    printf("== utime, utimes, futimesat\n");
    put(P("t"), "t");
    struct utimbuf ub = {1000, 2000};
    T("utime", utime(P("t"), &ub));
    struct stat st;
    stat(P("t"), &st);
    printf("atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
    struct timeval tv[2] = {{3000, 500000}, {4000, 250000}};
    T("utimes", utimes(P("t"), tv));
    stat(P("t"), &st);
    printf("atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atime, st.st_atim.tv_nsec, (long)st.st_mtime,
           st.st_mtim.tv_nsec);
    struct timeval bad[2] = {{1, 1000000}, {1, 0}};
    T("utimes usec 1000000", utimes(P("t"), bad));
    struct timeval neg[2] = {{1, -1}, {1, 0}};
    T("utimes usec -1", utimes(P("t"), neg));
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    struct timeval tv2[2] = {{5000, 0}, {6000, 0}};
    T("futimesat", syscall(SYS_futimesat, dfd, "t", tv2));
    stat(P("t"), &st);
    printf("atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
    int fd = open(P("t"), O_RDONLY);
    struct timeval tv3[2] = {{7000, 0}, {8000, 0}};
    T("futimesat with a NULL path", syscall(SYS_futimesat, fd, NULL, tv3));
    stat(P("t"), &st);
    printf("atime %ld mtime %ld\n", (long)st.st_atime, (long)st.st_mtime);
    T("futimesat on a missing file", syscall(SYS_futimesat, dfd, "none", tv2));
    T("utime of a missing file", utime(P("none"), NULL));
    struct timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    T("utimensat both UTIME_OMIT on a missing file", utimensat(AT_FDCWD, P("none"), omit, 0));
    T("utimensat NULL path with a flag", syscall(SYS_utimensat, fd, NULL, NULL, AT_SYMLINK_NOFOLLOW));
    T("utimensat bad nsec", utimensat(AT_FDCWD, P("t"), (struct timespec[]){{0, -5}, {0, 0}}, 0));
    time_t before = time(NULL);
    T("utime NULL (now)", utime(P("t"), NULL));
    stat(P("t"), &st);
    printf("now-ish: %d\n", st.st_mtime >= before && st.st_mtime <= before + 5);
    chmod(P("t"), 0666);
    pid_t child = fork();
    if (child == 0) {
        setresuid(65534, 65534, 65534);
        T("not the owner, explicit times", utime(P("t"), &ub));
        T("not the owner, now (writable)", utime(P("t"), NULL));
        T("not the owner, UTIME_NOW and UTIME_OMIT",
          utimensat(AT_FDCWD, P("t"), (struct timespec[]){{0, UTIME_NOW}, {0, UTIME_OMIT}}, 0));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    close(fd);
    close(dfd);
}

struct linux_dirent {
    unsigned long d_ino;
    unsigned long d_off;
    unsigned short d_reclen;
    char d_name[];
};

static void getdents_section(void) {
    printf("== getdents\n");
    mkdir(P("g"), 0755);
    put(P("g/file"), "");
    mkdir(P("g/sub"), 0755);
    symlink("file", P("g/link"));
    mkfifo(P("g/fifo"), 0600);
    int fd = open(P("g"), O_RDONLY | O_DIRECTORY);
    char buf[4096] __attribute__((aligned(8)));
    long n = syscall(SYS_getdents, fd, buf, sizeof buf);
    printf("getdents: %ld bytes\n", n > 0 ? n : -1L);
    char *names[16];
    int types[16], count = 0, recs_aligned = 1;
    for (long off = 0; off < n && count < 16;) {
        struct linux_dirent *d = (struct linux_dirent *)(buf + off);
        names[count] = d->d_name;
        types[count] = buf[off + d->d_reclen - 1];
        recs_aligned &= d->d_reclen % 8 == 0 && d->d_reclen == ((19 + strlen(d->d_name) + 1 + 7) & ~7);
        count++;
        off += d->d_reclen;
    }
    /* sorted so the order (the file system's) does not matter */
    for (int i = 0; i < count; i++)
        for (int j = i + 1; j < count; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char *t = names[i]; names[i] = names[j]; names[j] = t;
                int u = types[i]; types[i] = types[j]; types[j] = u;
            }
    for (int i = 0; i < count; i++) printf("  %s type %d\n", names[i], types[i]);
    printf("record lengths as Linux: %d\n", recs_aligned);
    T("getdents at the end", syscall(SYS_getdents, fd, buf, sizeof buf));
    lseek(fd, 0, SEEK_SET);
    T("getdents with a 10-byte buffer", syscall(SYS_getdents, fd, buf, 10));
    int f = open(P("g/file"), O_RDONLY);
    T("getdents on a file", syscall(SYS_getdents, f, buf, sizeof buf));
    T("getdents on a bad fd", syscall(SYS_getdents, 99, buf, sizeof buf));
    close(f);
    close(fd);
    unlink(P("g/file"));
    unlink(P("g/link"));
    unlink(P("g/fifo"));
    rmdir(P("g/sub"));
    rmdir(P("g"));
}

static void rw2_section(void) {
    printf("== preadv2, pwritev2, readahead, sync_file_range\n");
    int fd = open(P("rw"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    char a[4], b[4];
    struct iovec iov[2] = {{a, 3}, {b, 3}};
    T("preadv2 at 2", preadv2(fd, iov, 2, 2, 0));
    printf("[%.3s][%.3s] offset %ld\n", a, b, (long)lseek(fd, 0, SEEK_CUR));
    lseek(fd, 1, SEEK_SET);
    T("preadv2 at -1 (the offset)", preadv2(fd, iov, 2, -1, 0));
    printf("[%.3s][%.3s] offset %ld\n", a, b, (long)lseek(fd, 0, SEEK_CUR));
    T("preadv2 at -2", preadv2(fd, iov, 2, -2, 0));
    T("preadv2 RWF_HIPRI|RWF_DSYNC|RWF_SYNC", preadv2(fd, iov, 1, 0, RWF_HIPRI | RWF_DSYNC | RWF_SYNC));
    T("preadv2 RWF_NOWAIT on tmpfs", preadv2(fd, iov, 1, 0, RWF_NOWAIT));
    T("preadv2 unknown flag", preadv2(fd, iov, 1, 0, 0x40));
    struct iovec empty = {a, 0};
    T("preadv2 nothing, unknown flag", preadv2(fd, &empty, 1, 0, 0x40));
    struct iovec w = {"AB", 2};
    lseek(fd, 3, SEEK_SET);
    T("pwritev2 at 0 RWF_APPEND", pwritev2(fd, &w, 1, 0, RWF_APPEND));
    printf("offset %ld size %ld\n", (long)lseek(fd, 0, SEEK_CUR), (long)lseek(fd, 0, SEEK_END));
    lseek(fd, 3, SEEK_SET);
    T("pwritev2 at -1 RWF_APPEND", pwritev2(fd, &w, 1, -1, RWF_APPEND));
    printf("offset %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    T("pwritev2 RWF_APPEND|RWF_NOAPPEND", pwritev2(fd, &w, 1, 0, RWF_APPEND | RWF_NOAPPEND));
    int ap = open(P("rw"), O_RDWR | O_APPEND);
    T("pwritev2 on O_APPEND with RWF_NOAPPEND at 0", pwritev2(ap, &w, 1, 0, RWF_NOAPPEND));
    char all[32] = {0};
    pread(fd, all, sizeof all - 1, 0);
    printf("contents %s\n", all);
    close(ap);
    int p[2];
    pipe(p);
    T("preadv2 RWF_NOWAIT on an empty pipe", preadv2(p[0], iov, 1, -1, RWF_NOWAIT));
    T("preadv2 at 0 on a pipe", preadv2(p[0], iov, 1, 0, 0));
    T("pwritev2 RWF_NOWAIT into a pipe", pwritev2(p[1], &w, 1, -1, RWF_NOWAIT));
    T("preadv2 RWF_NOWAIT with data", preadv2(p[0], iov, 1, -1, RWF_NOWAIT));
    int null = open("/dev/null", O_RDWR);
    T("pwritev2 RWF_NOWAIT to /dev/null", pwritev2(null, &w, 1, -1, RWF_NOWAIT));
    T("readahead", readahead(fd, 0, 4096));
    T("readahead on a pipe", readahead(p[0], 0, 10));
    T("readahead on /dev/null", readahead(null, 0, 10));
    int wo = open(P("rw"), O_WRONLY);
    T("readahead write-only", readahead(wo, 0, 10));
    int dfd = open(dir, O_RDONLY);
    T("readahead on a directory", readahead(dfd, 0, 10));
    T("sync_file_range", sync_file_range(fd, 0, 10, SYNC_FILE_RANGE_WRITE));
    T("sync_file_range all flags", sync_file_range(fd, 0, 0, 7));
    T("sync_file_range bad flag", sync_file_range(fd, 0, 10, 8));
    T("sync_file_range negative offset", sync_file_range(fd, -1, 10, 0));
    T("sync_file_range overflowing", sync_file_range(fd, 0x7fffffffffffffffL, 10, 0));
    T("sync_file_range on a pipe", sync_file_range(p[0], 0, 10, 0));
    T("sync_file_range on /dev/null", sync_file_range(null, 0, 10, 0));
    T("sync_file_range on a directory", sync_file_range(dfd, 0, 10, 0));
    T("sync_file_range bad fd", sync_file_range(99, 0, 10, 0));
    close(wo);
    close(dfd);
    close(null);
    close(fd);
    unlink(P("rw"));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *parent = argc > 1 ? argv[1] : "/dev/shm";
    snprintf(dir, sizeof dir, "%s/filesmoreXXXXXX", parent);
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    chmod(dir, 0777);
    mkdir(P("open"), 0777);
    chmod(P("open"), 0777);
    put(P("open/a"), "a");
    chmod(P("open/a"), 0666);
    tmpfile_section();
    if (argc <= 2 || strcmp(argv[2], "tmpfile") != 0) {
        rename_section();
        times_section();
        getdents_section();
        rw2_section();
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s", dir);
    /* clean up what is left */
    DIR *d = opendir(P("open"));
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') { char q[600]; snprintf(q, sizeof q, "%s/open/%s", dir, e->d_name); unlink(q); }
    if (d) closedir(d);
    rmdir(P("open"));
    d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char q[600];
        snprintf(q, sizeof q, "%s/%s", dir, e->d_name);
        if (unlink(q) < 0) {
            char q2[700];
            snprintf(q2, sizeof q2, "%s/inner", q);
            unlink(q2);
            rmdir(q);
        }
    }
    if (d) closedir(d);
    T("cleanup", rmdir(dir));
    return 0;
}
