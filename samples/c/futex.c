/* futex(2), futex_waitv(2) and the robust-list calls in one process: every operation's argument
 * checks, return values and errnos, FUTEX_WAKE_OP's write, CMP_REQUEUE's EAGAIN, timeouts on both
 * clocks, PI locks without contention, and robust-list registration. Prints one line per check. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2 13
#endif
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define NOTASK 0x3fff0000 /* a TID beyond any pid_max: names no task */

struct waitv {
    uint64_t val, uaddr;
    uint32_t flags, reserved;
};

static const char *ename(int e) {
    switch (e) {
    case EAGAIN: return "EAGAIN";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EDEADLK: return "EDEADLK";
    case EINTR: return "EINTR";
    default: return "E?";
    }
}

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, ename(errno));
    else printf("%s: %ld\n", what, r);
}

static long fx(void *uaddr, int op, int val, const void *ts_or_val2, void *uaddr2, int val3) {
    return syscall(SYS_futex, uaddr, op, val, ts_or_val2, uaddr2, val3);
}

static long now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static struct timespec ts_of(long ns) {
    struct timespec ts = {ns / 1000000000L, ns % 1000000000L};
    return ts;
}

/* A timed wait: its result, and whether at least min_ns passed. */
static void timed(const char *what, int op, uint32_t *word, struct timespec *ts, long min_ns, clockid_t c) {
    long t0 = now_ns(CLOCK_MONOTONIC);
    long r = fx(word, op, *word, ts, NULL, FUTEX_BITSET_MATCH_ANY);
    int e = errno;
    long waited = now_ns(CLOCK_MONOTONIC) - t0;
    (void)c;
    errno = e;
    show(what, r);
    printf("  waited long enough: %d\n", waited >= min_ns);
}

