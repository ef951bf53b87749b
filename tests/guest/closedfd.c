/* closedfd.c — run with stdin, stdout or stderr closed by the caller
 * (<&- >&- 2>&-): reads and writes on the closed fd fail with EBADF and
 * the program carries on. MODE: read (stdin closed; report on stderr),
 * write (stdout closed; report on stderr), stderr (stderr closed; report
 * on stdout). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	char buf[16];
	ssize_t n;

	if (!strcmp(mode, "read")) {
		errno = 0;
		n = read(0, buf, sizeof(buf));
		fprintf(stderr, "read(0) = %zd (%s)\n", n, n < 0 ? strerror(errno) : "-");
		printf("getchar() = %d\n", getchar());
	} else if (!strcmp(mode, "write")) {
		errno = 0;
		n = write(1, "lost\n", 5);
		fprintf(stderr, "write(1) = %zd (%s)\n", n, n < 0 ? strerror(errno) : "-");
		n = printf("lost too\n");
		fprintf(stderr, "fflush(stdout) = %d\n", fflush(stdout));
	} else if (!strcmp(mode, "stderr")) {
		errno = 0;
		n = write(2, "lost\n", 5);
		printf("write(2) = %zd (%s)\n", n, n < 0 ? strerror(errno) : "-");
	}
	fprintf(stderr, "still running\n");
	printf("done\n");
	return 0;
}
