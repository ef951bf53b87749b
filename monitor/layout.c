/*
 * layout.c — where the image, heap, stack and boot area go in guest memory.
 *
 * From the bottom: page 0 (never mapped), the image as linked, free memory
 * for heap and mmap, a guard page, the stack, the boot area, and the
 * target's system area at the very top (include/pith/abi.h). Sizes scale
 * with memory so that a 1 MiB guest still runs hello world and a large one
 * gets Linux's usual 8 MiB stack.
 */
#include <stdio.h>
#include <string.h>

#include "../kernel/netring.h"
#include "guest.h"

#define PAGE		   4096ull
#define PAGE_UP(x)	   (((x) + PAGE - 1) & ~(PAGE - 1))
#define STACK_MIN	   (64ull << 10)
#define STACK_MAX	   (8ull << 20)
#define CONSOLE_SMALL	   (8u << 10)
#define CONSOLE_LARGE	   (64u << 10)
#define CONSOLE_LARGE_FROM (16ull << 20)

static uint64_t stack_size(uint64_t mem)
{
	uint64_t s = PAGE_UP(mem / 8);

	return s < STACK_MIN ? STACK_MIN : s > STACK_MAX ? STACK_MAX : s;
}

static uint64_t boot_area_size(const struct elf_image *img, uint64_t args_len, uint32_t con)
{
	return PAGE_UP(sizeof(struct pith_boot) + sizeof(img->phdr) + args_len + 16 +
		       sizeof(struct pith_console) + con);
}

/* Place everything for one console size; false if it does not fit. */
static bool try_plan(struct layout *lay, const struct elf_image *img, uint64_t mem_size,
		     uint64_t args_len, uint64_t sys_bytes, uint32_t con)
{
	uint64_t image_end = img->hi - PITH_GUEST_BASE;
	uint64_t stack = stack_size(mem_size);
	uint64_t boot = boot_area_size(img, args_len, con);
	uint64_t top = PAGE_UP(sys_bytes) + boot + stack + PAGE;

	/* Every term is at most PITH_MEM_MAX (checked by the caller), so
	 * the sums cannot wrap. */
	if (top > mem_size || image_end > mem_size - top ||
	    mem_size - top - image_end < img->note.min_free)
		return false;
	memset(lay, 0, sizeof(*lay));
	lay->sys_end = mem_size;
	lay->sys = mem_size - PAGE_UP(sys_bytes);
	lay->boot_end = lay->sys;
	lay->boot = lay->boot_end - boot;
	lay->phdr = lay->boot + ((sizeof(struct pith_boot) + 15) & ~15ull);
	lay->args = lay->phdr + sizeof(img->phdr);
	lay->console = (lay->args + args_len + 15) & ~15ull;
	lay->console_size = con;
	lay->stack_top = lay->boot;
	lay->stack_bottom = lay->stack_top - stack;
	lay->guard = lay->stack_bottom - PAGE;
	lay->free_start = image_end;
	lay->free_end = lay->guard;
	return true;
}

static bool plan(struct layout *lay, const struct elf_image *img, uint64_t mem_size,
		 uint64_t args_len, uint64_t sys_bytes)
{
	if (mem_size % PAGE || mem_size > PITH_MEM_MAX || args_len > PITH_MEM_MAX ||
	    sys_bytes > PITH_MEM_MAX || img->hi < PITH_GUEST_BASE ||
	    img->hi - PITH_GUEST_BASE > PITH_MEM_MAX || img->note.min_free > PITH_MEM_MAX)
		return false;
	/* The large console only where memory is plenty; where it does not
	 * fit, the small one — so more memory never makes a plan fail. */
	return (mem_size >= CONSOLE_LARGE_FROM &&
		try_plan(lay, img, mem_size, args_len, sys_bytes, CONSOLE_LARGE)) ||
	       try_plan(lay, img, mem_size, args_len, sys_bytes, CONSOLE_SMALL);
}

int layout_plan(struct layout *lay, const struct elf_image *img, uint64_t mem_size,
		uint64_t args_len, uint64_t sys_bytes, char *err, size_t errlen)
{
	uint64_t min;

	if (plan(lay, img, mem_size, args_len, sys_bytes))
		return 0;
	memset(lay, 0, sizeof(*lay));
	min = layout_min_mem(img, sys_bytes, args_len);
	if (min)
		snprintf(err, errlen,
			 "%llu KiB of memory is too small for this image (needs at least %llu KiB; "
			 "use -m)",
			 (unsigned long long)(mem_size >> 10), (unsigned long long)(min >> 10));
	else
		snprintf(err, errlen,
			 "this image cannot fit in the largest guest memory (%llu MiB)",
			 (unsigned long long)(PITH_MEM_MAX >> 20));
	return -1;
}

