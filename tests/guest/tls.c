/* tls.c — thread-local storage of the main thread: initialised and zero
 * __thread variables, over-aligned ones, their addresses, and the stack
 * protector's canary at %fs:0x28 (built with -fstack-protector-all). */
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static __thread int counter = 42;
static __thread char name[32] = "thread-local";
static __thread long zeroed[100];
static __thread alignas(64) unsigned char line[64] = { 1, 2, 3 };
static __thread alignas(4096) unsigned char page[100] = { 9 };
__thread double pi = 3.14159;

static int use_stack(const char *s)
{
	char buf[64];

	strncpy(buf, s, sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = 0;
	return (int)strlen(buf);
}

int main(void)
{
	long sum = 0;

	for (int i = 0; i < 100; i++)
		sum += zeroed[i];
	printf("counter=%d name=%s zeroed sum=%ld line=%d,%d,%d page0=%d pi=%g\n", counter, name,
	       sum, line[0], line[1], line[2], page[0], pi);
	printf("aligned: line %d, page %d\n", ((uintptr_t)line & 63) == 0,
	       ((uintptr_t)page & 4095) == 0);
	counter++;
	strcat(name, "-changed");
	zeroed[99] = 7;
	printf("after writes: counter=%d name=%s zeroed[99]=%ld\n", counter, name, zeroed[99]);
	uintptr_t fs0;
	__asm__("mov %%fs:0, %0" : "=r"(fs0));
	printf("%%fs:0 points to itself (TCB): %d\n", fs0 != 0);
	unsigned long canary;
	__asm__("mov %%fs:0x28, %0" : "=r"(canary));
	printf("canary set: %d\n", canary != 0);
	printf("stack protector kept: %d\n", use_stack("protected frame"));
	return 0;
}
