/* Costs of process and thread operations: fork+exit+wait, thread create+join, fork+exec+wait (ms each). */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
static void *nop(void *a) { return a; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
int main(void) {
	int n = 200;
	double t0 = now();
	for (int i = 0; i < n; i++) { pid_t p = fork(); if (p == 0) _exit(0); waitpid(p, NULL, 0); }
	double t1 = now();
	for (int i = 0; i < n; i++) { pthread_t t; pthread_create(&t, NULL, nop, NULL); pthread_join(t, NULL); }
	double t2 = now();
	for (int i = 0; i < 50; i++) { pid_t p = fork(); if (p == 0) { execl("/bin/true", "true", NULL); _exit(1);} waitpid(p, NULL, 0); }
	double t3 = now();
	printf("fork+exit+wait: %.3f ms\nthread create+join: %.3f ms\nfork+exec+wait: %.3f ms\n", (t1 - t0) / n, (t2 - t1) / n, (t3 - t2) / 50);
	return 0;
}
