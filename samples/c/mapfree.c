/* The life of file mappings: tmpfs/memfd contents must go back to the system once a file has no name,
 * no open fd and no mapping left, and not before.
 *
 * `mapfree loops [ROUNDS]` (default 2000) repeatedly makes 1 MiB files (memfd, shm_open, MAP_SHARED|
 * MAP_ANONYMOUS), maps, writes, unlinks/closes/unmaps them, also through MAP_PRIVATE, mremap and fork
 * (a child keeps a shared mapping alive after the parent unmaps it).
 * `mapfree ckpt [N [DELAY_MS]]` maps files whose names and fds are gone, counts slowly (a checkpoint
 * falls in there), then checks and unmaps them.
 *
 * stdout has only deterministic results. The memory use it measures (MemFree of /proc/meminfo,
 * exact in the sandbox, noisy on a shared host) goes to stderr as "mapfree: growth-kb PHASE KB". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB (1UL << 20)
#define PAGE 4096UL
#define CKPT_SIZE (4 * MIB)

static long memfree_kb(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long kb = -1;
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "MemFree: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

static long base_kb;

static void growth(const char *phase) {
    fprintf(stderr, "mapfree: growth-kb %s %ld\n", phase, base_kb - memfree_kb());
}

/* Writes one word in every page, so every page of the file is allocated. */
static void touch(unsigned char *p, size_t len, unsigned seed) {
    for (size_t off = 0; off < len; off += PAGE) *(unsigned *)(p + off) = (unsigned)(off / PAGE) * 2654435761u + seed;
}

/* Whether the pages of [from, to) of p hold what touch(p, ..., seed) wrote there. */
static int intact_range(const unsigned char *p, size_t from, size_t to, unsigned seed) {
    for (size_t off = from; off < to; off += PAGE)
        if (*(const unsigned *)(p + off) != (unsigned)(off / PAGE) * 2654435761u + seed) return 0;
    return 1;
}

static int intact(const unsigned char *p, size_t len, unsigned seed) {
    return intact_range(p, 0, len, seed);
}

static unsigned char *map_memfd(size_t len, int prot, int flags, int *fdp) {
    int fd = memfd_create("mapfree", 0);
    if (fd < 0 || ftruncate(fd, (off_t)len) != 0) { perror("memfd"); exit(1); }
    unsigned char *p = mmap(NULL, len, prot, flags, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    if (fdp) *fdp = fd; else close(fd);
    return p;
}

static void memfd_loop(int rounds) {
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        unsigned char *p = map_memfd(MIB, PROT_READ | PROT_WRITE, MAP_SHARED, NULL);
        touch(p, MIB, (unsigned)i);
        bad += !intact(p, MIB, (unsigned)i);
        munmap(p, MIB);
    }
    printf("memfd: %d rounds, %d bad\n", rounds, bad);
    growth("memfd");
}

static void shm_loop(int rounds) {
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        int fd = shm_open("/jvisor-mapfree", O_CREAT | O_EXCL | O_RDWR, 0600);
        if (fd < 0 || ftruncate(fd, (off_t)MIB) != 0) { perror("shm_open"); exit(1); }
        unsigned char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) { perror("mmap"); exit(1); }
        shm_unlink("/jvisor-mapfree");
        close(fd);
        touch(p, MIB, (unsigned)i);
        bad += !intact(p, MIB, (unsigned)i);
        munmap(p, MIB);
    }
    printf("shm_open: %d rounds, %d bad\n", rounds, bad);
    growth("shm_open");
}

static void shared_anon_loop(int rounds) {
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        unsigned char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) { perror("mmap"); exit(1); }
        touch(p, MIB, (unsigned)i);
        bad += !intact(p, MIB, (unsigned)i);
        munmap(p, MIB);
    }
    printf("MAP_SHARED|MAP_ANONYMOUS: %d rounds, %d bad\n", rounds, bad);
    growth("shared-anon");
}

/* A file cut to nothing while mapped: its pages go back once the mapping is gone, not before
 * (the mapping may still be reached until its changes apply), and the file grows back as zeros. */
static void truncate_loop(int rounds) {
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        int fd;
        unsigned char *p = map_memfd(MIB, PROT_READ | PROT_WRITE, MAP_SHARED, &fd);
        touch(p, MIB, (unsigned)i);
        if (ftruncate(fd, 0) != 0 || ftruncate(fd, PAGE) != 0) { perror("ftruncate"); exit(1); }
        bad += *(unsigned *)p != 0; /* the first page came back, as zeros */
        munmap(p, MIB);
        close(fd);
    }
    printf("ftruncate of a mapped memfd: %d rounds, %d bad\n", rounds, bad);
    growth("truncate");
}

/* A private mapping outlives the fd and the shared mapping the contents were written through. */
static void private_loop(int rounds) {
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        int fd;
        unsigned char *s = map_memfd(MIB, PROT_READ | PROT_WRITE, MAP_SHARED, &fd);
        touch(s, MIB, (unsigned)i);
        unsigned char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) { perror("mmap"); exit(1); }
        close(fd);
        munmap(s, MIB);
        bad += !intact(p, MIB, (unsigned)i);
        touch(p, MIB / 2, (unsigned)i + 1); /* copies half the pages */
        bad += !intact(p, MIB / 2, (unsigned)i + 1) || !intact_range(p, MIB / 2, MIB, (unsigned)i);
        munmap(p, MIB);
    }
    printf("MAP_PRIVATE of a closed memfd: %d rounds, %d bad\n", rounds, bad);
    growth("private");
}

