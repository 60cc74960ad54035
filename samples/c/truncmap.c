/* A file that shrinks under its shared mappings (tmpfs and memfd), as Linux's truncate_pagecache
 * has it: a page wholly past the new end gives SIGBUS (BUS_ADRERR) on read and on write, in this
 * process and in a fork child that maps it too; a syscall that reads such a page fails with EFAULT;
 * the part before the end stays shared; and when the file grows again, the pages come back as zeros.
 * Prints only deterministic lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static sigjmp_buf jb;

static void on_bus(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    printf("  signal %s code %d\n", sig == SIGBUS ? "SIGBUS" : "other", si->si_code);
    siglongjmp(jb, 1);
}

static void try_read(const char *what, volatile char *p) {
    if (!sigsetjmp(jb, 1)) {
        char c = *p;
        printf("  read %s: %d\n", what, c);
    } else {
        printf("  read %s: faulted\n", what);
    }
}

static void try_write(const char *what, volatile char *p, char v) {
    if (!sigsetjmp(jb, 1)) {
        *p = v;
        printf("  write %s: done\n", what);
    } else {
        printf("  write %s: faulted\n", what);
    }
}

static void run(const char *name, int fd) {
    printf("%s\n", name);
    if (ftruncate(fd, 4 * PAGE) != 0) { perror("ftruncate"); exit(1); }
    char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    for (int i = 0; i < 4; i++) p[i * PAGE] = (char)('a' + i);
    int go[2], done[2];
    if (pipe(go) != 0 || pipe(done) != 0) { perror("pipe"); exit(1); }
    pid_t child = fork();
    if (child == 0) {
        char b;
        if (read(go[0], &b, 1) != 1) _exit(2);
        printf(" child after the shrink:\n");
        try_read("page 0", p);
        try_read("page 2", p + 2 * PAGE);
        fflush(stdout);
        _exit(0);
    }
    /* Half a page in: page 1 keeps its first half, pages 2 and 3 are past the end. */
    if (ftruncate(fd, PAGE + PAGE / 2) != 0) { perror("ftruncate"); exit(1); }
    printf(" after the shrink:\n");
    try_read("page 0", p);
    try_read("page 1", p + PAGE);
    try_read("page 1, past the end in its page", p + PAGE + PAGE / 2 + 1);
    try_read("page 2", p + 2 * PAGE);
    try_write("page 3", p + 3 * PAGE, 'z');
    errno = 0;
    ssize_t w = write(done[1], p + 2 * PAGE, 1);
    printf("  write(2) from page 2: %zd %s\n", w, w < 0 ? strerror(errno) : "");
    fflush(stdout);
    if (write(go[1], "x", 1) != 1) exit(1);
    int st;
    waitpid(child, &st, 0);
    printf(" child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    if (ftruncate(fd, 4 * PAGE) != 0) { perror("ftruncate"); exit(1); }
    printf(" after growing back:\n");
    try_read("page 1", p + PAGE);
    try_read("page 2", p + 2 * PAGE);
    try_read("page 3", p + 3 * PAGE);
    char buf[1];
    pread(fd, buf, 1, 3 * PAGE);
    printf("  pread page 3: %d\n", buf[0]);
    munmap(p, 4 * PAGE);
    close(go[0]); close(go[1]); close(done[0]); close(done[1]);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = memfd_create("truncmap", 0);
    if (fd < 0) { perror("memfd_create"); return 1; }
    run("memfd", fd);
    close(fd);
    char path[] = "/tmp/truncmap-XXXXXX";
    fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); return 1; }
    unlink(path);
    run("tmp file", fd);
    close(fd);
    return 0;
}
