/* Timers as a checkpoint/restore workload: counts N SIGALRMs of an ITIMER_REAL at D ms intervals
 * (default 20 at 50 ms), printing each, while a POSIX interval timer (70 ms) counts its expirations
 * (signals plus overruns) and a one-shot POSIX timer fires once at 700 ms. It checks, on the
 * sandbox's CLOCK_MONOTONIC, that the Nth SIGALRM came no earlier than N intervals (an expiry that
 * fired twice would make it early) and not very late (a lost one would hang), that the expirations match
 * the time that passed, and that the one-shot fired once, on time: a restore must re-arm every timer
 * from the checkpointed state, neither losing nor repeating an expiry. Only deterministic lines are
 * printed, so the output can be compared with a native run. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static long long mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static volatile sig_atomic_t alarms, posix_signals, posix_overruns, oneshots;
static long long alarm_at[1000];
static volatile long long oneshot_at;

static int alarms_wanted;
static void on_alarm(int sig) {
    (void)sig;
    if (alarms < 1000) alarm_at[alarms] = mono();
    alarms++;
    if (alarms == alarms_wanted) {
        /* Disarmed here, not after the main loop: a slow machine must not count one more. */
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
    }
}

static void on_posix(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    posix_signals++;
    posix_overruns += si->si_overrun;
}

static void on_oneshot(int sig) {
    (void)sig;
    oneshots++;
    oneshot_at = mono();
}

static void handle(int sig, void (*h)(int), void (*a)(int, siginfo_t *, void *)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (a) {
        sa.sa_sigaction = a;
        sa.sa_flags = SA_SIGINFO;
    } else {
        sa.sa_handler = h;
    }
    sigaction(sig, &sa, NULL);
}

static timer_t posix_timer(int sig, long long value, long long interval) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = sig;
    timer_t t;
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec s = {{interval / 1000000000LL, interval % 1000000000LL}, {value / 1000000000LL, value % 1000000000LL}};
    timer_settime(t, 0, &s, NULL);
    return t;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20;
    alarms_wanted = n;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 50;
    size_t len = 1 << 20;
    unsigned char *buf = malloc(len);
    for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)(i * 11);
    unsigned long sum = 0;
    handle(SIGALRM, on_alarm, NULL);
    handle(SIGRTMIN, NULL, on_posix);
    handle(SIGUSR1, on_oneshot, NULL);
    long long t0 = mono();
    timer_t every = posix_timer(SIGRTMIN, 70 * MS, 70 * MS);
    timer_t once = posix_timer(SIGUSR1, 700 * MS, 0);
    struct itimerval it = {{0, delay_ms * 1000}, {0, delay_ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    sigset_t none;
    sigemptyset(&none);
    int printed = 0;
    while (printed < n) {
        sigsuspend(&none);
        while (printed < alarms && printed < n) {
            printed++;
            for (size_t j = 0; j < len; j += 4096) sum += buf[j] ^ (unsigned)printed;
            buf[(size_t)printed * 4096 % len] += (unsigned char)printed;
            printf("alarm %d sum %lu\n", printed, sum);
            fflush(stdout);
        }
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    timer_delete(every);
    long long end = mono();
    timer_delete(once);
    long long last = alarm_at[n - 1] - t0;
    long long expected = (end - t0) / (70 * MS);
    long long counted = posix_signals + posix_overruns;
    printf("SIGALRMs: %d\n", alarms);
    printf("last SIGALRM on time: %s\n", last >= (long long)n * delay_ms * MS && last < (long long)n * delay_ms * MS + 2000 * MS ? "yes" : "no");
    printf("POSIX interval timer expirations match the time: %s\n", counted >= expected - 1 && counted <= expected + 1 ? "yes" : "no");
    printf("one-shot fired once, on time: %s\n",
           oneshots == 1 && oneshot_at - t0 >= 700 * MS && oneshot_at - t0 < 2700 * MS ? "yes" : "no");
    if (getenv("TIMERCKPT_DEBUG")) {
        for (int i = 0; i < n && i < 1000; i++) fprintf(stderr, "%lld ", (alarm_at[i] - t0) / MS);
        fprintf(stderr, "\n");
    }
    if (getenv("TIMERCKPT_DEBUG"))
        fprintf(stderr, "last %lld counted %lld expected %lld oneshot %lld\n", last, counted,
                expected, oneshot_at - t0);
    return 0;
}
