/*
 * jvisor stub: the host process that gives an application address space and threads to the Sentry.
 *
 * It is linked at STUB_BASE with no libc. On start it maps the shared sysmsg file, installs its signal
 * handlers and (systrap mode) a seccomp filter that traps every syscall not made from this text, then
 * unmaps everything else so that every other address belongs to the application. From then on each
 * thread lives in its signal handler: a syscall (SIGSYS), fault or interrupt copies nothing, it
 * publishes where its ucontext is, hands over to the Sentry through the sysmsg page (spin, then futex)
 * and returns into whatever register state the Sentry left in that ucontext, via rt_sigreturn.
 *
 * In ptrace mode the stub only cleans its address space, says it is ready (state ST_EVENT) and parks
 * until the Sentry has seized it; it offers a "syscall; int3" site for syscalls the Sentry injects.
 */
#include "stub.h"

#define SYS_read 0
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigreturn 15
#define SYS_sched_yield 24
#define SYS_getpid 39
#define SYS_clone 56
#define SYS_exit 60
#define SYS_kill 62
#define SYS_getppid 110
#define SYS_sigaltstack 131
#define SYS_prctl 157
#define SYS_arch_prctl 158
#define SYS_gettid 186
#define SYS_futex 202
#define SYS_exit_group 231
#define SYS_tgkill 234
#define SYS_close_range 436

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define MAP_FIXED 0x10
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define ARCH_SET_FS 0x1002
#define ARCH_SET_CPUID 0x1012
#define PR_SET_PDEATHSIG 1
#define PR_SET_NO_NEW_PRIVS 38
#define PR_SET_SECCOMP 22
#define SECCOMP_MODE_FILTER 2
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTORER 0x04000000
#define SIG_IGN_HANDLER 1UL

#define SIGSYS 31
#define SIGSEGV 11
#define SIGBUS 7
#define SIGILL 4
#define SIGFPE 8
#define SIGTRAP 5
#define SIGKILL 9

#define REG_RIP 16 /* index of rip in the sigcontext's general registers */

typedef unsigned long u64;

_Static_assert(__builtin_offsetof(struct sysmsg, sc_nr) == 3200, "sysmsg layout changed: update SysmsgLayout.java");
_Static_assert(__builtin_offsetof(struct sysmsg, clone_slot) == 104, "sysmsg layout changed: update SysmsgLayout.java");
_Static_assert(__builtin_offsetof(struct sysmsg, ops) == 128, "sysmsg layout changed: update SysmsgLayout.java");

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sys0(n) sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a) sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b) sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

static __attribute__((noreturn)) void die(int code)
{
	for (;;)
		sys1(SYS_exit_group, code);
}

/* Setup runs on this stack; the host's original stack is unmapped with everything else. */
static char setup_stack[32768] __attribute__((used, aligned(16)));

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"  mov %rsp, %rdi\n"
	"  lea setup_stack+32768(%rip), %rsp\n"
	"  call stub_main\n"
	"  hlt\n"
	".globl stub_restorer\n"
	"stub_restorer:\n"
	"  mov $15, %eax\n"
	"  syscall\n"
	"  hlt\n"
	".globl stub_syscall_site\n"
	"stub_syscall_site:\n"
	"  syscall\n"
	"  int3\n"
	"  jmp stub_syscall_site\n"
	/* ptrace mode: the tracer injects clone here; the parent traps, the new thread parks until seized */
	".globl stub_clone_site\n"
	"stub_clone_site:\n"
	"  syscall\n"
	"  test %rax, %rax\n"
	"  jz 1f\n"
	"  int3\n"
	"1:\n"
	"  pause\n"
	"  jmp 1b\n");

extern void stub_restorer(void) __attribute__((visibility("hidden")));
extern void stub_syscall_site(void) __attribute__((visibility("hidden")));
extern void stub_clone_site(void) __attribute__((visibility("hidden")));
extern char etext[] __attribute__((visibility("hidden"))), _end[] __attribute__((visibility("hidden")));

struct kernel_sigaction {
	u64 handler;
	u64 flags;
	u64 restorer;
	u64 mask;
};

struct kernel_stack {
	u64 sp;
	int flags;
	int pad;
	u64 size;
};

struct sock_filter {
	unsigned short code;
	unsigned char jt, jf;
	unsigned int k;
};

struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};

static inline struct sysmsg *slot_msg(u64 slot) { return (struct sysmsg *)slot; }

