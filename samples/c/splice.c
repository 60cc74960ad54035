/* splice(2) basics: file -> pipe with an offset, pipe -> file, and the EINVAL/ESPIPE cases. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
int main(int argc, char **argv) {
    int p[2]; pipe(p);
    int fd = open(argv[1], O_RDONLY);
    off_t off = 5;
    ssize_t n = splice(fd, &off, p[1], NULL, 20, 0);
    printf("file->pipe %zd off=%lld\n", n, (long long)off);
    char buf[64] = {0};
    int out = open(argv[2], O_CREAT | O_RDWR | O_TRUNC, 0644);
    n = splice(p[0], NULL, out, NULL, 64, 0);
    printf("pipe->file %zd\n", n);
    pread(out, buf, 63, 0);
    printf("content [%s]\n", buf);
    n = splice(fd, NULL, out, NULL, 5, 0);
    printf("file->file %zd errno=%s\n", n, n < 0 ? strerror(errno) : "-");
    n = splice(p[0], &off, out, NULL, 5, 0);
    printf("pipe with offset %zd errno=%s\n", n, n < 0 ? strerror(errno) : "-");
    return 0;
}
