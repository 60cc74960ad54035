/* `churn MIB PASSES`: two threads keep rewriting MIB MiB of memory, pass after pass, each pass
 * checking that every word still holds what the previous pass wrote; the main thread also moves
 * data through a pipe and a file in /tmp into its memory (writes by the kernel). A checkpoint taken
 * while it runs must capture one consistent moment: a restored copy that saw a later write (or lost
 * one) reports the torn word. Prints one line at the end. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t words;
static int passes;

static uint64_t value(uint64_t pass, size_t i, uint64_t salt) {
    return (pass * 0x9E3779B97F4A7C15ULL) ^ (i * 0xBF58476D1CE4E5B9ULL) ^ salt;
}

static void churn(uint64_t *m, uint64_t salt, int kernel_io) {
    static char io[65536];
    int fd = -1, p[2] = {-1, -1};
    if (kernel_io) {
        fd = open("/tmp/churn.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || pipe(p) < 0) {
            perror("setup");
            exit(1);
        }
    }
    for (size_t i = 0; i < words; i++) m[i] = value(0, i, salt);
    for (int pass = 1; pass <= passes; pass++) {
        for (size_t i = 0; i < words; i++) {
            if (m[i] != value(pass - 1, i, salt)) {
                printf("torn: pass %d word %zu salt %llx\n", pass, i, (unsigned long long)salt);
                exit(2);
            }
            m[i] = value(pass, i, salt);
        }
        if (kernel_io) {
            /* The kernel writes these bytes into our memory: through a pipe and from a file. */
            memset(io, pass & 0xff, sizeof io);
            if (write(p[1], io, sizeof io) != sizeof io || read(p[0], io, sizeof io) != sizeof io) exit(3);
            for (size_t i = 0; i < sizeof io; i++)
                if (io[i] != (char)(pass & 0xff)) {
                    printf("pipe data torn at pass %d\n", pass);
                    exit(2);
                }
            if (pwrite(fd, m, sizeof io, 0) != sizeof io || pread(fd, io, sizeof io, 0) != sizeof io) exit(3);
            if (memcmp(io, m, sizeof io) != 0) {
                printf("file data torn at pass %d\n", pass);
                exit(2);
            }
        }
    }
}

static void *second(void *arg) {
    churn(arg, 0x5555, 0);
    return 0;
}

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? strtoul(argv[1], 0, 10) : 16;
    passes = argc > 2 ? atoi(argv[2]) : 50;
    words = (mib << 20) / 2 / sizeof(uint64_t);
    uint64_t *a = malloc(words * sizeof *a), *b = malloc(words * sizeof *b);
    if (!a || !b) {
        perror("malloc");
        return 1;
    }
    pthread_t t;
    pthread_create(&t, 0, second, b);
    churn(a, 0xAAAA, 1);
    pthread_join(t, 0);
    printf("%d passes over %zu MiB: consistent\n", passes, mib);
    return 0;
}
