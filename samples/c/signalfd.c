/* signalfd: reading blocked signals as records, with poll, nonblocking reads, mask updates and SIGCHLD. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void drain(int fd, const char *what)
{
	struct signalfd_siginfo si[4];
	ssize_t n = read(fd, si, sizeof si);
	if (n < 0) {
		printf("%s: read %s\n", what, strerror(errno));
		return;
	}
	for (int i = 0; i < n / (ssize_t)sizeof si[0]; i++)
		printf("%s: signo %u code %d int %d pid ok %d status %d\n", what, si[i].ssi_signo, si[i].ssi_code,
		       si[i].ssi_int, si[i].ssi_pid == (unsigned)getpid() || si[i].ssi_signo == SIGCHLD, si[i].ssi_status);
}

int main(void)
{
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGRTMIN);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, NULL);
	int fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("signalfd: %d\n", fd >= 0);
	drain(fd, "empty");
	struct pollfd p = {.fd = fd, .events = POLLIN};
	printf("poll before: %d\n", poll(&p, 1, 0));
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	union sigval v = {.sival_int = 5};
	sigqueue(getpid(), SIGRTMIN, v);
	v.sival_int = 6;
	sigqueue(getpid(), SIGRTMIN, v);
	int pr = poll(&p, 1, 0);
	printf("poll after: %d revents %d\n", pr, p.revents);
	drain(fd, "queued");
	drain(fd, "again");
	pid_t c = fork();
	if (c == 0)
		_exit(3);
	p.revents = 0;
	printf("poll for the child: %d\n", poll(&p, 1, 5000));
	drain(fd, "child");
	waitpid(c, NULL, 0);
	sigset_t only;
	sigemptyset(&only);
	sigaddset(&only, SIGUSR1);
	printf("update mask: %d\n", signalfd(fd, &only, 0) == fd);
	sigqueue(getpid(), SIGRTMIN, v);
	drain(fd, "masked out");
	char small[8];
	ssize_t sr = read(fd, small, sizeof small);
	printf("short read: %zd %s\n", sr, strerror(errno));
	errno = 0;
	int r = signalfd(0, &m, 0);
	printf("signalfd on stdin: %d %s\n", r, strerror(errno));
	r = signalfd(-1, &m, 0x1);
	printf("bad flags: %d %s\n", r, strerror(errno));
	return 0;
}
