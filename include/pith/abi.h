/*
 * abi.h — the contract between a pith image and the program that runs it.
 *
 * One header, used by both the guest kernel (freestanding) and the host
 * (monitor and process target). Everything the two sides exchange is here:
 * the image note, the guest memory layout, the boot information, the
 * console buffer and the hypercalls. Changing any of it changes
 * PITH_ABI_VERSION; the host refuses an image whose note carries another.
 *
 * Addresses. Guest-physical address (GPA) 0 appears at guest-virtual
 * PITH_GUEST_BASE, in both targets: on hvt the monitor's page tables map
 * virtual PITH_GUEST_BASE + x to physical x; on the process target guest
 * memory is one host mapping at that same address. Images are linked
 * there, so one image serves both targets unchanged. Structures below hold
 * guest-virtual addresses (what guest code uses) unless a field says GPA.
 *
 * Hypercalls (hvt target). The guest runs at CPL3 and calls the monitor
 * with `outl %eax, $(PITH_HC_PORT_BASE + nr)`, %eax holding the GPA of the
 * call's argument struct (all guest memory lies below 4 GiB). The TSS I/O
 * bitmap opens the PITH_HC_PORTS ports from PITH_HC_PORT_BASE, and only
 * those. The monitor checks that the whole struct, and every buffer it
 * names, lies inside the guest's own memory; a call that fails a check,
 * or a number with no call, stops the guest with exit status
 * PITH_EXIT_VIOLATION. Results come back in the struct.
 *
 * Docs: docs/abi.md describes each call with its errors.
 */
#ifndef PITH_ABI_H
#define PITH_ABI_H

#include <stdint.h>

#define PITH_ABI_VERSION 4

/* ---- Address space ---------------------------------------------------- */

#define PITH_GUEST_BASE 0x10000000UL /* virtual address of GPA 0 */
#define PITH_PAGE_SIZE	4096UL
#define PITH_IMAGE_GPA	0x1000UL       /* images are linked at BASE + this */
#define PITH_MEM_MAX	(4096UL << 20) /* GPAs must fit in 32 bits */

/*
 * Guest memory, from the bottom (GPA 0) up:
 *   page 0            never mapped (with BASE > 0 this also guards NULL)
 *   image             text RX, rodata R, data+bss RW NX, as the ELF says
 *   free memory       heap (brk, upwards) and mmap (downwards), RW NX
 *   network rings     hvt with a network device: struct pith_net_ring
 *                     TX then RX, RW NX (boot->net)
 *   guard page        not mapped: stack overflow faults here
 *   stack             RW NX, grows down from boot->stack_top
 *   boot area         struct pith_boot, argv/env strings, program
 *                     headers, console buffer; RW NX
 *   system area (hvt) page tables, GDT, TSS + I/O bitmap: not mapped for
 *                     the guest at all (the CPU reaches them as supervisor)
 */

/* ---- Image note --------------------------------------------------------- */

/* An ELF note, owner "PITH", type PITH_NOTE_TYPE, marks a pith image. */
#define PITH_NOTE_NAME "PITH"
#define PITH_NOTE_TYPE 0x50495448u /* 'PITH' */

struct pith_note {
	uint32_t abi_version; /* PITH_ABI_VERSION the image was built for */
	uint32_t targets;     /* PITH_TARGET_* bits the image supports */
	uint64_t min_free;    /* bytes of free memory the kernel needs */
};

/* ---- Boot information --------------------------------------------------- */

#define PITH_TARGET_HVT	    1u
#define PITH_TARGET_PROCESS 2u

#define PITH_BOOT_STDIN_TTY	(1u << 0)
#define PITH_BOOT_STDOUT_TTY	(1u << 1)
#define PITH_BOOT_STDERR_TTY	(1u << 2)
#define PITH_BOOT_QUIET		(1u << 3)	   /* no ENOSYS notes on stderr */
#define PITH_BOOT_FSGSBASE	(1u << 4)	   /* wrfsbase may be used */
#define PITH_BOOT_FD_CLOSED(fd) (1u << (5 + (fd))) /* host fd 0..2 was closed */

