/* bss.c — a 64 MiB zero-initialised array and 1 MiB of initialised data:
 * the loader zeroes the one and copies the other exactly. */
#include <stdint.h>
#include <stdio.h>

#define BIG (64u << 20)

static unsigned char big[BIG];
static uint32_t table[1 << 18] = {
#define R4(x)  x, x + 1, x + 2, x + 3
#define R16(x) R4(x), R4(x + 4), R4(x + 8), R4(x + 12)
#define R64(x) R16(x), R16(x + 16), R16(x + 32), R16(x + 48)
	R64(0x9e37),
	R64(0x79b9),
	R64(0x7f4a),
	R64(0x7c15),
};

int main(void)
{
	unsigned long nonzero = 0;
	uint64_t h = 0;

	for (size_t i = 0; i < BIG; i += 64)
		nonzero += big[i] != 0;
	for (size_t i = 0; i < BIG; i += 4096)
		big[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		h = h * 1000003 + table[i];
	printf("bss nonzero=%lu, data hash=%016llx, last=%u\n", nonzero, (unsigned long long)h,
	       table[(1 << 18) - 1]);
	return 0;
}
