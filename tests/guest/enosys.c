/* enosys.c — a call pith does not implement (acct: process accounting, for
 * a system of many processes) fails with ENOSYS; pith names it once on
 * stderr, or not at all with -q. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 3; i++) {
		errno = 0;
		int r = acct(NULL);
		printf("acct(NULL) = %d (%s)\n", r, errno == ENOSYS ? "ENOSYS" : strerror(errno));
	}
	return 0;
}
