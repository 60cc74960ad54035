/* Sockets across a checkpoint: it sets up unix, TCP and UDP sockets with data in flight in both
 * directions, a listener with a connection not yet accepted, a half-closed connection, a descriptor
 * in flight (SCM_RIGHTS) and bound names, counts slowly (a checkpoint falls in there), then reads
 * everything back and uses the restored sockets. Usage: sockckpt [N [DELAY_MS [DIR]]] */
#include "sockcommon.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int port_of(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                                   : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void readn(const char *label, int fd, int flags, size_t max) {
    char buf[4096];
    ssize_t n = recv(fd, buf, max, flags);
    if (n < 0) {
        printf("%s: -1 %s\n", label, en(errno));
        return;
    }
    buf[n] = 0;
    printf("%s: %zd '%s'\n", label, n, buf);
}

static void readall(const char *label, int fd, int flags) {
    readn(label, fd, flags, 4095);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int delay_ms = argc > 2 ? atoi(argv[2]) : 50;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    setvbuf(stdout, NULL, _IONBF, 0);

    /* unix stream pair, data both ways, and 100000 bytes one way */
    int us[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, us);
    write(us[0], "unix a->b", 9);
    write(us[1], "unix b->a", 9);
    static char big[100000], back[100000];
    for (int i = 0; i < (int)sizeof big; i++)
        big[i] = (char)(i * 7 + 3);
    write(us[0], big, sizeof big);
    /* unix datagrams and seqpackets */
    int ud[2], sp[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, ud);
    send(ud[0], "dgram one", 9, 0);
    send(ud[0], "dgram two!", 10, 0);
    send(ud[1], "dgram back", 10, 0);
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp);
    send(sp[0], "packet", 6, 0);
    /* a descriptor in flight: a pipe's read end with data in the pipe */
    int p[2];
    pipe(p);
    write(p[1], "through a passed pipe", 21);
    close(p[1]);
    char ctl[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec iov = {"fd", 2};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
    int fp[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, fp);
    sendmsg(fp[0], &mh, 0);
    close(p[0]);
    /* a unix listener on a path with a connection not yet accepted, holding data */
    struct sockaddr_un ua = {.sun_family = AF_UNIX};
    snprintf(ua.sun_path, sizeof ua.sun_path, "%s/ckpt.sock", dir);
    unlink(ua.sun_path);
    int ul = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(ul, (struct sockaddr *)&ua, sizeof ua);
    listen(ul, 4);
    int uc = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(uc, (struct sockaddr *)&ua, sizeof ua);
    write(uc, "before accept", 13);
    /* TCP: a connection with data both ways, one not yet accepted, one half-closed */
    int tl = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in ta = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(tl, (struct sockaddr *)&ta, sizeof ta);
    listen(tl, 4);
    int tport = port_of(tl);
    ta.sin_port = htons(tport);
    int tc = socket(AF_INET, SOCK_STREAM, 0);
    connect(tc, (struct sockaddr *)&ta, sizeof ta);
    int ts = accept(tl, NULL, NULL);
    int tcport = port_of(tc);
    write(tc, "tcp c->s", 8);
    write(ts, "tcp s->c", 8);
    write(tc, big, 50000);
    int th = socket(AF_INET, SOCK_STREAM, 0);
    connect(th, (struct sockaddr *)&ta, sizeof ta);
    int ths = accept(tl, NULL, NULL);
    write(th, "then FIN", 8);
    shutdown(th, SHUT_WR);
    int tq = socket(AF_INET, SOCK_STREAM, 0);
    connect(tq, (struct sockaddr *)&ta, sizeof ta);
    write(tq, "queued conn", 11);
    /* IPv6 TCP */
    int l6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    bind(l6, (struct sockaddr *)&a6, sizeof a6);
    listen(l6, 1);
    a6.sin6_port = htons(port_of(l6));
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    connect(c6, (struct sockaddr *)&a6, sizeof a6);
    int s6 = accept(l6, NULL, NULL);
    write(c6, "over ipv6", 9);
    /* UDP: queued datagrams, a connected pair */
    int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(u1, (struct sockaddr *)&any, sizeof any);
    bind(u2, (struct sockaddr *)&any, sizeof any);
    struct sockaddr_in to2 = any, to1 = any;
    to2.sin_port = htons(port_of(u2));
    to1.sin_port = htons(port_of(u1));
    connect(u1, (struct sockaddr *)&to2, sizeof to2);
    send(u1, "udp one", 7, 0);
    send(u1, "udp two", 7, 0);
    sendto(u2, "udp back", 8, 0, (struct sockaddr *)&to1, sizeof to1);
    int u1port = port_of(u1);

    for (int i = 1; i <= n; i++) {
        printf("count %d\n", i);
        struct timespec t = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
        nanosleep(&t, NULL);
    }

    readn("unix b reads", us[1], MSG_DONTWAIT, 9);
    size_t got = 0;
    while (got < sizeof back) {
        ssize_t k = read(us[1], back + got, sizeof back - got);
        if (k <= 0)
            break;
        got += k;
    }
    printf("unix big: %zu bytes, intact %d\n", got, got == sizeof big && memcmp(big, back, got) == 0);
    readall("unix a reads", us[0], MSG_DONTWAIT);
    readall("dgram 1", ud[1], MSG_DONTWAIT);
    readall("dgram 2", ud[1], MSG_DONTWAIT);
    readall("dgram back", ud[0], MSG_DONTWAIT);
    readall("seqpacket", sp[1], MSG_DONTWAIT);
    char buf[64];
    struct iovec riov = {buf, sizeof buf};
    char rctl[CMSG_SPACE(sizeof(int))];
    struct msghdr rm = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = rctl, .msg_controllen = sizeof rctl};
    ssize_t k = recvmsg(fp[1], &rm, MSG_DONTWAIT);
    int passed = -1;
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
    if (rc && rc->cmsg_type == SCM_RIGHTS)
        memcpy(&passed, CMSG_DATA(rc), sizeof(int));
    printf("passed fd: %zd bytes, fd received %d\n", k, passed >= 0);
    if (passed >= 0) {
        k = read(passed, buf, sizeof buf - 1);
        printf("read through it: %zd '%.*s'\n", k, (int)(k > 0 ? k : 0), buf);
    }
    int ua2 = accept(ul, NULL, NULL);
    printf("unix accept after restore %d\n", ua2 >= 0);
    readall("accepted reads", ua2, MSG_DONTWAIT);
    int uc2 = socket(AF_UNIX, SOCK_STREAM, 0);
    R("new unix connect to the restored listener", connect(uc2, (struct sockaddr *)&ua, sizeof ua));
    int ua3 = accept(ul, NULL, NULL);
    write(uc2, "fresh", 5);
    readall("fresh connection", ua3, 0);
    struct stat st;
    printf("socket file still there %d\n", stat(ua.sun_path, &st) == 0 && S_ISSOCK(st.st_mode));
    readn("tcp server reads", ts, MSG_DONTWAIT, 8);
    got = 0;
    while (got < 50000) {
        k = read(ts, back + got, 50000 - got);
        if (k <= 0)
            break;
        got += k;
    }
    printf("tcp big: %zu bytes, intact %d\n", got, got == 50000 && memcmp(big, back, got) == 0);
    readall("tcp client reads", tc, MSG_DONTWAIT);
    printf("ports kept %d %d\n", port_of(tl) == tport, port_of(tc) == tcport);
    readall("half-closed data", ths, 0);
    readall("then EOF", ths, 0);
    int tq2 = accept(tl, NULL, NULL);
    readall("queued connection after restore", tq2, 0);
    R("tcp echo", write(tq2, "hi again", 8));
    readall("client gets it", tq, 0);
    int tn = socket(AF_INET, SOCK_STREAM, 0);
    R("new tcp connect to the restored listener", connect(tn, (struct sockaddr *)&ta, sizeof ta));
    int tns = accept(tl, NULL, NULL);
    printf("accepted %d\n", tns >= 0);
    int tb = socket(AF_INET, SOCK_STREAM, 0);
    R("its port is still taken", bind(tb, (struct sockaddr *)&ta, sizeof ta));
    readall("ipv6 tcp", s6, MSG_DONTWAIT);
    readall("udp 1", u2, MSG_DONTWAIT);
    readall("udp 2", u2, MSG_DONTWAIT);
    readall("udp back", u1, MSG_DONTWAIT);
    printf("udp port kept %d\n", port_of(u1) == u1port);
    R("udp send after restore", send(u1, "after", 5, 0));
    readall("udp after", u2, 0);
    close(us[0]);
    R("unix peer EOF", read(us[1], buf, sizeof buf));
    unlink(ua.sun_path);
    printf("done\n");
    return 0;
}
