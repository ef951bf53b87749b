/* setjmp.c — setjmp/longjmp across frames, volatile locals, the value 0
 * turned into 1, sigsetjmp/siglongjmp restoring the signal mask, and a
 * longjmp out of a signal handler. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static jmp_buf env, env2;
static sigjmp_buf senv;
static int depth;

static void dive(int n)
{
	char pad[200];

	memset(pad, n, sizeof(pad));
	depth = n;
	if (n == 50)
		longjmp(env, n + pad[10] - pad[20]);
	dive(n + 1);
	printf("not reached %d\n", pad[0]);
}

static void zero(void)
{
	longjmp(env2, 0);
}

static int nested(int level)
{
	jmp_buf inner;
	int v = setjmp(inner);

	if (v == 0) {
		if (level < 5) {
			int r = nested(level + 1);
			printf("level %d: inner returned %d\n", level, r);
			longjmp(inner, level + 100);
		}
		return level * 10;
	}
	printf("level %d: came back with %d\n", level, v);
	return v;
}

static void handler(int sig)
{
	printf("handler for %d; jumping\n", sig);
	siglongjmp(senv, sig);
}

static volatile int hits;
static void plain_handler(int sig)
{
	hits++;
	longjmp(env, sig);
}

static int blocked(int sig)
{
	sigset_t s;
	sigprocmask(SIG_SETMASK, NULL, &s);
	return sigismember(&s, sig);
}

int main(void)
{
	volatile int counter = 0;
	int v;

	v = setjmp(env);
	counter++;
	if (v == 0) {
		printf("first pass, counter=%d\n", counter);
		dive(0);
	}
	printf("after longjmp v=%d depth=%d counter=%d\n", v, depth, counter);

	if ((v = setjmp(env2)) == 0)
		zero();
	printf("longjmp(0) gives %d\n", v);

	printf("nested returned %d\n", nested(0));

	/* A loop made of longjmp. */
	volatile int i = 0;
	volatile long acc = 0;
	if (setjmp(env) < 1000) {
		acc += i * i;
		if (++i < 1000)
			longjmp(env, i);
	}
	printf("loop i=%d acc=%ld\n", i, acc);

	/* siglongjmp out of a handler restores the saved mask. */
	signal(SIGUSR1, handler);
	v = sigsetjmp(senv, 1);
	if (v == 0) {
		printf("before raise: blocked=%d\n", blocked(SIGUSR1));
		raise(SIGUSR1);
		printf("not reached after raise\n");
	}
	printf("sigsetjmp returned %d; SIGUSR1 blocked=%d\n", v, blocked(SIGUSR1));

	/* A plain longjmp out of a handler leaves the signal blocked, as
	 * on Linux: a second raise stays pending. */
	signal(SIGUSR2, plain_handler);
	if ((v = setjmp(env)) == 0)
		raise(SIGUSR2);
	printf("longjmp from handler: v=%d hits=%d blocked=%d\n", v, hits, blocked(SIGUSR2));
	if (blocked(SIGUSR2)) {
		sigset_t p;
		raise(SIGUSR2);
		sigpending(&p);
		printf("second raise: hits=%d pending=%d\n", hits, sigismember(&p, SIGUSR2));
		sigset_t u;
		sigemptyset(&u);
		sigaddset(&u, SIGUSR2);
		if ((v = setjmp(env)) == 0)
			sigprocmask(SIG_UNBLOCK, &u, NULL);
		printf("after unblock: v=%d hits=%d\n", v, hits);
	}
	return 0;
}
