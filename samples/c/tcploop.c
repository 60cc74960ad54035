/* Loopback TCP over IPv4 and IPv6 in one process: binding and ports, listen/connect/accept (blocking
 * and non-blocking), data, half-close, FIN and RST, options, the interface ioctls for lo, and the
 * errnos of each. Prints nothing that differs between runs (ports only as "in the ephemeral range").
 * Usage: tcploop */
#include "sockcommon.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
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

/* Prints an address without its port: family, length, address text. */
static void show(const char *label, struct sockaddr_storage *ss, socklen_t len) {
    char buf[64] = "?";
    if (ss->ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)ss)->sin_addr, buf, sizeof buf);
    else if (ss->ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ss)->sin6_addr, buf, sizeof buf);
    printf("%s: family %d len %d addr %s\n", label, ss->ss_family, (int)len, buf);
}

static void names(const char *label, int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char l[80];
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        snprintf(l, sizeof l, "%s sockname", label);
        show(l, &ss, len);
    }
    len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0) {
        snprintf(l, sizeof l, "%s peername", label);
        show(l, &ss, len);
    } else {
        printf("%s peername: -1 %s\n", label, en(errno));
    }
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

static int setint(int fd, int level, int name, int v) {
    return setsockopt(fd, level, name, &v, sizeof v);
}

static int listener4(const char *ip, int backlog) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4(ip, 0);
    if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, backlog) < 0)
        printf("listener4: %s\n", en(errno));
    return l;
}