/* mremap moves or grows a mapping whose file has no fd left; its contents go along. */
static void mremap_loop(int rounds) {
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        int fd;
        unsigned char *p = map_memfd(MIB, PROT_READ | PROT_WRITE, MAP_SHARED, &fd);
        touch(p, MIB, (unsigned)i);
        /* A neighbour right after it makes growing in place impossible, so the mapping moves. */
        unsigned char *block = mmap(p + MIB, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        close(fd);
        unsigned char *q = mremap(p, MIB, 2 * MIB, MREMAP_MAYMOVE);
        if (q == MAP_FAILED) { perror("mremap"); exit(1); }
        bad += !intact(q, MIB, (unsigned)i);
        /* Split it: unmap a page in the middle, then the rest piece by piece. */
        munmap(q + MIB / 2, PAGE);
        bad += !intact_range(q, MIB / 2 + PAGE, MIB, (unsigned)i);
        munmap(q, MIB / 2);
        munmap(q + MIB / 2 + PAGE, 2 * MIB - MIB / 2 - PAGE);
        if (block != MAP_FAILED) munmap(block, PAGE);
    }
    printf("mremap of a closed memfd: %d rounds, %d bad\n", rounds, bad);
    growth("mremap");
}

/* A fork child keeps a shared mapping (and so the file) alive after the parent unmaps it. */
static void fork_loop(int rounds) {
    int bad = 0;
    for (int i = 0; i < rounds; i++) {
        int go[2], back[2];
        if (pipe(go) != 0 || pipe(back) != 0) { perror("pipe"); exit(1); }
        unsigned char *p = map_memfd(MIB, PROT_READ | PROT_WRITE, MAP_SHARED, NULL);
        unsigned char *a = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        touch(p, MIB, (unsigned)i);
        touch(a, MIB, (unsigned)i + 7);
        pid_t pid = fork();
        if (pid == 0) {
            char c;
            read(go[0], &c, 1); /* the parent has unmapped both */
            c = (char)('0' + (intact(p, MIB, (unsigned)i) && intact(a, MIB, (unsigned)i + 7)));
            touch(p, MIB, (unsigned)i + 3);
            c = (char)(c == '1' && intact(p, MIB, (unsigned)i + 3) ? '1' : '0');
            write(back[1], &c, 1);
            _exit(0);
        }
        munmap(p, MIB);
        munmap(a, MIB);
        write(go[1], "x", 1);
        char c = '0';
        read(back[0], &c, 1);
        bad += c != '1';
        int st;
        waitpid(pid, &st, 0);
        close(go[0]), close(go[1]), close(back[0]), close(back[1]);
    }
    printf("fork child after the parent's munmap: %d rounds, %d bad\n", rounds, bad);
    growth("fork");
}

static void ckpt(int n, int delay_ms) {
    /* An unnamed memfd, a deleted shm file and shared anonymous memory, 4 MiB each, known only by
     * their mappings; a child shares them too. */
    unsigned char *m = map_memfd(CKPT_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, NULL);
    int fd = shm_open("/jvisor-mapfree-ckpt", O_CREAT | O_RDWR | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)(CKPT_SIZE)) != 0) { perror("shm_open"); exit(1); }
    unsigned char *s = mmap(NULL, CKPT_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    shm_unlink("/jvisor-mapfree-ckpt");
    close(fd);
    unsigned char *a = mmap(NULL, CKPT_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED || a == MAP_FAILED) { perror("mmap"); exit(1); }
    touch(m, CKPT_SIZE, 1);
    touch(s, CKPT_SIZE, 2);
    touch(a, CKPT_SIZE, 3);
    int go[2], back[2];
    pipe(go), pipe(back);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(go[0], &c, 1);
        c = (char)('0' + (intact(m, CKPT_SIZE, 1) && intact(s, CKPT_SIZE, 2) && intact(a, CKPT_SIZE, 3)));
        write(back[1], &c, 1);
        _exit(0);
    }
    for (int i = 1; i <= n; i++) {
        printf("count %d\n", i);
        fflush(stdout);
        struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    printf("parent sees its mappings: %d\n", intact(m, CKPT_SIZE, 1) && intact(s, CKPT_SIZE, 2) && intact(a, CKPT_SIZE, 3));
    munmap(m, CKPT_SIZE);
    munmap(s, CKPT_SIZE / 2); /* in two pieces: the VMA splits first */
    munmap(s + CKPT_SIZE / 2, CKPT_SIZE / 2);
    munmap(a, CKPT_SIZE);
    write(go[1], "x", 1);
    char c = '0';
    read(back[0], &c, 1);
    printf("child sees them after the parent's munmap: %c\n", c);
    int st;
    waitpid(pid, &st, 0);
    printf("child exited: %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    fflush(stdout);
    growth("ckpt");
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "loops";
    base_kb = memfree_kb();
    if (strcmp(mode, "ckpt") == 0) {
        ckpt(argc > 2 ? atoi(argv[2]) : 10, argc > 3 ? atoi(argv[3]) : 50);
        return 0;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 2000;
    memfd_loop(rounds);
    shm_loop(rounds);
    shared_anon_loop(rounds);
    private_loop(rounds / 4);
    truncate_loop(rounds / 4);
    mremap_loop(rounds / 4);
    fork_loop(rounds / 40 > 0 ? rounds / 40 : 1);
    return 0;
}
