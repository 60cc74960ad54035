/* Loopback UDP over IPv4 and IPv6 in one process: binding, datagram boundaries and addresses,
 * connected sockets, ICMP-style errors, truncation, sizes, options and errnos. Prints nothing that
 * differs between runs (ports only as "in the ephemeral range").
 * Usage: udploop */
#include "sockcommon.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

static struct sockaddr_in sin4(const char *ip, int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

static struct sockaddr_in6 sin6(const char *ip, int port) {
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};
    inet_pton(AF_INET6, ip, &a.sin6_addr);
    return a;
}

static int port_of(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    return ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                                   : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

static const char *ephemeral(int port) {
    return port >= 32768 && port <= 60999 ? "ephemeral" : port == 0 ? "zero" : "other";
}

static void show(const char *label, struct sockaddr_storage *ss, socklen_t len, int expect_port) {
    char buf[64] = "?";
    int port = -1;
    if (ss->ss_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)ss)->sin_addr, buf, sizeof buf);
        port = ntohs(((struct sockaddr_in *)ss)->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ss)->sin6_addr, buf, sizeof buf);
        port = ntohs(((struct sockaddr_in6 *)ss)->sin6_port);
    }
    printf("%s: family %d len %d addr %s port ok %d\n", label, ss->ss_family, (int)len, buf, port == expect_port);
}

static int getint(int fd, int level, int name) {
    int v = -12345;
    socklen_t len = sizeof v;
    if (getsockopt(fd, level, name, &v, &len) < 0) {
        printf("  getsockopt(%d,%d): -1 %s\n", level, name, en(errno));
        return -1;
    }
    return v;
}

static int bound4(const char *ip) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = sin4(ip, 0);
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0)
        printf("bound4: %s\n", en(errno));
    return s;
}

