/* POSIX record locks (fcntl F_SETLK) belong to the process: closing ANY of its fds for the file
 * releases them all (close, dup2 over it, close_range, exec's close-on-exec), and so does exit; open
 * file description locks (F_OFD_SETLK) go only with their description. A child process probes.
 * Usage: recordlocks [PARENT] (default /dev/shm); recordlocks --exec FD (the exec'd part). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char path[256];

/* A child opens the file and tries to take a write lock on [0, 10): prints who holds it. */
static void probe(const char *label) {
    pid_t c = fork();
    if (c == 0) {
        int fd = open(path, O_RDWR);
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
        if (fcntl(fd, F_SETLK, &fl) == 0) {
            printf("%s: free\n", label);
        } else {
            int err = errno;
            struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
            fcntl(fd, F_GETLK, &q);
            printf("%s: held (%s), l_type %d pid %s\n", label, strerror(err), q.l_type,
                   q.l_pid == getppid() ? "parent" : q.l_pid == -1 ? "-1 (OFD)" : "other");
        }
        _exit(0);
    }
    waitpid(c, NULL, 0);
}

static int lock(int fd, int cmd, short type) {
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    return fcntl(fd, cmd, &fl);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 3 && strcmp(argv[1], "--exec") == 0) {
        /* after exec: the close-on-exec fd is gone, and with it the lock */
        snprintf(path, sizeof path, "%s", getenv("LOCKFILE"));
        probe("after exec closed the close-on-exec fd");
        unlink(path);
        return 0;
    }
    const char *parent = argc > 1 ? argv[1] : "/dev/shm";
    snprintf(path, sizeof path, "%s/recordlocksXXXXXX", parent);
    int fd = mkstemp(path);
    write(fd, "0123456789", 10);

    printf("lock: %d\n", lock(fd, F_SETLK, F_WRLCK));
    probe("locked");
    int other = open(path, O_RDONLY);
    close(other);
    probe("after closing another fd of the file");

    lock(fd, F_SETLK, F_WRLCK);
    int d = dup(fd);
    close(d);
    probe("after closing a dup");

    lock(fd, F_SETLK, F_WRLCK);
    int a = open(path, O_RDONLY);
    int b = open("/dev/null", O_RDONLY);
    dup2(b, a); /* closes the fd of the file that was at a */
    probe("after dup2 over another fd of the file");
    close(a);
    close(b);

    lock(fd, F_SETLK, F_WRLCK);
    int c = open(path, O_RDONLY);
    syscall(SYS_close_range, c, c, 0);
    probe("after close_range");

    lock(fd, F_SETLK, F_WRLCK);
    int u = open("/dev/null", O_RDONLY);
    close(u);
    probe("after closing an fd of another file");

    /* a thread-less child that shares nothing: its own fds do not release the parent's lock */
    pid_t k = fork();
    if (k == 0) {
        close(fd);
        _exit(0);
    }
    waitpid(k, NULL, 0);
    probe("after a child closed its copy of the fd");

    /* OFD locks belong to the description: closing another fd does not drop them */
    lock(fd, F_SETLK, F_UNLCK);
    int o = open(path, O_RDWR);
    printf("OFD lock: %d\n", lock(o, F_OFD_SETLK, F_WRLCK));
    int o2 = open(path, O_RDONLY);
    close(o2);
    probe("OFD lock after closing another fd");
    int od = dup(o);
    close(o);
    probe("OFD lock after closing one of two fds of its description");
    close(od);
    probe("OFD lock after the last fd");

    /* exit releases */
    k = fork();
    if (k == 0) {
        int f = open(path, O_RDWR);
        lock(f, F_SETLK, F_WRLCK);
        printf("child locked\n");
        kill(getpid(), SIGSTOP);
        _exit(0);
    }
    int st;
    waitpid(k, &st, WUNTRACED);
    probe("a stopped child holds it");
    kill(k, SIGKILL);
    waitpid(k, NULL, 0);
    probe("after the child died");

    /* exec: close-on-exec fds close like close(2) */
    lock(fd, F_SETLK, F_WRLCK);
    int ce = open(path, O_RDONLY | O_CLOEXEC);
    (void)ce;
    probe("before exec");
    setenv("LOCKFILE", path, 1);
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", fd);
    execl("/proc/self/exe", argv[0], "--exec", fdarg, (char *)NULL);
    perror("execl");
    return 1;
}