static int connect_to(int family, int lfd, int flags) {
    int c = socket(family, SOCK_STREAM | flags, 0);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(lfd, (struct sockaddr *)&ss, &len);
    if (connect(c, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
        printf("connect_to: %s\n", en(errno));
    return c;
}

static void basics(void) {
    printf("== basics\n");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("SO_TYPE %d SO_PROTOCOL %d SO_DOMAIN %d SO_SNDBUF %d SO_RCVBUF %d SO_ACCEPTCONN %d\n",
           getint(s, SOL_SOCKET, SO_TYPE), getint(s, SOL_SOCKET, SO_PROTOCOL), getint(s, SOL_SOCKET, SO_DOMAIN),
           getint(s, SOL_SOCKET, SO_SNDBUF), getint(s, SOL_SOCKET, SO_RCVBUF), getint(s, SOL_SOCKET, SO_ACCEPTCONN));
    struct stat st;
    fstat(s, &st);
    char link[64], buf[64], want[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", s);
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
    printf("S_ISSOCK %d readlink ok %d\n", S_ISSOCK(st.st_mode), strcmp(buf, want) == 0);
    R("socket TCP with IPPROTO_UDP", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
    R("socket SEQPACKET", socket(AF_INET, SOCK_SEQPACKET, 0));
    R("socket protocol 300", socket(AF_INET, SOCK_STREAM, 300));
    R("socket IPPROTO_TCP", close(socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP)));
    R("ping socket", socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
    int sv[2];
    R("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    names("unbound", s);
    char c;
    R("send unconnected", send(s, "x", 1, MSG_NOSIGNAL));
    R("recv unconnected", recv(s, &c, 1, 0));
    R("shutdown unconnected", shutdown(s, SHUT_WR));
    R("accept unconnected", accept(s, NULL, NULL));
    R("listen then", listen(s, 1));
    printf("listen autobinds: %s\n", ephemeral(port_of(s)));
    names("autobound listener", s);
    R("connect a listener", connect(s, (struct sockaddr *)&(struct sockaddr_in){.sin_family = AF_INET},
                                    sizeof(struct sockaddr_in)));
    R("recv on listener", recv(s, &c, 1, MSG_DONTWAIT));
    int avail;
    R("FIONREAD on listener", ioctl(s, FIONREAD, &avail));
    close(s);
}

static void options(void) {
    printf("== options\n");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("TCP_NODELAY %d\n", getint(s, IPPROTO_TCP, TCP_NODELAY));
    R("TCP_NODELAY 1", setint(s, IPPROTO_TCP, TCP_NODELAY, 1));
    printf("TCP_NODELAY %d\n", getint(s, IPPROTO_TCP, TCP_NODELAY));
    printf("KEEPIDLE %d KEEPINTVL %d KEEPCNT %d SYNCNT %d LINGER2 %d MAXSEG %d QUICKACK %d DEFER %d\n",
           getint(s, IPPROTO_TCP, TCP_KEEPIDLE), getint(s, IPPROTO_TCP, TCP_KEEPINTVL),
           getint(s, IPPROTO_TCP, TCP_KEEPCNT), getint(s, IPPROTO_TCP, TCP_SYNCNT),
           getint(s, IPPROTO_TCP, TCP_LINGER2), getint(s, IPPROTO_TCP, TCP_MAXSEG),
           getint(s, IPPROTO_TCP, TCP_QUICKACK), getint(s, IPPROTO_TCP, TCP_DEFER_ACCEPT));
    R("KEEPIDLE 60", setint(s, IPPROTO_TCP, TCP_KEEPIDLE, 60));
    R("KEEPINTVL 10", setint(s, IPPROTO_TCP, TCP_KEEPINTVL, 10));
    R("KEEPCNT 5", setint(s, IPPROTO_TCP, TCP_KEEPCNT, 5));
    R("KEEPIDLE 0", setint(s, IPPROTO_TCP, TCP_KEEPIDLE, 0));
    R("KEEPCNT 200", setint(s, IPPROTO_TCP, TCP_KEEPCNT, 200));
    R("DEFER_ACCEPT 5", setint(s, IPPROTO_TCP, TCP_DEFER_ACCEPT, 5));
    R("USER_TIMEOUT 3000", setint(s, IPPROTO_TCP, TCP_USER_TIMEOUT, 3000));
    R("USER_TIMEOUT -1", setint(s, IPPROTO_TCP, TCP_USER_TIMEOUT, -1));
    R("MAXSEG 1000", setint(s, IPPROTO_TCP, TCP_MAXSEG, 1000));
    R("MAXSEG 10", setint(s, IPPROTO_TCP, TCP_MAXSEG, 10));
    R("LINGER2 30", setint(s, IPPROTO_TCP, TCP_LINGER2, 30));
    R("SYNCNT 3", setint(s, IPPROTO_TCP, TCP_SYNCNT, 3));
    printf("KEEPIDLE %d KEEPINTVL %d KEEPCNT %d SYNCNT %d LINGER2 %d MAXSEG %d DEFER %d USER_TIMEOUT %d\n",
           getint(s, IPPROTO_TCP, TCP_KEEPIDLE), getint(s, IPPROTO_TCP, TCP_KEEPINTVL),
           getint(s, IPPROTO_TCP, TCP_KEEPCNT), getint(s, IPPROTO_TCP, TCP_SYNCNT),
           getint(s, IPPROTO_TCP, TCP_LINGER2), getint(s, IPPROTO_TCP, TCP_MAXSEG),
           getint(s, IPPROTO_TCP, TCP_DEFER_ACCEPT), getint(s, IPPROTO_TCP, TCP_USER_TIMEOUT));
    R("TCP_CONGESTION reno", setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "reno", 4));
    char cc[16] = {0};
    socklen_t len = sizeof cc;
    R("get TCP_CONGESTION", getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, cc, &len));
    printf("congestion %s len %d\n", cc, (int)len);
    R("TCP_CONGESTION nosuch", setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "nosuch", 6));
    R("TCP option 999", setint(s, IPPROTO_TCP, 999, 1));
    len = sizeof(int);
    int v;
    R("get TCP option 999", getsockopt(s, IPPROTO_TCP, 999, &v, &len));
    R("TCP option short", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, "x", 1));
    struct tcp_info ti;
    len = sizeof ti;
    R("TCP_INFO", getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len));
    printf("tcpi_state %d\n", ti.tcpi_state);
    printf("IP_TOS %d IP_TTL %d\n", getint(s, IPPROTO_IP, IP_TOS), getint(s, IPPROTO_IP, IP_TTL));
    R("IP_TOS 0x13", setint(s, IPPROTO_IP, IP_TOS, 0x13));
    R("IP_TTL 300", setint(s, IPPROTO_IP, IP_TTL, 300));
    R("IP_TTL 5", setint(s, IPPROTO_IP, IP_TTL, 5));
    printf("IP_TOS %d IP_TTL %d\n", getint(s, IPPROTO_IP, IP_TOS), getint(s, IPPROTO_IP, IP_TTL));
    unsigned char b = 0;
    len = 1;
    R("IP_TTL into a byte", getsockopt(s, IPPROTO_IP, IP_TTL, &b, &len));
    printf("byte %d len %d\n", b, (int)len);
    R("IP_TTL -1", setint(s, IPPROTO_IP, IP_TTL, -1));
    printf("IP_TTL %d\n", getint(s, IPPROTO_IP, IP_TTL));
    len = sizeof v;
    R("IP_MTU unconnected", getsockopt(s, IPPROTO_IP, IP_MTU, &v, &len));
    R("IPV6_V6ONLY on IPv4", setint(s, IPPROTO_IPV6, IPV6_V6ONLY, 1));
    R("SO_PASSCRED on TCP", setint(s, SOL_SOCKET, SO_PASSCRED, 1));
    R("SO_REUSEPORT", setint(s, SOL_SOCKET, SO_REUSEPORT, 1));
    R("SO_KEEPALIVE", setint(s, SOL_SOCKET, SO_KEEPALIVE, 1));
    printf("SO_KEEPALIVE %d SO_REUSEPORT %d\n", getint(s, SOL_SOCKET, SO_KEEPALIVE), getint(s, SOL_SOCKET, SO_REUSEPORT));
    R("SO_SNDBUF 8192", setint(s, SOL_SOCKET, SO_SNDBUF, 8192));
    R("SO_RCVBUF 8192", setint(s, SOL_SOCKET, SO_RCVBUF, 8192));
    printf("SO_SNDBUF %d SO_RCVBUF %d\n", getint(s, SOL_SOCKET, SO_SNDBUF), getint(s, SOL_SOCKET, SO_RCVBUF));
    close(s);
    int s6 = socket(AF_INET6, SOCK_STREAM, 0);
    printf("IPV6_V6ONLY %d IPV6_UNICAST_HOPS %d IPV6_TCLASS %d IP_TOS %d\n", getint(s6, IPPROTO_IPV6, IPV6_V6ONLY),
           getint(s6, IPPROTO_IPV6, IPV6_UNICAST_HOPS), getint(s6, IPPROTO_IPV6, IPV6_TCLASS),
           getint(s6, IPPROTO_IP, IP_TOS));
    R("IPV6_UNICAST_HOPS 300", setint(s6, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 300));
    R("IPV6_TCLASS 0x20", setint(s6, IPPROTO_IPV6, IPV6_TCLASS, 0x20));
    R("IPV6_V6ONLY 1", setint(s6, IPPROTO_IPV6, IPV6_V6ONLY, 1));
    printf("IPV6_V6ONLY %d IPV6_TCLASS %d\n", getint(s6, IPPROTO_IPV6, IPV6_V6ONLY), getint(s6, IPPROTO_IPV6, IPV6_TCLASS));
    struct sockaddr_in6 a6 = sin6("::1", 0);
    bind(s6, (struct sockaddr *)&a6, sizeof a6);
    R("IPV6_V6ONLY after bind", setint(s6, IPPROTO_IPV6, IPV6_V6ONLY, 0));
    close(s6);
    s6 = socket(AF_INET6, SOCK_STREAM, 0);
    bind(s6, (struct sockaddr *)&a6, sizeof a6);
    printf("bound to ::1 makes IPV6_V6ONLY %d\n", getint(s6, IPPROTO_IPV6, IPV6_V6ONLY));
    close(s6);
}

