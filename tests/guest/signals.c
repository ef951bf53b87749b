/* signals.c — signals a program sends itself: handlers (plain and
 * SA_SIGINFO), blocking and pending, SIG_IGN, default actions that ignore,
 * SA_RESETHAND, a raise from inside a handler, and finally a default
 * action that ends the program (signals TERM|USR1|QUIT|KILL|SEGV|FPE). With
 * "kill-siginfo", also the siginfo of a kill() to itself; with "order",
 * the order in which two pending signals' handlers ran on unblocking. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t count[65];
static int order[64], norder;

static void plain(int sig)
{
	count[sig]++;
	if (norder < 64)
		order[norder++] = sig;
}

static void nested(int sig)
{
	plain(sig);
	if (count[sig] == 1) {
		raise(sig); /* blocked while this handler runs: after it returns */
		printf("  in handler: second raise pending, count=%d\n", (int)count[sig]);
	}
}

static void info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	plain(sig);
	printf("  siginfo: signo=%d matches=%d code=%d pid_is_self=%d\n", si->si_signo,
	       si->si_signo == sig, si->si_code, si->si_pid == getpid());
}

static int pending(int sig)
{
	sigset_t s;

	sigpending(&s);
	return sigismember(&s, sig);
}

int main(int argc, char **argv)
{
	struct sigaction sa, old;
	sigset_t set;

	signal(SIGUSR1, plain);
	int r = raise(SIGUSR1);
	printf("raise(SIGUSR1) = %d, count=%d\n", r, (int)count[SIGUSR1]);
	r = kill(getpid(), SIGUSR1);
	printf("kill(getpid(), SIGUSR1) = %d, count=%d\n", r, (int)count[SIGUSR1]);
	printf("kill(getpid(), 0) = %d\n", kill(getpid(), 0));
	errno = 0;
	r = raise(1000);
	printf("raise(1000) = %d errno=%s\n", r, strerror(errno));

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	printf("raise(SIGUSR2) with SA_SIGINFO:\n");
	raise(SIGUSR2);
	if (argc > 1 && !strcmp(argv[1], "kill-siginfo")) {
		/* Linux: si_code SI_USER (0) for kill(), SI_TKILL (-6) for raise(). */
		printf("kill(getpid(), SIGUSR2) with SA_SIGINFO:\n");
		kill(getpid(), SIGUSR2);
	}
	sigaction(SIGUSR2, NULL, &old);
	printf("sigaction reads back: handler=%d siginfo=%d\n", old.sa_sigaction == info,
	       !!(old.sa_flags & SA_SIGINFO));

	/* Block, raise three times: one pending instance, delivered on unblock. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	signal(SIGHUP, plain);
	sigprocmask(SIG_BLOCK, &set, NULL);
	count[SIGUSR1] = 0;
	norder = 0;
	raise(SIGUSR1);
	raise(SIGUSR1);
	raise(SIGHUP);
	raise(SIGUSR1);
	printf("blocked: count=%d pending USR1=%d HUP=%d INT=%d\n", (int)count[SIGUSR1],
	       pending(SIGUSR1), pending(SIGHUP), pending(SIGINT));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("unblocked: USR1 count=%d HUP count=%d pending=%d\n", (int)count[SIGUSR1],
	       (int)count[SIGHUP], pending(SIGUSR1));
	if (argc > 1 && !strcmp(argv[1], "order")) {
		/* Linux dequeues the lowest signal first but runs its handler
		 * last: each delivery stacks a frame above the previous one. */
		printf("handlers ran in order:");
		for (int i = 0; i < norder; i++)
			printf(" %d", order[i]);
		printf("\n");
	}

	/* A raise from inside the handler runs after it returns. */
	signal(SIGALRM, nested);
	raise(SIGALRM);
	printf("nested: count=%d\n", (int)count[SIGALRM]);

	/* SIG_IGN, and signals whose default action is to ignore. */
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	raise(SIGCHLD);
	raise(SIGWINCH);
	raise(SIGURG);
	printf("ignored signals did nothing\n");

	/* SIG_IGN while pending discards the signal. */
	signal(SIGUSR2, plain);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	count[SIGUSR2] = 0;
	raise(SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	printf("pending after SIG_IGN: %d\n", pending(SIGUSR2));
	signal(SIGUSR2, plain);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("USR2 count after unblock: %d\n", (int)count[SIGUSR2]);

	/* SA_RESETHAND: the handler runs once, then the default. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = plain;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	raise(SIGINT);
	sigaction(SIGINT, NULL, &old);
	printf("SA_RESETHAND: count=%d handler now default=%d\n", (int)count[SIGINT],
	       old.sa_handler == SIG_DFL);

	/* sigaction on SIGKILL fails; the mask cannot hold SIGKILL. */
	errno = 0;
	r = sigaction(SIGKILL, &sa, NULL);
	printf("sigaction(SIGKILL) = %d %s\n", r, strerror(errno));
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	sigprocmask(SIG_SETMASK, NULL, &set);
	printf("mask holds KILL=%d STOP=%d TERM=%d\n", sigismember(&set, SIGKILL),
	       sigismember(&set, SIGSTOP), sigismember(&set, SIGTERM));
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);

	stack_t ss;
	sigaltstack(NULL, &ss);
	printf("sigaltstack disabled=%d\n", !!(ss.ss_flags & SS_DISABLE));

	/* The end: a default action that terminates. */
	int sig = 0;
	if (argc > 1) {
		if (!strcmp(argv[1], "TERM"))
			sig = SIGTERM;
		else if (!strcmp(argv[1], "USR1"))
			sig = SIGUSR1;
		else if (!strcmp(argv[1], "KILL"))
			sig = SIGKILL;
		else if (!strcmp(argv[1], "QUIT"))
			sig = SIGQUIT;
		else if (!strcmp(argv[1], "SEGV"))
			sig = SIGSEGV; /* raised, not a fault: no crash report */
		else if (!strcmp(argv[1], "FPE"))
			sig = SIGFPE;
	}
	if (sig) {
		signal(sig, SIG_DFL);
		printf("raising %s\n", argv[1]);
		fflush(stdout);
		raise(sig);
		printf("survived %s\n", argv[1]);
	}
	return 0;
}