/* ---- Volumes ------------------------------------------------------------ */

/*
 * A volume is a host directory the guest sees at an absolute path. The
 * host resolves every path the guest names inside it beneath the
 * directory (openat2 RESOLVE_BENEATH): the guest sends paths relative to
 * the volume's root and never sees a host path or fd number on hvt.
 */
#define PITH_VOLUMES_MAX  8
#define PITH_VOL_PATH_MAX 120	    /* the guest path, with its NUL */
#define PITH_VOL_RO	  (1u << 0) /* read-only: the host refuses changes */

struct pith_boot_volume {
	uint32_t flags;		      /* PITH_VOL_RO */
	int32_t host_fd;	      /* process target: the root's O_PATH fd; hvt: -1 */
	char path[PITH_VOL_PATH_MAX]; /* absolute, normalised, NUL-terminated */
};

/* ---- Network device ------------------------------------------------------ */

/*
 * One Ethernet device (`pith run --net`). Frames move through two rings
 * of fixed-size slots in guest memory, each with one producer and one
 * consumer: TX (guest -> host) and RX (host -> guest). Indices are
 * free-running 32-bit counters (slot = index % PITH_NET_SLOTS); each side
 * writes only its own index and reads the other's, which it checks:
 * 0 <= prod - cons <= PITH_NET_SLOTS, and a slot's len <= the frame
 * limit. A side that finds a broken ring stops using it (the monitor stops
 * the guest: PITH_EXIT_VIOLATION).
 *
 * Notification suppression. A consumer about to sleep sets cons_wait,
 * then (after a full fence) looks at prod once more; a producer, after
 * publishing prod and a full fence, notifies only if it takes cons_wait
 * from 1 to 0. Likewise prod_wait, for a producer waiting for room. On
 * hvt the guest notifies the monitor with PITH_HC_NET_NOTIFY, the
 * monitor wakes the guest out of PITH_HC_POLL (PITH_POLL_NET): a busy
 * pair makes no exit per frame. Shared code: kernel/netring.c.
 *
 * On the process target there are no rings: the guest reads and writes
 * the tap fd (host_fd) itself, under the seccomp filter used with --net.
 */
#define PITH_NET_SLOTS	   256u	 /* per ring; a power of two */
#define PITH_NET_SLOT_SIZE 2048u /* bytes per slot, header included */
#define PITH_NET_FRAME_MAX (PITH_NET_SLOT_SIZE - 8u)
#define PITH_NET_MTU	   1500u /* the only MTU for now */

#define PITH_NET_ON	   (1u << 0) /* there is a device */
#define PITH_NET_TEST_ECHO (1u << 1) /* test hook: PITH_TEST_NETDEV_ECHO=1 */
/* Process target: host_fd is a stream socket (passt, `--net user`) whose
 * frames each follow their length, 4 bytes big-endian (kernel/netstream.h),
 * not a tap with one frame per read and write. */
#define PITH_NET_STREAM (1u << 2)
/* `pith run --verbose`: at exit the guest prints its stack's counters and
 * the memory the stack holds and held at most (docs/net.md "Counters"). */
#define PITH_NET_STATS (1u << 3)

struct pith_net_slot {
	uint32_t len; /* frame bytes, Ethernet header on, no FCS */
	uint32_t pad;
	uint8_t frame[PITH_NET_FRAME_MAX];
};

struct pith_net_ring {
	uint32_t prod;	    /* written by the producer only */
	uint32_t prod_wait; /* set by the producer, taken by the consumer */
	uint8_t pad0[56];   /* the two sides' words on their own cache lines */
	uint32_t cons;	    /* written by the consumer only */
	uint32_t cons_wait; /* set by the consumer, taken by the producer */
	uint8_t pad1[56];
	struct pith_net_slot slot[PITH_NET_SLOTS];
};

