/* Processes: fork trees, exit statuses, wait variants, exec, vfork, process groups, stop/continue. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", what, WTERMSIG(st));
	else if (WIFSTOPPED(st))
		printf("%s: stopped by %d\n", what, WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		printf("%s: continued\n", what);
}

static int tree(int depth)
{
	if (depth == 0)
		return 1;
	int total = 1;
	for (int i = 0; i < 2; i++) {
		pid_t p = fork();
		if (p == 0)
			exit(tree(depth - 1));
		int st;
		waitpid(p, &st, 0);
		total += WEXITSTATUS(st);
	}
	return total;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("tree of depth 4 has %d processes\n", tree(4));

	int fds[2];
	pipe(fds);
	pid_t kids[5];
	for (int i = 0; i < 5; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			close(fds[0]);
			char msg[32];
			int n = snprintf(msg, sizeof msg, "child %d ppid ok %d\n", i, getppid() != 1);
			write(fds[1], msg, n);
			exit(10 + i);
		}
	}
	close(fds[1]);
	for (int i = 4; i >= 0; i--) {
		int st;
		pid_t r = waitpid(kids[i], &st, 0);
		printf("waited right child: %d, ", r == kids[i]);
		show("status", st);
	}
	char buf[512];
	int n, total = 0;
	while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0)
		total += n;
	buf[total] = 0;
	int lines = 0;
	for (char *c = buf; *c; c++)
		lines += *c == '\n';
	printf("pipe carried %d lines\n", lines);
	close(fds[0]);

	errno = 0;
	printf("wait with no children: %d %s\n", wait(NULL), strerror(errno));

	pid_t p = fork();
	if (p == 0) {
		kill(getpid(), SIGTERM);
		pause();
	}
	int st;
	waitpid(p, &st, 0);
	show("self-terminated child", st);

	p = fork();
	if (p == 0) {
		*(volatile int *)8 = 1;
		exit(0);
	}
	waitpid(p, &st, 0);
	show("segfaulting child", st);

	p = fork();
	if (p == 0) {
		usleep(200000);
		exit(7);
	}
	printf("WNOHANG on a running child: %d\n", waitpid(p, &st, WNOHANG));
	waitpid(p, &st, 0);
	show("sleeper", st);

	p = fork();
	if (p == 0) {
		raise(SIGSTOP);
		usleep(300000); /* so the parent sees the continue before the exit */
		exit(3);
	}
	waitpid(p, &st, WUNTRACED);
	show("stopper", st);
	kill(p, SIGCONT);
	waitpid(p, &st, WCONTINUED);
	show("stopper", st);
	waitpid(p, &st, 0);
	show("stopper", st);

	p = fork();
	if (p == 0) {
		char *argv[] = {"/bin/echo", "exec'd", "echo", NULL};
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(p, &st, 0);
	show("exec child", st);

	p = fork();
	if (p == 0) {
		char *argv[] = {"/nonexistent/x", NULL};
		execv(argv[0], argv);
		printf("exec of a missing file: %s\n", strerror(errno));
		_exit(0);
	}
	waitpid(p, &st, 0);

	volatile int shared = 0;
	p = vfork();
	if (p == 0) {
		shared = 42;
		_exit(5);
	}
	waitpid(p, &st, 0);
	printf("vfork child wrote %d, ", shared);
	show("vfork child", st);

	int mem = 1;
	p = fork();
	if (p == 0) {
		mem = 2;
		printf("child sees mem=%d\n", mem);
		exit(0);
	}
	waitpid(p, &st, 0);
	printf("parent sees mem=%d\n", mem);

	p = fork();
	if (p == 0) {
		printf("child: pgid==ppid's %d\n", getpgid(0) == getpgid(getppid()));
		printf("child: setpgid(0,0) %d, own group %d\n", setpgid(0, 0), getpgid(0) == getpid());
		printf("child: setsid on group leader: %d %s\n", setsid(), strerror(errno));
		pid_t g = fork();
		if (g == 0) {
			printf("grandchild: setsid %d, sid==pid %d, pgid==pid %d\n", setsid() == getpid(), getsid(0) == getpid(),
			       getpgrp() == getpid());
			exit(0);
		}
		waitpid(g, NULL, 0);
		exit(0);
	}
	waitpid(p, &st, 0);

	int *shared_anon = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shared_anon[0] = 1;
	p = fork();
	if (p == 0) {
		shared_anon[0] = 42;
		shared_anon[1024] = 9;
		_exit(0);
	}
	waitpid(p, &st, 0);
	printf("MAP_SHARED|MAP_ANONYMOUS after fork: parent sees %d %d\n", shared_anon[0], shared_anon[1024]);

	signal(SIGCHLD, SIG_IGN);
	p = fork();
	if (p == 0)
		exit(1);
	errno = 0;
	int r = waitpid(p, &st, 0);
	printf("with SIGCHLD ignored, children are reaped: %d %s\n", r, strerror(errno));
	return 0;
}
