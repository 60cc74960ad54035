/* memfd seals (MFD_ALLOW_SEALING, F_ADD_SEALS, F_GET_SEALS and what each seal forbids) and memory
 * locks (mlock, mlock2, munlock, mlockall, munlockall, VmLck, RLIMIT_MEMLOCK), with Linux's errnos. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

#define T(label, expr) do { errno = 0; long r_ = (long)(expr); \
    printf("%s: %ld%s%s\n", label, r_, r_ < 0 ? " " : "", r_ < 0 ? strerror(errno) : ""); } while (0)

static long vmlck(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmLck:", 6) == 0) kb = atol(line + 6);
    if (f) fclose(f);
    return kb;
}

static void seals(void) {
    printf("== seals\n");
    int plain = memfd_create("plain", 0);
    T("F_GET_SEALS without MFD_ALLOW_SEALING", fcntl(plain, F_GET_SEALS));
    T("F_ADD_SEALS without MFD_ALLOW_SEALING", fcntl(plain, F_ADD_SEALS, F_SEAL_WRITE));
    int fd = memfd_create("sealed", MFD_ALLOW_SEALING);
    T("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
    ftruncate(fd, 8192);
    write(fd, "hello", 5);
    T("F_ADD_SEALS unknown bit", fcntl(fd, F_ADD_SEALS, 0x40));
    T("F_SEAL_SHRINK", fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
    T("shrink", ftruncate(fd, 4096));
    T("same size", ftruncate(fd, 8192));
    T("grow", ftruncate(fd, 16384));
    T("F_SEAL_GROW", fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
    T("grow", ftruncate(fd, 32768));
    T("write inside", pwrite(fd, "x", 1, 100));
    T("write past the end", pwrite(fd, "x", 1, 16384));
    char big[8192];
    memset(big, 'b', sizeof big);
    T("write across the end, page-wise", pwrite(fd, big, 8192, 12288));
    T("fallocate inside", fallocate(fd, 0, 0, 4096));
    T("fallocate past the end", fallocate(fd, 0, 16000, 4096));
    T("fallocate KEEP_SIZE past the end", fallocate(fd, FALLOC_FL_KEEP_SIZE, 16000, 4096));
    void *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    T("F_SEAL_WRITE with a writable shared mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(shared, 4096);
    void *ro = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    T("F_SEAL_WRITE with a read-only shared mapping of an O_RDWR fd", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(ro, 4096);
    void *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    T("F_SEAL_WRITE with a private mapping", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
    munmap(priv, 4096);
    T("F_GET_SEALS", fcntl(fd, F_GET_SEALS));
    T("write", write(fd, "x", 1));
    T("pwrite", pwrite(fd, "x", 1, 0));
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap shared writable: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
    m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    printf("mmap shared read-only: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
    if (m != MAP_FAILED) { printf("reads %.5s\n", (char *)m); munmap(m, 4096); }
    m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("mmap private writable: %s\n", m == MAP_FAILED ? strerror(errno) : "mapped");
    if (m != MAP_FAILED) munmap(m, 4096);
    T("F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
    T("any seal after F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC));
    T("no seal after F_SEAL_SEAL", fcntl(fd, F_ADD_SEALS, 0));
    int ro_fd = open("/proc/self/fd/4", O_RDONLY);
    int fd2 = memfd_create("other", MFD_ALLOW_SEALING);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd2);
    int ro2 = open(path, O_RDONLY);
    T("F_ADD_SEALS through a read-only fd", fcntl(ro2, F_ADD_SEALS, F_SEAL_GROW));
    T("F_GET_SEALS through a read-only fd", fcntl(ro2, F_GET_SEALS));
    /* F_SEAL_FUTURE_WRITE: a writable mapping made before stays usable */
    ftruncate(fd2, 4096);
    char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
    T("F_SEAL_FUTURE_WRITE with a writable mapping", fcntl(fd2, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    strcpy(w, "through the old mapping");
    char back[32] = {0};
    pread(fd2, back, 23, 0);
    printf("reads back: %s\n", back);
    T("write after F_SEAL_FUTURE_WRITE", write(fd2, "x", 1));
    void *w2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
    printf("new writable mapping: %s\n", w2 == MAP_FAILED ? strerror(errno) : "mapped");
    T("truncate is still allowed", ftruncate(fd2, 8192));
    /* F_SEAL_EXEC */
    int fx = memfd_create("exec", MFD_ALLOW_SEALING);
    T("F_SEAL_EXEC on an executable memfd", fcntl(fx, F_ADD_SEALS, F_SEAL_EXEC));
    T("seals (W^X)", fcntl(fx, F_GET_SEALS));
    T("chmod +x after F_SEAL_EXEC", fchmod(fx, 0755));
    T("chmod 0700 after F_SEAL_EXEC", fchmod(fx, 0700));
    T("chmod -x after F_SEAL_EXEC", fchmod(fx, 0644));
    int nx = memfd_create("noexec", MFD_NOEXEC_SEAL);
    struct stat st;
    fstat(nx, &st);
    printf("MFD_NOEXEC_SEAL: mode %o seals %d\n", st.st_mode & 0777, fcntl(nx, F_GET_SEALS));
    T("chmod +x of MFD_NOEXEC_SEAL", fchmod(nx, 0755));
    T("write to MFD_NOEXEC_SEAL", write(nx, "ok", 2));
    T("MFD_EXEC|MFD_NOEXEC_SEAL", memfd_create("both", MFD_EXEC | MFD_NOEXEC_SEAL));
    T("unknown memfd flag", memfd_create("x", 0x100));
    char longname[300];
    memset(longname, 'n', sizeof longname);
    longname[250] = 0;
    T("a 250-byte name", memfd_create(longname, 0));
    longname[249] = 0;
    int ok = memfd_create(longname, 0);
    printf("a 249-byte name: %s\n", ok >= 0 ? "ok" : strerror(errno));
    /* tmpfs files start sealed with F_SEAL_SEAL; others have no seals */
    char tmp[] = "/dev/shm/memsealXXXXXX";
    int tf = mkstemp(tmp);
    T("F_GET_SEALS on a tmpfs file", fcntl(tf, F_GET_SEALS));
    T("F_ADD_SEALS on a tmpfs file", fcntl(tf, F_ADD_SEALS, F_SEAL_WRITE));
    unlink(tmp);
    int pp[2];
    pipe(pp);
    T("F_GET_SEALS on a pipe", fcntl(pp[0], F_GET_SEALS));
    int dn = open("/dev/null", O_RDWR);
    T("F_ADD_SEALS on /dev/null", fcntl(dn, F_ADD_SEALS, F_SEAL_WRITE));
    (void)ro_fd;
}

static void locks(void) {
    printf("== mlock\n");
    long page = 4096;
    char *m = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long base = vmlck();
    printf("VmLck before: %ld kB\n", base);
    T("mlock 3 pages from the middle of a page", mlock(m + 10, 2 * page));
    printf("VmLck +%ld kB\n", vmlck() - base);
    T("mlock again (no change)", mlock(m, page));
    printf("VmLck +%ld kB\n", vmlck() - base);
    T("munlock the middle page", munlock(m + page, page));
    printf("VmLck +%ld kB\n", vmlck() - base);
    T("mlock2 MLOCK_ONFAULT", mlock2(m + 4 * page, page, MLOCK_ONFAULT));
    printf("VmLck +%ld kB\n", vmlck() - base);
    T("mlock2 bad flag", mlock2(m, page, 2));
    T("mlock length 0", mlock(m, 0));
    munmap(m + 8 * page, page);
    T("mlock across a hole", mlock(m + 6 * page, 4 * page));
    printf("VmLck +%ld kB (the part before the hole is locked)\n", vmlck() - base);
    T("munlock across a hole", munlock(m + 6 * page, 4 * page));
    printf("VmLck +%ld kB\n", vmlck() - base);
    T("mlock of unmapped memory", mlock(m + 8 * page, page));
    T("munlock everything mapped", munlock(m, 8 * page));
    printf("VmLck +%ld kB\n", vmlck() - base);
    char *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    T("mlock of PROT_NONE memory", mlock(none, page));
    munlock(none, page);
    T("mlockall 0", mlockall(0));
    T("mlockall MCL_ONFAULT alone", mlockall(MCL_ONFAULT));
    T("mlockall bad flag", mlockall(8));
    T("mlockall MCL_FUTURE", mlockall(MCL_FUTURE));
    char *f = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("VmLck +%ld kB after a new mapping\n", vmlck() - base);
    T("munlockall", munlockall());
    printf("VmLck +%ld kB\n", vmlck() - base);
    char *g = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("VmLck +%ld kB after another mapping\n", vmlck() - base);
    T("mlockall MCL_CURRENT", mlockall(MCL_CURRENT));
    printf("everything locked: %d\n", vmlck() > 100);
    pid_t child = fork();
    if (child == 0) {
        printf("child VmLck: %ld kB\n", vmlck());
        _exit(0);
    }
    waitpid(child, NULL, 0);
    munlockall();
    printf("VmLck after munlockall: +%ld kB\n", vmlck() - base);
    char *l = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("VmLck +%ld kB after MAP_LOCKED\n", vmlck() - base);
    munmap(l, page);
    /* an unprivileged process: RLIMIT_MEMLOCK counts */
    child = fork();
    if (child == 0) {
        struct rlimit rl = {8 * page, 8 * page};
        setrlimit(RLIMIT_MEMLOCK, &rl);
        setresuid(65534, 65534, 65534);
        char *u = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        T("unprivileged mlock 8 pages", mlock(u, 8 * page));
        T("unprivileged mlock 1 more page", mlock(u + 8 * page, page));
        T("unprivileged mlock of locked pages again", mlock(u, 8 * page));
        T("unprivileged mlockall MCL_CURRENT", mlockall(MCL_CURRENT));
        T("unprivileged MAP_LOCKED past the limit",
          (long)mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0));
        munlock(u, 8 * page);
        struct rlimit zero = {0, 0};
        setrlimit(RLIMIT_MEMLOCK, &zero);
        T("unprivileged mlock with RLIMIT_MEMLOCK 0", mlock(u, page));
        T("unprivileged mlockall with RLIMIT_MEMLOCK 0", mlockall(MCL_FUTURE));
        T("unprivileged munlock with RLIMIT_MEMLOCK 0", munlock(u, page));
        _exit(0);
    }
    waitpid(child, NULL, 0);
    (void)f;
    (void)g;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    seals();
    locks();
    return 0;
}
