/* alarm(2), setitimer(2) and getitimer(2) as Linux does them: errnos, remaining-time values and their
 * rounding, interval reloads when SIGALRM is delivered (not while it is pending), a SIG_IGN'd
 * interval timer that stops, ITIMER_PROF and ITIMER_VIRTUAL on CPU time, no inheritance by fork,
 * survival across execve. Times are only printed as ranges, so the output is deterministic.
 *   itimer            every check
 *   itimer die        alarm(1) with SIGALRM's default action: killed by SIGALRM
 *   itimer afterexec  (run by the sample itself) what an itimer looks like after execve */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, profs, vtalrms;

static void on_alarm(int sig) { (void)sig; alarms++; }
static void on_prof(int sig) { (void)sig; profs++; }
static void on_vtalrm(int sig) { (void)sig; vtalrms++; }

static const char *err(int rc) {
    static char buf[64];
    if (rc == 0) return "ok";
    snprintf(buf, sizeof buf, "%s", errno == EINVAL ? "EINVAL" : errno == EFAULT ? "EFAULT" : strerror(errno));
    return buf;
}

static long long usec(struct timeval tv) { return (long long)tv.tv_sec * 1000000LL + tv.tv_usec; }

/* Prints the interval exactly and whether the value lies in [lo, hi] microseconds. */
static void show(const char *what, struct itimerval *v, long long lo, long long hi) {
    long long val = usec(v->it_value);
    printf("%s: interval %ld.%06ld value %s\n", what, (long)v->it_interval.tv_sec, (long)v->it_interval.tv_usec,
           val >= lo && val <= hi ? "in range" : "OUT OF RANGE");
    if (!(val >= lo && val <= hi)) printf("  (value %lld us, expected %lld..%lld)\n", val, lo, hi);
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void set_handler(int sig, void (*h)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sigaction(sig, &sa, NULL);
}

static void wait_alarms(int n) {
    sigset_t none;
    sigemptyset(&none);
    while (alarms < n) sigsuspend(&none);
}

static void errnos(void) {
    struct itimerval v, old;
    memset(&v, 0, sizeof v);
    printf("getitimer(99): %s\n", err(getitimer(99, &v)));
    printf("getitimer(-1): %s\n", err(getitimer(-1, &v)));
    printf("setitimer(99): %s\n", err(setitimer(99, &v, NULL)));
    printf("getitimer(REAL, bad): %s\n", err(getitimer(ITIMER_REAL, (void *)8)));
    printf("setitimer(REAL, bad): %s\n", err(setitimer(ITIMER_REAL, (void *)8, NULL)));
    v.it_value.tv_usec = 1000000;
    printf("setitimer usec 1000000: %s\n", err(setitimer(ITIMER_REAL, &v, NULL)));
    v.it_value.tv_usec = -1;
    printf("setitimer usec -1: %s\n", err(setitimer(ITIMER_REAL, &v, NULL)));
    v.it_value.tv_usec = 0;
    v.it_value.tv_sec = -1;
    printf("setitimer sec -1: %s\n", err(setitimer(ITIMER_REAL, &v, NULL)));
    v.it_value.tv_sec = 0;
    v.it_interval.tv_usec = 1000000;
    printf("setitimer interval usec 1000000: %s\n", err(setitimer(ITIMER_REAL, &v, NULL)));
    v.it_interval.tv_usec = 0;
    v.it_value.tv_sec = 3;
    printf("setitimer old bad: %s\n", err(setitimer(ITIMER_REAL, &v, (void *)8)));
    /* The new value was set although the old one could not be written. */
    getitimer(ITIMER_REAL, &old);
    show("after bad old", &old, 1500000, 3000000);
    printf("setitimer(REAL, NULL, old): %s\n", err(setitimer(ITIMER_REAL, NULL, &old)));
    show("old of NULL set", &old, 1500000, 3000000);
    getitimer(ITIMER_REAL, &old);
    show("after NULL set", &old, 0, 0);
}

static void values(void) {
    struct itimerval v = {{1, 250000}, {2, 500000}}, g, old;
    for (int w = 0; w < 3; w++) {
        getitimer(w, &g);
        printf("initial %d: %lld %lld\n", w, usec(g.it_interval), usec(g.it_value));
    }
    printf("set REAL 2.5s/1.25s: %s\n", err(setitimer(ITIMER_REAL, &v, NULL)));
    getitimer(ITIMER_REAL, &g);
    show("get REAL", &g, 1250000, 2500000);
    struct itimerval z = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &z, &old);
    show("old REAL", &old, 1250000, 2500000);
    getitimer(ITIMER_REAL, &g);
    show("disarmed REAL", &g, 0, 0);
    /* A value of zero disarms, and the interval goes with it. */
    struct itimerval iv_only = {{0, 500000}, {0, 0}};
    setitimer(ITIMER_REAL, &iv_only, NULL);
    getitimer(ITIMER_REAL, &g);
    show("interval only", &g, 0, 0);
    /* Microsecond values come back as set (no rounding to ticks). */
    struct itimerval odd = {{0, 123457}, {7, 654321}};
    setitimer(ITIMER_REAL, &odd, NULL);
    getitimer(ITIMER_REAL, &g);
    show("odd values", &g, 3654321, 7654321);
    setitimer(ITIMER_REAL, &z, NULL);
}

