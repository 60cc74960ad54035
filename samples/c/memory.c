/* Exercises anonymous memory: malloc/free/calloc/realloc of many sizes with checksums, a 64 MiB
 * allocation touching every page, mmap/munmap/mprotect, madvise(MADV_DONTNEED), brk growth and shrinking
 * through sbrk, MAP_FIXED over an existing mapping, munmap of the middle of a mapping and munmap spanning
 * several mappings. Prints only results (never addresses), so the output equals a native run's.
 * `memory SECTION...` runs only the named sections (see `sections` below) to narrow down a failure. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static unsigned long checksum(const unsigned char *p, size_t n) {
    unsigned long h = 1469598103934665603UL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211UL;
    return h;
}

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 31 + seed + (i >> 12));
}

static int all_zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

static void mallocs(void) {
    enum { N = 400 };
    static unsigned char *ptrs[N];
    static size_t sizes[N];
    static unsigned long sums[N];
    unsigned long total = 0;
    unsigned seed = 12345;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1103515245 + 12345;
            size_t sz = (seed >> 8) % (i % 10 == 9 ? 300000 : 3000) + 1; /* some go to mmap */
            sizes[i] = sz;
            ptrs[i] = malloc(sz);
            if (!ptrs[i]) { printf("malloc(%zu) failed\n", sz); exit(1); }
            fill(ptrs[i], sz, (unsigned)i + round);
            sums[i] = checksum(ptrs[i], sz);
        }
        int bad = 0;
        for (int i = 0; i < N; i += 2) { /* free every other one, then reallocate and recheck */
            free(ptrs[i]);
            ptrs[i] = NULL;
        }
        for (int i = 0; i < N; i += 2) {
            ptrs[i] = calloc(1, sizes[i]);
            if (!all_zero(ptrs[i], sizes[i])) bad++;
            fill(ptrs[i], sizes[i], (unsigned)i + round);
        }
        for (int i = 0; i < N; i++) {
            if (checksum(ptrs[i], sizes[i]) != sums[i]) bad++;
            total += sums[i] & 0xffff;
            ptrs[i] = realloc(ptrs[i], sizes[i] * 2);
            if (checksum(ptrs[i], sizes[i]) != sums[i]) bad++;
        }
        for (int i = 0; i < N; i++) free(ptrs[i]);
        printf("malloc round %d: %d bad, total %lu\n", round, bad, total);
    }
}

static void big_malloc(void) {
    size_t len = 64UL << 20;
    unsigned char *p = malloc(len);
    if (!p) { printf("64 MiB malloc failed\n"); return; }
    int zero = 1;
    for (size_t i = 0; i < len; i += PAGE) {
        if (p[i] != 0) zero = 0;
        p[i] = (unsigned char)(i / PAGE);
        p[i + PAGE - 1] = (unsigned char)(i / PAGE + 1);
    }
    unsigned long sum = 0;
    for (size_t i = 0; i < len; i += PAGE) sum += p[i] + p[i + PAGE - 1];
    printf("64 MiB malloc: fresh pages zero %s, sum %lu\n", zero ? "yes" : "no", sum);
    free(p);
}

static void mmap_basic(void) {
    size_t len = 16 * PAGE;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { printf("mmap failed: %d\n", errno); return; }
    printf("mmap: page aligned %s, zero %s\n", ((uintptr_t)p % PAGE) == 0 ? "yes" : "no",
           all_zero(p, len) ? "yes" : "no");
    fill(p, len, 7);
    unsigned long sum = checksum(p, len);
    int rc = mprotect(p, len, PROT_READ);
    printf("mprotect PROT_READ: %d, data kept %s\n", rc, checksum(p, len) == sum ? "yes" : "no");
    rc = mprotect(p + 4 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE);
    p[4 * PAGE] = 0xAB;
    printf("mprotect part back to RW: %d, write ok %s\n", rc, p[4 * PAGE] == 0xAB ? "yes" : "no");
    rc = mprotect(p, len, PROT_NONE);
    int rc2 = mprotect(p, len, PROT_READ | PROT_WRITE);
    printf("PROT_NONE and back: %d %d, data kept %s\n", rc, rc2, p[4 * PAGE] == 0xAB && p[1] == (unsigned char)(31 + 7) ? "yes" : "no");
    printf("munmap: %d\n", munmap(p, len));
    /* A fresh mapping at the same place reads as zero. */
    unsigned char *q = mmap(p, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("remap at same address: %s, zero %s\n", q == p ? "yes" : "no", q != MAP_FAILED && all_zero(q, len) ? "yes" : "no");
    munmap(q, len);
}

static void madvise_dontneed(void) {
    size_t len = 8 * PAGE;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 0x5A, len);
    int rc = madvise(p + 2 * PAGE, 3 * PAGE, MADV_DONTNEED);
    int zero_mid = all_zero(p + 2 * PAGE, 3 * PAGE);
    int kept = 1;
    for (size_t i = 0; i < 2 * PAGE; i++) kept &= p[i] == 0x5A;
    for (size_t i = 5 * PAGE; i < len; i++) kept &= p[i] == 0x5A;
    printf("madvise DONTNEED: %d, zeroed %s, rest kept %s\n", rc, zero_mid ? "yes" : "no", kept ? "yes" : "no");
    p[3 * PAGE] = 1;
    printf("write after DONTNEED: %s\n", p[3 * PAGE] == 1 && p[3 * PAGE + 1] == 0 ? "ok" : "bad");
    munmap(p, len);
}

