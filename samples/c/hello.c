/* The smallest real program: stdio through the Sentry, exit code 0. */
#include <stdio.h>
int main(void) {
    printf("hello from jvisor\n");
    return 0;
}
