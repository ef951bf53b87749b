/*
 * param.h — every limit of the guest kernel in one place.
 * (The network stack's, which it shares with host tests, are in
 * net/net_param.h.)
 */
#ifndef PITH_PARAM_H
#define PITH_PARAM_H

#define PAGE_SIZE	  4096UL
#define NSIG_MAX	  65	      /* signals 1..64 */
#define KPRINTF_MAX	  256	      /* one kernel message line */
#define INITIAL_STACK_MAX (64 * 1024) /* argv/envp/auxv frame for musl */
#define PITH_PID	  1	      /* the program is the only process */
#define PITH_TID	  1
#define FD_CONSOLE_MAX	  3		/* fds 0..2 go to the host console */
#define NFILE		  (NOFILE + 64) /* open files: fds run out first (EMFILE) */
#define NOFILE		  1024		/* descriptors, as RLIMIT_NOFILE */
#define NPIPE		  32
#define STDIN_BUFFER	  4096 /* stdin read ahead per exit */
/* Before sleeping, look this long for a frame from a device whose check
 * is free (netdev.h pending): less than a sleep's exit costs here. */
#define NET_IDLE_SPIN_NS 50000

#endif
