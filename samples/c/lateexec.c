/* Holds no file of the root file system when checkpointed (it is static and opens nothing), then
 * runs a shell pipeline that reads the root file system: after a restore, that first access finds
 * the gofer still starting and waits for it. */
#include <stdio.h>
#include <unistd.h>
int main(void) {
	printf("started\n");
	fflush(stdout);
	sleep(1);
	execl("/bin/sh", "sh", "-c", "ls /usr/bin | wc -l; head -1 /etc/os-release", (char *)0);
	return 127;
}
