/* System calls with bad arguments, made with syscall(2), and the errno each gives (printed by name).
 * Every line must read the same natively and in the sandbox. stdout is expected to be a pipe or file
 * (as in the tests), which decides the result of the few stdio checks marked below. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef ARCH_SET_FS
#define ARCH_SET_FS 0x1002
#endif

static void check(const char *what, long ret) {
    int e = errno;
    if (ret == -1)
        printf("%-48s -1 %s\n", what, strerrorname_np(e) ? strerrorname_np(e) : "?");
    else
        printf("%-48s %ld\n", what, ret);
}

#define CHECK(what, call) do { errno = 0; long r_ = (long)(call); check(what, r_); } while (0)

struct ksigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    char buf[64] = "x";
    /* file descriptors */
    CHECK("write(-1)", syscall(SYS_write, -1, buf, 1));
    CHECK("write(99)", syscall(SYS_write, 99, buf, 1));
    CHECK("read(-1)", syscall(SYS_read, -1, buf, 1));
    CHECK("read(99)", syscall(SYS_read, 99, buf, 1));
    CHECK("write(1, (void*)1, 10)", syscall(SYS_write, 1, (void *)1, 10));
    CHECK("write(1, buf, 0)", syscall(SYS_write, 1, buf, 0));
    CHECK("writev(1, NULL, 1)", syscall(SYS_writev, 1, NULL, 1));
    CHECK("writev(1, iov, -1)", syscall(SYS_writev, 1, buf, -1));
    CHECK("close(-1)", syscall(SYS_close, -1));
    CHECK("close(99)", syscall(SYS_close, 99));
    CHECK("dup(99)", syscall(SYS_dup, 99));
    CHECK("dup2(1, -1)", syscall(SYS_dup2, 1, -1));
    CHECK("dup2(99, 5)", syscall(SYS_dup2, 99, 5));
    CHECK("dup3(1, 1, 0)", syscall(SYS_dup3, 1, 1, 0));
    CHECK("dup3(1, 5, 0x1234)", syscall(SYS_dup3, 1, 5, 0x1234));
    CHECK("fcntl(1, 9999)", syscall(SYS_fcntl, 1, 9999, 0));
    CHECK("fcntl(99, F_GETFD)", syscall(SYS_fcntl, 99, 1, 0));
    CHECK("fstat(99)", syscall(SYS_fstat, 99, buf));
    CHECK("fstat(1, NULL)", syscall(SYS_fstat, 1, NULL));
    CHECK("lseek(99, 0, SEEK_SET)", syscall(SYS_lseek, 99, 0, 0));
    CHECK("lseek(1, 0, SEEK_CUR) [stdout a pipe]", syscall(SYS_lseek, 1, 0, 1));
    CHECK("pread64(1, buf, 1, 0) [stdout a pipe]", syscall(SYS_pread64, 1, buf, 1, 0));
    CHECK("ioctl(99, TCGETS)", syscall(SYS_ioctl, 99, 0x5401, buf));
    CHECK("ioctl(1, TCGETS) [stdout a pipe]", syscall(SYS_ioctl, 1, 0x5401, buf));
    /* memory */
    CHECK("mmap(len 0)", syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    CHECK("mmap(neither PRIVATE nor SHARED)", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0));
    CHECK("mmap(PRIVATE|SHARED)", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS, -1, 0) == -1 ? -1 : 0);
    CHECK("mmap(MAP_FIXED, unaligned addr)", syscall(SYS_mmap, 0x10001, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    CHECK("mmap(file, fd 99)", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 99, 0));
    CHECK("mmap(unaligned offset)", syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 99, 1));
    CHECK("mmap(len -4096)", syscall(SYS_mmap, 0, -4096L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    void *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("munmap(unaligned)", syscall(SYS_munmap, (char *)p + 1, 4096));
    CHECK("munmap(len 0)", syscall(SYS_munmap, p, 0));
    CHECK("mprotect(unaligned)", syscall(SYS_mprotect, (char *)p + 1, 4096, PROT_READ));
    CHECK("mprotect(bad prot 0x100)", syscall(SYS_mprotect, p, 4096, 0x100));
    CHECK("madvise(unaligned)", syscall(SYS_madvise, (char *)p + 1, 4096, MADV_DONTNEED));
    CHECK("madvise(bad advice 12345)", syscall(SYS_madvise, p, 4096, 12345));
    munmap(p, 3 * 4096);
    CHECK("mprotect(unmapped)", syscall(SYS_mprotect, p, 4096, PROT_READ));
    CHECK("madvise(unmapped, DONTNEED)", syscall(SYS_madvise, p, 4096, MADV_DONTNEED));
    CHECK("munmap(unmapped)", syscall(SYS_munmap, p, 4096));
    /* time */
    struct timespec ts;
    CHECK("clock_gettime(12345)", syscall(SYS_clock_gettime, 12345, &ts));
    CHECK("clock_gettime(MONOTONIC, NULL)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL));
    CHECK("clock_gettime(MONOTONIC, (void*)8)", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8));
    CHECK("clock_getres(12345)", syscall(SYS_clock_getres, 12345, &ts));
    CHECK("clock_getres(MONOTONIC, NULL)", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
    struct timespec bad = {0, 2000000000L};
    CHECK("nanosleep(tv_nsec 2e9)", syscall(SYS_nanosleep, &bad, NULL));
    struct timespec neg = {-1, 0};
    CHECK("nanosleep(tv_sec -1)", syscall(SYS_nanosleep, &neg, NULL));
    CHECK("nanosleep(NULL)", syscall(SYS_nanosleep, NULL, NULL));
    CHECK("clock_nanosleep(12345)", syscall(SYS_clock_nanosleep, 12345, 0, &ts, NULL) == 0 ? 0 : -1);
    CHECK("clock_nanosleep(tv_nsec 2e9)", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL));
    CHECK("gettimeofday((void*)8, NULL)", syscall(SYS_gettimeofday, (void *)8, NULL));
    /* random, limits */
    CHECK("getrandom(flags 0xff)", syscall(SYS_getrandom, buf, 8, 0xff));
    CHECK("getrandom(NULL, 8)", syscall(SYS_getrandom, NULL, 8, 0));
    struct rlimit rl;
    CHECK("prlimit64(0, 99)", syscall(SYS_prlimit64, 0, 99, NULL, &rl));
    CHECK("prlimit64(0, NOFILE, NULL, (void*)8)", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, (void *)8));
    CHECK("getrlimit(99)", syscall(SYS_getrlimit, 99, &rl));
    syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl);
    struct rlimit inv = {rl.rlim_max, rl.rlim_max - 1};
    CHECK("setrlimit(NOFILE, cur > max)", syscall(SYS_setrlimit, RLIMIT_NOFILE, &inv));
    /* signals */
    struct ksigaction ksa = {0};
    CHECK("rt_sigaction(SIGINT, sigsetsize 4)", syscall(SYS_rt_sigaction, SIGINT, &ksa, NULL, 4));
    CHECK("rt_sigaction(SIGKILL)", syscall(SYS_rt_sigaction, SIGKILL, &ksa, NULL, 8));
    CHECK("rt_sigaction(SIGSTOP)", syscall(SYS_rt_sigaction, SIGSTOP, &ksa, NULL, 8));
    CHECK("rt_sigaction(0)", syscall(SYS_rt_sigaction, 0, &ksa, NULL, 8));
    CHECK("rt_sigaction(65)", syscall(SYS_rt_sigaction, 65, &ksa, NULL, 8));
    CHECK("rt_sigaction(SIGKILL, NULL, &old)", syscall(SYS_rt_sigaction, SIGKILL, NULL, &ksa, 8));
    CHECK("rt_sigprocmask(how 99)", syscall(SYS_rt_sigprocmask, 99, buf, NULL, 8));
    CHECK("rt_sigprocmask(sigsetsize 4)", syscall(SYS_rt_sigprocmask, SIG_BLOCK, buf, NULL, 4));
    CHECK("kill(999999999, 0)", syscall(SYS_kill, 999999999, 0));
    CHECK("kill(getpid(), 99)", syscall(SYS_kill, getpid(), 99));
    CHECK("kill(getpid(), 0)", syscall(SYS_kill, getpid(), 0));
    CHECK("tgkill(getpid(), gettid(), -1)", syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), -1));
    CHECK("tgkill(0, 0, 0)", syscall(SYS_tgkill, 0, 0, 0));
    CHECK("tkill(999999999, 0)", syscall(SYS_tkill, 999999999, 0));
    stack_t ss = {.ss_sp = buf, .ss_size = 16, .ss_flags = 0};
    CHECK("sigaltstack(size 16)", syscall(SYS_sigaltstack, &ss, NULL));
    ss.ss_flags = 0x1234;
    ss.ss_size = 1 << 16;
    CHECK("sigaltstack(bad flags)", syscall(SYS_sigaltstack, &ss, NULL));
    /* process */
    CHECK("arch_prctl(0x9999)", syscall(SYS_arch_prctl, 0x9999, 0));
    CHECK("arch_prctl(ARCH_GET_FS, NULL)", syscall(SYS_arch_prctl, 0x1003, NULL));
    CHECK("uname(NULL)", syscall(SYS_uname, NULL));
    CHECK("set_robust_list(len 1)", syscall(SYS_set_robust_list, buf, 1));
    CHECK("sched_getaffinity(0, 1, mask)", syscall(SYS_sched_getaffinity, 0, 1, buf));
    CHECK("sched_getaffinity(999999999)", syscall(SYS_sched_getaffinity, 999999999, sizeof buf, buf));
    CHECK("syscall 1000", syscall(1000));
    CHECK("syscall -1", syscall(-1));
    printf("done\n");
    return 0;
}
