/* Credentials, capabilities, limits, priorities and prctl settings across a checkpoint: it sets them
 * all, prints them every DELAY_MS for N rounds (a checkpoint falls in there), then checks that the
 * kernel still acts on them. Run as root. Usage: identckpt [N [DELAY_MS]]. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static unsigned long long caps(int which) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    syscall(SYS_capget, &h, d);
    unsigned lo = which == 0 ? d[0].effective : which == 1 ? d[0].permitted : d[0].inheritable;
    unsigned hi = which == 0 ? d[1].effective : which == 1 ? d[1].permitted : d[1].inheritable;
    return (unsigned long long)hi << 32 | lo;
}

static void state(int round) {
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    gid_t g[8];
    int n = getgroups(8, g);
    struct rlimit nofile, fsize;
    getrlimit(RLIMIT_NOFILE, &nofile);
    getrlimit(RLIMIT_FSIZE, &fsize);
    char name[16] = {0};
    prctl(PR_GET_NAME, name, 0, 0, 0);
    int pdeath = -1, subreaper = -1;
    prctl(PR_GET_PDEATHSIG, &pdeath, 0, 0, 0);
    prctl(PR_GET_CHILD_SUBREAPER, &subreaper, 0, 0, 0);
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    struct sched_param sp;
    sched_getparam(0, &sp);
    printf("round %d: uid %u %u %u fsuid %d gid %u %u %u fsgid %d groups %d:%u,%u\n", round, r, e, s, setfsuid(-1),
           gr, ge, gs, setfsgid(-1), n, g[0], g[1]);
    printf("round %d: caps eff %llx prm %llx inh %llx bnd-mknod %d keepcaps %d securebits %d\n", round, caps(0),
           caps(1), caps(2), prctl(PR_CAPBSET_READ, CAP_MKNOD, 0, 0, 0), prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0),
           prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    printf("round %d: nofile %llu/%llu fsize %llu/%llu nice %d policy %d prio %d cpus %d personality %x\n", round,
           (unsigned long long)nofile.rlim_cur, (unsigned long long)nofile.rlim_max,
           (unsigned long long)fsize.rlim_cur, (unsigned long long)fsize.rlim_max,
           (int)(20 - syscall(SYS_getpriority, PRIO_PROCESS, 0)), sched_getscheduler(0), sp.sched_priority,
           CPU_COUNT(&set), personality(0xffffffff));
    printf("round %d: name %s dumpable %d pdeathsig %d subreaper %d no_new_privs %d timerslack %d\n", round, name,
           prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), pdeath, subreaper, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
           prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    fflush(stdout);
}

static const char *err(int r) {
    return r >= 0 ? "ok" : strerrorname_np(errno);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 50;
    char file[64];
    snprintf(file, sizeof file, "/tmp/jvisor-identckpt-%d", getpid());

    gid_t groups[] = {40, 20};
    setgroups(2, groups);
    setresgid(10, 20, 30);
    struct rlimit l = {64, 4096};
    setrlimit(RLIMIT_NOFILE, &l);
    struct rlimit f = {1 << 20, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &f);
    setpriority(PRIO_PROCESS, 0, 7);
    struct sched_param sp = {0};
    sched_setscheduler(0, SCHED_BATCH, &sp);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    sched_setaffinity(0, sizeof one, &one);
    personality(ADDR_NO_RANDOMIZE);
    prctl(PR_SET_NAME, "ckpt-name", 0, 0, 0);
    prctl(PR_SET_TIMERSLACK, 12345, 0, 0, 0);
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_CAPBSET_DROP, CAP_MKNOD, 0, 0, 0);
    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
    /* a root-only file, then give up root but keep the permitted capabilities */
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    close(fd);
    setresuid(1000, 1000, 0);
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);

    for (int i = 1; i <= n; i++) {
        state(i);
        struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }

    /* the kernel still enforces what it printed */
    printf("open root-only file: %s\n", err(open(file, O_RDONLY)));
    printf("setuid 2000: %s\n", err(setuid(2000)));
    printf("setpriority 0: %s\n", err(setpriority(PRIO_PROCESS, 0, 0)));
    signal(SIGXFSZ, SIG_IGN);
    int w = open("/dev/null", O_WRONLY);
    int last = -1, x;
    while ((x = open("/dev/null", O_RDONLY)) >= 0) last = x;
    printf("fds up to %d, then %s\n", last, strerrorname_np(errno));
    for (int i = w + 1; i <= last; i++) close(i);
    setfsuid(1000);
    char mine_path[80];
    snprintf(mine_path, sizeof mine_path, "%s-mine", file);
    int mine = open(mine_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct stat st;
    fstat(mine, &st);
    printf("new file owner %u group %u\n", st.st_uid, st.st_gid);
    static char big[3 << 19];
    printf("write 1.5 MiB with RLIMIT_FSIZE 1 MiB: %zd\n", write(mine, big, sizeof big));
    printf("write again: %s\n", err(write(mine, big, 1)));
    unlink(mine_path);
    /* back to root through the saved uid, to clean up */
    printf("setuid 0: %s\n", err(setuid(0)));
    printf("unlink: %s\n", err(unlink(file)));
    state(n + 1);
    return 0;
}
