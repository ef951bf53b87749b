/*
 * outside.c — signals sent to the program from outside (kill(1), `pith
 * stop`), as tests/signals/run.sh sends them. Prints "ready", waits in
 * the way MODE says, and reports what the wait returned.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static volatile unsigned long spins;

static void on_signal(int sig)
{
	got = sig;
	if (sig == SIGTERM)
		write(1, "handled\n", 8);
}

/* Just before the wait: pith writes out what the program printed when
 * it starts to wait, and a signal sent on seeing "ready" must find the
 * program in the wait (or about to enter it) to test the wait. */
static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	write(1,
	      si->si_code == SI_USER && si->si_pid != getpid() ? "from outside\n" : "from self\n",
	      si->si_code == SI_USER && si->si_pid != getpid() ? 13 : 10);
}

static void closing(int sig)
{
	got = sig;
	close(0);
}

static void ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

static void report(const char *what, long r)
{
	printf("%s %ld %s got %d\n", what, r, r < 0 ? strerror(errno) : "-", (int)got);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *mode = argc > 1 ? argv[1] : "pause";
	sigset_t set;
	char c;

	sigemptyset(&sa.sa_mask);
	if (!strcmp(mode, "restart"))
		sa.sa_flags = SA_RESTART;
	if (!strcmp(mode, "resethand"))
		sa.sa_flags = SA_RESETHAND;
	if (!strcmp(mode, "closer")) {
		sa.sa_handler = closing;
		sa.sa_flags = SA_RESTART;
	}
	if (!strcmp(mode, "siginfo")) {
		sa.sa_sigaction = on_info;
		sa.sa_flags = SA_SIGINFO;
	}
	if (strcmp(mode, "default") && strcmp(mode, "blocked"))
		sigaction(SIGTERM, &sa, NULL);
	if (!strcmp(mode, "ignore")) {
		signal(SIGTERM, SIG_IGN);
		sigaction(SIGINT, &sa, NULL);
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	if (!strcmp(mode, "sigsuspend") || !strcmp(mode, "blocked"))
		sigprocmask(SIG_BLOCK, &set, NULL);
	ready();

	if (!strcmp(mode, "pause") || !strcmp(mode, "default") || !strcmp(mode, "ignore") ||
	    !strcmp(mode, "siginfo")) {
		report("pause", pause());
	} else if (!strcmp(mode, "resethand")) {
		/* Handled once; then the default action, even while computing. */
		report("pause", pause());
		struct timespec ms = { 0, 1000000 };

		printf("again\n");
		fflush(stdout);
		nanosleep(&ms, NULL); /* pith writes out before a wait */
		for (;;)
			spins++;
	} else if (!strcmp(mode, "closer")) {
		/* The handler closes the fd read waits on: the restarted read
		 * finds it gone. */
		long r = read(0, &c, 1);

		report("read", r);
	} else if (!strcmp(mode, "sleep")) {
		struct timespec req = { 30, 0 }, rem = { 0, 0 };
		long r = nanosleep(&req, &rem);

		report("nanosleep", r);
		printf("rem %s\n", rem.tv_sec > 0 && rem.tv_sec < 30 ? "part" : "wrong");
	} else if (!strcmp(mode, "poll")) {
		report("poll", poll(NULL, 0, 30000));
	} else if (!strcmp(mode, "read") || !strcmp(mode, "restart")) {
		long r = read(0, &c, 1);

		report("read", r);
		if (r == 1)
			printf("byte %c\n", c);
	} else if (!strcmp(mode, "busy")) {
		struct timespec ms = { 0, 1000000 };

		nanosleep(&ms, NULL); /* "ready" goes out; then no more waits */
		while (!got)
			getppid();
		report("busy", 0);
	} else if (!strcmp(mode, "sigsuspend")) {
		sigset_t none;

		sigemptyset(&none);
		report("sigsuspend", sigsuspend(&none));
	} else if (!strcmp(mode, "blocked")) {
		/* Pending while blocked; the default action when unblocked. */
		sigset_t p;

		do {
			struct timespec ms = { 0, 1000000 };

			nanosleep(&ms, NULL);
			sigpending(&p);
		} while (!sigismember(&p, SIGTERM));
		printf("pending\n");
		fflush(stdout);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		printf("not reached\n");
	}
	return 0;
}