static void alarms_calls(void) {
    printf("alarm(5): %u\n", alarm(5));
    printf("alarm(3): %u\n", alarm(3)); /* 4.99..s left: rounded to 5 */
    struct itimerval g;
    getitimer(ITIMER_REAL, &g);
    show("after alarm(3)", &g, 1500000, 3000000);
    printf("alarm(0): %u\n", alarm(0));
    struct itimerval small = {{0, 0}, {0, 200000}};
    setitimer(ITIMER_REAL, &small, NULL);
    printf("alarm(0) with 0.2s left: %u\n", alarm(0)); /* never 0 while one is pending */
    struct itimerval big = {{0, 0}, {2, 300000}};
    setitimer(ITIMER_REAL, &big, NULL);
    printf("alarm(0) with 2.3s left: %u\n", alarm(0)); /* less than half a second over: 2 */
    printf("alarm(0) when none: %u\n", alarm(0));
}

static void firing(void) {
    set_handler(SIGALRM, on_alarm);
    /* A one-shot timer: one signal, then nothing is left. */
    alarms = 0;
    struct itimerval once = {{0, 0}, {0, 30000}}, g;
    setitimer(ITIMER_REAL, &once, NULL);
    wait_alarms(1);
    getitimer(ITIMER_REAL, &g);
    printf("one-shot: %d signal, left %lld %lld\n", alarms, usec(g.it_interval), usec(g.it_value));
    /* An interval timer reloads at each delivery. */
    alarms = 0;
    struct itimerval every = {{0, 40000}, {0, 40000}};
    setitimer(ITIMER_REAL, &every, NULL);
    wait_alarms(5);
    getitimer(ITIMER_REAL, &g);
    show("interval after 5", &g, 1, 40000);
    struct itimerval z = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &z, NULL);
    printf("interval: %d signals\n", alarms);
    alarm(1);
    int rc = pause();
    printf("alarm(1) then pause: %d %s\n", rc, errno == EINTR ? "EINTR" : "?");
    printf("alarms: %d\n", alarms);
}