static void v4(void) {
    printf("== IPv4\n");
    char buf[70000];
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    printf("SO_TYPE %d SO_PROTOCOL %d SO_SNDBUF %d SO_RCVBUF %d\n", getint(u, SOL_SOCKET, SO_TYPE),
           getint(u, SOL_SOCKET, SO_PROTOCOL), getint(u, SOL_SOCKET, SO_SNDBUF), getint(u, SOL_SOCKET, SO_RCVBUF));
    R("socket UDP with IPPROTO_TCP", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
    R("send unconnected", send(u, "x", 1, 0));
    printf("send without a destination binds: %s\n", ephemeral(port_of(u)));
    R("listen", listen(u, 1));
    R("accept", accept(u, NULL, NULL));
    R("shutdown unconnected", shutdown(u, SHUT_RDWR));
    close(u);
    int a = bound4("127.0.0.1"), b = bound4("127.0.0.1");
    int pa = port_of(a), pb = port_of(b);
    printf("ports %s %s\n", ephemeral(pa), ephemeral(pb));
    struct sockaddr_in ab = sin4("127.0.0.1", pb);
    R("sendto 5", sendto(a, "first", 5, 0, (struct sockaddr *)&ab, sizeof ab));
    R("sendto 0", sendto(a, "", 0, 0, (struct sockaddr *)&ab, sizeof ab));
    R("sendto 6", sendto(a, "second", 6, 0, (struct sockaddr *)&ab, sizeof ab));
    int avail = -1;
    ioctl(b, FIONREAD, &avail);
    printf("FIONREAD %d\n", avail);
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    R("recvfrom PEEK", recvfrom(b, buf, sizeof buf, MSG_PEEK, (struct sockaddr *)&from, &flen));
    show("from", &from, flen, pa);
    R("recv 2 with MSG_TRUNC", recv(b, buf, 2, MSG_TRUNC));
    printf("got %.2s\n", buf);
    R("recv empty datagram", recv(b, buf, sizeof buf, 0));
    struct msghdr mh = {0};
    struct iovec iov = {buf, 3};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_name = &from;
    mh.msg_namelen = sizeof from;
    R("recvmsg short", recvmsg(b, &mh, 0));
    printf("MSG_TRUNC %d namelen %d\n", (mh.msg_flags & MSG_TRUNC) != 0, (int)mh.msg_namelen);
    R("recv DONTWAIT empty", recv(b, buf, sizeof buf, MSG_DONTWAIT));
    R("recv MSG_ERRQUEUE", recv(b, buf, sizeof buf, MSG_ERRQUEUE));
    struct iovec wv[3] = {{"ab", 2}, {"cd", 2}, {"e", 1}};
    R("writev-like sendmsg", ({ struct msghdr m = {.msg_name = &ab, .msg_namelen = sizeof ab, .msg_iov = wv, .msg_iovlen = 3}; sendmsg(a, &m, 0); }));
    char q1[2], q2[8];
    struct iovec rv[2] = {{q1, 2}, {q2, 8}};
    R("readv one datagram", readv(b, rv, 2));
    printf("readv %.2s|%.3s\n", q1, q2);
    R("sendto 65507", sendto(a, buf, 65507, 0, (struct sockaddr *)&ab, sizeof ab));
    R("recv it", recv(b, buf, sizeof buf, 0));
    R("sendto 65508", sendto(a, buf, 65508, 0, (struct sockaddr *)&ab, sizeof ab));
    R("sendto 70000", sendto(a, buf, 70000, 0, (struct sockaddr *)&ab, sizeof ab));
    struct sockaddr_in zero = sin4("127.0.0.1", 0);
    R("sendto port 0", sendto(a, "x", 1, 0, (struct sockaddr *)&zero, sizeof zero));
    R("sendto short address", sendto(a, "x", 1, 0, (struct sockaddr *)&ab, 8));
    struct sockaddr_in6 six = sin6("::1", pb);
    R("sendto sockaddr_in6 on IPv4", sendto(a, "x", 1, 0, (struct sockaddr *)&six, sizeof six));
    struct sockaddr_in nobody = sin4("127.0.0.1", pa);
    close(a);
    R("sendto a closed port (unconnected)", sendto(b, "x", 1, 0, (struct sockaddr *)&nobody, sizeof nobody));
    R("recv DONTWAIT", recv(b, buf, sizeof buf, MSG_DONTWAIT));
    struct sockaddr_in bc = sin4("255.255.255.255", 9);
    R("sendto broadcast", sendto(b, "x", 1, 0, (struct sockaddr *)&bc, sizeof bc));
    /* connected sockets */
    a = bound4("127.0.0.1");
    pa = port_of(a);
    int c = bound4("127.0.0.1");
    struct sockaddr_in aa = sin4("127.0.0.1", pa);
    ab = sin4("127.0.0.1", pb);
    R("connect a to b", connect(a, (struct sockaddr *)&ab, sizeof ab));
    flen = sizeof from;
    R("getpeername", getpeername(a, (struct sockaddr *)&from, &flen));
    show("peer", &from, flen, pb);
    R("send", send(a, "to b", 4, 0));
    flen = sizeof from;
    R("recvfrom", recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    show("from", &from, flen, pa);
    R("b replies", sendto(b, "to a", 4, 0, (struct sockaddr *)&aa, sizeof aa));
    R("c sends to a (filtered)", sendto(c, "from c", 6, 0, (struct sockaddr *)&aa, sizeof aa));
    R("a reads", recv(a, buf, sizeof buf, 0));
    printf("got %.4s\n", buf);
    R("a reads again", recv(a, buf, sizeof buf, MSG_DONTWAIT));
    R("sendto on a connected socket", sendto(a, "override", 8, 0, (struct sockaddr *)&aa, sizeof aa));
    R("it came to a itself", recv(a, buf, sizeof buf, MSG_DONTWAIT));
    R("shutdown SHUT_RD", shutdown(a, SHUT_RD));
    R("recv after SHUT_RD", recv(a, buf, sizeof buf, 0));
    R("recv after SHUT_RD DONTWAIT", recv(a, buf, sizeof buf, MSG_DONTWAIT));
    R("disconnect", connect(a, (struct sockaddr *)&(struct sockaddr){.sa_family = AF_UNSPEC}, sizeof(struct sockaddr)));
    R("getpeername", getpeername(a, (struct sockaddr *)&from, &flen));
    R("send", send(a, "x", 1, 0));
    printf("port bound as 0 kept after disconnect %d\n", port_of(a) == pa);
    close(a);
    close(c);
    /* connected to a port nobody holds: the next call reports it */
    int d = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in dead = sin4("127.0.0.1", pb);
    close(b);
    R("connect to a closed port", connect(d, (struct sockaddr *)&dead, sizeof dead));
    flen = sizeof from;
    getsockname(d, (struct sockaddr *)&from, &flen);
    show("connected sockname", &from, flen, port_of(d));
    printf("connect binds: %s\n", ephemeral(port_of(d)));
    R("send", send(d, "x", 1, 0));
    R("recv reports it", recv(d, buf, sizeof buf, MSG_DONTWAIT));
    R("send", send(d, "x", 1, 0));
    printf("SO_ERROR %s\n", en(getint(d, SOL_SOCKET, SO_ERROR)));
    R("send again", send(d, "x", 1, 0));
    R("send reports it", send(d, "x", 1, 0));
    R("disconnect", connect(d, (struct sockaddr *)&(struct sockaddr){.sa_family = AF_UNSPEC}, sizeof(struct sockaddr)));
    printf("implicit port released: %s\n", ephemeral(port_of(d)));
    R("connect short", connect(d, (struct sockaddr *)&dead, 4));
    printf("even a failed connect binds: %s\n", ephemeral(port_of(d)));
    close(d);
    /* timeouts, options */
    int e = bound4("127.0.0.1");
    struct timeval tv = {0, 50000};
    setsockopt(e, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    R("recv times out", recv(e, buf, sizeof buf, 0));
    int v = 0x13;
    setsockopt(e, IPPROTO_IP, IP_TOS, &v, sizeof v);
    printf("IP_TOS %d (ECN bits kept for UDP)\n", getint(e, IPPROTO_IP, IP_TOS));
    v = 1;
    R("UDP_CORK", setsockopt(e, IPPROTO_UDP, 1, &v, sizeof v));
    printf("UDP_CORK %d\n", getint(e, IPPROTO_UDP, 1));
    R("UDP option 999", setsockopt(e, IPPROTO_UDP, 999, &v, sizeof v));
    R("TCP option on UDP", setsockopt(e, IPPROTO_TCP, 1, &v, sizeof v));
    close(e);
    /* SO_REUSEADDR shares a port */
    int r1 = socket(AF_INET, SOCK_DGRAM, 0), r2 = socket(AF_INET, SOCK_DGRAM, 0), r3 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in any = sin4("127.0.0.1", 0);
    bind(r1, (struct sockaddr *)&any, sizeof any);
    struct sockaddr_in same = sin4("127.0.0.1", port_of(r1));
    R("bind same port", bind(r2, (struct sockaddr *)&same, sizeof same));
    setsockopt(r1, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v);
    setsockopt(r3, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v);
    R("bind same port, both SO_REUSEADDR", bind(r3, (struct sockaddr *)&same, sizeof same));
    R("send to the shared port", sendto(r2, "shared", 6, 0, (struct sockaddr *)&same, sizeof same));
    R("the newest socket gets it", recv(r3, buf, sizeof buf, MSG_DONTWAIT));
    R("not the first", recv(r1, buf, sizeof buf, MSG_DONTWAIT));
    close(r1);
    close(r2);
    close(r3);
}

static void v6(void) {
    printf("== IPv6\n");
    char buf[128];
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a = sin6("::", 0);
    R("bind [::]", bind(s, (struct sockaddr *)&a, sizeof a));
    int p = port_of(s);
    int c6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 to = sin6("::1", p);
    R("sendto [::1]", sendto(c6, "six", 3, 0, (struct sockaddr *)&to, sizeof to));
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    R("recvfrom", recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    show("from", &from, flen, port_of(c6));
    int c4 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to4 = sin4("127.0.0.1", p);
    R("IPv4 sendto dual-stack", sendto(c4, "four", 4, 0, (struct sockaddr *)&to4, sizeof to4));
    flen = sizeof from;
    R("recvfrom", recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    show("from", &from, flen, port_of(c4));
    struct sockaddr_in6 m = sin6("::ffff:127.0.0.1", p);
    R("sendto v4-mapped", sendto(c6, "mapped", 6, 0, (struct sockaddr *)&m, sizeof m));
    flen = sizeof from;
    R("recvfrom", recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    show("from", &from, flen, port_of(c6));
    R("sendto sockaddr_in on IPv6", sendto(c6, "in", 2, 0, (struct sockaddr *)&to4, sizeof to4));
    flen = sizeof from;
    R("recvfrom", recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    show("from", &from, flen, port_of(c6));
    R("sendto 65527", sendto(c6, malloc(65528), 65527, 0, (struct sockaddr *)&to, sizeof to));
    R("sendto 65528", sendto(c6, malloc(65528), 65528, 0, (struct sockaddr *)&to, sizeof to));
    R("recv big", recv(s, malloc(70000), 70000, 0));
    R("sendto short sockaddr_in6", sendto(c6, "x", 1, 0, (struct sockaddr *)&to, 20));
    struct sockaddr_in6 bad = to;
    bad.sin6_family = 99;
    R("sendto family 99", sendto(c6, "x", 1, 0, (struct sockaddr *)&bad, sizeof bad));
    int v = 1;
    int o = socket(AF_INET6, SOCK_DGRAM, 0);
    setsockopt(o, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof v);
    R("V6ONLY sendto v4-mapped", sendto(o, "x", 1, 0, (struct sockaddr *)&m, sizeof m));
    R("V6ONLY sendto sockaddr_in", sendto(o, "x", 1, 0, (struct sockaddr *)&to4, sizeof to4));
    R("V6ONLY connect sockaddr_in", connect(o, (struct sockaddr *)&to4, sizeof to4));
    close(o);
    R("connect [::1]", connect(c6, (struct sockaddr *)&to, sizeof to));
    flen = sizeof from;
    getsockname(c6, (struct sockaddr *)&from, &flen);
    show("connected sockname", &from, flen, port_of(c6));
    R("connect v4-mapped", connect(c6, (struct sockaddr *)&m, sizeof m));
    flen = sizeof from;
    getsockname(c6, (struct sockaddr *)&from, &flen);
    show("after v4-mapped connect", &from, flen, port_of(c6));
    close(c4);
    close(c6);
    close(s);
}

static void mmsg(void) {
    printf("== sendmmsg/recvmmsg\n");
    int a = bound4("127.0.0.1"), b = bound4("127.0.0.1");
    struct sockaddr_in to = sin4("127.0.0.1", port_of(b));
    connect(a, (struct sockaddr *)&to, sizeof to);
    struct mmsghdr out[3];
    struct iovec oiov[3] = {{"one", 3}, {"two!", 4}, {"three", 5}};
    memset(out, 0, sizeof out);
    for (int i = 0; i < 3; i++) {
        out[i].msg_hdr.msg_iov = &oiov[i];
        out[i].msg_hdr.msg_iovlen = 1;
    }
    R("sendmmsg", sendmmsg(a, out, 3, 0));
    struct mmsghdr in[4];
    char bufs[4][8];
    struct iovec iiov[4];
    struct sockaddr_in names[4];
    memset(in, 0, sizeof in);
    for (int i = 0; i < 4; i++) {
        iiov[i].iov_base = bufs[i];
        iiov[i].iov_len = 4;
        in[i].msg_hdr.msg_iov = &iiov[i];
        in[i].msg_hdr.msg_iovlen = 1;
        in[i].msg_hdr.msg_name = &names[i];
        in[i].msg_hdr.msg_namelen = sizeof names[i];
    }
    struct timespec ts = {1, 0};
    R("recvmmsg WAITFORONE", recvmmsg(b, in, 4, MSG_WAITFORONE, &ts));
    printf("msg_len %u %u %u trunc %d %d %d namelen %d\n", in[0].msg_len, in[1].msg_len, in[2].msg_len,
           (in[0].msg_hdr.msg_flags & MSG_TRUNC) != 0, (in[1].msg_hdr.msg_flags & MSG_TRUNC) != 0,
           (in[2].msg_hdr.msg_flags & MSG_TRUNC) != 0, (int)in[0].msg_hdr.msg_namelen);
    close(a);
    close(b);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    v4();
    v6();
    mmsg();
    printf("done\n");
    return 0;
}
