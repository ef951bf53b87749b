/*
 * etc.c — /etc/hosts, /etc/hostname and /etc/resolv.conf, as a container
 * has them: the program's resolver finds localhost, its own name and the
 * DNS servers the network configuration names.
 *
 * With a static configuration (--ip, --dns) they are written once at
 * boot. With DHCP (a device and no --ip) hosts and resolv.conf start
 * without the lease's values and are marked netconf: opening one makes
 * the network stack, when linked, wait for the lease first
 * (netstack_config_wait, posix/netstack.c), and the stack rewrites them
 * whenever the lease changes (etc_set_address, etc_set_dns), so musl's
 * resolver, which reads resolv.conf before it makes any socket, sees
 * the DNS servers the lease gave.
 */
#include <pith/abi.h>

#include "../kernel/kernel.h"
#include "../posix/posix.h"
#include "vfs.h"

static struct inode *hosts, *resolv;

/* An IPv4 address in network byte order as text. */
static int ip_text(char *out, size_t size, uint32_t a)
{
	const uint8_t *b = (const uint8_t *)&a;

	return ksnprintf(out, size, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/* One generated file in /etc, unless the image brings its own. */
static struct inode *etc_file(struct inode *etc, const char *name, const char *text, int n)
{
	struct inode *ip;
	size_t len = strlen(name);

	if (vfs_lookup_in(etc, name, len))
		return NULL;
	if (vfs_create(etc, name, len, S_IFREG | 0644, &ip) < 0 ||
	    vfs_write(ip, text, (size_t)n, 0) < 0)
		panic("no memory for /etc/%s", name);
	return ip;
}

/* Replace a generated file's text (it stays the same inode: open
 * descriptors read the new text). */
static void rewrite(struct inode *ip, const char *text, int n)
{
	if (vfs_truncate(ip, 0) < 0 || vfs_write(ip, text, (size_t)n, 0) < 0)
		kprintf("no memory to update /etc from the DHCP lease");
}

static int hosts_text(char *text, size_t size, uint32_t addr)
{
	const char *host = posix_conf.hostname[0] ? posix_conf.hostname : "pith";
	char a[16] = "127.0.1.1";

	if (addr)
		ip_text(a, sizeof(a), addr);
	return ksnprintf(text, size,
			 "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
			 "%s\t%s\n",
			 a, host);
}

static int resolv_text(char *text, size_t size, const uint32_t *dns, unsigned n)
{
	int len = 0;

	text[0] = '\0';
	for (unsigned i = 0; i < n && len < (int)size; i++) {
		char a[16];

		ip_text(a, sizeof(a), dns[i]);
		len += ksnprintf(text + len, size - (size_t)len, "nameserver %s\n", a);
	}
	return len < (int)size ? len : (int)size - 1;
}

void etc_init(struct inode *root_dir, const struct pith_boot *boot)
{
	const char *host = posix_conf.hostname[0] ? posix_conf.hostname : "pith";
	bool dhcp = (boot->net.flags & PITH_NET_ON) && !boot->net.ip;
	char text[160];
	struct inode *etc;

	etc = vfs_lookup_in(root_dir, "etc", 3);
	if (!etc && vfs_create(root_dir, "etc", 3, S_IFDIR | 0755, &etc) < 0)
		panic("no memory for /etc");
	if (!S_ISDIR(etc->mode) || etc->ro)
		return; /* the image brings its own */
	hosts = etc_file(etc, "hosts", text, hosts_text(text, sizeof(text), boot->net.ip));
	etc_file(etc, "hostname", text, ksnprintf(text, sizeof(text), "%s\n", host));
	if (boot->net.dns || dhcp)
		resolv = etc_file(
			etc, "resolv.conf", text,
			resolv_text(text, sizeof(text), &boot->net.dns, boot->net.dns ? 1 : 0));
	/* Held like an open file: a program that removes one cannot leave
	 * the lease's update with a freed inode. */
	if (hosts) {
		hosts->netconf = dhcp;
		hosts->opens++;
	}
	if (resolv) {
		resolv->netconf = dhcp && !boot->net.dns;
		resolv->opens++;
	}
}

void etc_set_address(uint32_t addr);
void etc_set_address(uint32_t addr)
{
	char text[160];

	if (hosts && hosts->netconf)
		rewrite(hosts, text, hosts_text(text, sizeof(text), addr));
}

void etc_set_dns(const uint32_t *dns, unsigned n);
void etc_set_dns(const uint32_t *dns, unsigned n)
{
	char text[3 * 28];

	if (resolv && resolv->netconf)
		rewrite(resolv, text, resolv_text(text, sizeof(text), dns, n));
}
