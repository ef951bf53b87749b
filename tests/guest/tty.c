/* tty.c — on a terminal (the test runs it under script(1)): isatty,
 * tcgetattr, the window size, line-buffered stdout mixed with stderr, and
 * output that shows before a sleep. */
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct termios t;
	struct winsize ws = { 0 };
	struct timespec d = { 0, 20000000 };

	printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
	printf("tcgetattr(1): %d\n", tcgetattr(1, &t));
	int r = ioctl(1, TIOCGWINSZ, &ws);
	printf("TIOCGWINSZ: %d %dx%d\n", r, ws.ws_row, ws.ws_col);
	printf("partial line, then stderr: ");
	fprintf(stderr, "[stderr]\n");
	printf("end of line\n");
	for (int i = 0; i < 3; i++) {
		printf("tick %d\n", i);
		nanosleep(&d, NULL);
	}
	return 3;
}
