/*
 * sys_signal.c — signals the program sends itself, and their handlers.
 *
 * With one thread and no other process, a signal comes from the program
 * (raise, abort, a write to a closed pipe) or from outside: SIGINT,
 * SIGTERM or SIGHUP sent to pith, which the host passes on through the
 * console page when the program catches, ignores or blocks it (and
 * otherwise ends the program itself, as the default action would). A
 * signal is delivered at the end of the system call that made it
 * deliverable, or that was running when it arrived, or when a wait it
 * breaks wakes: a handler is called right there as a plain function, or
 * the default action ends the program with status 128 + signal. Blocked
 * signals wait, pending, until unblocked. A program that computes without
 * system calls takes an outside signal only at its next call.
 */
#include "../kernel/clock.h"
#include "../kernel/console.h"
#include "posix.h"

#define SIG_DFL	     0UL
#define SIG_IGN	     1UL
#define SA_SIGINFO   4
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000
#define SIG_BLOCK    0
#define SIG_UNBLOCK  1
#define SIG_SETMASK  2
#define SI_TKILL     (-6)
#define SI_USER	     0
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
static uint64_t outside;	   /* pending signals that came from outside */
static int pending_code[NSIG_MAX]; /* si_code of each pending signal */
/* Handlers run so far, and of those without SA_RESTART: counters that
 * only grow, so a wait inside a handler cannot disturb the outer one's
 * count. */
static uint64_t handlers_run, handlers_no_restart;

#define BIT(sig)    (1ull << ((sig)-1))
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))

static bool default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU; /* stops: no job control */
}

/* The host passes on the outside signals the program catches, ignores
 * or blocks; tell it which those are whenever that changes. */
static void publish_caught(void)
{
	uint64_t mask = blocked;

	for (int sig = 1; sig < NSIG_MAX; sig++)
		if (act[sig].handler != SIG_DFL)
			mask |= BIT(sig);
	console_set_caught(mask);
}

/* A handler frame, as Linux would have pushed it on the program's stack. */
struct frame {
	int sig, code, pid;	/* si_pid: the program's own, or 0 from outside */
	struct k_sigaction act; /* as it was when the frame was set up */
	uint64_t saved;		/* the mask the handler's return restores */
};

static void run_handler(const struct frame *f)
{
	if (f->act.flags & SA_SIGINFO) {
		struct siginfo info = { .signo = f->sig, .code = f->code, .pid = f->pid };
		uint64_t uctx[128] = { 0 }; /* a zeroed ucontext_t */

		((void (*)(int, void *, void *))f->act.handler)(f->sig, &info, uctx);
	} else {
		((void (*)(int))f->act.handler)(f->sig);
	}
}

/*
 * Deliver what is pending and not blocked, as Linux does on its way back
 * to the program: it takes the lowest-numbered signal, pushes its handler
 * frame (the handler's mask now applies), and goes on while more are
 * deliverable, so the last frame pushed runs first. Each handler's return
 * restores the mask of its frame, which may let more signals through.
 */
static void deliver_pending(void)
{
	struct frame frames[NSIG_MAX];
	unsigned n = 0;
	uint64_t ready;

	while ((ready = pending & ~blocked) != 0) {
		int sig = __builtin_ctzll(ready) + 1;
		struct frame *f = &frames[n];

		pending &= ~BIT(sig);
		f->act = act[sig];
		f->pid = outside & BIT(sig) ? 0 : PITH_PID;
		outside &= ~BIT(sig);
		if (f->act.handler == SIG_IGN ||
		    (f->act.handler == SIG_DFL && default_ignores(sig)))
			continue;
		if (f->act.handler == SIG_DFL) {
			console_flush();
			proc_die(sig);
		}
		f->sig = sig;
		f->code = pending_code[sig];
		f->saved = blocked;
		if (f->act.flags & SA_RESETHAND) {
			act[sig].handler = SIG_DFL;
			publish_caught(); /* the next one ends the program */
		}
		blocked |= f->act.mask & ~UNBLOCKABLE;
		if (!(f->act.flags & SA_NODEFER))
			blocked |= BIT(sig);
		n++;
	}
	while (n > 0) {
		const struct frame *f = &frames[--n];

		handlers_run++;
		if (!(f->act.flags & SA_RESTART))
			handlers_no_restart++;
		run_handler(f);
		blocked = f->saved;
		deliver_pending();
	}
}

void signal_arrivals(void)
{
	uint64_t arrived = console_take_signals();

	for (int sig = 1; sig < NSIG_MAX; sig++)
		if (arrived & BIT(sig)) {
			pending |= BIT(sig);
			outside |= BIT(sig);
			pending_code[sig] = SI_USER;
		}
	deliver_pending();
}

long signal_interrupted(bool restartable)
{
	uint64_t run = handlers_run, no_restart = handlers_no_restart;

	if (!console_signals_arrived())
		return 0;
	signal_arrivals();
	if (handlers_run == run)
		return 0;
	return restartable && handlers_no_restart == no_restart ? -ERESTART_CALL : -EINTR;
}

/* Make sig pending (si_code code) and deliver what can be. */
long signal_send(int sig, int code)
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
	outside &= ~BIT(sig);
	pending_code[sig] = code;
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
		publish_caught();
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
		publish_caught();
		deliver_pending();
	}
	return 0;
}

/* Sleep until a handler has run. */
static long wait_for_handler(void)
{
	uint64_t run = handlers_run;
	long r;

	deliver_pending();
	if (handlers_run != run)
		return -EINTR;
	do
		clock_sleep_until(PITH_DEADLINE_NONE, 0);
	while ((r = signal_interrupted(false)) == 0);
	return r;
}

long sys_pause(void)
{
	return wait_for_handler();
}

long sys_rt_sigsuspend(const uint64_t *mask, unsigned long setsize)
{
	uint64_t saved = blocked;
	long r;

	if (setsize != sizeof(uint64_t))
		return -EINVAL;
	if (!user_ok((uintptr_t)mask, sizeof(*mask)))
		return -EFAULT;
	blocked = *mask & ~UNBLOCKABLE;
	publish_caught();
	r = wait_for_handler();
	blocked = saved;
	publish_caught();
	deliver_pending(); /* what the old mask lets through now */
	return r;
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
	/* -1: every process but the caller and init — there is none. */
	if (pid != PITH_PID && pid != 0)
		return -ESRCH;
	return signal_send(sig, SI_USER);
}

long sys_tkill(int tid, int sig)
{
	return tid == PITH_TID ? signal_send(sig, SI_TKILL) : -ESRCH;
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
