/* AF_UNIX sockets in one process: socketpair, bind/listen/connect/accept on paths and abstract names,
 * stream, datagram and seqpacket semantics, options, SCM_RIGHTS and SCM_CREDENTIALS, shutdown, close,
 * and the errnos of each. Prints only what is the same on every run (no pids, inode numbers, names).
 * Usage: unixsock DIR [sigpipe]   (DIR: a writable directory for socket files) */
#include "sockcommon.h"
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static char dir[200];

static socklen_t path_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    snprintf(a->sun_path, sizeof a->sun_path, "%s/%s", dir, name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1);
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    int n = snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "jvisor-%d-%s", (int)getpid(), name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
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

static void socketpair_stream(void) {
    printf("== socketpair stream\n");
    int sv[2];
    char buf[64];
    R("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct stat st;
    fstat(sv[0], &st);
    printf("S_ISSOCK %d mode %o size %ld nlink %ld blksize %ld\n", S_ISSOCK(st.st_mode), st.st_mode & 07777,
           (long)st.st_size, (long)st.st_nlink, (long)st.st_blksize);
    char link[64], want[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", sv[0]);
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof want, "socket:[%lu]", (unsigned long)st.st_ino);
    printf("readlink is socket:[ino] %d\n", strcmp(buf, want) == 0);
    struct stat st1;
    fstat(sv[1], &st1);
    printf("distinct inodes %d\n", st.st_ino != st1.st_ino);
    R("open /proc/self/fd/N", open(link, O_RDWR));
    R("F_GETFL", fcntl(sv[0], F_GETFL));
    R("write", write(sv[0], "hello", 5));
    R("write", write(sv[0], " world", 6));
    int avail = -1;
    R("FIONREAD", ioctl(sv[1], FIONREAD, &avail));
    printf("avail %d\n", avail);
    R("recv PEEK", recv(sv[1], buf, 3, MSG_PEEK));
    printf("peeked %.3s\n", buf);
    R("read", read(sv[1], buf, 4));
    printf("got %.4s\n", buf);
    R("read", read(sv[1], buf, sizeof buf));
    printf("got %.7s\n", buf);
    R("recv DONTWAIT empty", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    R("read 0 bytes", read(sv[1], buf, 0));
    struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
    R("writev", writev(sv[1], iov, 3));
    char b1[3], b2[10];
    struct iovec riov[2] = {{b1, 3}, {b2, 10}};
    R("readv", readv(sv[0], riov, 2));
    printf("readv %.3s|%.3s\n", b1, b2);
    R("send", send(sv[0], "xyz", 3, 0));
    R("recv WAITALL", recv(sv[1], buf, 3, MSG_WAITALL));
    R("lseek", lseek(sv[0], 0, SEEK_SET));
    R("pread", pread(sv[0], buf, 1, 0));
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    socklen_t len = sizeof a;
    R("getsockname", getsockname(sv[0], (struct sockaddr *)&a, &len));
    printf("len %d family %d\n", (int)len, a.sun_family);
    len = sizeof a;
    R("getpeername", getpeername(sv[0], (struct sockaddr *)&a, &len));
    printf("len %d\n", (int)len);
    R("sendto with name", sendto(sv[0], "a", 1, 0, (struct sockaddr *)&a, sizeof(sa_family_t) + 2));
    R("connect again", connect(sv[0], (struct sockaddr *)&a, sizeof a));
    R("listen on connected", listen(sv[0], 1));
    R("accept on connected", accept(sv[0], NULL, NULL));
    R("recv MSG_OOB", recv(sv[0], buf, 1, MSG_OOB));
    R("shutdown bad", shutdown(sv[0], 7));
    R("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
    R("peer read after SHUT_WR", read(sv[1], buf, sizeof buf));
    R("send after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
    R("peer still writes", write(sv[1], "back", 4));
    R("read after own SHUT_WR", read(sv[0], buf, sizeof buf));
    R("shutdown SHUT_RD", shutdown(sv[0], SHUT_RD));
    R("read after SHUT_RD", read(sv[0], buf, sizeof buf));
    R("peer write after SHUT_RD", send(sv[1], "x", 1, MSG_NOSIGNAL));
    close(sv[0]);
    close(sv[1]);

    /* closing with unread data resets the peer */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "unread", 6);
    write(sv[1], "for 0", 5);
    close(sv[1]);
    R("read queued after peer close", read(sv[0], buf, sizeof buf));
    R("read after peer close with unread data", read(sv[0], buf, sizeof buf));
    R("read again", read(sv[0], buf, sizeof buf));
    R("write to closed peer", send(sv[0], "x", 1, MSG_NOSIGNAL));
    signal(SIGPIPE, SIG_IGN);
    R("write to closed peer, SIGPIPE ignored", write(sv[0], "x", 1));
    signal(SIGPIPE, SIG_DFL);
    close(sv[0]);

    /* nonblocking fill until EAGAIN, then drain */
    R("socketpair NONBLOCK|CLOEXEC", socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv));
    printf("O_NONBLOCK %d FD_CLOEXEC %d\n", (fcntl(sv[0], F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(sv[1], F_GETFD) & FD_CLOEXEC) != 0);
    static char big[1 << 20];
    memset(big, 'q', sizeof big);
    long total = 0;
    for (;;) {
        ssize_t k = write(sv[0], big, 65536);
        if (k < 0) {
            printf("fill stopped: %s, some written %d\n", en(errno), total > 0);
            break;
        }
        total += k;
    }
    long got = 0;
    for (;;) {
        ssize_t k = read(sv[1], big, sizeof big);
        if (k <= 0) {
            printf("drain stopped: %s\n", k < 0 ? en(errno) : "EOF");
            break;
        }
        got += k;
    }
    printf("drained all %d\n", got == total);
    close(sv[0]);
    close(sv[1]);
}

static void options(void) {
    printf("== options\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    printf("SO_TYPE %d SO_DOMAIN %d SO_PROTOCOL %d SO_ACCEPTCONN %d SO_ERROR %d\n", getint(sv[0], SOL_SOCKET, SO_TYPE),
           getint(sv[0], SOL_SOCKET, SO_DOMAIN), getint(sv[0], SOL_SOCKET, SO_PROTOCOL),
           getint(sv[0], SOL_SOCKET, SO_ACCEPTCONN), getint(sv[0], SOL_SOCKET, SO_ERROR));
    printf("SO_SNDBUF %d SO_RCVBUF %d\n", getint(sv[0], SOL_SOCKET, SO_SNDBUF), getint(sv[0], SOL_SOCKET, SO_RCVBUF));
    int v = 65536;
    R("set SO_SNDBUF 65536", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
    v = 1;
    R("set SO_RCVBUF 1", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
    printf("SO_SNDBUF %d SO_RCVBUF %d\n", getint(sv[0], SOL_SOCKET, SO_SNDBUF), getint(sv[0], SOL_SOCKET, SO_RCVBUF));
    v = 1;
    R("set SO_SNDBUF 1", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
    printf("SO_SNDBUF %d\n", getint(sv[0], SOL_SOCKET, SO_SNDBUF));
    v = 100000;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    printf("SO_SNDBUF %d\n", getint(sv[0], SOL_SOCKET, SO_SNDBUF));
    v = 1;
    R("set SO_REUSEADDR", setsockopt(sv[0], SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
    R("set SO_KEEPALIVE", setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v));
    v = 5;
    R("set SO_REUSEPORT", setsockopt(sv[0], SOL_SOCKET, SO_REUSEPORT, &v, sizeof v));
    printf("SO_REUSEADDR %d SO_KEEPALIVE %d SO_PASSCRED %d SO_REUSEPORT %d\n", getint(sv[0], SOL_SOCKET, SO_REUSEADDR),
           getint(sv[0], SOL_SOCKET, SO_KEEPALIVE), getint(sv[0], SOL_SOCKET, SO_PASSCRED),
           getint(sv[0], SOL_SOCKET, SO_REUSEPORT));
    struct linger lg = {1, 7};
    R("set SO_LINGER", setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    R("set SO_LINGER short", setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, 4));
    memset(&lg, 0x55, sizeof lg);
    socklen_t len = sizeof lg;
    R("get SO_LINGER", getsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, &len));
    printf("linger %d %d len %d\n", lg.l_onoff, lg.l_linger, (int)len);
    struct timeval tv = {1, 500000};
    R("set SO_RCVTIMEO", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    memset(&tv, 0, sizeof tv);
    len = sizeof tv;
    R("get SO_RCVTIMEO", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
    printf("rcvtimeo %ld.%06ld len %d\n", (long)tv.tv_sec, (long)tv.tv_usec, (int)len);
    len = sizeof tv;
    getsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, &len);
    printf("sndtimeo %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
    tv.tv_sec = 0;
    tv.tv_usec = 1000000;
    R("set SO_SNDTIMEO usec 1e6", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
    R("set SO_SNDTIMEO short", setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, 8));
    tv.tv_sec = 0;
    tv.tv_usec = 50000;
    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[16];
    R("recv times out", recv(sv[1], buf, sizeof buf, 0));
    struct ucred cr;
    len = sizeof cr;
    R("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len));
    printf("peercred pid ok %d uid ok %d gid ok %d len %d\n", cr.pid == getpid(), cr.uid == geteuid(), cr.gid == getegid(),
           (int)len);
    unsigned char c = 0xaa;
    len = 1;
    R("SO_TYPE into 1 byte", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &c, &len));
    printf("byte %d len %d\n", c, (int)len);
    len = -1;
    R("getsockopt negative len", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &len));
    v = 1;
    R("setsockopt optlen 2", setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, 2));
    R("setsockopt SO_TYPE", setsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, sizeof v));
    R("setsockopt unknown", setsockopt(sv[0], SOL_SOCKET, 9999, &v, sizeof v));
    len = sizeof v;
    R("getsockopt unknown", getsockopt(sv[0], SOL_SOCKET, 9999, &v, &len));
    len = sizeof v;
    R("getsockopt TCP level", getsockopt(sv[0], IPPROTO_TCP, 1, &v, &len));
    R("setsockopt TCP level", setsockopt(sv[0], IPPROTO_TCP, 1, &v, sizeof v));
    R("setsockopt on a pipe", setsockopt(0, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v));
    int p[2];
    pipe(p);
    R("getsockopt on a pipe", getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &len));
    R("getsockopt bad fd", getsockopt(99, SOL_SOCKET, SO_TYPE, &v, &len));
    close(p[0]);
    close(p[1]);
    R("socket bad type", socket(AF_UNIX, 7, 0));
    R("socket bad protocol", socket(AF_UNIX, SOCK_STREAM, 2));
    R("socket bad flags", socket(AF_UNIX, SOCK_STREAM | 0x10000, 0));
    R("socket family 200", socket(200, SOCK_STREAM, 0));
    int raw = socket(AF_UNIX, SOCK_RAW, 0);
    printf("SOCK_RAW is SOCK_DGRAM %d\n", getint(raw, SOL_SOCKET, SO_TYPE) == SOCK_DGRAM);
    close(raw);
    close(sv[0]);
    close(sv[1]);
}

static void listen_connect(void) {
    printf("== listen/connect/accept\n");
    struct sockaddr_un a, b;
    socklen_t alen = path_addr(&a, "srv.sock");
    unlink(a.sun_path);
    umask(022);
    int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    R("listen unbound", listen(ls, 5));
    R("bind", bind(ls, (struct sockaddr *)&a, alen));
    struct stat st;
    R("stat", stat(a.sun_path, &st));
    printf("S_ISSOCK %d mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 07777);
    R("open socket file", open(a.sun_path, O_RDWR));
    R("bind again", bind(ls, (struct sockaddr *)&a, alen));
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    R("bind in use", bind(other, (struct sockaddr *)&a, alen));
    socklen_t blen = path_addr(&b, "srv2.sock");
    unlink(b.sun_path);
    R("bind bound socket elsewhere", bind(ls, (struct sockaddr *)&b, blen));
    R("access of that path", access(b.sun_path, F_OK));
    struct sockaddr_un bad = a;
    bad.sun_family = AF_INET;
    R("bind wrong family", bind(other, (struct sockaddr *)&bad, alen));
    R("bind wrong family, family-only length", bind(other, (struct sockaddr *)&bad, 2));
    R("bind too long", bind(other, (struct sockaddr *)&a, sizeof a + 1));
    R("bind len 200", bind(other, (struct sockaddr *)&a, 200));
    R("bind len -1", bind(other, (struct sockaddr *)&a, -1));
    R("bind NULL", bind(other, NULL, alen));
    R("bind no dir", bind(other, (struct sockaddr *)&b, path_addr(&b, "nodir/x.sock")));
    int ab0 = socket(AF_UNIX, SOCK_STREAM, 0);
    R("bind family only (autobind)", bind(ab0, (struct sockaddr *)&a, 2));
    R("then bind a path", bind(ab0, (struct sockaddr *)&b, path_addr(&b, "late.sock")));
    R("the file is gone", access(b.sun_path, F_OK));
    close(ab0);
    R("connect before listen", connect(other, (struct sockaddr *)&a, alen));
    R("listen 1", listen(ls, 1));
    printf("SO_ACCEPTCONN %d\n", getint(ls, SOL_SOCKET, SO_ACCEPTCONN));
    blen = path_addr(&b, "missing.sock");
    R("connect missing", connect(other, (struct sockaddr *)&b, blen));
    blen = path_addr(&b, "plainfile");
    close(open(b.sun_path, O_CREAT | O_WRONLY, 0644));
    R("connect to a regular file", connect(other, (struct sockaddr *)&b, blen));
    unlink(b.sun_path);
    int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
    R("dgram connect to stream listener", connect(dg, (struct sockaddr *)&a, alen));
    R("listen on dgram", listen(dg, 1));
    R("accept on dgram", accept(dg, NULL, NULL));
    close(dg);
    R("accept not listening", accept(other, NULL, NULL));
    fcntl(ls, F_SETFL, O_NONBLOCK);
    R("accept empty nonblocking", accept(ls, NULL, NULL));
    int c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        char label[32];
        snprintf(label, sizeof label, "connect %d (backlog 1)", i);
        R(label, connect(c[i], (struct sockaddr *)&a, alen));
    }
    R("write before accept", write(c[0], "early", 5));
    R("connect connected", connect(c[0], (struct sockaddr *)&a, alen));
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    R("accept4 bad flags", accept4(ls, NULL, NULL, 0x1));
    int s0 = accept4(ls, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
    printf("accept4 ok %d peer len %d O_NONBLOCK %d FD_CLOEXEC %d\n", s0 >= 0, (int)plen,
           (fcntl(s0, F_GETFL) & O_NONBLOCK) != 0, (fcntl(s0, F_GETFD) & FD_CLOEXEC) != 0);
    char buf[64];
    R("read early data", read(s0, buf, sizeof buf));
    plen = sizeof peer;
    R("getsockname accepted", getsockname(s0, (struct sockaddr *)&peer, &plen));
    printf("len ok %d path ok %d\n", plen == alen, strcmp(peer.sun_path, a.sun_path) == 0);
    plen = sizeof peer;
    R("getpeername client", getpeername(c[0], (struct sockaddr *)&peer, &plen));
    printf("len ok %d\n", plen == alen);
    plen = 4;
    R("getpeername short", getpeername(c[0], (struct sockaddr *)&peer, &plen));
    printf("full length reported %d\n", plen == alen);
    struct ucred cr;
    socklen_t crl = sizeof cr;
    getsockopt(s0, SOL_SOCKET, SO_PEERCRED, &cr, &crl);
    printf("accepted peercred ok %d\n", cr.pid == getpid() && cr.uid == geteuid());
    crl = sizeof cr;
    getsockopt(c[0], SOL_SOCKET, SO_PEERCRED, &cr, &crl);
    printf("client peercred ok %d\n", cr.pid == getpid() && cr.uid == geteuid());
    int s1 = accept(ls, NULL, NULL);
    R("accept second", s1 >= 0 ? 0 : -1);
    R("accept none left", accept(ls, NULL, NULL));
    R("connect after accepts", connect(c[2], (struct sockaddr *)&a, alen));
    R("echo", write(s1, "pong", 4));
    R("client reads", read(c[1], buf, sizeof buf));
    /* close the listener with c[2] still queued: c[2] is reset */
    close(ls);
    R("queued client read after listener close", read(c[2], buf, sizeof buf));
    R("then", read(c[2], buf, sizeof buf));
    R("connect after listener close", connect(other, (struct sockaddr *)&a, alen));
    R("unlink socket file", unlink(a.sun_path));
    R("connect after unlink", connect(other, (struct sockaddr *)&a, alen));
    close(s0);
    R("client read after server close", read(c[0], buf, sizeof buf));
    close(s1);
    for (int i = 0; i < 3; i++)
        close(c[i]);
    close(other);

    /* abstract names and autobind */
    struct sockaddr_un ab;
    socklen_t ablen = abstract_addr(&ab, "abs");
    int as = socket(AF_UNIX, SOCK_STREAM, 0);
    R("bind abstract", bind(as, (struct sockaddr *)&ab, ablen));
    plen = sizeof peer;
    getsockname(as, (struct sockaddr *)&peer, &plen);
    printf("abstract name len ok %d\n", plen == ablen && memcmp(&peer, &ab, ablen) == 0);
    int as2 = socket(AF_UNIX, SOCK_STREAM, 0);
    R("bind abstract in use", bind(as2, (struct sockaddr *)&ab, ablen));
    int asd = socket(AF_UNIX, SOCK_DGRAM, 0);
    R("bind same abstract name, other type", bind(asd, (struct sockaddr *)&ab, ablen));
    close(asd);
    R("connect abstract not listening", connect(as2, (struct sockaddr *)&ab, ablen));
    listen(as, 0);
    R("connect abstract", connect(as2, (struct sockaddr *)&ab, ablen));
    int as3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    R("connect abstract backlog 0 second", connect(as3, (struct sockaddr *)&ab, ablen));
    struct sockaddr_un miss;
    socklen_t misslen = abstract_addr(&miss, "nobody");
    R("connect abstract missing", connect(as3, (struct sockaddr *)&miss, misslen));
    int acc = accept(as, (struct sockaddr *)&peer, &plen);
    printf("accepted abstract %d\n", acc >= 0);
    close(acc);
    close(as);
    close(as2);
    close(as3);
    int au = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un fam = {.sun_family = AF_UNIX};
    R("autobind", bind(au, (struct sockaddr *)&fam, sizeof(sa_family_t)));
    plen = sizeof peer;
    getsockname(au, (struct sockaddr *)&peer, &plen);
    int hex = 1;
    for (int i = 1; i < 6; i++)
        hex &= strchr("0123456789abcdef", peer.sun_path[i]) != NULL;
    printf("autobind len %d abstract %d hex %d\n", (int)plen, peer.sun_path[0] == 0, hex);
    R("autobind again", bind(au, (struct sockaddr *)&fam, sizeof(sa_family_t)));
    close(au);
    int pc = socket(AF_UNIX, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(pc, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    int pl = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(pl, (struct sockaddr *)&ab, ablen);
    listen(pl, 4);
    connect(pc, (struct sockaddr *)&ab, ablen);
    plen = sizeof peer;
    getsockname(pc, (struct sockaddr *)&peer, &plen);
    printf("SO_PASSCRED connect autobinds: len %d\n", (int)plen);
    int pa = accept(pl, (struct sockaddr *)&peer, &plen);
    printf("accept reports the autobound name: len %d, inherits SO_PASSCRED %d\n", (int)plen,
           getint(pa, SOL_SOCKET, SO_PASSCRED));
    close(pa);
    close(pc);
    close(pl);
}

static void datagrams(void) {
    printf("== datagrams\n");
    int sv[2];
    char buf[64];
    R("socketpair dgram", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    R("send 5", send(sv[0], "first", 5, 0));
    R("send 0", send(sv[0], "", 0, 0));
    R("send 6", send(sv[0], "second", 6, 0));
    int avail = -1;
    ioctl(sv[1], FIONREAD, &avail);
    printf("FIONREAD first datagram %d\n", avail);
    R("recv PEEK 2", recv(sv[1], buf, 2, MSG_PEEK));
    R("recv TRUNC 2", recv(sv[1], buf, 2, MSG_TRUNC));
    printf("got %.2s\n", buf);
    R("recv empty datagram", recv(sv[1], buf, sizeof buf, 0));
    struct msghdr mh = {0};
    struct iovec iov = {buf, 3};
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    R("recvmsg short", recvmsg(sv[1], &mh, 0));
    printf("msg_flags MSG_TRUNC %d\n", (mh.msg_flags & MSG_TRUNC) != 0);
    R("recv DONTWAIT empty", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    R("read 0 bytes", read(sv[1], buf, 0));
    static char big[300000];
    R("send too big", send(sv[0], big, sizeof big, 0));
    R("send 200000", send(sv[0], big, 200000, 0));
    R("recv it", recv(sv[1], big, sizeof big, 0));
    struct iovec wv[2] = {{"ab", 2}, {"cd", 2}};
    R("writev one datagram", writev(sv[0], wv, 2));
    char r1[1], r2[8];
    struct iovec rv[2] = {{r1, 1}, {r2, 8}};
    R("readv one datagram", readv(sv[1], rv, 2));
    printf("readv %.1s|%.3s\n", r1, r2);
    close(sv[1]);
    R("send to closed peer", send(sv[0], "x", 1, 0));
    R("send again", send(sv[0], "x", 1, 0));
    close(sv[0]);

    /* named datagram sockets */
    struct sockaddr_un a, b, from;
    socklen_t alen = abstract_addr(&a, "dga"), blen = abstract_addr(&b, "dgb");
    int da = socket(AF_UNIX, SOCK_DGRAM, 0), db = socket(AF_UNIX, SOCK_DGRAM, 0), dc = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(da, (struct sockaddr *)&a, alen);
    bind(db, (struct sockaddr *)&b, blen);
    R("send unconnected", send(dc, "x", 1, 0));
    R("sendto a from b", sendto(db, "from b", 6, 0, (struct sockaddr *)&a, alen));
    socklen_t flen = sizeof from;
    R("recvfrom", recvfrom(da, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    printf("from b %d\n", flen == blen && memcmp(&from, &b, blen) == 0);
    R("sendto a from unbound c", sendto(dc, "from c", 6, 0, (struct sockaddr *)&a, alen));
    flen = sizeof from;
    R("recvfrom", recvfrom(da, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
    printf("fromlen %d\n", (int)flen);
    struct sockaddr_un miss;
    socklen_t mlen = abstract_addr(&miss, "nobody");
    R("sendto missing", sendto(dc, "x", 1, 0, (struct sockaddr *)&miss, mlen));
    R("sendto bad len", sendto(dc, "x", 1, 0, (struct sockaddr *)&miss, 1));
    R("connect b to a", connect(db, (struct sockaddr *)&a, alen));
    R("connect a to b", connect(da, (struct sockaddr *)&b, blen));
    R("c sends to a, connected to b", sendto(dc, "x", 1, 0, (struct sockaddr *)&a, alen));
    R("c connects to a", connect(dc, (struct sockaddr *)&a, alen));
    R("disconnect a", connect(da, (struct sockaddr *)&(struct sockaddr){.sa_family = AF_UNSPEC}, sizeof(struct sockaddr)));
    R("getpeername after disconnect", getpeername(da, (struct sockaddr *)&from, &flen));
    int n = 0;
    for (;;) {
        if (sendto(dc, "q", 1, MSG_DONTWAIT, (struct sockaddr *)&a, alen) < 0) {
            printf("queue full after %d: %s\n", n, en(errno));
            break;
        }
        n++;
    }
    R("recv one", recv(da, buf, sizeof buf, 0));
    R("room again", sendto(dc, "q", 1, MSG_DONTWAIT, (struct sockaddr *)&a, alen));
    close(da);
    close(db);
    close(dc);
}

static void seqpacket(void) {
    printf("== seqpacket\n");
    int sv[2];
    char buf[64];
    R("socketpair seqpacket", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    R("send", send(sv[0], "one", 3, 0));
    R("send", send(sv[0], "two!", 4, 0));
    R("recv 2 of 3", recv(sv[1], buf, 2, 0));
    R("recv next", recv(sv[1], buf, sizeof buf, 0));
    R("recv DONTWAIT", recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));
    R("sendto name ignored", sendto(sv[0], "n", 1, 0, (struct sockaddr *)&(struct sockaddr_un){.sun_family = AF_UNIX}, 3));
    R("recv", recv(sv[1], buf, sizeof buf, 0));
    close(sv[0]);
    R("recv after peer close", recv(sv[1], buf, sizeof buf, 0));
    R("send after peer close", send(sv[1], "x", 1, MSG_NOSIGNAL));
    close(sv[1]);
    int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    R("send unconnected", send(s, "x", 1, 0));
    R("recv unconnected", recv(s, buf, 1, 0));
    struct sockaddr_un a;
    socklen_t alen = abstract_addr(&a, "seq");
    bind(s, (struct sockaddr *)&a, alen);
    R("listen", listen(s, 2));
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    R("connect", connect(c, (struct sockaddr *)&a, alen));
    int acc = accept(s, NULL, NULL);
    R("send", send(c, "packet", 6, 0));
    R("recv", recv(acc, buf, sizeof buf, 0));
    close(acc);
    close(c);
    close(s);
}

static int send_fds(int sock, const char *data, int *fds, int nfds) {
    char ctl[CMSG_SPACE(sizeof(int) * 8)];
    memset(ctl, 0, sizeof ctl);
    struct iovec iov = {(void *)data, strlen(data)};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                        .msg_controllen = CMSG_SPACE(sizeof(int) * nfds)};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
    return sendmsg(sock, &mh, 0);
}

/* Receives into buf; prints the descriptors' count and flags; returns the first received fd or -1. */
static int recv_fds(int sock, char *buf, int len, size_t ctlspace, int flags) {
    char ctl[256];
    struct iovec iov = {buf, len};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctlspace ? ctl : NULL,
                        .msg_controllen = ctlspace};
    long n = recvmsg(sock, &mh, flags);
    if (n < 0) {
        printf("recvmsg: -1 %s\n", en(errno));
        return -1;
    }
    int first = -1, count = 0, cloexec = 0;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            int k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (int i = 0; i < k; i++) {
                int fd;
                memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof fd);
                cloexec += (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
                if (first < 0)
                    first = fd;
                else
                    close(fd);
                count++;
            }
        }
    }
    printf("recvmsg: %ld bytes %.*s, fds %d (cloexec %d), CTRUNC %d, controllen %d\n", n, (int)n, buf, count, cloexec,
           (mh.msg_flags & MSG_CTRUNC) != 0, (int)mh.msg_controllen);
    return first;
}

static void rights(void) {
    printf("== SCM_RIGHTS\n");
    int sv[2], p[2];
    char buf[64];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    int two[2] = {p[0], p[1]};
    R("send pipe ends", send_fds(sv[0], "fds", two, 2));
    close(p[0]);
    close(p[1]);
    int r = recv_fds(sv[1], buf, sizeof buf, CMSG_SPACE(sizeof(int) * 2), 0);
    /* r is the pipe's read end; its write end was closed by recv_fds, so the pipe has no writer */
    R("read received pipe (no writers left)", read(r, buf, sizeof buf));
    close(r);
    pipe(p);
    R("send one fd", send_fds(sv[0], "x", &p[1], 1));
    close(p[1]);
    int w = recv_fds(sv[1], buf, sizeof buf, CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC);
    R("write through received fd", write(w, "via fd", 6));
    R("read it", read(p[0], buf, sizeof buf));
    close(w);
    R("EOF now", read(p[0], buf, sizeof buf));
    close(p[0]);
    /* a short control buffer */
    pipe(p);
    int three[3] = {p[0], p[1], p[0]};
    send_fds(sv[0], "3", three, 3);
    recv_fds(sv[1], buf, sizeof buf, CMSG_LEN(sizeof(int)), 0);
    send_fds(sv[0], "h", three, 3);
    recv_fds(sv[1], buf, sizeof buf, 12, 0);
    send_fds(sv[0], "n", three, 3);
    recv_fds(sv[1], buf, sizeof buf, 0, 0);
    send_fds(sv[0], "r", three, 3);
    R("read drops fds", read(sv[1], buf, sizeof buf));
    /* fds do not glue stream messages */
    send_fds(sv[0], "aa", three, 1);
    write(sv[0], "bb", 2);
    recv_fds(sv[1], buf, sizeof buf, 64, 0);
    recv_fds(sv[1], buf, sizeof buf, 64, 0);
    write(sv[0], "cc", 2);
    send_fds(sv[0], "dd", three, 1);
    write(sv[0], "ee", 2);
    recv_fds(sv[1], buf, sizeof buf, 64, 0);
    recv_fds(sv[1], buf, sizeof buf, 64, 0);
    /* peek shows fds too */
    send_fds(sv[0], "pk", three, 1);
    recv_fds(sv[1], buf, sizeof buf, 64, MSG_PEEK);
    recv_fds(sv[1], buf, sizeof buf, 64, 0);
    int bad = 99;
    R("send bad fd", send_fds(sv[0], "x", &bad, 1));
    close(p[0]);
    close(p[1]);
    /* datagrams carry them too; the socket itself can travel */
    int dv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, dv);
    send_fds(dv[0], "sock", &sv[0], 1);
    int s = recv_fds(dv[1], buf, sizeof buf, 64, 0);
    R("write through received socket", write(s, "over", 4));
    R("peer reads", read(sv[1], buf, sizeof buf));
    close(s);
    /* bad control messages */
    char ctl[64] = {0};
    struct iovec iov = {"x", 1};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = 8};
    R("control shorter than a header", sendmsg(sv[0], &mh, 0));
    struct cmsghdr *cm = (struct cmsghdr *)ctl;
    cm->cmsg_len = 100;
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    mh.msg_controllen = 32;
    R("cmsg_len too long", sendmsg(sv[0], &mh, 0));
    cm->cmsg_len = CMSG_LEN(0);
    cm->cmsg_type = 77;
    R("unknown type", sendmsg(sv[0], &mh, 0));
    cm->cmsg_level = 99;
    R("other level ignored", sendmsg(sv[0], &mh, 0));
    mh.msg_controllen = 1 << 20;
    R("huge control", sendmsg(sv[0], &mh, 0));
    read(sv[1], buf, sizeof buf);
    close(dv[0]);
    close(dv[1]);
    close(sv[0]);
    close(sv[1]);
}

static void credentials(void) {
    printf("== SCM_CREDENTIALS\n");
    int sv[2], one = 1;
    char buf[64], ctl[128];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    R("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one));
    send(sv[0], "c", 1, 0);
    struct iovec iov = {buf, sizeof buf};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
    R("recvmsg", recvmsg(sv[1], &mh, 0));
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    struct ucred cr = {0};
    if (cm && cm->cmsg_type == SCM_CREDENTIALS)
        memcpy(&cr, CMSG_DATA(cm), sizeof cr);
    printf("creds type %d len %d pid ok %d uid ok %d gid ok %d controllen %d\n", cm ? cm->cmsg_type : -1,
           cm ? (int)cm->cmsg_len : -1, cr.pid == getpid(), cr.uid == getuid(), cr.gid == getgid(),
           (int)mh.msg_controllen);
    /* explicit credentials */
    struct ucred mine = {getpid(), getuid(), getgid()};
    char sctl[CMSG_SPACE(sizeof mine)];
    struct iovec siov = {"e", 1};
    struct msghdr sm = {.msg_iov = &siov, .msg_iovlen = 1, .msg_control = sctl, .msg_controllen = sizeof sctl};
    cm = CMSG_FIRSTHDR(&sm);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_CREDENTIALS;
    cm->cmsg_len = CMSG_LEN(sizeof mine);
    memcpy(CMSG_DATA(cm), &mine, sizeof mine);
    R("sendmsg SCM_CREDENTIALS", sendmsg(sv[0], &sm, 0));
    mh.msg_controllen = sizeof ctl;
    R("recvmsg", recvmsg(sv[1], &mh, 0));
    cm = CMSG_FIRSTHDR(&mh);
    printf("got creds %d\n", cm && cm->cmsg_type == SCM_CREDENTIALS);
    cm = CMSG_FIRSTHDR(&sm);
    cm->cmsg_len = CMSG_LEN(sizeof mine) - 1;
    R("bad creds length", sendmsg(sv[0], &sm, 0));
    cm->cmsg_len = CMSG_LEN(sizeof mine);
    struct ucred bad = {getpid(), (uid_t)-1, getgid()};
    memcpy(CMSG_DATA(cm), &bad, sizeof bad);
    R("creds uid -1", sendmsg(sv[0], &sm, 0));
    /* no control buffer while credentials are passed */
    send(sv[0], "t", 1, 0);
    mh.msg_control = NULL;
    mh.msg_controllen = 0;
    R("recvmsg without control", recvmsg(sv[1], &mh, 0));
    printf("CTRUNC %d\n", (mh.msg_flags & MSG_CTRUNC) != 0);
    /* small control buffer: truncated */
    send(sv[0], "s", 1, 0);
    mh.msg_control = ctl;
    mh.msg_controllen = CMSG_LEN(4);
    R("recvmsg small control", recvmsg(sv[1], &mh, 0));
    printf("CTRUNC %d controllen %d\n", (mh.msg_flags & MSG_CTRUNC) != 0, (int)mh.msg_controllen);
    close(sv[0]);
    close(sv[1]);
    /* stream: credentials keep messages from being glued only when they differ */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    write(sv[0], "ab", 2);
    write(sv[0], "cd", 2);
    mh.msg_controllen = sizeof ctl;
    mh.msg_control = ctl;
    R("stream recvmsg glues same creds", recvmsg(sv[1], &mh, 0));
    close(sv[0]);
    close(sv[1]);
}

static void mmsg(void) {
    printf("== sendmmsg/recvmmsg\n");
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct mmsghdr out[3];
    struct iovec oiov[3] = {{"a", 1}, {"bb", 2}, {"ccc", 3}};
    memset(out, 0, sizeof out);
    for (int i = 0; i < 3; i++) {
        out[i].msg_hdr.msg_iov = &oiov[i];
        out[i].msg_hdr.msg_iovlen = 1;
    }
    R("sendmmsg", sendmmsg(sv[0], out, 3, 0));
    printf("msg_len %u %u %u\n", out[0].msg_len, out[1].msg_len, out[2].msg_len);
    struct mmsghdr in[4];
    char bufs[4][8];
    struct iovec iiov[4];
    memset(in, 0, sizeof in);
    for (int i = 0; i < 4; i++) {
        iiov[i].iov_base = bufs[i];
        iiov[i].iov_len = 8;
        in[i].msg_hdr.msg_iov = &iiov[i];
        in[i].msg_hdr.msg_iovlen = 1;
    }
    R("recvmmsg WAITFORONE", recvmmsg(sv[1], in, 4, MSG_WAITFORONE, NULL));
    printf("msg_len %u %u %u\n", in[0].msg_len, in[1].msg_len, in[2].msg_len);
    R("recvmmsg DONTWAIT none", recvmmsg(sv[1], in, 4, MSG_DONTWAIT, NULL));
    R("recvmmsg CMSG_COMPAT", recvmmsg(sv[1], in, 4, 0x80000000, NULL));
    struct timespec bad = {0, 2000000000L};
    R("recvmmsg bad timeout", recvmmsg(sv[1], in, 4, 0, &bad));
    close(sv[0]);
    close(sv[1]);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(dir, sizeof dir, "%s", argc > 1 ? argv[1] : "/tmp");
    if (argc > 2 && strcmp(argv[2], "sigpipe") == 0) {
        int sv[2];
        socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
        close(sv[1]);
        printf("writing to a closed peer\n");
        write(sv[0], "x", 1);
        printf("not reached\n");
        return 0;
    }
    socketpair_stream();
    options();
    listen_connect();
    datagrams();
    seqpacket();
    rights();
    credentials();
    mmsg();
    printf("done\n");
    return 0;
}
