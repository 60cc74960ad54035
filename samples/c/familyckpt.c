/*
 * A process family to checkpoint mid-way: a thread of the parent passes a token around a ring of pipes
 * through two child processes (each adds to it), printing every round, with pauses so a checkpoint lands
 * while tokens are in flight. Then the parent reaps the children and prints their statuses.
 * Usage: familyckpt ROUNDS DELAY_MS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int rounds, delay_ms;
static int to_a[2], a_to_b[2], b_to_p[2];

static void relay(int in, int out, int add, int code)
{
	long v;
	while (read(in, &v, sizeof v) == sizeof v) {
		v += add;
		write(out, &v, sizeof v);
	}
	exit(code);
}

static void *driver(void *arg)
{
	for (long k = 0; k < rounds; k++) {
		long v = k * 100;
		write(to_a[1], &v, sizeof v);
		read(b_to_p[0], &v, sizeof v);
		printf("round %ld: token %ld\n", k, v);
		fflush(stdout);
		usleep(delay_ms * 1000);
	}
	close(to_a[1]);
	return NULL;
}

int main(int argc, char **argv)
{
	rounds = argc > 1 ? atoi(argv[1]) : 20;
	delay_ms = argc > 2 ? atoi(argv[2]) : 50;
	pipe(to_a);
	pipe(a_to_b);
	pipe(b_to_p);
	pid_t a = fork();
	if (a == 0) {
		close(to_a[1]);
		close(b_to_p[0]);
		close(b_to_p[1]);
		close(a_to_b[0]);
		relay(to_a[0], a_to_b[1], 1, 3);
	}
	pid_t b = fork();
	if (b == 0) {
		close(to_a[0]);
		close(to_a[1]);
		close(a_to_b[1]);
		close(b_to_p[0]);
		relay(a_to_b[0], b_to_p[1], 10, 4);
	}
	close(to_a[0]);
	close(a_to_b[0]);
	close(a_to_b[1]);
	close(b_to_p[1]);
	pthread_t t;
	pthread_create(&t, NULL, driver, NULL);
	pthread_join(t, NULL);
	int st;
	waitpid(a, &st, 0);
	printf("first relay exited %d\n", WEXITSTATUS(st));
	waitpid(b, &st, 0);
	printf("second relay exited %d\n", WEXITSTATUS(st));
	return 0;
}
