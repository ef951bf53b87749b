/*
 * netdev_test.c — TEST HOOKS ONLY: frames through the device without a
 * network stack, for tests/netdev (no socket call exists on this branch
 * to drive the device from a program).
 *
 * A test program calls these kernel functions by their kernel names
 * (__pith_k_netdev_test_echo...), which links part "net" into it. They
 * refuse to run unless the host set PITH_NET_TEST_ECHO, which `pith run`
 * does only when PITH_TEST_NETDEV_ECHO=1 is in its environment; no
 * ordinary program reaches them.
 *
 *   netdev_test_echo(n)   send every received frame of EtherType 0x88b5
 *                         (IEEE local experimental) back with the MAC
 *                         addresses swapped (source: ours), until n frames
 *                         have been echoed; other frames (the host's ARP,
 *                         IPv6 neighbour discovery) are ignored; returns n
 *                         or -errno
 *   netdev_test_blast(n)  transmit n 60-byte broadcast frames of
 *                         EtherType 0x88b5 (local experimental) as fast as
 *                         the ring takes them; returns the number of times
 *                         the ring was full
 */
#include "kernel.h"
#include "netdev_plat.h"
#include "platform.h"

long netdev_test_echo(long n);
long netdev_test_blast(long n);

static struct netdev *test_dev(void)
{
	const struct pith_boot_net *c = netdev_conf();

	if (!c || !(c->flags & PITH_NET_TEST_ECHO))
		return NULL;
	return netdev_probe();
}

long netdev_test_echo(long n)
{
	static uint8_t f[PITH_NET_FRAME_MAX];
	struct netdev *d = test_dev();
	long done = 0;

	if (!d)
		return -ENODEV;
	while (done < n) {
		size_t len = d->receive(d, f, sizeof(f));
		int r;

		if (len == 0) {
			plat->poll(PITH_DEADLINE_NONE, d->poll_bit, NULL, NULL);
			continue;
		}
		if (len < 14 || f[12] != 0x88 || f[13] != 0xb5)
			continue;
		memcpy(f, f + 6, 6);
		memcpy(f + 6, d->mac, 6);
		while ((r = d->transmit(d, f, len)) == -EAGAIN)
			plat->poll(plat->clock_ns(PLAT_CLOCK_MONOTONIC) + 100000, 0, NULL, NULL);
		if (r < 0)
			return r;
		done++;
	}
	return done;
}

long netdev_test_blast(long n)
{
	uint8_t f[60];
	struct netdev *d = test_dev();
	long full = 0;

	if (!d)
		return -ENODEV;
	memset(f, 0xff, 6);
	memcpy(f + 6, d->mac, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	for (long i = 0; i < n;) {
		int r;

		memcpy(f + 14, &i, sizeof(i));
		r = d->transmit(d, f, sizeof(f));
		if (r == -EAGAIN) {
			/* Spin: the monitor's thread is draining the ring. */
			full++;
			__builtin_ia32_pause();
			continue;
		}
		if (r < 0)
			return r;
		i++;
	}
	return full;
}
