/* Floating point and vector state must survive every system call: values are held in x87, XMM and
 * (where the CPU has AVX2) YMM registers and in MXCSR / the x87 control word *across* raw `syscall`
 * instructions (getppid), and general-purpose registers that Linux preserves across a syscall are
 * checked too. The AVX2 path computes exactly what the SSE path computes, so the output does not
 * depend on which one ran. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int bad;
static long bad_dummy;

/* All 16 XMM registers hold live values across one syscall instruction. */
static long sse_syscall(__m128d v[16]) {
    long ret;
    asm volatile("movupd 0(%1), %%xmm0\n\tmovupd 16(%1), %%xmm1\n\tmovupd 32(%1), %%xmm2\n\tmovupd 48(%1), %%xmm3\n\t"
                 "movupd 64(%1), %%xmm4\n\tmovupd 80(%1), %%xmm5\n\tmovupd 96(%1), %%xmm6\n\tmovupd 112(%1), %%xmm7\n\t"
                 "movupd 128(%1), %%xmm8\n\tmovupd 144(%1), %%xmm9\n\tmovupd 160(%1), %%xmm10\n\tmovupd 176(%1), %%xmm11\n\t"
                 "movupd 192(%1), %%xmm12\n\tmovupd 208(%1), %%xmm13\n\tmovupd 224(%1), %%xmm14\n\tmovupd 240(%1), %%xmm15\n\t"
                 "syscall\n\t"
                 "movupd %%xmm0, 0(%1)\n\tmovupd %%xmm1, 16(%1)\n\tmovupd %%xmm2, 32(%1)\n\tmovupd %%xmm3, 48(%1)\n\t"
                 "movupd %%xmm4, 64(%1)\n\tmovupd %%xmm5, 80(%1)\n\tmovupd %%xmm6, 96(%1)\n\tmovupd %%xmm7, 112(%1)\n\t"
                 "movupd %%xmm8, 128(%1)\n\tmovupd %%xmm9, 144(%1)\n\tmovupd %%xmm10, 160(%1)\n\tmovupd %%xmm11, 176(%1)\n\t"
                 "movupd %%xmm12, 192(%1)\n\tmovupd %%xmm13, 208(%1)\n\tmovupd %%xmm14, 224(%1)\n\tmovupd %%xmm15, 240(%1)"
                 : "=a"(ret)
                 : "r"(v), "a"((long)SYS_getppid)
                 : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    return ret;
}

/* All 16 YMM registers (upper halves included) hold live values across one syscall instruction. */
__attribute__((target("avx2"))) static long avx_syscall(__m256d v[16]) {
    long ret;
    asm volatile("vmovupd 0(%1), %%ymm0\n\tvmovupd 32(%1), %%ymm1\n\tvmovupd 64(%1), %%ymm2\n\tvmovupd 96(%1), %%ymm3\n\t"
                 "vmovupd 128(%1), %%ymm4\n\tvmovupd 160(%1), %%ymm5\n\tvmovupd 192(%1), %%ymm6\n\tvmovupd 224(%1), %%ymm7\n\t"
                 "vmovupd 256(%1), %%ymm8\n\tvmovupd 288(%1), %%ymm9\n\tvmovupd 320(%1), %%ymm10\n\tvmovupd 352(%1), %%ymm11\n\t"
                 "vmovupd 384(%1), %%ymm12\n\tvmovupd 416(%1), %%ymm13\n\tvmovupd 448(%1), %%ymm14\n\tvmovupd 480(%1), %%ymm15\n\t"
                 "syscall\n\t"
                 "vmovupd %%ymm0, 0(%1)\n\tvmovupd %%ymm1, 32(%1)\n\tvmovupd %%ymm2, 64(%1)\n\tvmovupd %%ymm3, 96(%1)\n\t"
                 "vmovupd %%ymm4, 128(%1)\n\tvmovupd %%ymm5, 160(%1)\n\tvmovupd %%ymm6, 192(%1)\n\tvmovupd %%ymm7, 224(%1)\n\t"
                 "vmovupd %%ymm8, 256(%1)\n\tvmovupd %%ymm9, 288(%1)\n\tvmovupd %%ymm10, 320(%1)\n\tvmovupd %%ymm11, 352(%1)\n\t"
                 "vmovupd %%ymm12, 384(%1)\n\tvmovupd %%ymm13, 416(%1)\n\tvmovupd %%ymm14, 448(%1)\n\tvmovupd %%ymm15, 480(%1)\n\t"
                 "vzeroupper"
                 : "=a"(ret)
                 : "r"(v), "a"((long)SYS_getppid)
                 : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
                   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    return ret;
}

/* Step: v = v * m + a / (i + 1), all in double, the same in both paths. */
static void sse_round(double *out, int iters) {
    __m128d v[16];
    for (int r = 0; r < 16; r++) v[r] = _mm_set_pd(r + 0.25, r + 0.5);
    long ppid = getppid();
    for (int i = 0; i < iters; i++) {
        if (sse_syscall(v) != ppid) bad++;
        __m128d m = _mm_set1_pd(1.0000001), a = _mm_set1_pd(1.0 / (i + 1));
        for (int r = 0; r < 16; r++) v[r] = _mm_add_pd(_mm_mul_pd(v[r], m), _mm_div_pd(a, _mm_set1_pd(r + 1.0)));
    }
    for (int r = 0; r < 16; r++) {
        double t[2];
        _mm_storeu_pd(t, v[r]);
        out[4 * r] = t[0]; out[4 * r + 1] = t[1];
        out[4 * r + 2] = t[0] * 3; out[4 * r + 3] = t[1] * 3;
    }
}

__attribute__((target("avx2"))) static void avx_round(double *out, int iters) {
    __m256d v[16];
    for (int r = 0; r < 16; r++) v[r] = _mm256_set_pd((r + 0.25) * 3, (r + 0.5) * 3, r + 0.25, r + 0.5);
    long ppid = getppid();
    for (int i = 0; i < iters; i++) {
        if (avx_syscall(v) != ppid) bad++;
        __m256d m = _mm256_set1_pd(1.0000001), a = _mm256_set1_pd(1.0 / (i + 1));
        __m256d a3 = _mm256_set_pd(3.0 / (i + 1), 3.0 / (i + 1), 1.0 / (i + 1), 1.0 / (i + 1));
        (void)a;
        for (int r = 0; r < 16; r++) v[r] = _mm256_add_pd(_mm256_mul_pd(v[r], m), _mm256_div_pd(a3, _mm256_set1_pd(r + 1.0)));
    }
    for (int r = 0; r < 16; r++) {
        double t[4];
        _mm256_storeu_pd(t, v[r]);
        out[4 * r] = t[0]; out[4 * r + 1] = t[1]; out[4 * r + 2] = t[2]; out[4 * r + 3] = t[3];
    }
}

/* The same computation as avx_round's upper lanes, done with SSE (for CPUs without AVX2). */
static void sse_round3(double *out, int iters) {
    __m128d v[16];
    for (int r = 0; r < 16; r++) v[r] = _mm_set_pd((r + 0.25) * 3, (r + 0.5) * 3);
    for (int i = 0; i < iters; i++) {
        syscall(SYS_getppid);
        __m128d m = _mm_set1_pd(1.0000001), a = _mm_set1_pd(3.0 / (i + 1));
        for (int r = 0; r < 16; r++) v[r] = _mm_add_pd(_mm_mul_pd(v[r], m), _mm_div_pd(a, _mm_set1_pd(r + 1.0)));
    }
    for (int r = 0; r < 16; r++) {
        double t[2];
        _mm_storeu_pd(t, v[r]);
        out[4 * r + 2] = t[0]; out[4 * r + 3] = t[1];
    }
}

/* x87: two values on the register stack across a syscall, then combined. */
static long double x87_syscall(long double a, long double b) {
    long double r;
    long ret;
    asm volatile("fldt %2\n\tfldt %3\n\tsyscall\n\tfaddp\n\tfstpt %1"
                 : "=a"(ret), "=m"(r)
                 : "m"(a), "m"(b), "a"((long)SYS_getppid)
                 : "rcx", "r11", "memory", "st", "st(1)");
    (void)ret;
    return r;
}

/* General-purpose registers Linux preserves across a syscall (all but rax, rcx, r11), and rcx/r11's
 * documented values afterwards (rcx = address of the next instruction, r11 = rflags). */
struct gpr_state {
    uint64_t in[12];  /* rbx rbp r12 r13 r14 r15 rdi rsi rdx r8 r9 r10 */
    uint64_t out[12];
    uint64_t rcx, r11, next;
};

static void gpr_check(void) {
    static struct gpr_state st;
    for (int i = 0; i < 12; i++) st.in[i] = 0x0101010101010101ULL * (uint64_t)(i + 1) ^ 0x8000000000000000ULL;
    struct gpr_state *p = &st;
    asm volatile(
        "sub $128, %%rsp\n\t" /* step over the red zone */
        "push %%rbx\n\tpush %%rbp\n\tpush %%r12\n\tpush %%r13\n\tpush %%r14\n\tpush %%r15\n\tpush %%rax\n\t"
        "mov 0(%%rax), %%rbx\n\tmov 8(%%rax), %%rbp\n\tmov 16(%%rax), %%r12\n\tmov 24(%%rax), %%r13\n\t"
        "mov 32(%%rax), %%r14\n\tmov 40(%%rax), %%r15\n\tmov 48(%%rax), %%rdi\n\tmov 56(%%rax), %%rsi\n\t"
        "mov 64(%%rax), %%rdx\n\tmov 72(%%rax), %%r8\n\tmov 80(%%rax), %%r9\n\tmov 88(%%rax), %%r10\n\t"
        "mov $%c[nr], %%eax\n\t"
        "syscall\n"
        "1:\n\t"
        "mov (%%rsp), %%rax\n\t"
        "mov %%rbx, 96(%%rax)\n\tmov %%rbp, 104(%%rax)\n\tmov %%r12, 112(%%rax)\n\tmov %%r13, 120(%%rax)\n\t"
        "mov %%r14, 128(%%rax)\n\tmov %%r15, 136(%%rax)\n\tmov %%rdi, 144(%%rax)\n\tmov %%rsi, 152(%%rax)\n\t"
        "mov %%rdx, 160(%%rax)\n\tmov %%r8, 168(%%rax)\n\tmov %%r9, 176(%%rax)\n\tmov %%r10, 184(%%rax)\n\t"
        "mov %%rcx, 192(%%rax)\n\tmov %%r11, 200(%%rax)\n\t"
        "lea 1b(%%rip), %%rcx\n\tmov %%rcx, 208(%%rax)\n\t"
        "pop %%rax\n\tpop %%r15\n\tpop %%r14\n\tpop %%r13\n\tpop %%r12\n\tpop %%rbp\n\tpop %%rbx\n\t"
        "add $128, %%rsp"
        : "+a"(p)
        : [nr] "i"(SYS_getppid)
        : "rcx", "rdi", "rsi", "rdx", "r8", "r9", "r10", "r11", "memory", "cc");
    int same = 1;
    for (int i = 0; i < 12; i++) same &= st.in[i] == st.out[i];
    printf("gpr preserved across syscall: %s\n", same ? "yes" : "no");
    printf("rcx after syscall = next instruction: %s\n", st.rcx == st.next ? "yes" : "no");
    printf("r11 after syscall has IF and bit 1: %s\n", (st.r11 & 0x202) == 0x202 ? "yes" : "no");
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    enum { ITERS = 3000 };
    double sse[64], avx[64];
    sse_round(sse, ITERS);
    int have_avx2 = __builtin_cpu_supports("avx2");
    if (have_avx2) {
        avx_round(avx, ITERS);
    } else {
        memcpy(avx, sse, sizeof avx);
        sse_round3(avx, ITERS);
    }
    fprintf(stderr, "fpu: %s path\n", have_avx2 ? "avx2" : "sse");
    double total = 0;
    for (int r = 0; r < 16; r++) {
        printf("xmm%-2d %.17g %.17g\n", r, sse[4 * r], sse[4 * r + 1]);
        total += sse[4 * r] + sse[4 * r + 1];
    }
    int agree = 1;
    for (int r = 0; r < 16; r++) {
        printf("ymm%-2d %.17g %.17g %.17g %.17g\n", r, avx[4 * r], avx[4 * r + 1], avx[4 * r + 2], avx[4 * r + 3]);
        agree &= avx[4 * r] == sse[4 * r] && avx[4 * r + 1] == sse[4 * r + 1];
    }
    printf("vector paths agree: %s\n", agree ? "yes" : "no");
    printf("total %.17g\n", total);

    /* Scalar double work across libc syscall() calls. */
    double x = 1.0, y = 0.0;
    for (int i = 1; i <= ITERS; i++) {
        x = x * 1.0001 + 1.0 / i;
        if (syscall(SYS_getppid) != getppid()) bad++;
        y += x / (i + 0.5);
    }
    printf("scalar x %.17g y %.17g\n", x, y);

    /* x87 stack across the syscall instruction. */
    long double ld = 0;
    for (int i = 1; i <= 200; i++) ld = x87_syscall(ld, 1.0L / i);
    printf("x87 harmonic(200) %.21Lg\n", ld);

    /* MXCSR rounding mode survives a syscall and is honoured afterwards. */
    unsigned csr = _mm_getcsr();
    volatile double one = 1.0, three = 10.0, mthree = -10.0;
    _mm_setcsr((csr & ~0x6000u) | 0x6000u); /* round toward zero */
    asm volatile("syscall" : "=a"(bad_dummy) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
    unsigned rz_csr = _mm_getcsr();
    double rz = one / three, rzn = one / mthree;
    _mm_setcsr((csr & ~0x6000u) | 0x2000u); /* round down */
    asm volatile("syscall" : "=a"(bad_dummy) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
    unsigned rd_csr = _mm_getcsr();
    double rd = one / three, rdn = one / mthree;
    _mm_setcsr(csr);
    printf("mxcsr RZ kept: %s, 1/10 %.17g, -1/10 %.17g\n", (rz_csr & 0x6000u) == 0x6000u ? "yes" : "no", rz, rzn);
    printf("mxcsr RD kept: %s, 1/10 %.17g, -1/10 %.17g\n", (rd_csr & 0x6000u) == 0x2000u ? "yes" : "no", rd, rdn);
    printf("mxcsr RN: 1/10 %.17g\n", one / three);

    /* x87 control word (precision control: single) survives a syscall. */
    unsigned short cw, cw2;
    asm volatile("fnstcw %0" : "=m"(cw));
    unsigned short single = (unsigned short)((cw & ~0x0300u));
    asm volatile("fldcw %0" ::"m"(single));
    syscall(SYS_getppid);
    asm volatile("fnstcw %0" : "=m"(cw2));
    volatile long double l1 = 1.0L, l3 = 3.0L;
    long double q = l1 / l3;
    asm volatile("fldcw %0" ::"m"(cw));
    printf("x87 cw kept: %s, 1/3 at single precision %.21Lg\n", cw2 == single ? "yes" : "no", q);

    gpr_check();
    printf("syscall results wrong: %d\n", bad);
    return 0;
}
