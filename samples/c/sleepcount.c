/* Like count.c, but sleeps with clock_nanosleep (relative and absolute, on CLOCK_MONOTONIC) and checks
 * that CLOCK_MONOTONIC never goes backwards and that every sleep lasted at least as long as asked.
 * It prints only deterministic lines, so its output can be compared with a native run, and it is a
 * checkpoint/restore workload: the monotonic clock must continue across a restore. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 50;
    size_t len = 1 << 20;
    unsigned char *buf = malloc(len);
    for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)(i * 13);
    unsigned long sum = 0;
    int backwards = 0, short_sleeps = 0, errors = 0;
    long long last = now_ns();
    for (int i = 1; i <= n; i++) {
        for (size_t j = 0; j < len; j += 4096) sum += buf[j] ^ (unsigned)i;
        buf[(size_t)i * 4096 % len] += (unsigned char)i;
        printf("tick %d sum %lu\n", i, sum);
        fflush(stdout);
        long long before = now_ns();
        if (before < last) backwards++;
        int rc;
        if (i % 2) {
            struct timespec rel = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
            rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &rel, NULL);
        } else {
            long long target = before + (long long)delay_ms * 1000000LL;
            struct timespec abs = {(time_t)(target / 1000000000LL), (long)(target % 1000000000LL)};
            rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
        }
        if (rc != 0) errors++;
        long long after = now_ns();
        if (after < before) backwards++;
        if (after - before < (long long)delay_ms * 1000000LL) short_sleeps++;
        last = after;
    }
    printf("monotonic went backwards: %d\n", backwards);
    printf("sleeps shorter than asked: %d\n", short_sleeps);
    printf("clock_nanosleep errors: %d\n", errors);
    return backwards || short_sleeps || errors ? 1 : 0;
}
