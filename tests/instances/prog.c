/*
 * prog.c — a program to run detached (tests/instances/run.sh). MODE:
 *   serve     ticks on stdout and stderr; on SIGTERM says bye, exits 0
 *   plain     ticks, no handler: SIGTERM ends it (143)
 *   stubborn  ticks, ignores SIGTERM: only SIGKILL ends it
 *   fail      says "run" and exits 3
 *   flood N   writes N numbered lines, then exits 0
 *   write F   writes "written" to file F and exits 0
 *   hup       ticks; on SIGHUP (a reload) exits 1
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "serve";
	struct timespec tick = { 0, 50000000 };

	setvbuf(stdout, NULL, _IOLBF, 0); /* a log line as soon as it is written */
	if (!strcmp(mode, "fail")) {
		puts("run");
		return 3;
	}
	if (!strcmp(mode, "flood")) {
		long n = argc > 2 ? atol(argv[2]) : 1000;

		for (long i = 0; i < n; i++)
			printf("line %ld\n", i);
		return 0;
	}
	if (!strcmp(mode, "write")) {
		FILE *f = argc > 2 ? fopen(argv[2], "w") : NULL;

		if (!f || fputs("written\n", f) < 0 || fclose(f) != 0)
			return 1;
		return 0;
	}
	if (!strcmp(mode, "serve"))
		signal(SIGTERM, on_term);
	if (!strcmp(mode, "hup"))
		signal(SIGHUP, on_term);
	if (!strcmp(mode, "stubborn"))
		signal(SIGTERM, SIG_IGN);
	for (long i = 0; !stop; i++) {
		printf("tick %ld\n", i);
		fprintf(stderr, "err %ld\n", i);
		nanosleep(&tick, NULL);
	}
	puts("bye");
	return !strcmp(mode, "hup");
}
