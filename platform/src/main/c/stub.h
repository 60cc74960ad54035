/*
 * Layout shared by the stub and the Sentry (mirrored in dev.jvisor.platform.systrap.StubLayout).
 * Change both together.
 */
#ifndef JVISOR_STUB_H
#define JVISOR_STUB_H

/* The stub's text is linked here; the Sentry's memory manager never gives these addresses to apps. */
#define STUB_BASE        0x7ff000000000UL
/* Per-thread sysmsg slots (shared memfd), each: header page, then the thread's signal stack. */
#define SYSMSG_BASE      0x7ff010000000UL
#define SLOT_SIZE        0x10000UL
#define MAX_THREADS      1024
#define SYSMSG_SIZE      (SLOT_SIZE * MAX_THREADS)
#define STUB_REGION_END  0x7ff020000000UL
#define TASK_SIZE        0x7ffffffff000UL

/* File descriptors the Sentry hands to every stub. */
#define MEMFILE_FD 3
#define SYSMSG_FD  4

/* The host signal the Sentry uses to interrupt a stub thread running app code. */
#define SIG_INTERRUPT 10 /* SIGUSR1 */

/* state word values */
#define ST_NONE     0
#define ST_EVENT    1   /* stub -> Sentry: a signal/syscall/fault happened, see event */
#define ST_RUN      2   /* Sentry -> stub: run ops, then return to app code */
#define ST_OPS      3   /* Sentry -> stub: run ops, then answer ST_OPS_DONE */
#define ST_OPS_DONE 4
#define ST_EXIT     5   /* Sentry -> stub: this thread exits */
#define ST_OPFAIL   6   /* stub -> Sentry: an op queued with ST_RUN failed */
#define ST_RUN_RESULT 7 /* Sentry -> stub: like ST_RUN, and first put sc_result in RAX */
#define ST_CLONE    8   /* Sentry -> stub: start a new stub thread in slot clone_slot */
#define ST_CLONE_DONE 9 /* stub -> Sentry: clone_result holds its host tid or -errno */

#define OP_MAP     1    /* mmap(addr, len, prot, MAP_SHARED|MAP_FIXED, MEMFILE_FD, off) */
#define OP_UNMAP   2
#define OP_PROTECT 3
#define MAX_OPS    96

struct stub_op {
	unsigned int kind;
	unsigned int prot;
	unsigned long addr;
	unsigned long len;
	unsigned long off;
};

struct sysmsg {
	volatile unsigned int state;           /* 0   futex word */
	volatile unsigned int stub_sleeping;   /* 4 */
	volatile unsigned int sentry_sleeping; /* 8 */
	unsigned int event;                    /* 12  host signal number of the event */
	unsigned long uc_offset;               /* 16  ucontext, relative to the slot */
	unsigned long fault_addr;              /* 24  si_addr */
	int si_code;                           /* 32 */
	int tid;                               /* 36  host tid of this stub thread */
	unsigned long fs_base;                 /* 40  wanted by the Sentry */
	unsigned long fs_base_cur;             /* 48  loaded in the thread */
	unsigned int nops;                     /* 56 */
	int op_error;                          /* 60  -errno of the failed op */
	unsigned int failed_op;                /* 64 */
	int cpuid_fault;                       /* 68  result of ARCH_SET_CPUID */
	unsigned long text_start;              /* 72 */
	unsigned long text_end;                /* 80 */
	volatile unsigned int attached;        /* 88  ptrace mode: set by the tracer */
	unsigned int park_word;                /* 92  ptrace mode: stays 0; released threads sleep on it */
	unsigned long syscall_site;            /* 96  ptrace mode: address of "syscall; int3" */
	unsigned long clone_slot;              /* 104 */
	long clone_result;                     /* 112 */
	unsigned long clone_site;              /* 120 ptrace mode: "clone" site whose child parks */
	struct stub_op ops[MAX_OPS];           /* 128 */
	/* A syscall's number, arguments and result, in one cache line of their own (3200): the
	 * Sentry reads and writes these instead of the signal frame's several lines. */
	unsigned long sc_nr;                   /* 3200 */
	unsigned long sc_args[6];              /* 3208 */
	long sc_result;                        /* 3256 */
};

#endif
