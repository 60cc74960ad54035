/* Counts to N (default 20), printing one line every D milliseconds (default 50): the C/R walking skeleton.
 * Its state (the counter, a checksum over a heap buffer) lives in app memory, so a restored run that
 * continues correctly proves registers and memory both survived. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 50;
    size_t len = 1 << 20;
    unsigned char *buf = malloc(len);
    for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)(i * 7);
    unsigned long sum = 0;
    double acc = 0.5;
    for (int i = 1; i <= n; i++) {
        for (size_t j = 0; j < len; j += 4096) sum += buf[j] + (unsigned)i;
        acc = acc * 1.5 + i;
        buf[(size_t)i * 4096 % len] ^= (unsigned char)i;
        printf("count %d sum %lu acc %.3f\n", i, sum, acc);
        fflush(stdout);
        struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return 0;
}
