/* enomem.c — run with little memory (pith run -m 8M): allocate and touch
 * 1 MiB blocks until malloc returns NULL, report it, free everything and
 * show that memory can be allocated again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1u << 20)
#define MAX   100000

static void *blocks[MAX];

int main(void)
{
	int n = 0, err;

	for (;;) {
		if (n == MAX) {
			printf("malloc never failed (%d MiB)\n", n);
			return 2;
		}
		errno = 0;
		void *p = malloc(BLOCK);
		err = errno;
		if (!p)
			break;
		memset(p, 0x5a, BLOCK); /* the memory is really there */
		blocks[n++] = p;
	}
	printf("malloc failed after %d MiB: %s\n", n, err == ENOMEM ? "ENOMEM" : strerror(err));
	/* Small allocations may still fit. */
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	void *again = malloc(BLOCK);
	if (!again) {
		printf("could not allocate again after freeing\n");
		return 3;
	}
	memset(again, 1, BLOCK);
	free(again);
	printf("recovered: allocated %u bytes again after freeing\n", BLOCK);
	errno = 0;
	void *huge = malloc((size_t)1 << 40);
	printf("malloc(1 TiB): %s %s\n", huge ? "non-NULL" : "NULL",
	       errno == ENOMEM ? "ENOMEM" : "errno not ENOMEM");
	return 0;
}
