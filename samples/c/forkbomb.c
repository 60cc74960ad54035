/*
 * A fork bomb held by RLIMIT_NPROC: as an unprivileged user with a limit of 20 processes, fork until
 * the kernel says EAGAIN, then clean up. Run as root (it drops to uid 1000 itself).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t child = fork();
	if (child == 0) {
		if (setresgid(1000, 1000, 1000) != 0 || setresuid(1000, 1000, 1000) != 0) {
			printf("cannot drop privileges: %s\n", strerror(errno));
			_exit(1);
		}
		struct rlimit rl = {20, 20};
		setrlimit(RLIMIT_NPROC, &rl);
		pid_t kids[64];
		int n = 0;
		int err = 0;
		while (n < 64) {
			pid_t p = fork();
			if (p == 0) {
				pause();
				_exit(0);
			}
			if (p < 0) {
				err = errno;
				break;
			}
			kids[n++] = p;
		}
		printf("forked %d before %s\n", n, strerror(err));
		for (int i = 0; i < n; i++)
			kill(kids[i], SIGKILL);
		for (int i = 0; i < n; i++)
			waitpid(kids[i], NULL, 0);
		child = fork();
		if (child == 0)
			_exit(0);
		printf("after cleanup fork works again: %d\n", child > 0);
		waitpid(child, NULL, 0);
		_exit(0);
	}
	int st;
	waitpid(child, &st, 0);
	printf("bomb process exited %d\n", WEXITSTATUS(st));
	return 0;
}
