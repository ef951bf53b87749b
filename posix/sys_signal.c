/*
 * sys_signal.c — signals the program sends itself, and their handlers.
 *
 * With one thread and no other process, every signal comes from the
 * program (raise, abort, a write to a closed pipe). It is delivered at the
 * end of the system call that made it deliverable: a handler is called
 * right there as a plain function, or the default action ends the program
 * with status 128 + signal. Blocked signals wait, pending, until unblocked.
 */
#include "../kernel/console.h"
#include "posix.h"

#define SIG_DFL	     0UL
#define SIG_IGN	     1UL
#define SA_SIGINFO   4
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SIG_BLOCK    0
#define SIG_UNBLOCK  1
#define SIG_SETMASK  2
#define SI_TKILL     (-6)
#define SIGCHLD	     17
#define SIGCONT	     18
#define SIGTSTP	     20
#define SIGTTIN	     21
#define SIGTTOU	     22
#define SIGURG	     23
#define SIGWINCH     28

struct k_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	uint64_t mask;
};

struct siginfo {
	int signo, errno_, code, pad;
	int pid, uid;
	char rest[104];
};

static struct k_sigaction act[NSIG_MAX];
static uint64_t blocked, pending;

#define BIT(sig)    (1ull << ((sig)-1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))

static bool default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU; /* stops: no job control */
}

static void deliver(int sig)
{
	struct k_sigaction a = act[sig];
	uint64_t saved = blocked;

	if (a.handler == SIG_IGN)
		return;
	if (a.handler == SIG_DFL) {
		if (default_ignores(sig))
			return;
		console_flush();
		proc_die(sig);
	}
	if (a.flags & SA_RESETHAND)
		act[sig].handler = SIG_DFL;
	blocked |= a.mask & ~UNBLOCKABLE;
	if (!(a.flags & SA_NODEFER))
		blocked |= BIT(sig);
	if (a.flags & SA_SIGINFO) {
		struct siginfo info = { .signo = sig, .code = SI_TKILL, .pid = PITH_PID };
		uint64_t uctx[128] = { 0 }; /* a zeroed ucontext_t */

		((void (*)(int, void *, void *))a.handler)(sig, &info, uctx);
	} else {
		((void (*)(int))a.handler)(sig);
	}
	blocked = saved;
}

static void deliver_pending(void)
{
	uint64_t ready;

	while ((ready = pending & ~blocked) != 0) {
		int sig = __builtin_ctzll(ready) + 1;

		pending &= ~BIT(sig);
		deliver(sig);
	}
}

long signal_send(int sig)
{
	if (sig < 0 || sig >= NSIG_MAX)
		return -EINVAL;
	if (sig == 0)
		return 0;
	if (sig == SIGKILL) {
		console_flush();
		proc_die(sig);
	}
	pending |= BIT(sig);
	deliver_pending();
	return 0;
}

long sys_rt_sigaction(int sig, const struct k_sigaction *new, struct k_sigaction *old,
		      unsigned long setsize)
{
	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if (sig < 1 || sig >= NSIG_MAX)
		return -EINVAL;
	if ((new && !user_ok((uintptr_t) new, sizeof(*new))) ||
	    (old && !user_w((uintptr_t)old, sizeof(*old))))
		return -EFAULT;
	if (old)
		*old = act[sig];
	if (new) {
		if (sig == SIGKILL || sig == SIGSTOP)
			return -EINVAL;
		act[sig] = *new;
		/* Setting SIG_IGN discards a pending instance. */
		if (new->handler == SIG_IGN)
			pending &= ~BIT(sig);
	}
	return 0;
}

long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old, unsigned long setsize)
{
	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if ((set && !user_ok((uintptr_t)set, sizeof(*set))) ||
	    (old && !user_w((uintptr_t)old, sizeof(*old))))
		return -EFAULT;
	if (old)
		*old = blocked;
	if (set) {
		switch (how) {
		case SIG_BLOCK:
			blocked |= *set;
			break;
		case SIG_UNBLOCK:
			blocked &= ~*set;
			break;
		case SIG_SETMASK:
			blocked = *set;
			break;
		default:
			return -EINVAL;
		}
		blocked &= ~UNBLOCKABLE;
		deliver_pending();
	}
	return 0;
}

long sys_rt_sigpending(uint64_t *set, unsigned long setsize)
{
	if (setsize > sizeof(uint64_t))
		return -EINVAL;
	if (!user_w((uintptr_t)set, setsize))
		return -EFAULT;
	memcpy(set, &pending, setsize);
	return 0;
}

long sys_kill(int pid, int sig)
{
	if (pid != PITH_PID && pid != 0 && pid != -1)
		return -ESRCH;
	return signal_send(sig);
}

long sys_tkill(int tid, int sig)
{
	return tid == PITH_TID ? signal_send(sig) : -ESRCH;
}

long sys_tgkill(int tgid, int tid, int sig)
{
	return tgid == PITH_PID ? sys_tkill(tid, sig) : -ESRCH;
}

long sys_sigaltstack(const void *ss, void *old)
{
	/* Handlers run on the current stack; an alternate one is accepted
	 * and reported as disabled. */
	if (old) {
		if (!user_w((uintptr_t)old, 24))
			return -EFAULT;
		memset(old, 0, 24);
		((int *)old)[2] = 2; /* SS_DISABLE */
	}
	(void)ss;
	return 0;
}

long sys_rt_sigreturn(void)
{
	return -ENOSYS; /* handlers return normally; never reached */
}