struct pith_boot_net {
	uint32_t flags;	 /* PITH_NET_* */
	int32_t host_fd; /* process target: the tap fd; hvt: -1 */
	uint8_t mac[6];
	uint16_t mtu;
	uint32_t ip, prefix_len, gateway, dns; /* network byte order; 0: none */
	uint64_t tx_ring, rx_ring;	       /* hvt: struct pith_net_ring; process: 0 */
};

/*
 * Written by the host before the first guest instruction; the guest's
 * entry point receives its address in %rdi (and on the stack top). The
 * guest may read and overwrite it; the host never reads it back.
 */
struct pith_boot {
	uint32_t abi_version;
	uint32_t target; /* PITH_TARGET_HVT or PITH_TARGET_PROCESS */
	uint32_t flags;	 /* PITH_BOOT_* */
	uint32_t argc;	 /* strings packed in args: argc then envc */
	uint32_t envc;
	uint32_t phnum; /* the image's program headers, copied at phdr */
	uint64_t args;	/* argv then envp strings, each NUL-terminated */
	uint64_t phdr;
	uint64_t mem_size;   /* bytes of guest memory */
	uint64_t free_start; /* [free_start, free_end): heap and mmap */
	uint64_t free_end;
	uint64_t stack_top; /* initial %rsp; guard page at stack_bottom-4K */
	uint64_t stack_bottom;
	uint64_t console; /* struct pith_console */
	uint64_t mem_end; /* end of the memory the guest may use */

	/* Clock (hvt): monotonic_ns = mono_ns + (tsc - tsc) * 1e9 / tsc_hz,
	 * in the host's CLOCK_MONOTONIC time base; realtime likewise. */
	uint64_t tsc_hz;
	uint64_t tsc_base;
	uint64_t mono_base_ns;
	uint64_t wall_base_ns;

	/* Process target: the host's vDSO clock_gettime, or 0. */
	uint64_t vdso_clock_gettime;

	uint16_t tty_rows, tty_cols; /* host terminal size (stdout) */
	uint32_t fd_mode[3];	     /* st_mode of host fds 0..2 (type, perms) */
	uint8_t seed[32];	     /* host entropy for the guest's RNG */
	char hostname[64];

	/* Host-directory volumes (`pith run -v`), mounted in this order. */
	uint32_t nvolumes;
	uint32_t pad;
	struct pith_boot_volume volumes[PITH_VOLUMES_MAX];

	struct pith_boot_net net; /* version 3 */
};

/* ---- Console ------------------------------------------------------------ */

/*
 * Console output is a buffer of records the guest appends to and the host
 * drains: on PITH_HC_CONSOLE, on PITH_HC_POLL before it sleeps (so a
 * guest's output goes out in the exit that starts its wait, not one of
 * its own), at exit, and after a crash — so nothing
 * written before the end is lost. Each record is a struct
 * pith_console_rec followed by len bytes, padded to 8 bytes. The host
 * writes records in order, so stdout and stderr interleave as written.
 * The host checks every record against used and size before use.
 */
struct pith_console {
	uint32_t size; /* bytes in data[], set by the host */
	uint32_t used; /* bytes of records in data[], set by the guest */
	/*
	 * Signals from outside (SIGINT, SIGTERM, SIGHUP sent to pith, as
	 * `pith stop` does). The guest keeps in `caught` a bit (1 << (sig-1))
	 * for each signal it handles, ignores or blocks; for those the host
	 * sets the bit in `arrived` (atomically) and lets the guest run,
	 * which takes them at its next system call or wait. Any other ends
	 * the guest with 128 + signal, as the default action would. The host
	 * reads `caught` only to choose; a wrong value harms only the guest.
	 */
	uint64_t caught;
	uint64_t arrived;
	/* Process target: the timeout of the guest's next host wait. The
	 * host zeroes it when it sets `arrived`, so a wait that was about
	 * to start when the signal came returns at once. */
	int64_t wait_sec, wait_nsec;
	uint8_t data[];
};

struct pith_console_rec {
	uint32_t fd; /* 1 or 2 */
	uint32_t len;
};

