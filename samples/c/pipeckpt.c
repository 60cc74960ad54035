/* Bytes in pipes and a FIFO, and an open /proc file, across a checkpoint: it fills them, counts
 * slowly (a checkpoint falls in there), then reads everything back. Usage: pipeckpt [N [DELAY_MS [FIFO]]]. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 50;
    const char *fifo = argc > 3 ? argv[3] : "/tmp/jvisor-pipeckpt-fifo";
    int p[2], q[2];
    char buf[256];

    pipe(p);
    write(p[1], "pipe data survives", 18);
    unlink(fifo);
    mkfifo(fifo, 0600);
    int f = open(fifo, O_RDWR);
    write(f, "fifo data survives", 18);
    int comm = open("/proc/self/comm", O_RDONLY);
    read(comm, buf, 3);
    /* a pipe whose ring has wrapped, holding 50000 bytes */
    pipe2(q, O_NONBLOCK);
    static char big[60000], back[60000];
    for (int i = 0; i < 60000; i++) big[i] = (char)(i * 31 + 7);
    write(q[1], big, 30000);
    read(q[0], back, 20000);
    write(q[1], big + 30000, 30000);
    write(q[1], big, 10000);

    for (int i = 1; i <= n; i++) {
        printf("count %d\n", i);
        fflush(stdout);
        struct timespec ts = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }

    memset(buf, 0, sizeof buf);
    read(p[0], buf, sizeof buf - 1);
    printf("pipe: %s\n", buf);
    memset(buf, 0, sizeof buf);
    read(f, buf, sizeof buf - 1);
    printf("fifo: %s\n", buf);
    memset(buf, 0, sizeof buf);
    ssize_t r = read(comm, buf, sizeof buf - 1);
    printf("rest of comm: %zd %s", r, buf);
    long got = 0;
    for (;;) {
        ssize_t k = read(q[0], back + got, sizeof back - got);
        if (k <= 0) break;
        got += k;
    }
    printf("big pipe: %ld bytes, intact %d\n", got,
           got == 50000 && memcmp(back, big + 20000, 40000) == 0 && memcmp(back + 40000, big, 10000) == 0);
    close(f);
    unlink(fifo);
    return 0;
}
