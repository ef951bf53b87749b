/* sigpipe.c — write lines until the reader goes away: killed by SIGPIPE
 * (141), or with SIGPIPE ignored ("ignore"), write fails with EPIPE and
 * the program says so and exits 3. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char line[64];

	if (argc > 1 && !strcmp(argv[1], "ignore"))
		signal(SIGPIPE, SIG_IGN);
	for (long i = 0; i < 50000000; i++) {
		int n = snprintf(line, sizeof(line), "line %ld\n", i);
		if (write(1, line, (size_t)n) < 0) {
			fprintf(stderr, "write failed: %s\n", strerror(errno));
			return 3;
		}
	}
	fprintf(stderr, "the reader never went away\n");
	return 0;
}
