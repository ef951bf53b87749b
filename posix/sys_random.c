/*
 * sys_random.c — getrandom, from the kernel's ChaCha20 generator seeded
 * with host entropy at boot (part "random"). Never blocks: the pool is
 * ready from the first instruction.
 */
#include "../kernel/random.h"
#include "posix.h"

#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4

long sys_getrandom(void *buf, unsigned long len, unsigned flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > 33554431) /* Linux caps one call at 32 MiB - 1 */
		len = 33554431;
	if (len && !user_w((uintptr_t)buf, len))
		return -EFAULT;
	random_bytes(buf, len);
	return (long)len;
}
