/* uname.c — uname(2) and gethostname. "common" prints what Linux and pith
 * share; "all" prints every field, for checks of pith's own values. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct utsname u;
	char host[256];

	memset(&u, 0x7f, sizeof(u));
	if (uname(&u) != 0) {
		perror("uname");
		return 1;
	}
	if (gethostname(host, sizeof(host)) != 0) {
		perror("gethostname");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "all")) {
		printf("sysname=%s\nnodename=%s\nrelease=%s\nversion=%s\nmachine=%s\nhostname=%s\n",
		       u.sysname, u.nodename, u.release, u.version, u.machine, host);
		return 0;
	}
	printf("sysname=%s\nmachine=%s\n", u.sysname, u.machine);
	printf("fields terminated: %d %d %d %d %d\n",
	       memchr(u.sysname, 0, sizeof(u.sysname)) != NULL,
	       memchr(u.nodename, 0, sizeof(u.nodename)) != NULL,
	       memchr(u.release, 0, sizeof(u.release)) != NULL,
	       memchr(u.version, 0, sizeof(u.version)) != NULL,
	       memchr(u.machine, 0, sizeof(u.machine)) != NULL);
	printf("fields non-empty: %d %d %d %d\n", u.nodename[0] != 0, u.release[0] != 0,
	       u.version[0] != 0, u.machine[0] != 0);
	printf("gethostname == nodename: %d\n", strcmp(host, u.nodename) == 0);
	char small[2];
	int r = gethostname(small, sizeof(small));
	printf("gethostname into 2 bytes: r=%d terminated=%d\n", r, small[1] == 0);
	return 0;
}