#define PITH_CONSOLE_ALIGN 8u

/* ---- Hypercalls (hvt) --------------------------------------------------- */

#define PITH_HC_PORT_BASE 0x500
#define PITH_HC_PORTS	  32 /* 0x500..0x51f reach the monitor */
enum pith_hc {
	PITH_HC_CONSOLE = 1,	/* drain the console buffer */
	PITH_HC_READ = 2,	/* read host stdin, never blocking */
	PITH_HC_POLL = 3,	/* drain the console, sleep until a deadline or input */
	PITH_HC_EXIT = 4,	/* stop with an exit status */
	PITH_HC_SET_FS = 5,	/* set %fs base where wrfsbase is not allowed */
	PITH_HC_TTY = 6,	/* get or set a host terminal's settings */
	PITH_HC_VOL = 7,	/* a file operation on a volume */
	PITH_HC_NET_NOTIFY = 8, /* the network rings have work for the monitor */
	PITH_HC_MAX
};

struct pith_hc_console {
	uint32_t broken; /* out: bit fd set when that host fd is gone (EPIPE) */
	uint32_t pad;
};

struct pith_hc_read {
	uint64_t buf; /* GPA */
	uint32_t len;
	uint32_t fd;  /* 0 */
	int64_t ret;  /* out: bytes, 0 at end of input, or -errno (-EAGAIN) */
	uint32_t hup; /* out: 1 when the writer of a pipe has gone */
	uint32_t pad;
};

#define PITH_POLL_STDIN	   (1u << 0)
#define PITH_POLL_NET	   (1u << 1) /* the RX ring has frames */
#define PITH_DEADLINE_NONE UINT64_MAX

struct pith_hc_poll {
	uint64_t deadline_ns; /* host CLOCK_MONOTONIC; PITH_DEADLINE_NONE */
	uint32_t want;	      /* PITH_POLL_* */
	uint32_t ready;	      /* out: PITH_POLL_* now ready */
	uint32_t broken;      /* out: as pith_hc_console's, for the drain first */
	uint32_t pad;
};

struct pith_hc_set_fs {
	uint64_t base; /* a canonical user address */
};

/* Linux's TCGETS, TCSETS, TCSETSW, TCSETSF on host fd 0, 1 or 2, with the
 * kernel's struct termios (36 bytes: four flag words, line, cc[19]). */
#define PITH_TTY_GET	   0x5401u
#define PITH_TTY_SET	   0x5402u
#define PITH_TTY_SET_DRAIN 0x5403u
#define PITH_TTY_SET_FLUSH 0x5404u
#define PITH_TERMIOS_SIZE  36u

struct pith_hc_tty {
	uint32_t fd;
	uint32_t op;
	int64_t ret; /* out: 0 or -errno */
	uint8_t termios[PITH_TERMIOS_SIZE];
	uint32_t pad;
};

/*
 * PITH_HC_VOL: one file operation on a volume, answered by the monitor on
 * hvt and by the same code (fs/hostfs_serve.c) in the image's process
 * binding on the process target. Path operations name a volume (vol) and
 * a path relative to its root: GPA path, path_len bytes including the
 * NUL that must end them (at most PITH_VOL_PATH_BYTES). Handle operations
 * name a handle that PITH_VOL_OPEN returned. Data moves straight between
 * the host file and guest memory at buf (len bytes, at most
 * PITH_VOL_IO_MAX). ret is the result or -errno (Linux values); a bad
 * handle is -EBADF, a write on a read-only volume -EROFS. A malformed
 * call (unknown op or flag, a pointer outside guest memory, a path
 * without its NUL, len too large) stops the guest.
 */
#define PITH_VOL_IO_MAX	    (8u << 20)
#define PITH_VOL_PATH_BYTES 4096u

