/* sleeper.c — a program stopped from outside: it writes a line (flushed
 * to its fd, as far as the program can tell), then sleeps or spins for up
 * to 5 s, until the test's `timeout -s SIG` arrives. MODE: sleep, spin. */
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "sleep";
	struct timespec t0, t;

	printf("started, mode %s\n", mode);
	fflush(stdout);
	fprintf(stderr, "on stderr too\n");
	if (!strcmp(mode, "spin")) {
		volatile unsigned long n = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			for (int i = 0; i < 100000; i++)
				n++;
			clock_gettime(CLOCK_MONOTONIC, &t);
		} while (t.tv_sec - t0.tv_sec < 5);
	} else {
		struct timespec d = { 5, 0 };
		nanosleep(&d, NULL);
	}
	printf("not stopped after 5 s\n");
	return 0;
}
