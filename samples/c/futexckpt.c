/* Futex waits across a checkpoint: a FUTEX_WAIT with a relative timeout and a FUTEX_WAIT_BITSET with
 * an absolute deadline, each of TIMEOUT_MS (default 2000). A checkpoint taken during a wait must
 * neither end it early nor start its timeout over: the waits still time out, once, after about their
 * timeout on the (sandbox) monotonic clock. Usage: futexckpt [TIMEOUT_MS]. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void report(const char *what, long r, long start, long timeout_ns) {
    long waited = now_ns() - start;
    printf("%s: %ld %s\n", what, r, r < 0 && errno == ETIMEDOUT ? "ETIMEDOUT" : "unexpected");
    /* A wait restarted from scratch after the checkpoint would take about half as long again. */
    printf("  waited about the timeout: %d\n", waited >= timeout_ns && waited < timeout_ns + timeout_ns / 3);
    fflush(stdout);
}

int main(int argc, char **argv) {
    long timeout_ms = argc > 1 ? atol(argv[1]) : 2000;
    long timeout_ns = timeout_ms * 1000000L;
    static uint32_t word = 1;
    printf("waiting %ld ms twice\n", timeout_ms);
    fflush(stdout);

    struct timespec rel = {timeout_ns / 1000000000L, timeout_ns % 1000000000L};
    long start = now_ns();
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &rel, NULL, 0);
    report("relative wait", r, start, timeout_ns);

    start = now_ns();
    long at = start + timeout_ns;
    struct timespec abs = {at / 1000000000L, at % 1000000000L};
    r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    report("absolute wait", r, start, timeout_ns);
    return 0;
}
