/* Signals: handlers and their flags, masks, pending sets, queues, alternate stacks, faults, restarts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits[65];
static volatile int order[16], norder;
static siginfo_t last;
static sigjmp_buf jump;
static char altstack[65536];
static volatile int on_alt;

static void plain(int sig)
{
	hits[sig]++;
	if (norder < 16)
		order[norder++] = sig;
}

static void with_info(int sig, siginfo_t *si, void *uc)
{
	hits[sig]++;
	last = *si;
	if (norder < 16)
		order[norder++] = sig;
}

static void check_alt(int sig)
{
	char here;
	on_alt = &here >= altstack && &here < altstack + sizeof altstack;
	stack_t ss;
	sigaltstack(NULL, &ss);
	on_alt += (ss.ss_flags & SS_ONSTACK) ? 10 : 0;
}

static void fault(int sig, siginfo_t *si, void *uc)
{
	last = *si;
	siglongjmp(jump, sig);
}

static void nested(int sig)
{
	hits[sig]++;
	if (hits[sig] < 3)
		raise(sig);
}

static void on_fpu(int sig)
{
	volatile double x = 1.0;
	for (int i = 0; i < 10; i++)
		x = x * 3.7 + 1.1;
	hits[sig] = (int)x;
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static void handle_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static void *kicker(void *arg)
{
	usleep(100000);
	pthread_kill(*(pthread_t *)arg, SIGUSR2);
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	handle_info(SIGUSR1, with_info, 0);
	kill(getpid(), SIGUSR1);
	printf("kill: hits %d, signo %d, code %d, pid ok %d, uid %d\n", hits[SIGUSR1], last.si_signo, last.si_code,
	       last.si_pid == getpid(), last.si_uid);

	union sigval v = {.sival_int = 77};
	sigqueue(getpid(), SIGUSR1, v);
	printf("sigqueue: code %d (SI_QUEUE %d), value %d\n", last.si_code, SI_QUEUE, last.si_value.sival_int);

	sigset_t block, old, pend;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGRTMIN);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	handle(SIGUSR2, plain, 0);
	handle(SIGHUP, plain, 0);
	handle_info(SIGRTMIN, with_info, 0);
	norder = 0;
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGHUP);
	for (int i = 0; i < 3; i++) {
		v.sival_int = i;
		sigqueue(getpid(), SIGRTMIN, v);
	}
	sigpending(&pend);
	printf("pending: USR2 %d HUP %d RTMIN %d USR1 %d\n", sigismember(&pend, SIGUSR2), sigismember(&pend, SIGHUP),
	       sigismember(&pend, SIGRTMIN), sigismember(&pend, SIGUSR1));
	int before = hits[SIGUSR2];
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("after unblocking: USR2 ran %d time(s), RTMIN %d times, last value %d, order:", hits[SIGUSR2] - before,
	       hits[SIGRTMIN], last.si_value.sival_int);
	for (int i = 0; i < norder; i++)
		printf(" %d", order[i] == SIGRTMIN ? -1 : order[i]);
	printf("\n");

	handle(SIGUSR2, plain, SA_RESETHAND);
	raise(SIGUSR2);
	struct sigaction cur;
	sigaction(SIGUSR2, NULL, &cur);
	printf("SA_RESETHAND: now default %d\n", cur.sa_handler == SIG_DFL);

	hits[SIGUSR2] = 0;
	handle(SIGUSR2, nested, SA_NODEFER);
	raise(SIGUSR2);
	printf("SA_NODEFER nested: %d\n", hits[SIGUSR2]);
	hits[SIGUSR2] = 0;
	handle(SIGUSR2, nested, 0);
	raise(SIGUSR2);
	printf("deferred: %d\n", hits[SIGUSR2]);

	stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
	sigaltstack(&ss, NULL);
	handle(SIGUSR2, check_alt, SA_ONSTACK);
	raise(SIGUSR2);
	printf("SA_ONSTACK: on the alternate stack %d\n", on_alt);
	handle(SIGUSR2, check_alt, 0);
	raise(SIGUSR2);
	printf("without SA_ONSTACK: %d\n", on_alt);

	handle_info(SIGSEGV, fault, 0);
	int s = sigsetjmp(jump, 1);
	if (s == 0)
		*(volatile int *)0x1000 = 5;
	printf("SIGSEGV: sig %d code %d addr %p\n", s, last.si_code, last.si_addr);
	s = sigsetjmp(jump, 1);
	if (s == 0) {
		void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		*(volatile int *)p = 1;
	}
	printf("SIGSEGV on read-only memory: code %d (SEGV_ACCERR %d)\n", last.si_code, SEGV_ACCERR);
	handle_info(SIGFPE, fault, 0);
	s = sigsetjmp(jump, 1);
	if (s == 0) {
		int z = 0, q;
		__asm__ volatile("cltd; idivl %2" : "=a"(q) : "a"(1), "r"(z) : "edx");
		printf("%d\n", q);
	}
	printf("SIGFPE: sig %d code %d (FPE_INTDIV %d)\n", s, last.si_code, FPE_INTDIV);
	handle_info(SIGILL, fault, 0);
	s = sigsetjmp(jump, 1);
	if (s == 0)
		__asm__ volatile("ud2");
	printf("SIGILL: sig %d code %d (ILL_ILLOPN %d)\n", s, last.si_code, ILL_ILLOPN);
	handle_info(SIGTRAP, fault, 0);
	s = sigsetjmp(jump, 1);
	if (s == 0)
		__asm__ volatile("int3");
	printf("SIGTRAP: sig %d\n", s);

	volatile double a = 2.5;
	handle(SIGUSR2, on_fpu, 0);
	double b = a * 1.5;
	raise(SIGUSR2);
	printf("FP state kept across a handler: %g\n", b * 2);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, &old);
	hits[SIGUSR2] = 0;
	handle(SIGUSR2, plain, 0);
	pthread_t self = pthread_self(), k;
	pthread_create(&k, NULL, kicker, &self);
	sigset_t waitmask;
	sigfillset(&waitmask);
	sigdelset(&waitmask, SIGUSR2);
	int r = sigsuspend(&waitmask);
	pthread_join(k, NULL);
	sigprocmask(SIG_SETMASK, NULL, &cur.sa_mask);
	printf("sigsuspend: %d %s, handler ran %d, USR2 blocked again %d\n", r, strerror(errno), hits[SIGUSR2],
	       sigismember(&cur.sa_mask, SIGUSR2));
	sigprocmask(SIG_SETMASK, &old, NULL);

	int fds[2];
	pipe(fds);
	handle(SIGUSR2, plain, 0);
	pthread_create(&k, NULL, kicker, &self);
	char c;
	errno = 0;
	r = read(fds[0], &c, 1);
	pthread_join(k, NULL);
	printf("read interrupted without SA_RESTART: %d %s\n", r, strerror(errno));
	handle(SIGUSR2, plain, SA_RESTART);
	pthread_create(&k, NULL, kicker, &self);
	if (fork() == 0) {
		usleep(300000);
		write(fds[1], "x", 1);
		_exit(0);
	}
	r = read(fds[0], &c, 1);
	pthread_join(k, NULL);
	printf("read restarted with SA_RESTART: %d '%c'\n", r, c);
	wait(NULL);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	siginfo_t got;
	r = sigwaitinfo(&block, &got);
	printf("sigwaitinfo: %d code %d\n", r, got.si_code);
	struct timespec ts = {0, 50000000};
	errno = 0;
	r = sigtimedwait(&block, &got, &ts);
	printf("sigtimedwait timeout: %d %s\n", r, strerror(errno));

	handle_info(SIGCHLD, with_info, 0);
	pid_t p = fork();
	if (p == 0)
		_exit(9);
	while (hits[SIGCHLD] == 0)
		usleep(1000);
	printf("SIGCHLD: code %d (CLD_EXITED %d), status %d, pid ok %d\n", last.si_code, CLD_EXITED, last.si_status,
	       last.si_pid == p);
	waitpid(p, NULL, 0);

	r = kill(getpid(), 99);
	printf("kill(bad signal): %d %s\n", r, strerror(errno));
	r = sigaction(SIGKILL, &cur, NULL);
	printf("sigaction(SIGKILL): %d %s\n", r, strerror(errno));
	r = kill(999999, 0);
	printf("kill(no such pid): %d %s\n", r, strerror(errno));

	signal(SIGTERM, SIG_IGN);
	raise(SIGTERM);
	printf("ignored SIGTERM: still here\n");
	signal(SIGTERM, SIG_DFL);
	raise(SIGTERM);
	printf("not reached\n");
	return 0;
}
