/* A file of a bind-mounted directory DIR mapped MAP_SHARED, as databases do (sqlite's WAL index, LMDB):
 *   bindmap map DIR           stores through one mapping are seen by another process's mapping, by
 *                             read(2), and write(2) is seen by the mapping; msync and munmap put the
 *                             bytes in the host file (the test reads DIR/f afterwards); shrinking the
 *                             file gives SIGBUS past its end
 *   bindmap ckpt DIR N MS     maps DIR/c, stores, counts N times every MS ms (a checkpoint falls there),
 *                             then stores more and unmaps: the host file has both
 * Output is deterministic, so a native run prints the same. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf jb;

static void on_bus(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    printf("  signal %d code %d\n", sig, si->si_code);
    siglongjmp(jb, 1);
}

static char *map(int fd, size_t len) {
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    return p;
}

static void shared(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/f", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, 2 * PAGE) != 0) { perror("open"); exit(1); }
    char *p = map(fd, 2 * PAGE);
    strcpy(p, "stored through the mapping");
    strcpy(p + PAGE, "second page");
    pid_t child = fork();
    if (child == 0) {
        char *q = map(fd, 2 * PAGE);
        printf("child sees: %s / %s\n", q, q + PAGE);
        strcpy(q + 100, "stored by the child");
        _exit(0);
    }
    int st;
    waitpid(child, &st, 0);
    char buf[64] = {0};
    pread(fd, buf, 19, 100);
    printf("read(2) sees the child's store: %s\n", buf);
    pwrite(fd, "written by pwrite", 17, 200);
    printf("the mapping sees pwrite: %.17s\n", p + 200);
    if (msync(p, 2 * PAGE, MS_SYNC) != 0) perror("msync");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    if (ftruncate(fd, PAGE) != 0) perror("ftruncate");
    if (!sigsetjmp(jb, 1)) printf("past the end after a shrink: %d\n", p[PAGE]);
    else printf("past the end after a shrink: faulted\n");
    strcpy(p + 300, "after the shrink");
    munmap(p, 2 * PAGE);
    close(fd);
    fd = open(path, O_RDONLY);
    memset(buf, 0, sizeof buf);
    pread(fd, buf, 16, 300);
    printf("reopened after munmap: %s, size %ld\n", buf, (long)lseek(fd, 0, SEEK_END));
    close(fd);
}

static void ckpt(const char *dir, int n, int ms) {
    char path[4096];
    snprintf(path, sizeof path, "%s/c", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, PAGE) != 0) { perror("open"); exit(1); }
    char *p = map(fd, PAGE);
    close(fd);
    strcpy(p, "before the count;");
    struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
    for (int i = 1; i <= n; i++) {
        printf("count %d\n", i);
        fflush(stdout);
        nanosleep(&d, NULL);
    }
    printf("the mapping still holds: %s\n", p);
    strcat(p, " after the count");
    munmap(p, PAGE);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 3 && strcmp(argv[1], "map") == 0) {
        shared(argv[2]);
    } else if (argc >= 5 && strcmp(argv[1], "ckpt") == 0) {
        ckpt(argv[2], atoi(argv[3]), atoi(argv[4]));
    } else {
        fprintf(stderr, "usage: bindmap map DIR | bindmap ckpt DIR N MS\n");
        return 2;
    }
    return 0;
}
