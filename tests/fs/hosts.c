/* hosts.c — /etc/hostname and /etc/hosts exist as in a container: the
 * host name pith gave, and localhost through the program's resolver. */
#include <netdb.h>
#include <stdio.h>
#include <arpa/inet.h>
int main(void)
{
	char line[128];
	FILE *f = fopen("/etc/hostname", "r");
	printf("hostname file: %s", f && fgets(line, sizeof line, f) ? line : "none\n");
	struct addrinfo *ai;
	int r = getaddrinfo("localhost", NULL, &(struct addrinfo){ .ai_family = AF_INET }, &ai);
	char buf[64];
	printf("getaddrinfo localhost: %d %s\n", r,
	       r ? gai_strerror(r)
		 : inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, buf,
			     sizeof buf));
	return 0;
}