static void basics(uint32_t *w, void *unmapped, uint32_t *ro) {
    struct timespec ts;
    *w = 7;
    show("wait private mismatch", fx(w, FUTEX_WAIT_PRIVATE, 8, NULL, NULL, 0));
    show("wait shared mismatch", fx(w, FUTEX_WAIT, 8, NULL, NULL, 0));
    show("wait misaligned", fx((char *)w + 2, FUTEX_WAIT_PRIVATE, 7, NULL, NULL, 0));
    show("wait unmapped", fx(unmapped, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    show("wait NULL", fx(NULL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    show("wait shared read-only anon", fx(ro, FUTEX_WAIT, 0, NULL, NULL, 0));
    show("wait private read-only anon", fx(ro, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
    show("wait kernel address", fx((void *)0xffff880000000000UL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));

    ts = ts_of(50 * 1000000L);
    timed("wait relative 50ms", FUTEX_WAIT_PRIVATE, w, &ts, 50 * 1000000L, CLOCK_MONOTONIC);
    ts = ts_of(now_ns(CLOCK_MONOTONIC) + 50 * 1000000L);
    timed("wait_bitset monotonic deadline", FUTEX_WAIT_BITSET_PRIVATE, w, &ts, 40 * 1000000L, CLOCK_MONOTONIC);
    ts = ts_of(now_ns(CLOCK_REALTIME) + 50 * 1000000L);
    timed("wait_bitset realtime deadline", FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, w, &ts, 40 * 1000000L,
          CLOCK_REALTIME);
    ts = ts_of(0);
    timed("wait_bitset deadline passed", FUTEX_WAIT_BITSET, w, &ts, 0, CLOCK_MONOTONIC);
    ts = ts_of(0);
    timed("wait zero timeout", FUTEX_WAIT, w, &ts, 0, CLOCK_MONOTONIC);

    ts.tv_sec = 0; ts.tv_nsec = 1000000000L;
    show("wait nsec 1e9", fx(w, FUTEX_WAIT_PRIVATE, 7, &ts, NULL, 0));
    ts.tv_sec = 0; ts.tv_nsec = -1;
    show("wait nsec -1", fx(w, FUTEX_WAIT_PRIVATE, 7, &ts, NULL, 0));
    ts.tv_sec = -1; ts.tv_nsec = 0;
    show("wait sec -1", fx(w, FUTEX_WAIT_PRIVATE, 7, &ts, NULL, 0));
    show("wait timespec unmapped", fx(w, FUTEX_WAIT_PRIVATE, 7, unmapped, NULL, 0));
    show("wait misaligned + bad timespec", fx((char *)w + 1, FUTEX_WAIT_PRIVATE, 7, &ts, NULL, 0));
    ts = ts_of(1000000);
    show("wait CLOCK_REALTIME", fx(w, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 7, &ts, NULL, 0));
    show("wait CLOCK_REALTIME no timeout", fx(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 7, NULL, NULL, 0));
    show("wait CLOCK_REALTIME timespec unmapped", fx(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 7, unmapped, NULL, 0));
    ts.tv_sec = -1;
    show("wait CLOCK_REALTIME bad timespec", fx(w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 7, &ts, NULL, 0));
    show("wait_bitset bitset 0", fx(w, FUTEX_WAIT_BITSET_PRIVATE, 7, NULL, NULL, 0));
    show("wait_bitset bitset 0 misaligned", fx((char *)w + 1, FUTEX_WAIT_BITSET_PRIVATE, 7, NULL, NULL, 0));
    show("wait_bitset mismatch", fx(w, FUTEX_WAIT_BITSET_PRIVATE, 6, NULL, NULL, 0x10));

    show("wake none", fx(w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("wake 0", fx(w, FUTEX_WAKE, 0, NULL, NULL, 0));
    show("wake INT_MAX", fx(w, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0));
    show("wake misaligned", fx((char *)w + 2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("wake private unmapped", fx(unmapped, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("wake shared unmapped", fx(unmapped, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("wake shared read-only anon", fx(ro, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("wake private read-only anon", fx(ro, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("wake kernel address", fx((void *)0xffff880000000000UL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    show("wake_bitset bitset 0", fx(w, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
    show("wake_bitset", fx(w, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0x3));
    show("wake CLOCK_REALTIME", fx(w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));

    show("FUTEX_FD", fx(w, FUTEX_FD, 0, NULL, NULL, 0));
    show("op 14", fx(w, 14, 0, NULL, NULL, 0));
    show("op 15", fx(w, 15, 0, NULL, NULL, 0));
    show("op 0x200|WAKE", fx(w, 0x200 | FUTEX_WAKE, 1, NULL, NULL, 0));
    show("op -1", fx(w, -1, 0, NULL, NULL, 0));
}

static void requeues(uint32_t *w, uint32_t *w2, void *unmapped) {
    *w = 3;
    show("requeue none", fx(w, FUTEX_REQUEUE_PRIVATE, 1, (void *)1L, w2, 0));
    show("requeue nr_wake -1", fx(w, FUTEX_REQUEUE_PRIVATE, -1, (void *)1L, w2, 0));
    show("requeue nr_requeue -1", fx(w, FUTEX_REQUEUE_PRIVATE, 1, (void *)0xffffffffL, w2, 0));
    show("requeue nr_requeue 2^32 (truncated to 0)", fx(w, FUTEX_REQUEUE_PRIVATE, 1, (void *)0x100000000L, w2, 0));
    show("requeue same futex", fx(w, FUTEX_REQUEUE_PRIVATE, 0, (void *)5L, w, 0));
    show("requeue misaligned target", fx(w, FUTEX_REQUEUE_PRIVATE, 1, (void *)1L, (char *)w2 + 1, 0));
    show("requeue shared unmapped target", fx(w, FUTEX_REQUEUE, 1, (void *)1L, unmapped, 0));
    show("cmp_requeue match", fx(w, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, w2, 3));
    show("cmp_requeue mismatch", fx(w, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, w2, 4));
    show("cmp_requeue shared mismatch", fx(w, FUTEX_CMP_REQUEUE, 1, (void *)1L, w2, 4));
    show("cmp_requeue unmapped", fx(unmapped, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, w2, 0));
    show("cmp_requeue bad counts", fx(w, FUTEX_CMP_REQUEUE_PRIVATE, -5, (void *)1L, w2, 4));
}

static void wake_op(uint32_t *w, uint32_t *w2, uint32_t *ro, void *unmapped) {
    static const char *ops[] = {"SET", "ADD", "OR", "ANDN", "XOR", "op5", "op6", "op7"};
    char what[96];
    for (int op = 0; op < 8; op++) {
        for (int shift = 0; shift <= 1; shift++) {
            *w2 = 0x0f0;
            int oparg = shift ? 5 : 0x0aa;
            long r = fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2,
                        FUTEX_OP(op | (shift ? FUTEX_OP_OPARG_SHIFT : 0), oparg, FUTEX_OP_CMP_EQ, 0));
            snprintf(what, sizeof what, "wake_op %s%s", ops[op], shift ? " shifted" : "");
            show(what, r);
            printf("  word 0x0f0 -> 0x%x\n", *w2);
        }
    }
    /* negative (sign-extended) arguments and shifts out of range */
    *w2 = 10;
    show("wake_op ADD -1", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2, FUTEX_OP(FUTEX_OP_ADD, 0xfff, 0, 0)));
    printf("  word 10 -> %d\n", (int)*w2);
    *w2 = 0;
    show("wake_op OR shift 33", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2,
                                   FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 33, 0, 0)));
    printf("  word 0 -> 0x%x\n", *w2);
    *w2 = 0;
    show("wake_op OR shift -1", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2,
                                   FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 0xfff, 0, 0)));
    printf("  word 0 -> 0x%x\n", *w2);
    for (int cmp = 0; cmp < 16; cmp++) {
        *w2 = 5;
        long r = fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2, FUTEX_OP(FUTEX_OP_ADD, 1, cmp, 5));
        snprintf(what, sizeof what, "wake_op cmp %d", cmp);
        show(what, r);
        printf("  word 5 -> %d\n", (int)*w2);
    }
    *w2 = 5;
    show("wake_op cmp -2048 (sign-extended)", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2,
                                                 FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_GT, 0x800)));
    printf("  word 5 -> %d\n", (int)*w2);
    show("wake_op read-only target", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, ro, FUTEX_OP(0, 1, 0, 0)));
    show("wake_op shared read-only target", fx(w, FUTEX_WAKE_OP, 1, (void *)1L, ro, FUTEX_OP(0, 1, 0, 0)));
    show("wake_op unmapped target", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, unmapped, FUTEX_OP(0, 1, 0, 0)));
    show("wake_op misaligned target", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, (char *)w2 + 2, FUTEX_OP(0, 1, 0, 0)));
    show("wake_op misaligned source", fx((char *)w + 2, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2, FUTEX_OP(0, 1, 0, 0)));
    show("wake_op private unmapped source", fx(unmapped, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, w2, FUTEX_OP(0, 1, 0, 0)));
    show("wake_op shared unmapped source", fx(unmapped, FUTEX_WAKE_OP, 1, (void *)1L, w2, FUTEX_OP(0, 1, 0, 0)));
    show("wake_op bad op unmapped target", fx(w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, unmapped, FUTEX_OP(6, 1, 0, 0)));
}

static void pi(uint32_t *w, uint32_t *w2, uint32_t *ro, void *unmapped) {
    uint32_t tid = (uint32_t)syscall(SYS_gettid);
    struct timespec ts;
#define WORD(label) printf("  word %s\n", *w == 0 ? "0" : *w == tid ? "tid" : (*w & ~FUTEX_TID_MASK) && (*w & FUTEX_TID_MASK) == tid ? (*w & FUTEX_OWNER_DIED ? (*w & FUTEX_WAITERS ? "tid|WAITERS|OWNER_DIED" : "tid|OWNER_DIED") : "tid|WAITERS") : label)
    *w = 0;
    show("lock_pi free", fx(w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    WORD("?");
    show("lock_pi own", fx(w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("trylock_pi own", fx(w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("lock_pi2 own", fx(w, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0));
    show("unlock_pi", fx(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    WORD("?");
    show("unlock_pi free", fx(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    *w = NOTASK;
    show("unlock_pi not owner", fx(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("trylock_pi free", (*w = 0, fx(w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0)));
    WORD("?");
    show("unlock_pi shared", fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    WORD("?");
    *w = FUTEX_OWNER_DIED;
    show("lock_pi owner died", fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    WORD("?");
    show("unlock_pi owner died", fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    WORD("?");
    *w = FUTEX_WAITERS;
    show("lock_pi stale waiters", fx(w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    WORD("?");
    *w = tid | FUTEX_WAITERS;
    show("unlock_pi waiters bit, none waiting", fx(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    WORD("?");
    *w = NOTASK;
    show("lock_pi dead owner", fx(w, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    printf("  word 0x%x\n", *w);
    *w = NOTASK;
    show("trylock_pi dead owner", fx(w, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    printf("  word 0x%x\n", *w);
    *w = NOTASK | FUTEX_OWNER_DIED;
    show("lock_pi dead owner, owner died", fx(w, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    printf("  word 0x%x\n", *w);
    *w = 0;
    ts = ts_of(now_ns(CLOCK_REALTIME) - 1000000000L);
    show("lock_pi free, deadline passed", fx(w, FUTEX_LOCK_PI_PRIVATE, 0, &ts, NULL, 0));
    fx(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    ts.tv_nsec = 1000000000L;
    show("lock_pi bad timespec", fx(w, FUTEX_LOCK_PI_PRIVATE, 0, &ts, NULL, 0));
    show("lock_pi timespec unmapped", fx(w, FUTEX_LOCK_PI_PRIVATE, 0, unmapped, NULL, 0));
    show("lock_pi CLOCK_REALTIME", fx(w, FUTEX_LOCK_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
    show("lock_pi2 CLOCK_REALTIME", fx(w, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
    WORD("?");
    show("unlock_pi CLOCK_REALTIME", fx(w, FUTEX_UNLOCK_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
    show("trylock_pi CLOCK_REALTIME", fx(w, FUTEX_TRYLOCK_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0));
    fx(w, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    ts = ts_of(now_ns(CLOCK_MONOTONIC) + 1000000);
    show("lock_pi2 monotonic deadline", fx(w, FUTEX_LOCK_PI2, 0, &ts, NULL, 0));
    fx(w, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
    WORD("?");
    show("lock_pi misaligned", fx((char *)w + 1, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("lock_pi unmapped", fx(unmapped, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("lock_pi shared unmapped", fx(unmapped, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    show("lock_pi read-only", fx(ro, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("lock_pi shared read-only", fx(ro, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    show("unlock_pi unmapped", fx(unmapped, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("unlock_pi misaligned", fx((char *)w + 2, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0));
    show("wake on a PI word", fx(w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));

    /* requeue-PI: argument checks and a wait nobody requeues */
    *w = 1;
    *w2 = 0;
    show("wait_requeue_pi same futex", fx(w, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, NULL, w, 0));
    show("wait_requeue_pi mismatch", fx(w, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 2, NULL, w2, 0));
    show("wait_requeue_pi misaligned target", fx(w, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, NULL, (char *)w2 + 1, 0));
    show("wait_requeue_pi shared read-only target", fx(w, FUTEX_WAIT_REQUEUE_PI, 1, NULL, ro, 0));
    show("wait_requeue_pi misaligned", fx((char *)w + 1, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, NULL, w2, 0));
    ts = ts_of(now_ns(CLOCK_MONOTONIC) + 30 * 1000000L);
    timed("wait_requeue_pi monotonic deadline", FUTEX_WAIT_REQUEUE_PI_PRIVATE, w, &ts, 20 * 1000000L, CLOCK_MONOTONIC);
    ts = ts_of(now_ns(CLOCK_REALTIME) + 30 * 1000000L);
    timed("wait_requeue_pi realtime deadline", FUTEX_WAIT_REQUEUE_PI_PRIVATE | FUTEX_CLOCK_REALTIME, w, &ts,
          20 * 1000000L, CLOCK_REALTIME);
    show("cmp_requeue_pi none", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, w2, 1));
    show("cmp_requeue_pi nr_wake 2", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 2, (void *)1L, w2, 1));
    show("cmp_requeue_pi nr_wake 0", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 0, (void *)1L, w2, 1));
    show("cmp_requeue_pi same futex", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, w, 1));
    show("cmp_requeue_pi mismatch", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, w2, 2));
    show("cmp_requeue_pi nr_requeue -1", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)-1L, w2, 1));
    show("cmp_requeue_pi unmapped target", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, unmapped, 1));
    show("cmp_requeue_pi read-only target", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)1L, ro, 1));
    show("cmp_requeue_pi CLOCK_REALTIME", fx(w, FUTEX_CMP_REQUEUE_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 1, (void *)1L, w2, 1));
}

static void waitv(uint32_t *w, uint32_t *w2, void *unmapped) {
    struct waitv v[2];
    struct timespec ts;
    *w = 1;
    *w2 = 2;
    memset(v, 0, sizeof v);
    v[0].val = 1; v[0].uaddr = (uintptr_t)w; v[0].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    v[1].val = 2; v[1].uaddr = (uintptr_t)w2; v[1].flags = FUTEX_32;
    ts = ts_of(now_ns(CLOCK_MONOTONIC) + 30 * 1000000L);
    long t0 = now_ns(CLOCK_MONOTONIC);
    show("waitv monotonic deadline", syscall(SYS_futex_waitv, v, 2, 0, &ts, CLOCK_MONOTONIC));
    printf("  waited long enough: %d\n", now_ns(CLOCK_MONOTONIC) - t0 >= 20 * 1000000L);
    ts = ts_of(now_ns(CLOCK_REALTIME) + 30 * 1000000L);
    show("waitv realtime deadline", syscall(SYS_futex_waitv, v, 2, 0, &ts, CLOCK_REALTIME));
    show("waitv deadline passed", (ts = ts_of(0), syscall(SYS_futex_waitv, v, 2, 0, &ts, CLOCK_MONOTONIC)));
    show("waitv flags", syscall(SYS_futex_waitv, v, 2, 1, NULL, 0));
    show("waitv none", syscall(SYS_futex_waitv, v, 0, 0, NULL, 0));
    show("waitv 129", syscall(SYS_futex_waitv, v, 129, 0, NULL, 0));
    show("waitv NULL", syscall(SYS_futex_waitv, NULL, 1, 0, NULL, 0));
    show("waitv bad clock", syscall(SYS_futex_waitv, v, 2, 0, &ts, CLOCK_BOOTTIME));
    v[0].val = 5;
    show("waitv bad clock, no timeout", syscall(SYS_futex_waitv, v, 2, 0, NULL, 99));
    v[0].val = 1;
    show("waitv timespec unmapped", syscall(SYS_futex_waitv, v, 2, 0, unmapped, CLOCK_MONOTONIC));
    ts.tv_nsec = -5;
    show("waitv bad timespec", syscall(SYS_futex_waitv, v, 2, 0, &ts, CLOCK_MONOTONIC));
    show("waitv vector unmapped", syscall(SYS_futex_waitv, unmapped, 2, 0, NULL, 0));
    v[1].val = 3;
    show("waitv second mismatch", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
    v[1].val = 0x100000002ULL;
    show("waitv value over 32 bits", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
    v[1].val = 2;
    v[1].flags = FUTEX_PRIVATE_FLAG;
    show("waitv without FUTEX_32", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
    v[1].flags = FUTEX_32 | 0x40;
    show("waitv unknown flag", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
    v[1].flags = 3;
    show("waitv 64-bit", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
    v[1].flags = FUTEX_32;
    v[1].reserved = 1;
    show("waitv reserved", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
    v[1].reserved = 0;
    v[1].uaddr = (uintptr_t)w2 + 2;
    show("waitv misaligned", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
    v[1].uaddr = (uintptr_t)unmapped;
    show("waitv unmapped futex", syscall(SYS_futex_waitv, v, 2, 0, NULL, 0));
}

static void robust(void *unmapped) {
    struct robust_list_head *orig, *got, mine;
    size_t len = 0;
    show("get_robust_list self", syscall(SYS_get_robust_list, 0, &orig, &len));
    printf("  len %zu, head set by libc: %d\n", len, orig != NULL);
    mine.list.next = &mine.list;
    mine.futex_offset = 0;
    mine.list_op_pending = NULL;
    show("set_robust_list len 23", syscall(SYS_set_robust_list, &mine, 23));
    show("set_robust_list len 0", syscall(SYS_set_robust_list, &mine, 0));
    show("set_robust_list", syscall(SYS_set_robust_list, &mine, sizeof mine));
    show("get_robust_list pid 0", syscall(SYS_get_robust_list, 0, &got, &len));
    printf("  head is ours: %d\n", got == &mine);
    got = NULL;
    show("get_robust_list own pid", syscall(SYS_get_robust_list, getpid(), &got, &len));
    printf("  head is ours: %d\n", got == &mine);
    show("get_robust_list own tid", syscall(SYS_get_robust_list, syscall(SYS_gettid), &got, &len));
    show("get_robust_list no such task", syscall(SYS_get_robust_list, NOTASK, &got, &len));
    show("get_robust_list pid -1", syscall(SYS_get_robust_list, -1, &got, &len));
    show("get_robust_list bad len pointer", syscall(SYS_get_robust_list, 0, &got, unmapped));
    show("get_robust_list bad head pointer", syscall(SYS_get_robust_list, 0, unmapped, &len));
    show("set_robust_list unmapped head", syscall(SYS_set_robust_list, unmapped, sizeof mine));
    show("set_robust_list restored", syscall(SYS_set_robust_list, orig, sizeof mine));
}

static void shared_memory(void) {
    /* Shared futexes in MAP_SHARED memory: anonymous and a memfd mapped twice. */
    uint32_t *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fd = memfd_create("futex", 0);
    ftruncate(fd, 4096);
    uint32_t *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint32_t *b = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
    struct timespec ts = ts_of(10 * 1000000L);
    *s = 1;
    a[5] = 9;
    show("shared anon wait mismatch", fx(s, FUTEX_WAIT, 2, NULL, NULL, 0));
    show("shared anon wait timeout", fx(s, FUTEX_WAIT, 1, &ts, NULL, 0));
    show("shared anon wake", fx(s, FUTEX_WAKE, 1, NULL, NULL, 0));
    show("memfd wait through the other mapping", fx(&b[5], FUTEX_WAIT, 8, NULL, NULL, 0));
    show("memfd wait timeout, read-only mapping", fx(&b[5], FUTEX_WAIT, 9, &ts, NULL, 0));
    show("memfd wake, read-only mapping", fx(&b[5], FUTEX_WAKE, 1, NULL, NULL, 0));
    show("memfd wake_op, read-only target", fx(&a[5], FUTEX_WAKE_OP, 1, (void *)1L, &b[6], FUTEX_OP(0, 1, 0, 0)));
    show("memfd wake_op through the other mapping", fx(&b[5], FUTEX_WAKE_OP, 1, (void *)1L, &a[6], FUTEX_OP(1, 3, 0, 0)));
    printf("  seen through the read-only mapping: %u\n", b[6]);
    show("memfd lock_pi", fx(&a[7], FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    printf("  owner seen through the other mapping: %d\n", b[7] == (uint32_t)syscall(SYS_gettid));
    show("memfd unlock_pi", fx(&a[7], FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    show("memfd lock_pi read-only mapping", fx(&b[7], FUTEX_LOCK_PI, 0, NULL, NULL, 0));
}

int main(void) {
    uint32_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, 4096);
    setvbuf(stdout, NULL, _IOLBF, 0);
    basics(&page[0], unmapped, ro);
    requeues(&page[0], &page[1], unmapped);
    wake_op(&page[0], &page[1], ro, unmapped);
    pi(&page[2], &page[3], ro, unmapped);
    waitv(&page[4], &page[5], unmapped);
    robust(unmapped);
    shared_memory();
    printf("done\n");
    return 0;
}