enum pith_vol_op {
	PITH_VOL_OPEN = 1, /* path, flags (O_*), mode -> handle; st */
	PITH_VOL_CLOSE,	   /* handle */
	PITH_VOL_READ,	   /* handle, buf, len, off -> bytes */
	PITH_VOL_WRITE,	   /* handle, buf, len, off (APPEND: at the end) -> bytes; off */
	PITH_VOL_FSTAT,	   /* handle -> st */
	PITH_VOL_STAT,	   /* path, flags (NOFOLLOW) -> st */
	PITH_VOL_GETDENTS, /* handle, buf, len -> bytes of linux_dirent64 */
	PITH_VOL_SEEK,	   /* handle, off, mode = whence -> offset */
	PITH_VOL_TRUNCATE, /* handle, or path when handle < 0; off = length */
	PITH_VOL_SYNC,	   /* handle, flags (DATA: fdatasync) */
	PITH_VOL_MKDIR,	   /* path, mode */
	PITH_VOL_UNLINK,   /* path, flags (RMDIR) */
	PITH_VOL_RENAME,   /* path -> path2, flags (NOREPLACE) */
	PITH_VOL_SYMLINK,  /* path2 (the target, any text) at path */
	PITH_VOL_LINK,	   /* path -> new name path2, flags (FOLLOW) */
	PITH_VOL_READLINK, /* path, buf, len -> bytes */
	PITH_VOL_ACCESS,   /* path, mode (R_OK|W_OK|X_OK) */
	PITH_VOL_CHMOD,	   /* handle, or path when handle < 0; mode; flags (NOFOLLOW) */
	PITH_VOL_UTIMES,   /* handle, or path when handle < 0; times; flags (NOFOLLOW) */
	PITH_VOL_OP_MAX
};

/* flags besides O_* for OPEN */
#define PITH_VOL_NOFOLLOW  (1u << 0)
#define PITH_VOL_APPEND	   (1u << 1)
#define PITH_VOL_DATA	   (1u << 2)
#define PITH_VOL_RMDIR	   (1u << 3)
#define PITH_VOL_NOREPLACE (1u << 4)
#define PITH_VOL_FOLLOW	   (1u << 5)

/* Linux x86-64's struct stat, as newfstatat fills it. */
struct pith_vol_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};

struct pith_hc_vol {
	uint32_t op;  /* PITH_VOL_* */
	uint32_t vol; /* path operations: the volume's index */
	int32_t handle;
	uint32_t flags;
	uint64_t path; /* GPA */
	uint64_t path2;
	uint32_t path_len; /* bytes with the NUL */
	uint32_t path2_len;
	uint64_t buf; /* GPA */
	uint64_t len;
	uint64_t off;
	uint32_t mode;
	uint32_t pad;
	int64_t times[4];	 /* UTIMES: atime sec, nsec, mtime sec, nsec (UTIME_*) */
	int64_t ret;		 /* out */
	struct pith_vol_stat st; /* out */
};

/*
 * PITH_HC_NET_NOTIFY: the guest produced TX frames while the monitor's
 * consumer slept (it set TX cons_wait), and/or consumed RX frames while
 * the monitor's producer waited for room (RX prod_wait). Unknown bits, or
 * a call without a network device, stop the guest.
 */
#define PITH_NET_NOTIFY_TX (1u << 0)
#define PITH_NET_NOTIFY_RX (1u << 1)

struct pith_hc_net_notify {
	uint32_t which; /* PITH_NET_NOTIFY_* */
	uint32_t pad;
};

/* Exit reasons: how the status is reported on the host side. */
#define PITH_EXIT_NORMAL 0 /* the program exited with status */
#define PITH_EXIT_SIGNAL 1 /* the program died of signal status */
#define PITH_EXIT_PANIC	 2 /* the guest kernel gave up; message on stderr */

struct pith_hc_exit {
	uint32_t reason;
	int32_t status;
};

/* ---- Exit statuses of `pith run` ---------------------------------------- */

#define PITH_EXIT_ERROR	    125 /* pith could not run the image */
#define PITH_EXIT_SIGBASE   128 /* + signal: the program died of it */
#define PITH_EXIT_VIOLATION 159 /* 128 + SIGSYS: guest broke the sandbox */

#endif /* PITH_ABI_H */