uint64_t layout_min_mem(const struct elf_image *img, uint64_t sys_bytes, uint64_t args_len)
{
	struct layout lay;
	uint64_t lo, hi;

	/* Free memory grows with memory (the stack takes only an eighth of
	 * it), so the smallest size that fits can be found by bisection. */
	if (!plan(&lay, img, PITH_MEM_MAX, args_len, sys_bytes))
		return 0;
	lo = 0;
	hi = PITH_MEM_MAX / PAGE;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (plan(&lay, img, mid * PAGE, args_len, sys_bytes))
			hi = mid;
		else
			lo = mid;
	}
	return hi * PAGE;
}

int layout_take_net(struct layout *lay, const struct elf_image *img, char *err, size_t errlen)
{
	uint64_t bytes = PAGE_UP(NET_RINGS_BYTES);

	if (lay->free_end - lay->free_start < bytes ||
	    lay->free_end - lay->free_start - bytes < img->note.min_free) {
		snprintf(err, errlen,
			 "too little memory for the network device's rings (%llu KiB more; use -m)",
			 (unsigned long long)(bytes >> 10));
		return -1;
	}
	lay->net_end = lay->free_end;
	lay->net = lay->free_end - bytes;
	lay->free_end = lay->net;
	return 0;
}

/* The device's configuration; the rings (hvt) start empty. */
static void net_load(struct guest *g, const struct run_net *n, uint32_t target)
{
	struct pith_boot_net *b = &g->boot->net;

	if (!n->on)
		return;
	b->flags = PITH_NET_ON | (n->test_echo ? PITH_NET_TEST_ECHO : 0) |
		   (n->stream ? PITH_NET_STREAM : 0) | (n->stats ? PITH_NET_STATS : 0);
	b->host_fd = target == PITH_TARGET_PROCESS ? n->fd : -1;
	memcpy(b->mac, n->mac, sizeof(b->mac));
	b->mtu = n->mtu;
	b->ip = n->ip;
	b->prefix_len = n->prefix_len;
	b->gateway = n->gateway;
	b->dns = n->dns;
	if (g->lay.net) {
		struct pith_net_ring *r = (struct pith_net_ring *)(g->mem + g->lay.net);

		netring_reset(&r[0]);
		netring_reset(&r[1]);
		b->tx_ring = GPA_TO_VA(g->lay.net);
		b->rx_ring = GPA_TO_VA(g->lay.net + sizeof(*r));
	}
}

uint64_t args_size(const struct run_opts *o)
{
	uint64_t n = 0;

	for (int i = 0; i < o->argc; i++)
		n += strlen(o->argv[i]) + 1;
	for (int i = 0; i < o->envc; i++)
		n += strlen(o->envp[i]) + 1;
	return n;
}

static char *put_strings(char *p, char *const *v, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		memcpy(p, v[i], len);
		p += len;
	}
	return p;
}

void guest_load(struct guest *g, const struct run_opts *o, uint32_t target, uint32_t flags)
{
	const struct elf_image *img = g->img;
	const struct layout *lay = &g->lay;
	struct pith_boot *b;

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct elf_seg *s = &img->seg[i];

		memcpy(g->mem + (s->vaddr - PITH_GUEST_BASE), img->data + s->offset, s->filesz);
	}
	b = g->boot = (struct pith_boot *)(g->mem + lay->boot);
	b->abi_version = PITH_ABI_VERSION;
	b->target = target;
	b->flags = flags;
	b->argc = (uint32_t)o->argc;
	b->envc = (uint32_t)o->envc;
	b->phnum = img->phnum;
	memcpy(g->mem + lay->phdr, img->phdr, img->phnum * sizeof(img->phdr[0]));
	b->phdr = GPA_TO_VA(lay->phdr);
	put_strings(put_strings((char *)g->mem + lay->args, o->argv, o->argc), o->envp, o->envc);
	b->args = GPA_TO_VA(lay->args);
	b->mem_size = g->mem_size;
	b->free_start = GPA_TO_VA(lay->free_start);
	b->free_end = GPA_TO_VA(lay->free_end);
	b->stack_top = GPA_TO_VA(lay->stack_top);
	b->stack_bottom = GPA_TO_VA(lay->stack_bottom);
	b->console = GPA_TO_VA(lay->console);
	b->mem_end = GPA_TO_VA(lay->sys);
	g->con = (struct pith_console *)(g->mem + lay->console);
	g->con->size = lay->console_size;
	g->con->used = 0;
	snprintf(b->hostname, sizeof(b->hostname), "%s", o->hostname ? o->hostname : "pith");
	b->nvolumes = o->nvol;
	for (unsigned i = 0; i < o->nvol; i++) {
		b->volumes[i].flags = o->vol[i].flags;
		/* Only the process target's guest holds host fds itself. */
		b->volumes[i].host_fd = target == PITH_TARGET_PROCESS ? o->vol[i].fd : -1;
		memcpy(b->volumes[i].path, o->vol[i].path, sizeof(b->volumes[i].path));
	}
	net_load(g, &o->net, target);
}