static void blocked(void) {
    sigset_t s, old, pend;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    sigprocmask(SIG_BLOCK, &s, &old);
    alarms = 0;
    struct itimerval every = {{0, 20000}, {0, 20000}}, g;
    setitimer(ITIMER_REAL, &every, NULL);
    sleep_ms(200);
    /* Fired once; not reloaded while SIGALRM is pending: the value reads 0, the interval stays. */
    getitimer(ITIMER_REAL, &g);
    printf("pending: interval %lld value %lld\n", usec(g.it_interval), usec(g.it_value));
    sigpending(&pend);
    printf("SIGALRM pending: %d\n", sigismember(&pend, SIGALRM));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("after unblock: %d signal\n", alarms);
    getitimer(ITIMER_REAL, &g);
    show("reloaded", &g, 1, 20000);
    /* sigwait also reloads it. */
    sigprocmask(SIG_BLOCK, &s, NULL);
    int sig = 0;
    sigwait(&s, &sig);
    printf("sigwait: %d\n", sig);
    getitimer(ITIMER_REAL, &g);
    show("reloaded by sigwait", &g, 1, 20000);
    struct itimerval z = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &z, NULL);
    /* A disarm leaves an already pending SIGALRM pending. */
    struct itimerval once = {{0, 0}, {0, 10000}};
    setitimer(ITIMER_REAL, &once, NULL);
    sleep_ms(50);
    setitimer(ITIMER_REAL, &z, NULL);
    sigpending(&pend);
    printf("pending after disarm: %d\n", sigismember(&pend, SIGALRM));
    alarms = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("delivered after disarm: %d\n", alarms);
}

static void ignored(void) {
    set_handler(SIGALRM, SIG_IGN);
    struct itimerval every = {{0, 20000}, {0, 20000}}, g, z = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &every, NULL);
    sleep_ms(150);
    /* The ignored SIGALRM is never dequeued, so the timer is not reloaded. */
    getitimer(ITIMER_REAL, &g);
    printf("ignored: interval %lld value %lld\n", usec(g.it_interval), usec(g.it_value));
    setitimer(ITIMER_REAL, &z, NULL);
    set_handler(SIGALRM, on_alarm);
}

static void cpu_timers(void) {
    set_handler(SIGPROF, on_prof);
    set_handler(SIGVTALRM, on_vtalrm);
    struct itimerval prof = {{0, 20000}, {0, 20000}}, g, z = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &prof, NULL);
    getitimer(ITIMER_PROF, &g);
    show("PROF set", &g, 1, 40000);
    setitimer(ITIMER_VIRTUAL, &prof, NULL);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    volatile unsigned long spin = 0;
    do {
        for (int i = 0; i < 100000; i++) spin += i;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((profs < 3 || vtalrms < 3) && now.tv_sec - start.tv_sec < 20);
    setitimer(ITIMER_PROF, &z, NULL);
    setitimer(ITIMER_VIRTUAL, &z, &g);
    printf("PROF signals >= 3: %s\n", profs >= 3 ? "yes" : "no");
    printf("VIRTUAL signals >= 3: %s\n", vtalrms >= 3 ? "yes" : "no");
    show("VIRTUAL old", &g, 1, 40000);
    getitimer(ITIMER_PROF, &g);
    printf("PROF disarmed: %lld %lld\n", usec(g.it_interval), usec(g.it_value));
    /* A CPU timer does not run while the process sleeps. */
    struct itimerval longer = {{0, 0}, {0, 500000}};
    setitimer(ITIMER_VIRTUAL, &longer, NULL);
    sleep_ms(100);
    getitimer(ITIMER_VIRTUAL, &g);
    show("VIRTUAL after sleeping", &g, 300000, 520000);
    setitimer(ITIMER_VIRTUAL, &z, NULL);
}

static void fork_and_exec(const char *self) {
    struct itimerval v = {{1, 0}, {30, 0}}, g;
    setitimer(ITIMER_REAL, &v, NULL);
    pid_t p = fork();
    if (p == 0) {
        getitimer(ITIMER_REAL, &g);
        printf("child REAL: %lld %lld\n", usec(g.it_interval), usec(g.it_value));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    fflush(stdout);
    execl(self, self, "afterexec", (char *)NULL);
    perror("execl");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "die") == 0) {
        printf("alarm(1) with the default action\n");
        alarm(1);
        for (;;) pause();
    }
    if (argc > 1 && strcmp(argv[1], "afterexec") == 0) {
        struct itimerval g, z = {{0, 0}, {0, 0}};
        getitimer(ITIMER_REAL, &g);
        show("after exec REAL", &g, 29000000, 30000000);
        setitimer(ITIMER_REAL, &z, NULL);
        return 0;
    }
    errnos();
    values();
    alarms_calls();
    firing();
    blocked();
    ignored();
    cpu_timers();
    fork_and_exec(argv[0]);
    return 1;
}
