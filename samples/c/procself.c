/* What a process learns about itself from /proc: prints one line per check, the same natively and in
 * the sandbox (paths and facts, no addresses, pids or sizes that differ between the two). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

extern char **environ;

/* Reads a whole file into a NUL-terminated buffer; returns its length or -1. */
static long slurp(const char *path, char *buf, long size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    long n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r <= 0) break;
        n += r;
    }
    close(fd);
    buf[n] = 0;
    return n;
}

/* The value of "Key:\t..." in a status-like file, up to the newline. */
static const char *field(const char *text, const char *key, char *out, size_t size) {
    const char *p = strstr(text, key);
    if (!p) return "(missing)";
    p += strlen(key);
    while (*p == ' ' || *p == '\t') p++;
    size_t i = 0;
    while (p[i] && p[i] != '\n' && i < size - 1) { out[i] = p[i]; i++; }
    out[i] = 0;
    return out;
}

static char buf[1 << 20];

int main(int argc, char **argv) {
    char tmp[4096], val[256];
    ssize_t n;

    n = readlink("/proc/self/exe", tmp, sizeof tmp - 1);
    tmp[n < 0 ? 0 : n] = 0;
    printf("exe: %s\n", tmp);
    char *real = realpath(argv[0], NULL);
    printf("exe is argv[0]: %d\n", real && strcmp(real, tmp) == 0);

    n = readlink("/proc/self/cwd", tmp, sizeof tmp - 1);
    tmp[n < 0 ? 0 : n] = 0;
    char cwd[4096];
    printf("cwd matches getcwd: %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd, tmp) == 0);
    n = readlink("/proc/self/root", tmp, sizeof tmp - 1);
    tmp[n < 0 ? 0 : n] = 0;
    printf("root: %s\n", tmp);
    char self[64];
    n = readlink("/proc/self", self, sizeof self - 1);
    self[n < 0 ? 0 : n] = 0;
    printf("self is pid: %d\n", atoi(self) == getpid());

    slurp("/proc/self/status", buf, sizeof buf);
    printf("Name: %s\n", field(buf, "Name:", val, sizeof val));
    printf("State: %s\n", field(buf, "State:", val, sizeof val));
    printf("Pid matches: %d\n", atoi(field(buf, "\nPid:", val, sizeof val)) == getpid());
    printf("Tgid matches: %d\n", atoi(field(buf, "Tgid:", val, sizeof val)) == getpid());
    printf("Uid: %s\n", field(buf, "Uid:", val, sizeof val));
    printf("Threads: %s\n", field(buf, "Threads:", val, sizeof val));
    printf("has VmRSS: %d\n", strstr(buf, "\nVmRSS:") != NULL);
    printf("has SigBlk: %d\n", strstr(buf, "\nSigBlk:") != NULL);

    slurp("/proc/self/stat", buf, sizeof buf);
    int spid = 0;
    char scomm[64] = "", sstate = '?';
    sscanf(buf, "%d %63s %c", &spid, scomm, &sstate);
    int fields = 0;
    for (char *p = strrchr(buf, ')'); p && *p; p++) if (*p == ' ') fields++;
    /* pid and (comm) are the first two fields; one space before each later one */
    printf("stat: pid matches %d, comm %s, state %c, fields %d\n", spid == getpid(), scomm, sstate, fields + 2);

    slurp("/proc/self/maps", buf, sizeof buf);
    printf("maps has [stack]: %d\n", strstr(buf, "[stack]\n") != NULL);
    char exe[4096];
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n < 0 ? 0 : n] = 0;
    printf("maps names the executable: %d\n", strstr(buf, exe) != NULL);
    unsigned long lo, hi, addr = (unsigned long)&buf;
    int found = 0;
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi) found = 1;
    }
    printf("maps covers a global: %d\n", found);

    long len = slurp("/proc/self/cmdline", buf, sizeof buf);
    long want = 0;
    for (int i = 0; i < argc; i++) want += strlen(argv[i]) + 1;
    int same = len == want;
    for (long off = 0, i = 0; same && i < argc; off += strlen(argv[i]) + 1, i++) {
        same = strcmp(buf + off, argv[i]) == 0;
    }
    printf("cmdline matches argv: %d\n", same);

    len = slurp("/proc/self/environ", buf, sizeof buf);
    long off = 0;
    same = 1;
    int count = 0;
    for (char **e = environ; *e; e++, count++) {
        if (off >= len || strcmp(buf + off, *e) != 0) same = 0;
        off += strlen(*e) + 1;
    }
    printf("environ matches (%s): %d\n", count > 0 ? "non-empty" : "empty", same && off == len);

    slurp("/proc/self/comm", buf, sizeof buf);
    printf("comm: %s", buf);

    len = slurp("/proc/self/auxv", buf, sizeof buf);
    unsigned long *av = (unsigned long *)buf;
    int pagesz = 0, entry = 0;
    for (long i = 0; i + 1 < len / 8; i += 2) {
        if (av[i] == AT_PAGESZ) pagesz = av[i + 1] == 4096;
        if (av[i] == AT_ENTRY) entry = av[i + 1] == getauxval(AT_ENTRY);
    }
    printf("auxv: pagesz %d, entry %d, ends with AT_NULL %d\n", pagesz, entry, len >= 16 && av[len / 8 - 2] == 0);

    slurp("/proc/self/limits", buf, sizeof buf);
    printf("limits header: %.25s|\n", buf);

    DIR *d = opendir("/proc/self/fd");
    int fds = 0, std = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        fds++;
        if (!strcmp(de->d_name, "0") || !strcmp(de->d_name, "1") || !strcmp(de->d_name, "2")) std++;
    }
    if (d) closedir(d);
    printf("fd dir: %d entries, stdio %d\n", fds, std);
    int fd = open("/proc/self/status", O_RDONLY);
    snprintf(tmp, sizeof tmp, "/proc/self/fd/%d", fd);
    n = readlink(tmp, val, sizeof val - 1);
    val[n < 0 ? 0 : n] = 0;
    snprintf(tmp, sizeof tmp, "/proc/%d/status", getpid());
    printf("fd link of an open proc file: %d\n", strcmp(val, tmp) == 0);
    snprintf(tmp, sizeof tmp, "/proc/self/fdinfo/%d", fd);
    slurp(tmp, buf, sizeof buf);
    printf("fdinfo: pos %s", strstr(buf, "pos:\t0\n") == buf ? "0" : "?");
    printf(", flags %s\n", field(buf, "flags:", val, sizeof val));
    errno = 0;
    int wfd = open("/proc/self/status", O_WRONLY);
    ssize_t wr = write(wfd, "x", 1);
    printf("write to status: %zd %s\n", wr, wr < 0 ? strerror(errno) : "ok");
    close(wfd);
    /* a rewind re-reads fresh contents */
    char a[256] = "", b[256] = "";
    read(fd, a, sizeof a - 1);
    lseek(fd, 0, SEEK_SET);
    read(fd, b, sizeof b - 1);
    printf("re-read after rewind: %d\n", strcmp(a, b) == 0);
    close(fd);

    /* writing through /proc/self/fd/1 and /dev/stdout reaches stdout */
    fflush(stdout);
    int o = open("/proc/self/fd/1", O_WRONLY | O_APPEND); /* append: stdout may be a file */
    write(o, "via /proc/self/fd/1\n", 20);
    close(o);
    o = open("/dev/stdout", O_WRONLY | O_APPEND);
    write(o, "via /dev/stdout\n", 16);
    close(o);
    lseek(1, 0, SEEK_END); /* if stdout is a file: past what the other opens appended */

    struct utsname u;
    uname(&u);
    slurp("/proc/sys/kernel/osrelease", buf, sizeof buf);
    printf("osrelease matches uname: %d\n", strncmp(buf, u.release, strlen(u.release)) == 0);
    slurp("/proc/sys/kernel/hostname", buf, sizeof buf);
    printf("hostname matches uname: %d\n", strncmp(buf, u.nodename, strlen(u.nodename)) == 0);
    slurp("/proc/sys/kernel/ostype", buf, sizeof buf);
    printf("ostype: %s", buf);

    slurp("/proc/cpuinfo", buf, sizeof buf);
    int procs = 0;
    for (char *p = buf; (p = strstr(p, "processor\t:")) != NULL; p++) procs++;
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    printf("cpuinfo processors match affinity: %d\n", procs == CPU_COUNT(&set));
    printf("cpuinfo has flags: %d\n", strstr(buf, "\nflags\t\t: ") != NULL);
    slurp("/proc/meminfo", buf, sizeof buf);
    printf("meminfo starts with MemTotal: %d\n", strncmp(buf, "MemTotal:", 9) == 0);
    slurp("/proc/uptime", buf, sizeof buf);
    printf("uptime positive: %d\n", atof(buf) > 0);
    slurp("/proc/mounts", buf, sizeof buf);
    printf("mounts has /proc: %d\n", strstr(buf, " /proc proc ") != NULL);
    struct stat st;
    lstat("/proc/mounts", &st);
    printf("/proc/mounts is a symlink: %d\n", S_ISLNK(st.st_mode));
    printf("/proc/1/nonexistent: %d\n", access("/proc/self/nonexistent", F_OK));
    return 0;
}
