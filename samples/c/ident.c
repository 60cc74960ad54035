/* Identity, capabilities, resource limits, scheduling, prctl and resource-usage syscalls, with valid
 * and invalid arguments. Run as root; it drops its privileges at the end (setresuid to 1000 and
 * capset to nothing) and checks what an unprivileged process may no longer do. Every line is
 * deterministic on a given host, so the output compares byte for byte with a native run.
 * Usage: ident            the whole tour
 *        ident fsize-kill exceeds RLIMIT_FSIZE with SIGXFSZ at its default action (killed by 25)
 *        ident report     prints what exec gave it (the exec tests run it). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <grp.h>
#include <sys/fsuid.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)1)
/* Above PID_MAX_LIMIT (2^22), so no task has it; small enough for a CPU clock id. */
#define NOPID 4194305

static char file[64], file2[64];

/* Prints "what = result" or "what = -1 ENAME". */
static long show(const char *what, long r) {
    if (r == -1)
        printf("%s = -1 %s\n", what, strerrorname_np(errno));
    else
        printf("%s = %ld\n", what, r);
    return r;
}

static long sys(long nr, long a, long b, long c, long d) {
    return syscall(nr, a, b, c, d, 0, 0);
}

/* The lines of /proc/self/status that start with one of the given prefixes. */
static void status(const char *prefixes) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char p[32];
        const char *s = prefixes;
        while (*s) {
            size_t n = strcspn(s, ",");
            snprintf(p, sizeof p, "%.*s:", (int)n, s);
            if (strncmp(line, p, strlen(p)) == 0) printf("status %s", line);
            s += n + (s[n] == ',');
        }
    }
    fclose(f);
}

static void ids(const char *when) {
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u %u %u fsuid %d gid %u %u %u fsgid %d\n", when, r, e, s, setfsuid(-1), gr, ge, gs,
           setfsgid(-1));
}

/* ---- capabilities ------------------------------------------------------------------------------ */

static void caps(const char *when) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (sys(SYS_capget, (long)&h, (long)d, 0, 0) != 0) {
        printf("%s: capget failed %s\n", when, strerrorname_np(errno));
        return;
    }
    printf("%s: caps eff %08x%08x prm %08x%08x inh %08x%08x\n", when, d[1].effective, d[0].effective,
           d[1].permitted, d[0].permitted, d[1].inheritable, d[0].inheritable);
}

static long capset3(unsigned long long eff, unsigned long long prm, unsigned long long inh) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {{(unsigned)eff, (unsigned)prm, (unsigned)inh},
                                          {(unsigned)(eff >> 32), (unsigned)(prm >> 32), (unsigned)(inh >> 32)}};
    return sys(SYS_capset, (long)&h, (long)d, 0, 0);
}

static unsigned long long cap_bits(int which) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    sys(SYS_capget, (long)&h, (long)d, 0, 0);
    unsigned lo = which == 0 ? d[0].effective : which == 1 ? d[0].permitted : d[0].inheritable;
    unsigned hi = which == 0 ? d[1].effective : which == 1 ? d[1].permitted : d[1].inheritable;
    return (unsigned long long)hi << 32 | lo;
}

