/* hello.c — the smallest pith program: one line out, status 0. */
#include <stdio.h>

int main(void)
{
	printf("Hello from pith!\n");
	return 0;
}
