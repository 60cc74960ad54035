/* Copies stdin to stdout with read(2)/write(2) in 4096-byte chunks; reports the byte count on stderr. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    char buf[4096];
    unsigned long total = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("echo_stdin: read");
            return 1;
        }
        if (n == 0) break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, (size_t)(n - off));
            if (w < 0) {
                if (errno == EINTR) continue;
                perror("echo_stdin: write");
                return 1;
            }
            off += w;
        }
        total += (unsigned long)n;
    }
    fprintf(stderr, "echo_stdin: %lu bytes\n", total);
    return 0;
}