static void capability_calls(void) {
    printf("== capabilities\n");
    caps("start");
    struct __user_cap_header_struct h;
    struct __user_cap_data_struct d[2];
    h.version = _LINUX_CAPABILITY_VERSION_1;
    h.pid = 0;
    memset(d, 0xaa, sizeof d);
    show("capget v1", sys(SYS_capget, (long)&h, (long)d, 0, 0));
    printf("v1 eff %08x prm %08x second struct untouched %d\n", d[0].effective, d[0].permitted,
           d[1].effective == 0xaaaaaaaa);
    h.version = _LINUX_CAPABILITY_VERSION_2;
    show("capget v2", sys(SYS_capget, (long)&h, (long)d, 0, 0));
    printf("v2 eff high %08x\n", d[1].effective);
    h.version = 0x12345678;
    show("capget bad version", sys(SYS_capget, (long)&h, (long)d, 0, 0));
    printf("header version now %08x\n", h.version);
    h.version = 0x12345678;
    show("capget bad version, NULL data", sys(SYS_capget, (long)&h, 0, 0, 0));
    printf("header version now %08x\n", h.version);
    h.version = _LINUX_CAPABILITY_VERSION_3;
    show("capget NULL data", sys(SYS_capget, (long)&h, 0, 0, 0));
    h.pid = -1;
    show("capget pid -1", sys(SYS_capget, (long)&h, (long)d, 0, 0));
    h.pid = NOPID;
    show("capget pid NOPID", sys(SYS_capget, (long)&h, (long)d, 0, 0));
    h.pid = getpid();
    show("capget own pid", sys(SYS_capget, (long)&h, (long)d, 0, 0));
    h.pid = 0;
    show("capget bad data", sys(SYS_capget, (long)&h, (long)BAD, 0, 0));
    show("capget bad header", sys(SYS_capget, (long)BAD, (long)d, 0, 0));
    h.pid = NOPID;
    show("capset other pid", sys(SYS_capset, (long)&h, (long)d, 0, 0));
    h.pid = 0;
    show("capset bad data", sys(SYS_capset, (long)&h, (long)BAD, 0, 0));

    unsigned long long eff = cap_bits(0), prm = cap_bits(1);
    unsigned long long raw = 1ULL << CAP_NET_RAW;
    show("capset drop NET_RAW from effective", capset3(eff & ~raw, prm, 0));
    caps("after");
    show("capset effective beyond permitted", capset3(eff, prm & ~raw, 0));
    show("capset drop NET_RAW from permitted", capset3(eff & ~raw, prm & ~raw, 0));
    show("capset raise NET_RAW again", capset3(eff & ~raw, prm, 0));
    show("capset inheritable KILL", capset3(eff & ~raw, prm & ~raw, 1ULL << CAP_KILL));
    caps("after");
    show("capset inheritable NET_RAW (not permitted, have SETPCAP)", capset3(eff & ~raw, prm & ~raw, raw));

    show("PR_CAPBSET_READ CHOWN", prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0));
    show("PR_CAPBSET_READ SYS_RESOURCE", prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE, 0, 0, 0));
    show("PR_CAPBSET_READ 40", prctl(PR_CAPBSET_READ, 40, 0, 0, 0));
    show("PR_CAPBSET_READ 41", prctl(PR_CAPBSET_READ, 41, 0, 0, 0));
    show("PR_CAPBSET_READ -1", prctl(PR_CAPBSET_READ, -1L, 0, 0, 0));
    show("PR_CAPBSET_DROP MKNOD", prctl(PR_CAPBSET_DROP, CAP_MKNOD, 0, 0, 0));
    show("PR_CAPBSET_READ MKNOD", prctl(PR_CAPBSET_READ, CAP_MKNOD, 0, 0, 0));
    show("PR_CAPBSET_DROP 99", prctl(PR_CAPBSET_DROP, 99, 0, 0, 0));
    show("capset inheritable MKNOD (outside bounding, but permitted)", capset3(eff & ~raw, prm & ~raw,
         1ULL << CAP_MKNOD));
    show("PR_CAP_AMBIENT IS_SET KILL", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
    show("PR_CAP_AMBIENT RAISE KILL (not inheritable)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
    capset3(eff & ~raw, prm & ~raw, 1ULL << CAP_KILL);
    show("PR_CAP_AMBIENT RAISE KILL", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
    show("PR_CAP_AMBIENT IS_SET KILL", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
    status("CapInh,CapAmb,CapBnd");
    show("capset without KILL inheritable drops it from ambient", capset3(eff & ~raw, prm & ~raw, 0));
    show("PR_CAP_AMBIENT IS_SET KILL", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
    show("PR_CAP_AMBIENT CLEAR_ALL", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
    show("PR_CAP_AMBIENT CLEAR_ALL with arg", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0));
    show("PR_CAP_AMBIENT 9", prctl(PR_CAP_AMBIENT, 9, CAP_KILL, 0, 0));
    show("PR_CAP_AMBIENT IS_SET 99", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 99, 0, 0));
    show("PR_GET_SECUREBITS", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    show("PR_SET_SECUREBITS unknown bit", prctl(PR_SET_SECUREBITS, 1 << 12, 0, 0, 0));
    show("PR_SET_SECUREBITS NO_SETUID_FIXUP", prctl(PR_SET_SECUREBITS, 1 << 2, 0, 0, 0));
    show("PR_GET_SECUREBITS", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    show("PR_SET_SECUREBITS 0", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
    show("PR_GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    show("PR_SET_KEEPCAPS 2", prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
    show("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    show("PR_GET_KEEPCAPS", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    show("PR_GET_SECUREBITS", prctl(PR_GET_SECUREBITS, 0, 0, 0, 0));
    show("PR_SET_KEEPCAPS 0", prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
    show("capset back to the start (NET_RAW is gone for good)", capset3(eff & ~raw, prm & ~raw, 0));
    /* a v1 capset has only the low words: the high ones become 0, for good */
    h.version = _LINUX_CAPABILITY_VERSION_1;
    h.pid = 0;
    d[0].effective = (unsigned)(eff & ~raw);
    d[0].permitted = (unsigned)(prm & ~raw);
    d[0].inheritable = 0;
    show("capset v1", sys(SYS_capset, (long)&h, (long)d, 0, 0));
    caps("after v1");
    show("capset v3 high words back", capset3(eff & ~raw, prm & ~raw, 0));
    caps("end");
}

/* ---- uids and gids ----------------------------------------------------------------------------- */

static void id_calls(void) {
    printf("== identity\n");
    ids("start");
    show("getuid", getuid());
    show("geteuid", geteuid());
    show("getgid", getgid());
    show("getegid", getegid());
    show("getresuid bad pointer", sys(SYS_getresuid, (long)BAD, (long)BAD, (long)BAD, 0));
    show("getresgid bad pointer", sys(SYS_getresgid, (long)BAD, (long)BAD, (long)BAD, 0));
    show("setuid -1", sys(SYS_setuid, -1, 0, 0, 0));
    show("setgid -1", sys(SYS_setgid, -1, 0, 0, 0));
    show("setresuid -1 -1 -1", sys(SYS_setresuid, -1, -1, -1, 0));
    show("setreuid -1 -1", sys(SYS_setreuid, -1, -1, 0, 0));

    show("setresgid 100 200 300", sys(SYS_setresgid, 100, 200, 300, 0));
    ids("now");
    show("setregid -1 300", sys(SYS_setregid, -1, 300, 0, 0));
    ids("now");
    show("setregid 200 -1", sys(SYS_setregid, 200, -1, 0, 0));
    ids("now");
    show("setfsgid 7", sys(SYS_setfsgid, 7, 0, 0, 0));
    show("setfsgid -1 (query)", sys(SYS_setfsgid, -1, 0, 0, 0));
    status("Gid");
    show("setgid 0", sys(SYS_setgid, 0, 0, 0, 0));
    ids("now");

    show("setresuid 0 0 0 (no change)", sys(SYS_setresuid, 0, 0, 0, 0));
    show("setreuid 0 0", sys(SYS_setreuid, 0, 0, 0, 0));
    show("setfsuid 1234", sys(SYS_setfsuid, 1234, 0, 0, 0));
    ids("fs 1234");
    caps("fs 1234");
    show("setfsuid 0", sys(SYS_setfsuid, 0, 0, 0, 0));
    caps("fs 0");
    status("Uid");

    printf("== groups\n");
    show("getgroups 0", sys(SYS_getgroups, 0, 0, 0, 0));
    gid_t in[] = {1000, 5, 3, 3, 4000000000u};
    show("setgroups 5", sys(SYS_setgroups, 5, (long)in, 0, 0));
    gid_t out[8];
    memset(out, 0, sizeof out);
    long n = show("getgroups 8", sys(SYS_getgroups, 8, (long)out, 0, 0));
    for (int i = 0; i < n; i++) printf(" %u", out[i]);
    printf("\n");
    show("getgroups 2", sys(SYS_getgroups, 2, (long)out, 0, 0));
    show("getgroups -1", sys(SYS_getgroups, -1, (long)out, 0, 0));
    show("getgroups bad pointer", sys(SYS_getgroups, 8, (long)BAD, 0, 0));
    show("getgroups 0 bad pointer", sys(SYS_getgroups, 0, (long)BAD, 0, 0));
    status("Groups");
    show("setgroups -1", sys(SYS_setgroups, -1, (long)in, 0, 0));
    show("setgroups 65537", sys(SYS_setgroups, 65537, (long)in, 0, 0));
    show("setgroups bad pointer", sys(SYS_setgroups, 2, (long)BAD, 0, 0));
    gid_t invalid[] = {(gid_t)-1};
    show("setgroups with gid -1", sys(SYS_setgroups, 1, (long)invalid, 0, 0));
    show("getgroups 0", sys(SYS_getgroups, 0, 0, 0, 0));
    show("setgroups 0", sys(SYS_setgroups, 0, 0, 0, 0));
    show("getgroups 0", sys(SYS_getgroups, 0, 0, 0, 0));
}

/* ---- resource limits --------------------------------------------------------------------------- */

static void limit_calls(void) {
    printf("== limits\n");
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        struct rlimit l;
        if (getrlimit(r, &l) == 0)
            printf("limit %d: %llu %llu\n", r, (unsigned long long)l.rlim_cur, (unsigned long long)l.rlim_max);
    }
    struct rlimit l, old;
    show("getrlimit 16", sys(SYS_getrlimit, 16, (long)&l, 0, 0));
    show("getrlimit bad pointer", sys(SYS_getrlimit, RLIMIT_NOFILE, (long)BAD, 0, 0));
    show("setrlimit 16 bad pointer", sys(SYS_setrlimit, 16, (long)BAD, 0, 0));
    getrlimit(RLIMIT_NOFILE, &old);
    l.rlim_cur = old.rlim_max;
    l.rlim_max = old.rlim_cur - 1;
    show("setrlimit soft > hard", sys(SYS_setrlimit, RLIMIT_NOFILE, (long)&l, 0, 0));
    l.rlim_cur = 10;
    l.rlim_max = 2000000;
    show("setrlimit NOFILE hard above nr_open", sys(SYS_setrlimit, RLIMIT_NOFILE, (long)&l, 0, 0));
    l.rlim_cur = 4000;
    l.rlim_max = RLIM_INFINITY;
    show("setrlimit STACK 4000 inf", sys(SYS_setrlimit, RLIMIT_STACK, (long)&l, 0, 0));
    struct rlimit got;
    show("prlimit64 STACK old", sys(SYS_prlimit64, 0, RLIMIT_STACK, 0, (long)&got));
    printf("stack %llu %llu\n", (unsigned long long)got.rlim_cur, (unsigned long long)got.rlim_max);
    l.rlim_cur = 8 << 20;
    show("prlimit64 STACK new+old by pid", sys(SYS_prlimit64, getpid(), RLIMIT_STACK, (long)&l, (long)&got));
    printf("stack was %llu now ", (unsigned long long)got.rlim_cur);
    getrlimit(RLIMIT_STACK, &got);
    printf("%llu\n", (unsigned long long)got.rlim_cur);
    show("prlimit64 pid NOPID", sys(SYS_prlimit64, NOPID, RLIMIT_STACK, 0, (long)&got));
    show("prlimit64 pid -1", sys(SYS_prlimit64, -1, RLIMIT_STACK, 0, (long)&got));
    show("prlimit64 resource 99", sys(SYS_prlimit64, 0, 99, 0, (long)&got));
    show("prlimit64 bad new", sys(SYS_prlimit64, 0, RLIMIT_STACK, (long)BAD, 0));
    show("prlimit64 bad old", sys(SYS_prlimit64, 0, RLIMIT_STACK, 0, (long)BAD));
    show("prlimit64 query only", sys(SYS_prlimit64, 0, RLIMIT_STACK, 0, 0));
    /* lowering a hard limit is allowed; raising it back needs CAP_SYS_RESOURCE */
    getrlimit(RLIMIT_MSGQUEUE, &old);
    l.rlim_cur = l.rlim_max = old.rlim_max / 2;
    show("lower MSGQUEUE hard", sys(SYS_setrlimit, RLIMIT_MSGQUEUE, (long)&l, 0, 0));
    show("raise MSGQUEUE hard back", sys(SYS_setrlimit, RLIMIT_MSGQUEUE, (long)&old, 0, 0));
    getrlimit(RLIMIT_MSGQUEUE, &got);
    printf("msgqueue %llu %llu\n", (unsigned long long)got.rlim_cur, (unsigned long long)got.rlim_max);
}

static void nofile(void) {
    printf("== RLIMIT_NOFILE\n");
    struct rlimit old, l;
    getrlimit(RLIMIT_NOFILE, &old);
    l.rlim_cur = 16;
    l.rlim_max = old.rlim_max;
    show("setrlimit NOFILE 16", setrlimit(RLIMIT_NOFILE, &l));
    int last = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) last = fd;
    printf("opened up to fd %d, then %s\n", last, strerrorname_np(errno));
    show("dup2 to 16", dup2(0, 16));
    show("fcntl F_DUPFD 16", fcntl(0, F_DUPFD, 16));
    int p[2];
    show("pipe at the limit", pipe(p));
    close(15);
    show("dup2 to 15", dup2(0, 15));
    for (int i = 3; i < 16; i++) close(i);
    show("setrlimit NOFILE back", setrlimit(RLIMIT_NOFILE, &old));
    show("open after", fd = open("/dev/null", O_RDONLY));
    close(fd);
}

static void fsize(void) {
    printf("== RLIMIT_FSIZE\n");
    /* stdout may itself be a regular file longer than the limit: keep the lines until it is lifted */
    fflush(stdout);
    static char log[4096];
    FILE *saved = stdout;
    stdout = fmemopen(log, sizeof log, "w");
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit l = {100, RLIM_INFINITY};
    show("setrlimit FSIZE 100", setrlimit(RLIMIT_FSIZE, &l));
    int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[150];
    memset(buf, 'x', sizeof buf);
    show("write 150", write(fd, buf, 150));
    show("write past the limit", write(fd, buf, 10));
    show("write 0 past the limit", write(fd, buf, 0));
    show("pwrite 100 at 50", pwrite(fd, buf, 100, 50));
    show("pwrite at 100", pwrite(fd, buf, 1, 100));
    show("ftruncate 200", ftruncate(fd, 200));
    show("ftruncate 100", ftruncate(fd, 100));
    show("ftruncate 50", ftruncate(fd, 50));
    show("truncate 101", truncate(file, 101));
    show("fallocate 0..200", fallocate(fd, 0, 0, 200));
    show("fallocate KEEP_SIZE 0..200", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 200));
    int afd = open(file, O_WRONLY | O_APPEND);
    show("append 60 at 50", write(afd, buf, 60));
    struct stat st;
    fstat(fd, &st);
    printf("size %lld\n", (long long)st.st_size);
    int p[2];
    pipe(p);
    show("pipe write 150 (no limit on pipes)", write(p[1], buf, 150));
    close(p[0]);
    close(p[1]);
    close(afd);
    close(fd);
    unlink(file);
    l.rlim_cur = RLIM_INFINITY;
    show("setrlimit FSIZE inf", setrlimit(RLIMIT_FSIZE, &l));
    signal(SIGXFSZ, SIG_DFL);
    fclose(stdout);
    stdout = saved;
    fputs(log, stdout);
}

static int fsize_kill(void) {
    struct rlimit l = {100000, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &l);
    snprintf(file, sizeof file, "/tmp/jvisor-ident-fsize-%d", getpid());
    int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(file);
    static char big[150000];
    printf("write 150000: %zd\n", write(fd, big, sizeof big));
    fflush(stdout);
    write(fd, "x", 1);
    printf("not reached\n");
    return 0;
}

/* ---- scheduling --------------------------------------------------------------------------------- */

static void sched_calls(void) {
    printf("== scheduling\n");
    struct sched_param sp;
    struct timespec ts;
    int policies[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, 4, SCHED_IDLE, 6, 8, -1};
    for (int i = 0; i < 9; i++) {
        char w[64];
        snprintf(w, sizeof w, "priority max/min of policy %d", policies[i]);
        long mx = sys(SYS_sched_get_priority_max, policies[i], 0, 0, 0);
        int e1 = errno;
        long mn = sys(SYS_sched_get_priority_min, policies[i], 0, 0, 0);
        printf("%s = %ld %ld%s%s\n", w, mx, mn, mx < 0 ? " " : "", mx < 0 ? strerrorname_np(e1) : "");
    }
    show("sched_getscheduler", sched_getscheduler(0));
    show("sched_getscheduler -1", sys(SYS_sched_getscheduler, -1, 0, 0, 0));
    show("sched_getscheduler NOPID", sys(SYS_sched_getscheduler, NOPID, 0, 0, 0));
    sp.sched_priority = 7;
    show("sched_getparam", sched_getparam(0, &sp));
    printf("priority %d\n", sp.sched_priority);
    show("sched_getparam NULL", sys(SYS_sched_getparam, 0, 0, 0, 0));
    show("sched_getparam bad", sys(SYS_sched_getparam, 0, (long)BAD, 0, 0));
    show("sched_rr_get_interval", sched_rr_get_interval(0, &ts));
    printf("interval %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    show("sched_rr_get_interval -1", sys(SYS_sched_rr_get_interval, -1, (long)&ts, 0, 0));
    show("sched_rr_get_interval bad", sys(SYS_sched_rr_get_interval, 0, (long)BAD, 0, 0));

    sp.sched_priority = 50;
    show("setscheduler FIFO 50", sched_setscheduler(0, SCHED_FIFO, &sp));
    show("sched_getscheduler", sched_getscheduler(0));
    sched_getparam(0, &sp);
    printf("priority %d\n", sp.sched_priority);
    sched_rr_get_interval(0, &ts);
    printf("FIFO interval %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    show("PR_GET_TIMERSLACK (FIFO)", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    sp.sched_priority = 60;
    show("sched_setparam 60", sched_setparam(0, &sp));
    sched_getparam(0, &sp);
    printf("priority %d\n", sp.sched_priority);
    sp.sched_priority = 10;
    show("setscheduler RR 10", sched_setscheduler(0, SCHED_RR, &sp));
    sched_rr_get_interval(0, &ts);
    printf("RR interval %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    sp.sched_priority = 0;
    show("setscheduler FIFO 0", sched_setscheduler(0, SCHED_FIFO, &sp));
    sp.sched_priority = 100;
    show("setscheduler FIFO 100", sched_setscheduler(0, SCHED_FIFO, &sp));
    sp.sched_priority = -1;
    show("setscheduler FIFO -1", sched_setscheduler(0, SCHED_FIFO, &sp));
    sp.sched_priority = 5;
    show("setscheduler OTHER 5", sched_setscheduler(0, SCHED_OTHER, &sp));
    sp.sched_priority = 0;
    show("setscheduler policy 4", sched_setscheduler(0, 4, &sp));
    show("setscheduler DEADLINE", sched_setscheduler(0, 6, &sp));
    show("setscheduler policy -1", sys(SYS_sched_setscheduler, 0, -1, (long)&sp, 0));
    show("setscheduler pid -1", sys(SYS_sched_setscheduler, -1, 0, (long)&sp, 0));
    show("setscheduler pid NOPID", sys(SYS_sched_setscheduler, NOPID, 0, (long)&sp, 0));
    show("setscheduler NULL", sys(SYS_sched_setscheduler, 0, 0, 0, 0));
    show("setscheduler bad param", sys(SYS_sched_setscheduler, 0, 0, (long)BAD, 0));
    show("setscheduler OTHER|RESET_ON_FORK", sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp));
    show("sched_getscheduler", sched_getscheduler(0));
    show("PR_GET_TIMERSLACK", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    show("setscheduler IDLE", sched_setscheduler(0, SCHED_IDLE, &sp));
    show("sched_getscheduler", sched_getscheduler(0));
    sp.sched_priority = 3;
    show("sched_setparam 3 (IDLE)", sched_setparam(0, &sp));
    show("setscheduler BATCH", sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){0}));
    show("setscheduler OTHER", sched_setscheduler(0, SCHED_OTHER, &(struct sched_param){0}));
    show("sched_getscheduler", sched_getscheduler(0));
    show("sched_yield", sched_yield());
}

static void affinity(void) {
    printf("== affinity\n");
    unsigned long mask[16], all;
    memset(mask, 0, sizeof mask);
    long n = sys(SYS_sched_getaffinity, 0, sizeof mask, (long)mask, 0);
    printf("sched_getaffinity 128: size ok %d, mask %lx\n", n >= 8 && n % 8 == 0, mask[0]);
    all = mask[0];
    show("sched_getaffinity 8", sys(SYS_sched_getaffinity, 0, 8, (long)mask, 0));
    show("sched_getaffinity 4", sys(SYS_sched_getaffinity, 0, 4, (long)mask, 0));
    show("sched_getaffinity 12", sys(SYS_sched_getaffinity, 0, 12, (long)mask, 0));
    show("sched_getaffinity pid NOPID", sys(SYS_sched_getaffinity, NOPID, 8, (long)mask, 0));
    show("sched_getaffinity bad", sys(SYS_sched_getaffinity, 0, 8, (long)BAD, 0));
    unsigned long one = 1;
    show("sched_setaffinity {0}", sys(SYS_sched_setaffinity, 0, 8, (long)&one, 0));
    sys(SYS_sched_getaffinity, 0, 8, (long)mask, 0);
    printf("mask %lx\n", mask[0]);
    unsigned cpu = 99, node = 99;
    show("getcpu", sys(SYS_getcpu, (long)&cpu, (long)&node, 0, 0));
    printf("cpu %u node %u\n", cpu, node);
    status("Cpus_allowed,Cpus_allowed_list");
    unsigned long none = 0, high = 1UL << 63;
    show("sched_setaffinity {}", sys(SYS_sched_setaffinity, 0, 8, (long)&none, 0));
    show("sched_setaffinity {63}", sys(SYS_sched_setaffinity, 0, 8, (long)&high, 0));
    show("sched_setaffinity len 0", sys(SYS_sched_setaffinity, 0, 0, (long)&one, 0));
    show("sched_setaffinity len 4", sys(SYS_sched_setaffinity, 0, 4, (long)&one, 0));
    show("sched_setaffinity bad", sys(SYS_sched_setaffinity, 0, 8, (long)BAD, 0));
    show("sched_setaffinity pid NOPID", sys(SYS_sched_setaffinity, NOPID, 8, (long)&one, 0));
    show("sched_setaffinity all", sys(SYS_sched_setaffinity, 0, 8, (long)&all, 0));
    sys(SYS_sched_getaffinity, 0, 8, (long)mask, 0);
    printf("mask %lx\n", mask[0]);
}

static void nice_calls(void) {
    printf("== nice\n");
    show("getpriority (raw: 20 - nice)", sys(SYS_getpriority, PRIO_PROCESS, 0, 0, 0));
    show("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
    show("getpriority raw", sys(SYS_getpriority, PRIO_PROCESS, 0, 0, 0));
    errno = 0;
    printf("getpriority libc = %d\n", getpriority(PRIO_PROCESS, 0));
    show("setpriority 100 (clamped)", setpriority(PRIO_PROCESS, getpid(), 100));
    show("getpriority raw", sys(SYS_getpriority, PRIO_PROCESS, getpid(), 0, 0));
    show("setpriority -100 (clamped)", setpriority(PRIO_PROCESS, 0, -100));
    show("getpriority raw", sys(SYS_getpriority, PRIO_PROCESS, 0, 0, 0));
    show("getpriority which 3", sys(SYS_getpriority, 3, 0, 0, 0));
    show("getpriority which -1", sys(SYS_getpriority, -1, 0, 0, 0));
    show("setpriority which 3", sys(SYS_setpriority, 3, 0, 0, 0));
    show("getpriority pid NOPID", sys(SYS_getpriority, PRIO_PROCESS, NOPID, 0, 0));
    show("setpriority pid NOPID", sys(SYS_setpriority, PRIO_PROCESS, NOPID, 0, 0));
    show("getpriority user 54321", sys(SYS_getpriority, PRIO_USER, 54321, 0, 0));
    show("getpriority pgrp NOPID", sys(SYS_getpriority, PRIO_PGRP, NOPID, 0, 0));
    show("setpriority 3", setpriority(PRIO_PROCESS, 0, 3));
}

static void personality_calls(void) {
    printf("== personality\n");
    show("personality query", personality(0xffffffff));
    show("personality ADDR_NO_RANDOMIZE", personality(ADDR_NO_RANDOMIZE));
    show("personality query", personality(0xffffffff));
    show("personality PER_LINUX", personality(PER_LINUX));
    show("personality query", personality(0xffffffff));
}

/* ---- usage and clocks --------------------------------------------------------------------------- */

static void usage_calls(void) {
    printf("== usage\n");
    volatile unsigned long x = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    do {
        for (int i = 0; i < 1000000; i++) x += i;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    } while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec < 60000000L);
    struct tms t;
    clock_t now = times(&t);
    printf("times: positive %d, user+sys >= 5 ticks %d, children %ld %ld\n", now > 0,
           t.tms_utime + t.tms_stime >= 5, (long)t.tms_cutime, (long)t.tms_cstime);
    show("times NULL > 0", times(NULL) > 0);
    show("times bad", sys(SYS_times, (long)BAD, 0, 0, 0));
    struct rusage ru;
    show("getrusage SELF", getrusage(RUSAGE_SELF, &ru));
    long us = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
    printf("self: cpu >= 50 ms %d, maxrss > 0 %d\n", us >= 50000, ru.ru_maxrss > 0);
    show("getrusage THREAD", getrusage(RUSAGE_THREAD, &ru));
    us = ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
    printf("thread: cpu >= 50 ms %d\n", us >= 50000);
    show("getrusage CHILDREN", getrusage(RUSAGE_CHILDREN, &ru));
    printf("children: %ld %ld %ld\n", ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec,
           ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec, ru.ru_maxrss);
    show("getrusage 5", sys(SYS_getrusage, 5, (long)&ru, 0, 0));
    show("getrusage bad", sys(SYS_getrusage, RUSAGE_SELF, (long)BAD, 0, 0));
    struct sysinfo si;
    show("sysinfo", sysinfo(&si));
    printf("sysinfo: uptime > 0 %d, ram %d, free <= total %d, procs >= 1 %d, unit %u\n",
           si.uptime > 0, si.totalram > 0, si.freeram <= si.totalram, si.procs >= 1, si.mem_unit);
    show("sysinfo bad", sys(SYS_sysinfo, (long)BAD, 0, 0, 0));
}

static void clock_calls(void) {
    printf("== clock_getres\n");
    int ids[] = {-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                 (int)((~(unsigned)getpid()) << 3 | 2), (int)((~(unsigned)NOPID) << 3 | 2)};
    for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        struct timespec ts = {-1, -1};
        long r = sys(SYS_clock_getres, ids[i], (long)&ts, 0, 0);
        int e = errno;
        if (ids[i] == 8 || ids[i] == 9) {
            /* the alarm clocks exist only with a wake-up RTC: the host decides */
            printf("clock %s alarm: %s\n", ids[i] == 8 ? "realtime" : "boottime",
                   r == 0 || e == EINVAL ? "ok or EINVAL" : strerrorname_np(e));
        } else if (r != 0) {
            printf("clock #%u: %s\n", i, strerrorname_np(e));
        } else {
            printf("clock #%u: %s\n", i, ts.tv_sec == 0 && ts.tv_nsec == 1 ? "1ns"
                   : ts.tv_sec == 0 && ts.tv_nsec >= 1000000 && ts.tv_nsec <= 10000000 ? "a tick" : "other");
        }
    }
    show("clock_getres NULL", sys(SYS_clock_getres, CLOCK_MONOTONIC, 0, 0, 0));
    show("clock_getres bad", sys(SYS_clock_getres, CLOCK_MONOTONIC, (long)BAD, 0, 0));
}

/* ---- prctl -------------------------------------------------------------------------------------- */

static void prctl_calls(void) {
    printf("== prctl\n");
    char name[32];
    memset(name, 'z', sizeof name);
    show("PR_GET_NAME", prctl(PR_GET_NAME, name, 0, 0, 0));
    printf("name [%s] padded %d\n", name, name[15] == 0);
    show("PR_SET_NAME long", prctl(PR_SET_NAME, "ident-renamed-with-a-long-name", 0, 0, 0));
    prctl(PR_GET_NAME, name, 0, 0, 0);
    printf("name [%s]\n", name);
    FILE *f = fopen("/proc/self/comm", "r");
    fgets(name, sizeof name, f);
    fclose(f);
    printf("comm %s", name);
    status("Name");
    show("PR_SET_NAME bad", prctl(PR_SET_NAME, BAD, 0, 0, 0));
    show("PR_GET_NAME bad", prctl(PR_GET_NAME, BAD, 0, 0, 0));
    show("PR_SET_NAME ident", prctl(PR_SET_NAME, "ident", 0, 0, 0));

    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    show("PR_SET_DUMPABLE 2", prctl(PR_SET_DUMPABLE, 2, 0, 0, 0));
    show("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    show("PR_SET_DUMPABLE 1", prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));

    int sig = -1;
    show("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
    printf("pdeathsig %d\n", sig);
    show("PR_SET_PDEATHSIG 65", prctl(PR_SET_PDEATHSIG, 65, 0, 0, 0));
    show("PR_SET_PDEATHSIG 9", prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0));
    prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    printf("pdeathsig %d\n", sig);
    show("PR_GET_PDEATHSIG bad", prctl(PR_GET_PDEATHSIG, BAD, 0, 0, 0));
    setfsuid(1);
    setfsuid(0);
    prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    printf("pdeathsig after an fsuid change %d\n", sig);
    show("PR_GET_DUMPABLE after an fsuid change", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);

    int v = -1;
    show("PR_GET_CHILD_SUBREAPER", prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0));
    printf("subreaper %d\n", v);
    show("PR_SET_CHILD_SUBREAPER 5", prctl(PR_SET_CHILD_SUBREAPER, 5, 0, 0, 0));
    prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0);
    printf("subreaper %d\n", v);
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);

    show("PR_GET_SECCOMP", prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    show("PR_GET_TIMING", prctl(PR_GET_TIMING, 0, 0, 0, 0));
    show("PR_SET_TIMING 1", prctl(PR_SET_TIMING, 1, 0, 0, 0));
    show("PR_GET_TIMERSLACK", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    show("PR_SET_TIMERSLACK 1000", prctl(PR_SET_TIMERSLACK, 1000, 0, 0, 0));
    show("PR_GET_TIMERSLACK", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    show("PR_SET_TIMERSLACK 0", prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));
    show("PR_GET_TIMERSLACK", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));

    int *addr = BAD;
    show("PR_GET_TID_ADDRESS", prctl(PR_GET_TID_ADDRESS, &addr, 0, 0, 0));
    int *orig = addr;
    printf("glibc's tid address set %d\n", orig != NULL && orig != BAD);
    static int mine;
    sys(SYS_set_tid_address, (long)&mine, 0, 0, 0);
    prctl(PR_GET_TID_ADDRESS, &addr, 0, 0, 0);
    printf("tid address follows set_tid_address %d\n", addr == &mine);
    sys(SYS_set_tid_address, (long)orig, 0, 0, 0);
    show("PR_GET_TID_ADDRESS bad", prctl(PR_GET_TID_ADDRESS, BAD, 0, 0, 0));

    show("PR_GET_THP_DISABLE", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
    show("PR_GET_THP_DISABLE with arg", prctl(PR_GET_THP_DISABLE, 1, 0, 0, 0));
    show("PR_SET_THP_DISABLE 1", prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
    show("PR_GET_THP_DISABLE", prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
    show("PR_SET_THP_DISABLE 0", prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0));
    show("PR_TASK_PERF_EVENTS_DISABLE", prctl(PR_TASK_PERF_EVENTS_DISABLE, 0, 0, 0, 0));
    show("prctl 9999", prctl(9999, 0, 0, 0, 0));
    show("prctl -1", prctl(-1, 0, 0, 0, 0));

    show("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("PR_GET_NO_NEW_PRIVS with arg", prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0));
    show("PR_SET_NO_NEW_PRIVS 0", prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0));
    show("PR_SET_NO_NEW_PRIVS 1 with arg3", prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0));
    show("PR_SET_NO_NEW_PRIVS 1", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    show("PR_GET_NO_NEW_PRIVS", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    status("NoNewPrivs");
}

/* ---- exec: set-user-ID files, no_new_privs, keepcaps, ambient capabilities ---------------------- */

static int report(void) {
    int sig = -1;
    prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    ids("  exec'd");
    caps("  exec'd");
    printf("  exec'd: AT_SECURE %lu keepcaps %d dumpable %d pdeathsig %d ambient KILL %d\n", getauxval(AT_SECURE),
           prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), sig,
           prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_KILL, 0, 0));
    return 0;
}

/* Runs `prog report` in a child after setup(); prints how the child ended. */
static void exec_child(const char *what, const char *prog, void (*setup)(void)) {
    printf("exec %s\n", what);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        setup();
        fflush(stdout);
        execl(prog, prog, "report", (char *)NULL);
        printf("  execl: %s\n", strerrorname_np(errno));
        fflush(stdout);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void as_root_keepcaps(void) {
    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
}

static void as_user(void) {
    prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
    setresuid(1000, 1000, 1000);
}

static void as_user_no_new_privs(void) {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    setresuid(1000, 1000, 1000);
}

static void real_user_only(void) {
    setresuid(1000, 0, 0);
}

static void user_with_ambient_kill(void) {
    prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
    setresuid(1000, 1000, 1000);
    capset3(0, cap_bits(1), 1ULL << CAP_KILL);
    printf("  raise ambient KILL: %ld\n", (long)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0));
}

static void exec_calls(void) {
    printf("== exec\n");
    char self[256], suid[80];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n < 0 ? 0 : n] = 0;
    snprintf(suid, sizeof suid, "%s-suid", file);
    int in = open(self, O_RDONLY), out = open(suid, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
    close(in);
    close(out);
    show("chmod 04755", chmod(suid, 04755));
    exec_child("as root, keepcaps and a parent-death signal set", self, as_root_keepcaps);
    exec_child("a set-user-ID root file as uid 1000", suid, as_user);
    exec_child("a plain file as uid 1000", self, as_user);
    exec_child("a set-user-ID root file under no_new_privs", suid, as_user_no_new_privs);
    exec_child("a plain file with real uid 1000, effective 0", self, real_user_only);
    exec_child("a plain file as uid 1000 with ambient KILL", self, user_with_ambient_kill);
    unlink(suid);
}

/* ---- dropping privileges ------------------------------------------------------------------------- */

static void try_file(const char *when) {
    int fd = open(file, O_RDONLY);
    printf("%s: open root-only file %s", when, fd >= 0 ? "ok" : strerrorname_np(errno));
    if (fd >= 0) close(fd);
    printf(", access R_OK %s", access(file, R_OK) == 0 ? "ok" : strerrorname_np(errno));
    printf(", eaccess R_OK %s\n", faccessat(AT_FDCWD, file, R_OK, AT_EACCESS) == 0 ? "ok" : strerrorname_np(errno));
}

static void drop_privileges(void) {
    printf("== dropping privileges\n");
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    write(fd, "secret\n", 7);
    close(fd);
    try_file("root");

    /* real uid 1000 only: access(2) checks the real uid, open the effective one */
    show("setresuid 1000 0 0", sys(SYS_setresuid, 1000, 0, 0, 0));
    ids("r1000");
    caps("r1000");
    try_file("r1000");
    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    show("setresuid 0 -1 -1", sys(SYS_setresuid, 0, -1, -1, 0));
    show("PR_GET_DUMPABLE (effective uid never changed)", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));

    /* effective uid 1000, saved 0: effective capabilities go, permitted stay */
    show("setresuid 1000 1000 0", sys(SYS_setresuid, 1000, 1000, 0, 0));
    ids("e1000");
    caps("e1000");
    try_file("e1000");
    show("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    show("unlink root's file in sticky /tmp", unlink(file));
    show("chmod root's file", chmod(file, 0644));
    show("chown root's file", chown(file, 1000, -1));
    show("setgroups", setgroups(0, NULL));
    show("setresuid 2000 -1 -1 (not one of ours)", sys(SYS_setresuid, 2000, -1, -1, 0));
    show("setreuid -1 2000", sys(SYS_setreuid, -1, 2000, 0, 0));
    show("setuid 2000", sys(SYS_setuid, 2000, 0, 0, 0));
    show("setfsuid 2000 (returns the old fs uid, changes nothing)", sys(SYS_setfsuid, 2000, 0, 0, 0));
    show("setfsuid -1", sys(SYS_setfsuid, -1, 0, 0, 0));
    show("capset raise effective from permitted", capset3(1ULL << CAP_KILL, cap_bits(1), 0));
    caps("e1000");
    show("capset back to nothing effective", capset3(0, cap_bits(1), 0));
    struct rlimit l;
    getrlimit(RLIMIT_CORE, &l);
    l.rlim_max = l.rlim_max == RLIM_INFINITY ? 1000 : l.rlim_max / 2;
    l.rlim_cur = 0;
    show("lower CORE hard", setrlimit(RLIMIT_CORE, &l));
    l.rlim_max = RLIM_INFINITY;
    show("raise CORE hard", setrlimit(RLIMIT_CORE, &l));
    show("setpriority 10 (up)", setpriority(PRIO_PROCESS, 0, 10));
    show("setpriority 3 (down, RLIMIT_NICE)", setpriority(PRIO_PROCESS, 0, 3));
    struct sched_param sp = {10};
    show("setscheduler FIFO", sched_setscheduler(0, SCHED_FIFO, &sp));
    show("PR_CAPBSET_DROP", prctl(PR_CAPBSET_DROP, CAP_CHOWN, 0, 0, 0));
    /* the effective uid may return to the saved one, and with it the effective set */
    show("setuid 0 (the saved uid)", sys(SYS_setuid, 0, 0, 0, 0));
    ids("back");
    caps("back");
    show("setresuid 0 0 0", sys(SYS_setresuid, 0, 0, 0, 0));
    show("setpriority 3", setpriority(PRIO_PROCESS, 0, 3));

    /* a file made as fs uid 1000 belongs to 1000 */
    show("setfsuid 1000", sys(SYS_setfsuid, 1000, 0, 0, 0));
    caps("fs1000");
    fd = open(file2, O_WRONLY | O_CREAT | O_EXCL, 0644);
    struct stat st;
    fstat(fd, &st);
    printf("new file owner %u group %u\n", st.st_uid, st.st_gid);
    close(fd);
    try_file("fs1000");
    show("chmod own file", chmod(file2, 0640));
    show("chown own file to 2000", chown(file2, 2000, -1));
    show("chgrp own file to 0 (its group)", chown(file2, -1, 0));
    show("utimensat explicit times on root's file", utimensat(AT_FDCWD, file, (struct timespec[2]){{1, 0}, {1, 0}}, 0));
    show("utimensat now on root's file (no write permission)", utimensat(AT_FDCWD, file, NULL, 0));
    show("setfsuid 0", sys(SYS_setfsuid, 0, 0, 0, 0));
    unlink(file2);

    /* everything: keep capabilities across the uid change, then drop them by hand */
    show("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    show("setresuid 1000 1000 1000", sys(SYS_setresuid, 1000, 1000, 1000, 0));
    ids("kept");
    caps("kept");
    try_file("kept");
    show("setuid 0", sys(SYS_setuid, 0, 0, 0, 0));
    show("capset effective = permitted", capset3(cap_bits(1), cap_bits(1), 0));
    caps("kept");
    try_file("kept, effective");
    show("unlink root's file with CAP_FOWNER", unlink(file));
    show("capset nothing", capset3(0, 0, 0));
    caps("dropped");
    status("Uid,Gid,CapPrm,CapEff");
    show("capset raise", capset3(0, 1ULL << CAP_KILL, 0));
    show("setuid 0", sys(SYS_setuid, 0, 0, 0, 0));
    show("setresuid 0 -1 -1", sys(SYS_setresuid, 0, -1, -1, 0));
    show("setgid 0 (the real gid)", sys(SYS_setgid, 0, 0, 0, 0));
    show("setgid 5", sys(SYS_setgid, 5, 0, 0, 0));
    show("setgroups", setgroups(0, NULL));
    show("open /etc/shadow", open("/etc/shadow", O_RDONLY));
    show("PR_SET_KEEPCAPS 0", prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "fsize-kill") == 0) return fsize_kill();
    if (argc > 1 && strcmp(argv[1], "report") == 0) return report();
    snprintf(file, sizeof file, "/tmp/jvisor-ident-%d", getpid());
    snprintf(file2, sizeof file2, "/tmp/jvisor-ident-%d-2", getpid());
    capability_calls();
    id_calls();
    limit_calls();
    nofile();
    fsize();
    sched_calls();
    affinity();
    nice_calls();
    personality_calls();
    usage_calls();
    clock_calls();
    exec_calls();
    prctl_calls();
    drop_privileges();
    return 0;
}