static void brk_growth(void) {
    unsigned char *start = sbrk(0);
    unsigned char *old = sbrk(1 << 20);
    if (old == (void *)-1) { printf("sbrk failed: %d\n", errno); return; }
    unsigned char *end = sbrk(0);
    printf("sbrk grows by 1 MiB: %s, returns old break %s\n", end - start == (1 << 20) ? "yes" : "no", old == start ? "yes" : "no");
    int zero = all_zero(old, 1 << 20);
    fill(old, 1 << 20, 3);
    unsigned long sum = checksum(old, 1 << 20);
    unsigned long half = checksum(old, 1 << 19);
    printf("brk memory zero %s, checksum %lx\n", zero ? "yes" : "no", sum);
    sbrk(-(1 << 19));
    printf("sbrk shrink: %s\n", (unsigned char *)sbrk(0) == end - (1 << 19) ? "yes" : "no");
    /* Grow again: the re-grown half must read as zero (Linux frees shrunk brk pages). */
    unsigned char *again = sbrk(1 << 19);
    printf("re-grown brk zero: %s, first half kept %s\n", all_zero(again, 1 << 19) ? "yes" : "no",
           checksum(old, 1 << 19) == half ? "yes" : "no");
}

static void map_fixed_over(void) {
    size_t len = 8 * PAGE;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(p, 0x11, len);
    unsigned char *q = mmap(p + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    int ok_before = 1, ok_after = 1;
    for (size_t i = 0; i < 2 * PAGE; i++) ok_before &= p[i] == 0x11;
    for (size_t i = 4 * PAGE; i < len; i++) ok_after &= p[i] == 0x11;
    printf("MAP_FIXED over mapping: at hint %s, new pages zero %s, neighbours kept %s %s\n", q == p + 2 * PAGE ? "yes" : "no",
           all_zero(p + 2 * PAGE, 2 * PAGE) ? "yes" : "no", ok_before ? "yes" : "no", ok_after ? "yes" : "no");
    munmap(p, len);
    /* MAP_FIXED_NOREPLACE on an existing mapping fails with EEXIST. */
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    q = mmap(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE over mapping: %s errno %s\n", q == MAP_FAILED ? "failed" : "succeeded", strerrorname_np(errno) ? strerrorname_np(errno) : "0");
    munmap(p, len);
}

static void munmap_middle(void) {
    size_t len = 10 * PAGE;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(p, len, 9);
    unsigned long head = checksum(p, 3 * PAGE), tail = checksum(p + 6 * PAGE, 4 * PAGE);
    int rc = munmap(p + 3 * PAGE, 3 * PAGE);
    printf("munmap middle: %d\n", rc);
    printf("head intact %s, tail intact %s\n", checksum(p, 3 * PAGE) == head ? "yes" : "no",
           checksum(p + 6 * PAGE, 4 * PAGE) == tail ? "yes" : "no");
    p[0] = 1;
    p[9 * PAGE] = 2;
    /* The hole is unmapped: mprotect on it fails with ENOMEM, on the remaining parts it succeeds. */
    errno = 0;
    rc = mprotect(p + 3 * PAGE, PAGE, PROT_READ);
    printf("mprotect in hole: %d %s\n", rc, rc ? strerrorname_np(errno) : "");
    errno = 0;
    rc = mprotect(p, len, PROT_READ);
    printf("mprotect across hole: %d %s\n", rc, rc ? strerrorname_np(errno) : "");
    printf("mprotect head: %d, tail: %d\n", mprotect(p, 3 * PAGE, PROT_READ), mprotect(p + 6 * PAGE, 4 * PAGE, PROT_READ));
    /* A new mapping can fill the hole exactly. */
    unsigned char *h = mmap(p + 3 * PAGE, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("refill hole: %s, zero %s\n", h == p + 3 * PAGE ? "yes" : "no", h != MAP_FAILED && all_zero(h, 3 * PAGE) ? "yes" : "no");
    printf("munmap whole range (incl. already unmapped parts): %d\n", munmap(p, len));
    printf("munmap unmapped range again: %d\n", munmap(p, len));
}

static void munmap_span(void) {
    /* Three adjacent mappings (made with MAP_FIXED inside a reserved range so they are adjacent but
     * separate), all touched; one munmap covers the tail of the first, all of the second and the head
     * of the third. The hole must read as zero when mapped again, the outer parts keep their data. */
    size_t len = 24 * PAGE;
    unsigned char *base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *x = mmap(base, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    unsigned char *y = mmap(base + 8 * PAGE, 8 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    unsigned char *z = mmap(base + 16 * PAGE, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    memset(x, 0x21, 8 * PAGE);
    memset(y, 0x22, 8 * PAGE);
    memset(z, 0x23, 8 * PAGE);
    int rc = munmap(base + 5 * PAGE, 14 * PAGE);
    errno = 0;
    int hole = mprotect(base + 5 * PAGE, PAGE, PROT_READ);
    int e = errno;
    printf("munmap across 3 mappings: %d, hole unmapped %s\n", rc, hole == -1 && e == ENOMEM ? "yes" : "no");
    unsigned char *h = mmap(base + 5 * PAGE, 14 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    int kept = 1;
    for (size_t i = 0; i < 5 * PAGE; i++) kept &= x[i] == 0x21;
    for (size_t i = 19 * PAGE; i < len; i++) kept &= base[i] == 0x23;
    printf("hole remapped zero %s, outer parts kept %s\n", h == base + 5 * PAGE && all_zero(h, 14 * PAGE) ? "yes" : "no", kept ? "yes" : "no");
    memset(h, 0x24, 14 * PAGE);
    printf("munmap all: %d\n", munmap(base, len));
    /* The same with kernel-chosen addresses, the way malloc's realloc fallback does it. */
    unsigned char *m[6];
    size_t ml[6] = {46 * PAGE, 53 * PAGE, 60 * PAGE, 39 * PAGE, 68 * PAGE, 38 * PAGE};
    for (int i = 0; i < 6; i++) {
        m[i] = mmap(NULL, ml[i], PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        memset(m[i], 0x30 + i, ml[i]);
    }
    munmap(m[4] + PAGE, 39 * PAGE);
    unsigned char *g = mmap(NULL, 136 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(g, 0x40, 136 * PAGE);
    munmap(g + 107 * PAGE, 68 * PAGE); /* may span several mappings */
    int fresh_zero = 1;
    for (int round = 0; round < 4; round++) {
        unsigned char *n = mmap(NULL, 76 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        fresh_zero &= all_zero(n, 76 * PAGE);
        memset(n, 0x50 + round, 76 * PAGE);
    }
    printf("fresh mappings after spanning munmaps zero: %s\n", fresh_zero ? "yes" : "no");
}

static void many_mappings(void) {
    enum { M = 200 };
    static unsigned char *maps[M];
    int bad = 0;
    for (int i = 0; i < M; i++) {
        size_t len = (size_t)(i % 7 + 1) * PAGE;
        maps[i] = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (maps[i] == MAP_FAILED) { bad++; continue; }
        memset(maps[i], i & 0xff, len);
    }
    for (int i = 0; i < M; i++) {
        size_t len = (size_t)(i % 7 + 1) * PAGE;
        for (size_t j = 0; j < len; j += 512) if (maps[i][j] != (unsigned char)i) bad++;
        if (i % 3 == 0) munmap(maps[i], len);
    }
    for (int i = 0; i < M; i++) {
        size_t len = (size_t)(i % 7 + 1) * PAGE;
        if (i % 3 == 0) continue;
        for (size_t j = 0; j < len; j += 512) if (maps[i][j] != (unsigned char)i) bad++;
        munmap(maps[i], len);
    }
    printf("200 mappings: %d bad\n", bad);
}

static const struct { const char *name; void (*fn)(void); } sections[] = {
    {"malloc", mallocs}, {"big", big_malloc}, {"mmap", mmap_basic}, {"madvise", madvise_dontneed},
    {"brk", brk_growth}, {"fixed", map_fixed_over}, {"middle", munmap_middle}, {"span", munmap_span}, {"many", many_mappings},
};

/* memory [SECTION...]: runs every section, or only those named (to narrow down a failure). */
int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        int run = argc == 1;
        for (int a = 1; a < argc; a++) run |= strcmp(argv[a], sections[i].name) == 0;
        if (run) sections[i].fn();
    }
    printf("done\n");
    return 0;
}
