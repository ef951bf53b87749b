/* fault.c — crashes pith must report: fault MODE, after one line on
 * stdout (flushed) and one on stderr. MODE: null-write, null-read,
 * stack-overflow, divide, trap, ro-write, nx-exec, int3; flood: 5000
 * lines on stdout (more than pith's console buffer holds), then a NULL
 * write. */
#include <stdio.h>
#include <string.h>

int *volatile null_ptr; /* zero, and the compiler cannot know it */
const char ro_text[] = "constant";
unsigned char nx_code[16] = { 0xc3 }; /* ret, in a data (NX) page */

__attribute__((noinline)) void write_through_null(int v)
{
	*null_ptr = v;
}

__attribute__((noinline)) int read_through_null(void)
{
	return *null_ptr;
}

__attribute__((noinline)) unsigned long recurse_forever(unsigned long n)
{
	volatile char frame[256];

	frame[n % 256] = (char)n;
	return recurse_forever(n + 1) + frame[(n + 1) % 256];
}

__attribute__((noinline)) int divide_by_zero(int num, int den)
{
	int q;

	/* gcc folds a C division by a known zero unpredictably: idivl. */
	__asm__ volatile("cltd\n\tidivl %2" : "=a"(q) : "a"(num), "r"(den) : "rdx", "cc");
	return q;
}

__attribute__((noinline)) void trap_now(void)
{
	__builtin_trap();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	volatile int zero = 0;

	printf("before the fault: %s\n", mode);
	fflush(stdout);
	fprintf(stderr, "stderr before the fault\n");
	printf("buffered, lost as on Linux\n");
	if (!strcmp(mode, "flood")) {
		for (int i = 0; i < 5000; i++)
			printf("flood line %d of 5000, with some padding to fill the buffer\n", i);
		fflush(stdout);
		write_through_null(1);
	} else if (!strcmp(mode, "null-write"))
		write_through_null(42);
	else if (!strcmp(mode, "null-read"))
		return read_through_null();
	else if (!strcmp(mode, "stack-overflow"))
		return (int)recurse_forever(0);
	else if (!strcmp(mode, "divide"))
		return divide_by_zero(7, zero);
	else if (!strcmp(mode, "trap"))
		trap_now();
	else if (!strcmp(mode, "ro-write"))
		((volatile char *)ro_text)[zero] = 'X';
	else if (!strcmp(mode, "nx-exec"))
		((void (*)(void))(void *)nx_code)();
	else if (!strcmp(mode, "int3"))
		__asm__ volatile("int3");
	fprintf(stderr, "no fault for mode '%s'\n", mode);
	return 1;
}
