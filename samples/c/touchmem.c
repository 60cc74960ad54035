/* `touchmem MIB`: touches MIB MiB of heap, the first half pseudo-random (incompressible), the second
 * half written with zeros (populated but all-zero pages), prints "ready", then ticks every 10 ms for
 * a while and checks the random half is intact. Used by bench/checkpoint.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? strtoul(argv[1], 0, 10) : 64;
    int ticks = argc > 2 ? atoi(argv[2]) : 300;
    size_t len = mib << 20, half = len / 2;
    uint64_t *m = malloc(len);
    if (!m) {
        perror("malloc");
        return 1;
    }
    uint64_t s = 88172645463325252ULL;
    for (size_t i = 0; i < half / 8; i++) m[i] = next(&s);
    memset((char *)m + half, 0, len - half);
    printf("ready\n");
    fflush(stdout);
    struct timespec ts = {0, 10 * 1000 * 1000};
    for (int t = 0; t < ticks; t++) nanosleep(&ts, 0);
    s = 88172645463325252ULL;
    for (size_t i = 0; i < half / 8; i++)
        if (m[i] != next(&s)) {
            printf("corrupt at %zu\n", i);
            return 2;
        }
    printf("intact\n");
    return 0;
}
