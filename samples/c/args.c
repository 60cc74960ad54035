/* Prints what a program sees at start-up: argc/argv, the JVT_* environment variables (sorted, so the
 * order of the environment does not matter), auxiliary vector entries and the initial stack layout.
 * The test passes an absolute program path, so argv[0] and AT_EXECFN match a native run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned long raw_aux(unsigned long *auxv, unsigned long type) {
    for (unsigned long *a = auxv; a[0] != AT_NULL; a += 2)
        if (a[0] == type) return a[1];
    return 0;
}

int main(int argc, char **argv, char **envp) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] \"%s\"\n", i, argv[i]);
    printf("argv[argc] is NULL: %s\n", argv[argc] == NULL ? "yes" : "no");

    int envc = 0;
    while (envp[envc]) envc++;
    char **jv = calloc((size_t)envc + 1, sizeof(char *));
    int n = 0;
    for (int i = 0; i < envc; i++)
        if (strncmp(envp[i], "JVT_", 4) == 0) jv[n++] = envp[i];
    qsort(jv, (size_t)n, sizeof(char *), cmp);
    for (int i = 0; i < n; i++) printf("env %s\n", jv[i]);
    printf("getenv JVT_A \"%s\"\n", getenv("JVT_A") ? getenv("JVT_A") : "(null)");
    printf("environ == envp: %s\n", environ == envp ? "yes" : "no");

    /* The initial stack, as the kernel laid it out: argc, argv[], NULL, envp[], NULL, auxv[]. */
    long *sp = (long *)argv - 1;
    printf("initial stack 16-byte aligned: %s\n", ((uintptr_t)sp & 15) == 0 ? "yes" : "no");
    printf("*sp == argc: %s\n", *sp == argc ? "yes" : "no");
    printf("envp == argv + argc + 1: %s\n", envp == argv + argc + 1 ? "yes" : "no");
    unsigned long *auxv = (unsigned long *)(envp + envc + 1);
    int auxn = 0;
    for (unsigned long *a = auxv; a[0] != AT_NULL; a += 2) auxn++;
    printf("auxv entries present: %s\n", auxn > 10 ? "yes" : "no");
    printf("auxv AT_PAGESZ matches getauxval: %s\n", raw_aux(auxv, AT_PAGESZ) == getauxval(AT_PAGESZ) ? "yes" : "no");

    __attribute__((aligned(16))) volatile char local16[16];
    __attribute__((aligned(32))) volatile char local32[32];
    local16[0] = local32[0] = 1;
    printf("local16 aligned: %s\n", ((uintptr_t)local16 & 15) == 0 ? "yes" : "no");
    printf("local32 aligned: %s\n", ((uintptr_t)local32 & 31) == 0 ? "yes" : "no");
    printf("frame address 16-byte aligned: %s\n", ((uintptr_t)__builtin_frame_address(0) & 15) == 0 ? "yes" : "no");

    printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
    printf("AT_UID %lu\n", getauxval(AT_UID));
    printf("AT_EUID %lu\n", getauxval(AT_EUID));
    printf("AT_GID %lu\n", getauxval(AT_GID));
    printf("AT_EGID %lu\n", getauxval(AT_EGID));
    printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
    printf("AT_CLKTCK %lu\n", getauxval(AT_CLKTCK));
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN \"%s\"\n", execfn ? execfn : "(null)");
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM \"%s\"\n", platform ? platform : "(null)");
    /* glibc's getauxval(AT_HWCAP) reports its own value on x86-64; print the kernel's too. */
    printf("AT_HWCAP 0x%lx (auxv 0x%lx)\n", getauxval(AT_HWCAP), raw_aux(auxv, AT_HWCAP));
    /* jvisor hides HWCAP2_FSGSBASE (bit 1) on purpose: apps then change fs only through
     * arch_prctl, which the Sentry sees and checkpoints. Every other bit must match Linux. */
    printf("AT_HWCAP2 (auxv, without FSGSBASE) 0x%lx\n", raw_aux(auxv, AT_HWCAP2) & ~2UL);
    printf("AT_MINSIGSTKSZ present: %s\n", raw_aux(auxv, 51) ? "yes" : "no");
    unsigned char *rnd = (unsigned char *)getauxval(AT_RANDOM);
    printf("AT_RANDOM non-null: %s\n", rnd ? "yes" : "no");
    if (rnd) {
        int nonzero = 0;
        for (int i = 0; i < 16; i++) nonzero |= rnd[i];
        printf("AT_RANDOM bytes not all zero: %s\n", nonzero ? "yes" : "no");
    }
    printf("AT_PHNUM %lu\n", getauxval(AT_PHNUM));
    printf("AT_PHENT %lu\n", getauxval(AT_PHENT));
    printf("AT_PHDR 0x%lx\n", getauxval(AT_PHDR));
    printf("AT_ENTRY 0x%lx\n", getauxval(AT_ENTRY));
    printf("AT_BASE 0x%lx\n", getauxval(AT_BASE));
    return 0;
}