static inline unsigned int load(volatile unsigned int *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void store(volatile unsigned int *p, unsigned int v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }

static int is_command(unsigned int st)
{
	return st == ST_RUN || st == ST_RUN_RESULT || st == ST_OPS || st == ST_EXIT || st == ST_CLONE;
}

/*
 * Spin briefly (cross-CPU wake-ups are expensive), then yield (on a busy 2-core host the Sentry thread
 * may need this very CPU), then sleep on the state word.
 */
static unsigned int wait_for_sentry(struct sysmsg *m)
{
	unsigned int st;
	for (int i = 0; i < 2000; i++) {
		st = load(&m->state);
		if (is_command(st))
			return st;
		__asm__ volatile("pause");
	}
	for (int i = 0; i < 50; i++) {
		st = load(&m->state);
		if (is_command(st))
			return st;
		sys0(SYS_sched_yield);
	}
	for (;;) {
		store(&m->stub_sleeping, 1);
		st = load(&m->state);
		if (!is_command(st))
			sys6(SYS_futex, (long)&m->state, FUTEX_WAIT, st, 0, 0, 0);
		store(&m->stub_sleeping, 0);
		st = load(&m->state);
		if (is_command(st))
			return st;
	}
}

static void publish(struct sysmsg *m, unsigned int st)
{
	store(&m->state, st);
	if (load(&m->sentry_sleeping))
		sys6(SYS_futex, (long)&m->state, FUTEX_WAKE, 1, 0, 0, 0);
}

static int run_ops(struct sysmsg *m)
{
	unsigned int n = m->nops;
	if (n > MAX_OPS)
		n = MAX_OPS;
	for (unsigned int i = 0; i < n; i++) {
		struct stub_op *op = &m->ops[i];
		long r;
		switch (op->kind) {
		case OP_MAP:
			r = sys6(SYS_mmap, op->addr, op->len, op->prot, MAP_SHARED | MAP_FIXED, MEMFILE_FD, op->off);
			if (r >= 0 && (u64)r != op->addr)
				r = -22;
			break;
		case OP_UNMAP:
			r = sys2(SYS_munmap, op->addr, op->len);
			break;
		case OP_PROTECT:
			r = sys3(SYS_mprotect, op->addr, op->len, op->prot);
			break;
		default:
			r = -22;
		}
		if (r < 0) {
			m->op_error = (int)r;
			m->failed_op = i;
			m->nops = 0;
			return -1;
		}
	}
	m->nops = 0;
	return 0;
}

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_CHILD_CLEARTID 0x200000
#define CLONE_CHILD_SETTID 0x1000000
#define SIG_SETMASK 2

/*
 * A new stub thread starts here, on a small stack at the top of its slot's signal stack: it takes the
 * slot's signal stack, unblocks signals and interrupts itself, so that its first event reaches the
 * Sentry from inside the handler like the main thread's. The setup frame below is abandoned: the thread
 * only ever leaves the handler into app code.
 */
__attribute__((used, noreturn)) void thread_start(u64 slot)
{
	struct kernel_stack ss = {.sp = slot + 4096, .flags = 0, .size = SLOT_SIZE - 4096};
	if (sys2(SYS_sigaltstack, &ss, 0) != 0)
		die(98);
	u64 none = 0;
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
	sys3(SYS_tgkill, sys0(SYS_getpid), sys0(SYS_gettid), SIG_INTERRUPT);
	for (;;)
		sys1(SYS_exit, 99);
}

/* clone(2) for a stub thread; the child calls thread_start(slot) on the given stack. */
static long clone_thread(u64 slot)
{
	struct sysmsg *child = slot_msg(slot);
	child->tid = 0;
	u64 flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
		    CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	u64 stack = slot + SLOT_SIZE - 64; /* 16-byte aligned */
	long ret;
	register long r10 __asm__("r10") = (long)&child->tid;
	register long r8 __asm__("r8") = 0;
	register long r12 __asm__("r12") = (long)slot;
	__asm__ volatile("syscall\n"
			 "test %%rax, %%rax\n"
			 "jnz 1f\n"
			 "mov %%r12, %%rdi\n"
			 "call thread_start\n"
			 "hlt\n"
			 "1:\n"
			 : "=a"(ret)
			 : "a"(SYS_clone), "D"(flags), "S"(stack), "d"(0), "r"(r10), "r"(r8), "r"(r12)
			 : "rcx", "r11", "memory");
	return ret;
}

static void handler(int sig, void *si, void *ucv)
{
	u64 here = (u64)&sig;
	u64 slot = SYSMSG_BASE + ((here - SYSMSG_BASE) & ~(SLOT_SIZE - 1));
	struct sysmsg *m = slot_msg(slot);
	u64 *gregs = (u64 *)((char *)ucv + 40);

	if (sig != SIGSYS && sig != SIG_INTERRUPT && gregs[REG_RIP] >= STUB_BASE && gregs[REG_RIP] < (u64)etext)
		die(100 + sig); /* a fault in the stub itself */

	if (sig == SIGSYS) {
		/* sigcontext order: r8 r9 r10 r11 r12 r13 r14 r15 rdi rsi rbp rbx rdx rax ... */
		m->sc_nr = gregs[13];
		m->sc_args[0] = gregs[8];
		m->sc_args[1] = gregs[9];
		m->sc_args[2] = gregs[12];
		m->sc_args[3] = gregs[2];
		m->sc_args[4] = gregs[0];
		m->sc_args[5] = gregs[1];
	}
	m->event = (unsigned int)sig;
	m->si_code = *(int *)((char *)si + 8);
	m->fault_addr = *(u64 *)((char *)si + 16);
	m->uc_offset = (u64)ucv - slot;
	unsigned int st = ST_EVENT;
	for (;;) {
		publish(m, st);
		switch (wait_for_sentry(m)) {
		case ST_RUN_RESULT:
			gregs[13] = (u64)m->sc_result;
			/* fall through */
		case ST_RUN:
			if (run_ops(m) != 0) {
				st = ST_OPFAIL;
				continue;
			}
			if (m->fs_base != m->fs_base_cur) {
				sys2(SYS_arch_prctl, ARCH_SET_FS, m->fs_base);
				m->fs_base_cur = m->fs_base;
			}
			return;
		case ST_OPS:
			run_ops(m);
			st = ST_OPS_DONE;
			continue;
		case ST_CLONE:
			m->clone_result = m->clone_slot < MAX_THREADS ? clone_thread(SYSMSG_BASE + m->clone_slot * SLOT_SIZE) : -22;
			st = ST_CLONE_DONE;
			continue;
		default: /* ST_EXIT */
			for (;;)
				sys1(SYS_exit, 0);
		}
	}
}

static void set_handler(int sig, u64 fn)
{
	struct kernel_sigaction act = {
		.handler = fn,
		.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
		.restorer = (u64)stub_restorer,
		.mask = ~0UL,
	};
	if (sys4(SYS_rt_sigaction, sig, &act, 0, 8) != 0)
		die(90);
}

static void install_seccomp(u64 text_start, u64 text_end)
{
	/* Syscalls the stub's own code makes; anything else from it kills the stub. */
	static const unsigned int allowed[] = {SYS_rt_sigreturn, SYS_futex, SYS_mmap, SYS_munmap, SYS_mprotect,
					       SYS_arch_prctl, SYS_exit, SYS_exit_group, SYS_tgkill, SYS_getpid,
					       SYS_gettid, SYS_clone, SYS_sigaltstack, SYS_rt_sigprocmask,
					       SYS_sched_yield};
	enum { N = sizeof(allowed) / sizeof(allowed[0]) };
	struct sock_filter f[16 + N];
	int i = 0;
#define LD(off) f[i++] = (struct sock_filter){0x20, 0, 0, (off)}
#define JEQ(k, t, fl) f[i++] = (struct sock_filter){0x15, (t), (fl), (k)}
#define JGE(k, t, fl) f[i++] = (struct sock_filter){0x35, (t), (fl), (k)}
#define RET(k) f[i++] = (struct sock_filter){0x06, 0, 0, (k)}
	const unsigned int KILL = 0x80000000U, TRAP = 0x00030000U, ALLOW = 0x7fff0000U;
	/* layout: [0]ld arch [1]jeq [2]ld iphi [3]jeq [4]ld iplo [5]jge [6]jge [7]ld nr [8..8+N) jeq
	 * [8+N] kill [9+N] allow [10+N] trap */
	int allow = 9 + N, trap = 10 + N, kill = 8 + N;
	LD(4);
	JEQ(0xc000003eU, 0, kill - 2);
	LD(12);
	JEQ((unsigned int)(text_start >> 32), 0, trap - 4);
	LD(8);
	JGE((unsigned int)text_start, 0, trap - 6);
	JGE((unsigned int)text_end, trap - 7, 0);
	LD(0);
	for (int k = 0; k < N; k++, i++)
		f[i] = (struct sock_filter){0x15, (unsigned char)(allow - i - 1), 0, allowed[k]};
	RET(KILL);
	RET(ALLOW);
	RET(TRAP);
	struct sock_fprog prog = {.len = (unsigned short)i, .filter = f};
	if (sys2(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1) != 0)
		die(91);
	if (sys3(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		die(92);
}

static long parse_long(const char *s)
{
	long v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

__attribute__((used, noreturn)) void stub_main(long *sp)
{
	char **argv = (char **)(sp + 1);
	int ptrace_mode = sp[0] > 1 && streq(argv[1], "ptrace");
	long parent = sp[0] > 2 ? parse_long(argv[2]) : 0;

	/* No stub outlives the Sentry thread that spawned it. */
	sys2(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
	if (parent && sys0(SYS_getppid) != parent)
		die(93);

	if (sys6(SYS_mmap, SYSMSG_BASE, SYSMSG_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, SYSMSG_FD, 0) !=
	    (long)SYSMSG_BASE)
		die(94);
	struct sysmsg *m = slot_msg(SYSMSG_BASE);
	m->tid = (int)sys0(SYS_gettid);
	m->text_start = STUB_BASE;
	m->text_end = (u64)etext;
	m->syscall_site = (u64)stub_syscall_site;
	m->clone_site = (u64)stub_clone_site;
	m->cpuid_fault = (int)sys2(SYS_arch_prctl, ARCH_SET_CPUID, 0);

	/* The stub keeps no host file but the memory and sysmsg files. */
	sys3(SYS_close_range, 0, MEMFILE_FD - 1, 0);
	sys3(SYS_close_range, SYSMSG_FD + 1, ~0U, 0);

	/* Terminal and pipe signals are the Sentry's business, not the stub's. */
	static const int ignored[] = {1, 2, 3, 13, 20, 21, 22, 28};
	for (unsigned int k = 0; k < sizeof(ignored) / sizeof(ignored[0]); k++) {
		struct kernel_sigaction ign = {.handler = SIG_IGN_HANDLER, .flags = SA_RESTORER,
					       .restorer = (u64)stub_restorer};
		sys4(SYS_rt_sigaction, ignored[k], &ign, 0, 8);
	}

	/* Everything but the stub's image and the sysmsg slots goes: host stack, vDSO, vvar. */
	u64 image_end = ((u64)_end + 0xfff) & ~0xfffUL;
	sys2(SYS_munmap, 0, STUB_BASE);
	sys2(SYS_munmap, image_end, SYSMSG_BASE - image_end);
	sys2(SYS_munmap, SYSMSG_BASE + SYSMSG_SIZE, STUB_REGION_END - (SYSMSG_BASE + SYSMSG_SIZE));
	sys2(SYS_munmap, STUB_REGION_END, TASK_SIZE - STUB_REGION_END);

	if (ptrace_mode) {
		/* Ready: the address space is clean. The tracer seizes this thread, sets attached and stops it
		 * with PTRACE_INTERRUPT wherever it is in these loops; from then on it only ever resumes the
		 * thread at an address it chose (app code, or the syscall site with every register set), so
		 * the stub never runs on with whatever registers these loops left. */
		store(&m->state, ST_EVENT);
		while (!load(&m->attached))
			__asm__ volatile("pause");
		for (;;)
			__asm__ volatile("pause");
	}

	static const int trapped[] = {SIGSYS, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIG_INTERRUPT};
	for (unsigned int k = 0; k < sizeof(trapped) / sizeof(trapped[0]); k++)
		set_handler(trapped[k], (u64)handler);
	struct kernel_stack ss = {.sp = SYSMSG_BASE + 4096, .flags = 0, .size = SLOT_SIZE - 4096};
	if (sys2(SYS_sigaltstack, &ss, 0) != 0)
		die(96);
	install_seccomp(STUB_BASE, (u64)etext);
	/* The first event: the Sentry sees the thread ready and loads the app's registers. */
	sys3(SYS_tgkill, sys0(SYS_getpid), m->tid, SIG_INTERRUPT);
	die(97);
}
