/* atexit.c — atexit handlers run in reverse order of registration, after
 * main returns or exit() is called, not after _exit(); output they print
 * (buffered or not) is not lost; quick_exit runs at_quick_exit handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *mode;

static void h1(void)
{
	printf("h1 (registered first, runs last)\n");
}
static void h2(void)
{
	printf("h2\n");
	fprintf(stderr, "h2 on stderr\n");
}
static void h3(void)
{
	printf("h3 (registered last, runs first) "); /* no newline: flushed at exit */
}
static void hq(void)
{
	printf("quick handler\n");
	fflush(stdout);
}
static void hexit(void)
{
	printf("handler calls nothing odd; mode=%s\n", mode);
}

int main(int argc, char **argv)
{
	mode = argc > 1 ? argv[1] : "return";
	if (atexit(h1) || atexit(hexit) || atexit(h2) || atexit(h3) || at_quick_exit(hq)) {
		printf("registration failed\n");
		return 1;
	}
	for (int i = 0; i < 40; i++)
		if (atexit(i % 2 ? h2 : h1)) { /* more than the 32 in the static table */
			printf("registration %d failed\n", i);
			return 1;
		}
	printf("main: mode %s\n", mode);
	if (!strcmp(mode, "exit"))
		exit(7);
	if (!strcmp(mode, "_exit")) {
		fflush(stdout);
		_exit(8);
	}
	if (!strcmp(mode, "quick"))
		quick_exit(9);
	return 6;
}