static void binding(void) {
    printf("== bind\n");
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4("127.0.0.1", 0);
    R("bind 127.0.0.1:0", bind(s, (struct sockaddr *)&a, sizeof a));
    int p = port_of(s);
    printf("port %s\n", ephemeral(p));
    R("bind again", bind(s, (struct sockaddr *)&a, sizeof a));
    int s2 = socket(AF_INET, SOCK_STREAM, 0);
    a = sin4("127.0.0.1", p);
    R("bind same port", bind(s2, (struct sockaddr *)&a, sizeof a));
    a = sin4("0.0.0.0", p);
    R("bind any:same port", bind(s2, (struct sockaddr *)&a, sizeof a));
    a = sin4("127.0.0.2", p);
    R("bind 127.0.0.2:same port", bind(s2, (struct sockaddr *)&a, sizeof a));
    close(s2);
    s2 = socket(AF_INET, SOCK_STREAM, 0);
    a = sin4("192.0.2.1", 0);
    R("bind 192.0.2.1", bind(s2, (struct sockaddr *)&a, sizeof a));
    R("bind short", bind(s2, (struct sockaddr *)&a, sizeof a - 1));
    a.sin_family = AF_INET6;
    R("bind AF_INET6 address on IPv4", bind(s2, (struct sockaddr *)&a, sizeof a));
    a = sin4("0.0.0.0", 0);
    a.sin_family = AF_UNSPEC;
    R("bind AF_UNSPEC any", bind(s2, (struct sockaddr *)&a, sizeof a));
    close(s2);
    s2 = socket(AF_INET, SOCK_STREAM, 0);
    a = sin4("127.0.0.1", 0);
    a.sin_family = AF_UNSPEC;
    R("bind AF_UNSPEC 127.0.0.1", bind(s2, (struct sockaddr *)&a, sizeof a));
    close(s2);
    close(s);
    /* SO_REUSEADDR: two bound, one listens */
    int r1 = socket(AF_INET, SOCK_STREAM, 0), r2 = socket(AF_INET, SOCK_STREAM, 0);
    setint(r1, SOL_SOCKET, SO_REUSEADDR, 1);
    setint(r2, SOL_SOCKET, SO_REUSEADDR, 1);
    a = sin4("127.0.0.1", 0);
    bind(r1, (struct sockaddr *)&a, sizeof a);
    a = sin4("127.0.0.1", port_of(r1));
    R("SO_REUSEADDR both bind", bind(r2, (struct sockaddr *)&a, sizeof a));
    R("first listens", listen(r1, 1));
    R("second listens", listen(r2, 1));
    int r3 = socket(AF_INET, SOCK_STREAM, 0);
    setint(r3, SOL_SOCKET, SO_REUSEADDR, 1);
    R("SO_REUSEADDR bind to a listening port", bind(r3, (struct sockaddr *)&a, sizeof a));
    close(r1);
    close(r2);
    close(r3);
    /* IPv4 and IPv6 share ports */
    int v4 = socket(AF_INET, SOCK_STREAM, 0);
    a = sin4("0.0.0.0", 0);
    bind(v4, (struct sockaddr *)&a, sizeof a);
    int v6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 b = sin6("::", port_of(v4));
    R("[::] on a port 0.0.0.0 holds", bind(v6, (struct sockaddr *)&b, sizeof b));
    setint(v6, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    R("[::] V6ONLY on it", bind(v6, (struct sockaddr *)&b, sizeof b));
    close(v6);
    v6 = socket(AF_INET6, SOCK_STREAM, 0);
    b = sin6("::ffff:127.0.0.1", port_of(v4));
    R("[::ffff:127.0.0.1] on it", bind(v6, (struct sockaddr *)&b, sizeof b));
    b = sin6("::1", port_of(v4));
    R("[::1] on it", bind(v6, (struct sockaddr *)&b, sizeof b));
    close(v6);
    v6 = socket(AF_INET6, SOCK_STREAM, 0);
    b = sin6("2001:db8::1", 0);
    R("bind 2001:db8::1", bind(v6, (struct sockaddr *)&b, sizeof b));
    R("bind sockaddr_in on IPv6", bind(v6, (struct sockaddr *)&a, sizeof a));
    R("bind short sockaddr_in6", bind(v6, (struct sockaddr *)&b, 20));
    setint(v6, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    b = sin6("::ffff:127.0.0.1", 0);
    R("bind mapped on V6ONLY", bind(v6, (struct sockaddr *)&b, sizeof b));
    close(v6);
    close(v4);
}

static void connections(void) {
    printf("== connections\n");
    char buf[256];
    int l = listener4("127.0.0.1", 4);
    int lp = port_of(l);
    int c1 = connect_to(AF_INET, l, SOCK_NONBLOCK);
    printf("nonblocking connect pending: %s\n", en(errno));
    struct sockaddr_in la = sin4("127.0.0.1", lp);
    R("connect again", connect(c1, (struct sockaddr *)&la, sizeof la));
    R("and again", connect(c1, (struct sockaddr *)&la, sizeof la));
    printf("SO_ERROR %d\n", getint(c1, SOL_SOCKET, SO_ERROR));
    printf("client port %s\n", ephemeral(port_of(c1)));
    names("client", c1);
    int c2 = socket(AF_INET, SOCK_STREAM, 0);
    R("blocking connect", connect(c2, (struct sockaddr *)&la, sizeof la));
    struct sockaddr_storage pa;
    socklen_t plen = sizeof pa;
    int a1 = accept4(l, (struct sockaddr *)&pa, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
    printf("accept4 ok %d O_NONBLOCK %d FD_CLOEXEC %d peer port is client's %d\n", a1 >= 0,
           (fcntl(a1, F_GETFL) & O_NONBLOCK) != 0, (fcntl(a1, F_GETFD) & FD_CLOEXEC) != 0,
           ntohs(((struct sockaddr_in *)&pa)->sin_port) == port_of(c1));
    show("accept peer", &pa, plen);
    names("accepted", a1);
    printf("accepted port is listener's %d\n", port_of(a1) == lp);
    int a2 = accept(l, NULL, NULL);
    R("write", write(c1, "hello tcp", 9));
    int avail = -1;
    ioctl(a1, FIONREAD, &avail);
    printf("FIONREAD %d\n", avail);
    R("recv PEEK", recv(a1, buf, 5, MSG_PEEK));
    R("read 5", read(a1, buf, 5));
    printf("got %.5s\n", buf);
    R("recv rest", recv(a1, buf, sizeof buf, 0));
    R("recv DONTWAIT empty", recv(a1, buf, sizeof buf, MSG_DONTWAIT));
    struct iovec iov[2] = {{"ab", 2}, {"cdef", 4}};
    R("writev", writev(c1, iov, 2));
    R("write", write(c1, "gh", 2));
    R("recv WAITALL 8", recv(a1, buf, 8, MSG_WAITALL));
    printf("got %.8s\n", buf);
    R("send", send(c1, "discard", 7, 0));
    R("recv TRUNC 3", recv(a1, buf, 3, MSG_TRUNC));
    R("recv rest", recv(a1, buf, sizeof buf, 0));
    printf("got %.4s\n", buf);
    R("sendto with address (ignored)", sendto(c1, "x", 1, 0, (struct sockaddr *)&la, sizeof la));
    R("recv", recv(a1, buf, sizeof buf, 0));
    R("shutdown SHUT_WR", shutdown(c1, SHUT_WR));
    R("peer reads EOF", read(a1, buf, sizeof buf));
    R("peer reads EOF again", read(a1, buf, sizeof buf));
    R("send after SHUT_WR", send(c1, "x", 1, MSG_NOSIGNAL));
    R("peer still sends", write(a1, "reply", 5));
    R("half-closed side reads", read(c1, buf, sizeof buf));
    struct tcp_info ti;
    socklen_t tl = sizeof ti;
    getsockopt(a1, IPPROTO_TCP, TCP_INFO, &ti, &tl);
    printf("tcpi_state after peer FIN %d\n", ti.tcpi_state);
    R("shutdown SHUT_RD", shutdown(c2, SHUT_RD));
    R("read after SHUT_RD", read(c2, buf, sizeof buf));
    R("peer writes anyway", write(a2, "late", 4));
    R("read after SHUT_RD with data", read(c2, buf, sizeof buf));
    R("shutdown bad", shutdown(c2, 3));
    close(a1);
    R("read after peer close", read(c1, buf, sizeof buf));
    close(c1);
    /* writing to a peer that closed: the first write works, the RST makes the next EPIPE */
    close(a2);
    R("read after peer close", read(c2, buf, sizeof buf));
    R("write to closed peer", write(c2, "x", 1));
    R("write again", send(c2, "x", 1, MSG_NOSIGNAL));
    signal(SIGPIPE, SIG_IGN);
    R("write with SIGPIPE ignored", write(c2, "x", 1));
    signal(SIGPIPE, SIG_DFL);
    R("read", read(c2, buf, sizeof buf));
    close(c2);
    /* closing with unread data resets the peer */
    int c3 = connect_to(AF_INET, l, 0);
    int a3 = accept(l, NULL, NULL);
    write(c3, "unread", 6);
    write(a3, "for c3", 6);
    close(a3);
    R("read queued data after RST", read(c3, buf, sizeof buf));
    R("read after RST", read(c3, buf, sizeof buf));
    R("read again", read(c3, buf, sizeof buf));
    R("write after RST", send(c3, "x", 1, MSG_NOSIGNAL));
    names("reset", c3);
    close(c3);
    /* SO_LINGER 0 resets too */
    int c4 = connect_to(AF_INET, l, 0);
    int a4 = accept(l, NULL, NULL);
    struct linger lg = {1, 0};
    setsockopt(a4, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(a4);
    R("read after linger-0 close", read(c4, buf, sizeof buf));
    printf("SO_ERROR %d\n", getint(c4, SOL_SOCKET, SO_ERROR));
    close(c4);
    /* a listener closing with a queued connection resets it */
    int c5 = connect_to(AF_INET, l, 0);
    write(c5, "never read", 10);
    close(l);
    R("queued client reads after listener close", read(c5, buf, sizeof buf));
    close(c5);
    /* nobody listening */
    int c6 = socket(AF_INET, SOCK_STREAM, 0);
    R("connect to a closed port", connect(c6, (struct sockaddr *)&la, sizeof la));
    R("connect again", connect(c6, (struct sockaddr *)&la, sizeof la));
    close(c6);
    c6 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    R("nonblocking connect to a closed port", connect(c6, (struct sockaddr *)&la, sizeof la));
    printf("SO_ERROR %s\n", en(getint(c6, SOL_SOCKET, SO_ERROR)));
    R("connect again", connect(c6, (struct sockaddr *)&la, sizeof la));
    R("connect again", connect(c6, (struct sockaddr *)&la, sizeof la));
    close(c6);
    c6 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(c6, (struct sockaddr *)&la, sizeof la);
    R("connect after refusal, no SO_ERROR read", connect(c6, (struct sockaddr *)&la, sizeof la));
    close(c6);
    /* connect arguments */
    c6 = socket(AF_INET, SOCK_STREAM, 0);
    R("connect short", connect(c6, (struct sockaddr *)&la, 8));
    R("connect len 1", connect(c6, (struct sockaddr *)&la, 1));
    struct sockaddr_in6 l6 = sin6("::1", lp);
    R("connect sockaddr_in6 on IPv4", connect(c6, (struct sockaddr *)&l6, sizeof l6));
    R("connect AF_UNSPEC unconnected", connect(c6, (struct sockaddr *)&(struct sockaddr){.sa_family = AF_UNSPEC},
                                               sizeof(struct sockaddr)));
    close(c6);
    /* a full accept queue: the connector waits in SYN_SENT */
    int lb = listener4("127.0.0.1", 0);
    int w1 = connect_to(AF_INET, lb, SOCK_NONBLOCK);
    int w2 = connect_to(AF_INET, lb, SOCK_NONBLOCK);
    struct sockaddr_in lba = sin4("127.0.0.1", port_of(lb));
    R("first connector completes", connect(w1, (struct sockaddr *)&lba, sizeof lba));
    R("second is still connecting", connect(w2, (struct sockaddr *)&lba, sizeof lba));
    R("send while connecting", send(w2, "x", 1, MSG_NOSIGNAL));
    names("connecting", w2);
    close(w1);
    close(w2);
    close(lb);
}

static void ipv6(void) {
    printf("== IPv6\n");
    char buf[64];
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = sin6("::", 0);
    R("bind [::]:0", bind(l, (struct sockaddr *)&a, sizeof a));
    listen(l, 4);
    names("dual-stack listener", l);
    int p = port_of(l);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    a = sin6("::1", p);
    R("connect [::1]", connect(c, (struct sockaddr *)&a, sizeof a));
    names("v6 client", c);
    struct sockaddr_storage pa;
    socklen_t plen = sizeof pa;
    int s = accept(l, (struct sockaddr *)&pa, &plen);
    show("accept peer", &pa, plen);
    write(c, "six", 3);
    R("read", read(s, buf, sizeof buf));
    close(s);
    close(c);
    int c4 = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a4 = sin4("127.0.0.1", p);
    R("IPv4 client to dual-stack listener", connect(c4, (struct sockaddr *)&a4, sizeof a4));
    plen = sizeof pa;
    s = accept(l, (struct sockaddr *)&pa, &plen);
    show("accept peer", &pa, plen);
    names("v4-mapped accepted", s);
    close(s);
    close(c4);
    int cm = socket(AF_INET6, SOCK_STREAM, 0);
    a = sin6("::ffff:127.0.0.1", p);
    R("v4-mapped client", connect(cm, (struct sockaddr *)&a, sizeof a));
    names("v4-mapped client", cm);
    s = accept(l, NULL, NULL);
    close(s);
    close(cm);
    cm = socket(AF_INET6, SOCK_STREAM, 0);
    a = sin6("::", p);
    R("connect [::] means loopback", connect(cm, (struct sockaddr *)&a, sizeof a));
    names("to [::]", cm);
    s = accept(l, NULL, NULL);
    close(s);
    close(cm);
    close(l);
    l = socket(AF_INET6, SOCK_STREAM, 0);
    setint(l, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    a = sin6("::", 0);
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 1);
    c4 = socket(AF_INET, SOCK_STREAM, 0);
    a4 = sin4("127.0.0.1", port_of(l));
    R("IPv4 client to V6ONLY listener", connect(c4, (struct sockaddr *)&a4, sizeof a4));
    close(c4);
    cm = socket(AF_INET6, SOCK_STREAM, 0);
    setint(cm, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    a = sin6("::ffff:127.0.0.1", port_of(l));
    R("V6ONLY client to v4-mapped", connect(cm, (struct sockaddr *)&a, sizeof a));
    close(cm);
    close(l);
}

static void reuse(void) {
    printf("== ports held after close\n");
    char buf[16];
    int l = listener4("127.0.0.1", 4);
    int p = port_of(l);
    int c = connect_to(AF_INET, l, 0);
    int s = accept(l, NULL, NULL);
    close(s); /* the server closes first: its side keeps the port */
    read(c, buf, sizeof buf);
    close(c);
    close(l);
    int n = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = sin4("127.0.0.1", p);
    R("rebind after the server closed first", bind(n, (struct sockaddr *)&a, sizeof a));
    close(n);
    n = socket(AF_INET, SOCK_STREAM, 0);
    setint(n, SOL_SOCKET, SO_REUSEADDR, 1);
    R("with SO_REUSEADDR (listener had none)", bind(n, (struct sockaddr *)&a, sizeof a));
    close(n);
    /* the same with SO_REUSEADDR on the listener */
    l = socket(AF_INET, SOCK_STREAM, 0);
    setint(l, SOL_SOCKET, SO_REUSEADDR, 1);
    a = sin4("127.0.0.1", 0);
    bind(l, (struct sockaddr *)&a, sizeof a);
    listen(l, 4);
    p = port_of(l);
    c = connect_to(AF_INET, l, 0);
    s = accept(l, NULL, NULL);
    close(s);
    read(c, buf, sizeof buf);
    close(c);
    close(l);
    a = sin4("127.0.0.1", p);
    n = socket(AF_INET, SOCK_STREAM, 0);
    R("rebind without SO_REUSEADDR", bind(n, (struct sockaddr *)&a, sizeof a));
    close(n);
    n = socket(AF_INET, SOCK_STREAM, 0);
    setint(n, SOL_SOCKET, SO_REUSEADDR, 1);
    R("rebind with SO_REUSEADDR", bind(n, (struct sockaddr *)&a, sizeof a));
    R("and listen", listen(n, 1));
    close(n);
    /* the client closing first keeps no server port */
    l = listener4("127.0.0.1", 4);
    p = port_of(l);
    c = connect_to(AF_INET, l, 0);
    s = accept(l, NULL, NULL);
    close(c);
    read(s, buf, sizeof buf);
    close(s);
    close(l);
    a = sin4("127.0.0.1", p);
    n = socket(AF_INET, SOCK_STREAM, 0);
    R("rebind after the client closed first", bind(n, (struct sockaddr *)&a, sizeof a));
    close(n);
}

static int pollmask(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT | POLLPRI | POLLRDHUP};
    if (poll(&p, 1, 0) < 0)
        return -1;
    return p.revents;
}

static void readiness(void) {
    printf("== poll and epoll\n");
    char buf[64];
    int s = socket(AF_INET, SOCK_STREAM, 0);
    printf("fresh socket %#x\n", pollmask(s));
    int l = listener4("127.0.0.1", 4);
    printf("idle listener %#x\n", pollmask(l));
    int c = connect_to(AF_INET, l, SOCK_NONBLOCK);
    struct pollfd pw = {.fd = c, .events = POLLOUT};
    R("poll for the connect", poll(&pw, 1, 5000));
    printf("connected %#x SO_ERROR %d\n", pw.revents, getint(c, SOL_SOCKET, SO_ERROR));
    printf("listener with a connection %#x\n", pollmask(l));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.fd = l};
    R("epoll_ctl listener", epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev));
    struct epoll_event got[4];
    R("epoll_wait", epoll_wait(ep, got, 4, 0));
    int a = accept(l, NULL, NULL);
    printf("accepted %#x\n", pollmask(a));
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = a;
    R("epoll_ctl accepted", epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev));
    R("epoll_wait nothing yet", epoll_wait(ep, got, 4, 0));
    write(c, "data", 4);
    R("epoll_wait data", epoll_wait(ep, got, 4, 1000));
    printf("event %#x for the accepted socket %d\n", got[0].events, got[0].data.fd == a);
    printf("with data %#x\n", pollmask(a));
    read(a, buf, sizeof buf);
    shutdown(c, SHUT_WR);
    R("epoll_wait FIN", epoll_wait(ep, got, 4, 1000));
    printf("event %#x\n", got[0].events);
    printf("after peer SHUT_WR %#x\n", pollmask(a));
    shutdown(a, SHUT_WR);
    printf("both shut %#x %#x\n", pollmask(a), pollmask(c));
    close(c);
    printf("peer closed %#x\n", pollmask(a));
    int r = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in closed = sin4("127.0.0.1", port_of(l));
    close(l);
    connect(r, (struct sockaddr *)&closed, sizeof closed);
    struct pollfd pr = {.fd = r, .events = POLLOUT};
    R("poll a refused connect", poll(&pr, 1, 5000));
    printf("refused %#x SO_ERROR %s\n", pr.revents, en(getint(r, SOL_SOCKET, SO_ERROR)));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    printf("udp %#x\n", pollmask(u));
    close(u);
    close(r);
    close(a);
    close(ep);
    close(s);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    printf("unix pair %#x\n", pollmask(sv[0]));
    write(sv[1], "x", 1);
    printf("unix readable %#x\n", pollmask(sv[0]));
    close(sv[1]);
    printf("unix peer closed %#x\n", pollmask(sv[0]));
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    printf("unix dgram %#x\n", pollmask(sv[0]));
    close(sv[1]);
    printf("unix dgram peer closed %#x\n", pollmask(sv[0]));
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    close(sv[1]);
    printf("unix seqpacket peer closed %#x\n", pollmask(sv[0]));
    close(sv[0]);
}

static void interfaces(void) {
    printf("== interfaces\n");
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    R("SIOCGIFFLAGS", ioctl(s, SIOCGIFFLAGS, &ifr));
    printf("flags %#x\n", (unsigned short)ifr.ifr_flags);
    R("SIOCGIFADDR", ioctl(s, SIOCGIFADDR, &ifr));
    printf("addr %s\n", inet_ntoa(((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr));
    R("SIOCGIFNETMASK", ioctl(s, SIOCGIFNETMASK, &ifr));
    printf("netmask %s\n", inet_ntoa(((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr));
    R("SIOCGIFMTU", ioctl(s, SIOCGIFMTU, &ifr));
    printf("mtu %d\n", ifr.ifr_mtu);
    R("SIOCGIFINDEX", ioctl(s, SIOCGIFINDEX, &ifr));
    printf("index %d\n", ifr.ifr_ifindex);
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_ifindex = 1;
    R("SIOCGIFNAME 1", ioctl(s, SIOCGIFNAME, &ifr));
    printf("name %s\n", ifr.ifr_name);
    ifr.ifr_ifindex = 9999;
    R("SIOCGIFNAME 9999", ioctl(s, SIOCGIFNAME, &ifr));
    strcpy(ifr.ifr_name, "nosuch0");
    R("SIOCGIFFLAGS nosuch0", ioctl(s, SIOCGIFFLAGS, &ifr));
    R("SIOCGIFADDR nosuch0", ioctl(s, SIOCGIFADDR, &ifr));
    struct ifconf ifc = {.ifc_len = 0, .ifc_buf = NULL};
    R("SIOCGIFCONF length", ioctl(s, SIOCGIFCONF, &ifc));
    printf("a multiple of ifreq %d\n", ifc.ifc_len > 0 && ifc.ifc_len % sizeof(struct ifreq) == 0);
    struct ifreq reqs[32];
    ifc.ifc_len = sizeof reqs;
    ifc.ifc_req = reqs;
    R("SIOCGIFCONF", ioctl(s, SIOCGIFCONF, &ifc));
    int found = 0;
    for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++)
        found |= strcmp(reqs[i].ifr_name, "lo") == 0 &&
                 ((struct sockaddr_in *)&reqs[i].ifr_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
    printf("lo 127.0.0.1 listed %d\n", found);
    printf("if_nametoindex(lo) %u\n", if_nametoindex("lo"));
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    strcpy(ifr.ifr_name, "lo");
    R("SIOCGIFINDEX on a unix socket", ioctl(u, SIOCGIFINDEX, &ifr));
    R("SIOCGIFADDR on a unix socket", ioctl(u, SIOCGIFADDR, &ifr));
    int t = socket(AF_INET6, SOCK_STREAM, 0);
    R("SIOCGIFADDR on an IPv6 socket", ioctl(t, SIOCGIFADDR, &ifr));
    R("SIOCGIFMTU on an IPv6 socket", ioctl(t, SIOCGIFMTU, &ifr));
    R("TCGETS on a socket", ioctl(t, 0x5401, &ifr));
    close(t);
    close(u);
    close(s);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    basics();
    options();
    binding();
    connections();
    ipv6();
    reuse();
    readiness();
    interfaces();
    printf("done\n");
    return 0;
}
