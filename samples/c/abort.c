/* Calls abort(): killed by SIGABRT, so a shell (and jvisor) reports exit code 134. */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    printf("about to abort\n");
    fflush(stdout);
    abort();
}
