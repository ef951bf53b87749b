/* abort.c — abort(): status 134 with or without a SIGABRT handler that
 * returns; output flushed before it is not lost. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void on_abrt(int sig)
{
	static const char msg[] = "SIGABRT handler ran\n";

	(void)sig;
	write(2, msg, sizeof(msg) - 1);
}

int main(int argc, char **argv)
{
	printf("about to abort\n");
	fflush(stdout);
	fprintf(stderr, "stderr before abort\n");
	if (argc > 1 && !strcmp(argv[1], "handler"))
		signal(SIGABRT, on_abrt);
	if (argc > 1 && !strcmp(argv[1], "ignore"))
		signal(SIGABRT, SIG_IGN);
	printf("this line stays in the stdio buffer, lost as on Linux\n");
	abort();
}
