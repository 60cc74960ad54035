/* Writes to address 16 with no SIGSEGV handler: killed by SIGSEGV, exit code 139. */
#include <stdint.h>
#include <stdio.h>
int main(void) {
    printf("about to fault\n");
    fflush(stdout);
    volatile uintptr_t addr = 16;
    *(volatile int *)addr = 42;
    printf("still alive?\n");
    return 0;
}
