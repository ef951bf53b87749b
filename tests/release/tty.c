/* tty.c — terminal settings reach the host terminal: the program turns
 * echo off (as a password prompt does) and reads the setting back; with an
 * argument it then crashes. pith must leave the terminal as it found it. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct termios t;
	int r = tcgetattr(0, &t);
	printf("tcgetattr %d echo %d\n", r, !!(t.c_lflag & ECHO));
	t.c_lflag &= ~ECHO;
	r = tcsetattr(0, TCSANOW, &t);
	struct termios u;
	tcgetattr(0, &u);
	printf("tcsetattr %d echo now %d\n", r, !!(u.c_lflag & ECHO));
	fflush(stdout);
	(void)argv;
	if (argc > 1)
		*(volatile int *)0 = 1;
	return 0;
}
