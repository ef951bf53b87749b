/*
 * guest.h — one guest, as both targets see it before it runs.
 *
 * The host maps guest memory once (mem, mem_size bytes, GPA 0 at mem[0]),
 * loads the image, plans where everything goes (layout.c) and writes the
 * boot information. The target (hvt.c or process.c) then adds what only it
 * needs — page tables and CPU state, or a sandbox in pith's own process —
 * and runs it.
 */
#ifndef PITH_GUEST_H
#define PITH_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pith/abi.h>

#include "elf.h"

/* Where things are, in guest-physical addresses (virtual = GPA + BASE). */
struct layout {
	uint64_t free_start, free_end; /* heap and mmap */
	uint64_t guard;		       /* one page, never mapped */
	uint64_t stack_bottom, stack_top;
	uint64_t boot, boot_end; /* boot struct, phdrs, args, console */
	uint64_t phdr, args, console;
	uint32_t console_size; /* bytes of console data[] */
	uint64_t sys, sys_end; /* hvt system area, else empty */
	uint64_t net, net_end; /* hvt network rings (TX, RX), else empty */
};

/* A host directory the guest sees at path (`pith run -v`). */
struct run_volume {
	int fd;		/* the host directory, O_PATH */
	uint32_t flags; /* PITH_VOL_RO */
	char path[PITH_VOL_PATH_MAX];
};

/* The network device (`pith run --net`, cli/net.c). */
struct run_net {
	bool on;
	int fd; /* the tap, already at NET_TAP_FD (netfd.h), non-blocking */
	uint8_t mac[6];
	uint16_t mtu;
	uint32_t ip, prefix_len, gateway, dns; /* network byte order; 0: none */
	bool test_echo;			       /* PITH_TEST_NETDEV_ECHO=1: a test hook */
	bool stats;  /* --verbose: the guest prints its net counters at exit */
	bool stream; /* fd is passt's socket: length-prefixed frames (--net user) */
};

/* What the user asked for. */
struct run_opts {
	uint64_t mem_size;
	char *const *argv; /* the program's, argv[0] first */
	int argc;
	char *const *envp;
	int envc;
	bool quiet, verbose;
	const char *hostname;
	unsigned nvol;
	struct run_volume vol[PITH_VOLUMES_MAX];
	struct run_net net;
};

struct guest {
	uint8_t *mem;
	uint64_t mem_size;
	const struct elf_image *img;
	struct layout lay;
	struct pith_boot *boot; /* inside mem */
	struct pith_console *con;
	uint64_t args_len;
};

#define GPA_TO_VA(g) ((g) + PITH_GUEST_BASE)

/* Plan the layout for an image in mem_size bytes, leaving sys_bytes at
 * the top for the target's own structures. -1 with a message in err when
 * the memory is too small. */
int layout_plan(struct layout *lay, const struct elf_image *img, uint64_t mem_size,
		uint64_t args_len, uint64_t sys_bytes, char *err, size_t errlen);
/* Smallest memory size the image fits in, with sys_bytes and args_len as
 * for layout_plan; 0 if it fits in no guest memory at all. */
uint64_t layout_min_mem(const struct elf_image *img, uint64_t sys_bytes, uint64_t args_len);

/* Bytes of the two network rings (hvt). */
#define NET_RINGS_BYTES (2 * sizeof(struct pith_net_ring))
/* Take the network rings from the top of free memory (below the stack's
 * guard page); -1 with a message when the image's free memory would not
 * fit beside them. */
int layout_take_net(struct layout *lay, const struct elf_image *img, char *err, size_t errlen);

/* Copy the image into guest memory and write the boot information. */
void guest_load(struct guest *g, const struct run_opts *o, uint32_t target, uint32_t flags);
/* Bytes the argv/env strings take in the boot area. */
uint64_t args_size(const struct run_opts *o);

/*
 * The one accessor for guest memory named by the guest: a host pointer to
 * [gpa, gpa + len) if that lies inside the memory the guest may use — all
 * of it below the target's system area (page tables, GDT and TSS are the
 * monitor's, never a place for the guest to aim a hypercall) — else NULL.
 * Overflow-safe; every hypercall argument and buffer passes through it.
 */
static inline void *gpa_ptr(const struct guest *g, uint64_t gpa, uint64_t len)
{
	uint64_t end = g->lay.sys;

	if (gpa > end || len > end - gpa)
		return NULL;
	return g->mem + gpa;
}

#endif
