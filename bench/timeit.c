/*
 * timeit.c — wall-clock time of whole commands, each run N times.
 *
 *   timeit [-n RUNS] [-w WARMUP] [-s STATUS] [-i INPUT] -- CMD [ARG...] [-- CMD [ARG...]]...
 *
 * Each run is fork + execvp + waitpid, timed with CLOCK_MONOTONIC from
 * just before fork() to just after waitpid() returns; the child's stdin
 * is INPUT (default /dev/null), its stdout and stderr /dev/null. With
 * several commands (separated by --) the runs take turns, A B A B ..., so
 * that a change in the machine's load reaches every command alike. WARMUP
 * rounds (default 3) come first and are not counted. Prints one line per
 * command, in order:
 *
 *   median_us=M p10_us=A p90_us=B min_us=C max_us=D runs=N
 *
 * Exit status 0 when every run (warm-up too) ended with exit status
 * STATUS (default 0); otherwise 1, after a note on stderr naming the
 * command and its first bad status. 2 on a usage error or when fork or
 * waitpid fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 16

struct cmd {
	char **argv;
	double *t;
	int bad;
};

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static double pct(const double *v, int n, double p)
{
	int i = (int)(p / 100.0 * (n - 1) + 0.5);

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static void usage(void)
{
	fprintf(stderr, "usage: timeit [-n RUNS] [-w WARMUP] [-s STATUS] [-i INPUT] "
			"-- CMD [ARG...] [-- CMD [ARG...]]...\n");
	exit(2);
}

/* One run of c; its wall time in us, or -1 when fork or waitpid failed. */
static double run_once(struct cmd *c, const char *input, int want)
{
	double t0 = now_us(), t1;
	int st;
	pid_t pid = fork();

	if (pid < 0) {
		perror("timeit: fork");
		return -1;
	}
	if (pid == 0) {
		int in = open(input, O_RDONLY), out = open("/dev/null", O_WRONLY);

		if (in < 0 || out < 0)
			_exit(127);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		close(in);
		close(out);
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("timeit: waitpid");
			return -1;
		}
	t1 = now_us();
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == want) && !c->bad) {
		c->bad = 1;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
			fprintf(stderr, "timeit: %s: could not run it\n", c->argv[0]);
		else if (WIFEXITED(st))
			fprintf(stderr, "timeit: %s: exit status %d, expected %d\n", c->argv[0],
				WEXITSTATUS(st), want);
		else
			fprintf(stderr, "timeit: %s: killed by signal %d\n", c->argv[0],
				WTERMSIG(st));
	}
	return t1 - t0;
}

int main(int argc, char **argv)
{
	int runs = 21, warm = 3, want = 0, c, ncmd = 0, bad = 0;
	const char *input = "/dev/null";
	struct cmd cmds[MAX_CMDS];

	while ((c = getopt(argc, argv, "+n:w:s:i:")) != -1) {
		switch (c) {
		case 'n':
			runs = atoi(optarg);
			break;
		case 'w':
			warm = atoi(optarg);
			break;
		case 's':
			want = atoi(optarg);
			break;
		case 'i':
			input = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (optind >= argc || runs < 1 || warm < 0)
		usage();
	/* Split the rest at each "--" into commands. */
	for (int i = optind; i < argc;) {
		int j = i;

		while (j < argc && strcmp(argv[j], "--"))
			j++;
		if (j == i || ncmd == MAX_CMDS)
			usage();
		argv[j < argc ? j : argc] = NULL; /* argv[argc] is NULL already */
		cmds[ncmd].argv = argv + i;
		cmds[ncmd].bad = 0;
		cmds[ncmd].t = calloc((size_t)runs, sizeof(double));
		if (!cmds[ncmd].t)
			return 2;
		ncmd++;
		i = j + 1;
	}

	for (int r = -warm; r < runs; r++)
		for (int k = 0; k < ncmd; k++) {
			double t = run_once(&cmds[k], input, want);

			if (t < 0)
				return 2;
			if (r >= 0)
				cmds[k].t[r] = t;
		}
	for (int k = 0; k < ncmd; k++) {
		double *t = cmds[k].t;

		qsort(t, (size_t)runs, sizeof(*t), cmp);
		printf("median_us=%.1f p10_us=%.1f p90_us=%.1f min_us=%.1f max_us=%.1f runs=%d\n",
		       pct(t, runs, 50), pct(t, runs, 10), pct(t, runs, 90), t[0], t[runs - 1],
		       runs);
		bad |= cmds[k].bad;
		free(t);
	}
	return bad;
}
