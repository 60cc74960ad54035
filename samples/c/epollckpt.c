/* Waiting across a checkpoint: an epoll set (an edge-triggered eventfd already on its ready list, a
 * one-shot pipe, a periodic timerfd) and a poll on the timerfd. It counts slowly first (sleeping),
 * then counts the timer's expirations while blocked in epoll_wait, then in poll, so a checkpoint
 * catches it sleeping, in epoll_wait or in poll depending on when it comes. The output does not
 * depend on how expirations are batched (nor, so, on which wait counted them). Usage: epollckpt [PERIOD_MS [TICKS]] */
#define _GNU_SOURCE
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int period_ms = argc > 1 ? atoi(argv[1]) : 100;
    int ticks = argc > 2 ? atoi(argv[2]) : 20;
    int ep = epoll_create1(0);
    int efd = eventfd(0, EFD_NONBLOCK);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    int p[2];
    pipe(p);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 1};
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
    ev.events = EPOLLIN;
    ev.data.u64 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 3;
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    uint64_t v = 5;
    write(efd, &v, 8); /* on the ready list until the first epoll_wait */
    long ns = period_ms * 1000000L;
    struct itimerspec its = {{ns / 1000000000, ns % 1000000000}, {ns / 1000000000, ns % 1000000000}};
    timerfd_settime(tfd, 0, &its, NULL);

    for (int i = 1; i <= 5; i++) {
        printf("count %d\n", i);
        fflush(stdout);
        struct timespec ts = {0, ns};
        nanosleep(&ts, NULL);
    }

    int total = 0, edges = 0, oneshots = 0;
    uint64_t efd_value = 0;
    while (total < ticks * 3 / 5) {
        struct epoll_event evs[4];
        int n = epoll_wait(ep, evs, 4, -1);
        for (int k = 1; k <= 3; k++)
            for (int i = 0; i < n; i++) {
                if (evs[i].data.u64 != (uint64_t)k) continue;
                if (k == 1) {
                    edges++;
                    read(efd, &efd_value, 8);
                } else if (k == 2) {
                    uint64_t exp = 0;
                    if (read(tfd, &exp, 8) != 8) continue;
                    for (uint64_t j = 0; j < exp && total < ticks; j++) {
                        printf("tick %d\n", ++total);
                        if (total == 6) write(p[1], "x", 1);
                    }
                    fflush(stdout);
                } else {
                    oneshots++;
                }
            }
    }
    while (total < ticks) {
        struct pollfd pf = {tfd, POLLIN, 0};
        if (poll(&pf, 1, -1) != 1) continue;
        uint64_t exp = 0;
        if (read(tfd, &exp, 8) != 8) continue;
        for (uint64_t j = 0; j < exp && total < ticks; j++) printf("tick %d\n", ++total);
        fflush(stdout);
    }
    struct epoll_event evs[4];
    int n = epoll_wait(ep, evs, 4, 0);
    int pipe_again = 0;
    for (int i = 0; i < n; i++) pipe_again |= evs[i].data.u64 == 3;
    printf("eventfd edges %d value %llu; one-shot pipe fired %d, again %d\n", edges, (unsigned long long)efd_value,
           oneshots, pipe_again);
    return 0;
}
