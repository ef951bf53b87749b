/* clocks.c — time that can be compared with Linux: the monotonic clock
 * never goes back over 100,000 reads; a 50 ms nanosleep takes at least
 * 50 ms; time() is within a few seconds of the host's `date +%s` (argv[1]);
 * the clocks agree with each other; CPU time does not count sleep; the
 * calendar functions (UTC) on fixed dates. Prints only verdicts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static int bad;

static void verdict(const char *what, int good, const char *fmt, long long v)
{
	if (good) {
		printf("%s: ok\n", what);
	} else {
		printf("%s: BAD (", what);
		printf(fmt, v);
		printf(")\n");
		bad = 1;
	}
}

static long long ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long host = argc > 1 ? atoll(argv[1]) : 0;
	long long prev = ns(CLOCK_MONOTONIC), first = prev, backwards = 0, worst = 0;

	for (int i = 0; i < 100000; i++) {
		long long t = ns(CLOCK_MONOTONIC);
		if (t < prev) {
			backwards++;
			if (prev - t > worst)
				worst = prev - t;
		}
		prev = t;
	}
	verdict("monotonic never decreases over 100000 reads", backwards == 0, "went back %lld ns",
		worst);
	verdict("monotonic advances", prev > first, "%lld", prev - first);

	struct timespec res;
	verdict("clock_getres(MONOTONIC)",
		clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 &&
			res.tv_nsec <= 1000000,
		"%lld ns", (long long)res.tv_nsec);
	verdict("clock_gettime(bad id) is EINVAL", ns((clockid_t)12345) == -1 && errno == EINVAL,
		"errno %lld", errno);

	long long cpu0 = ns(CLOCK_PROCESS_CPUTIME_ID);
	long long t0 = ns(CLOCK_MONOTONIC);
	struct timespec req = { 0, 50 * 1000000L };
	int r = nanosleep(&req, NULL);
	long long t1 = ns(CLOCK_MONOTONIC);
	long long cpu1 = ns(CLOCK_PROCESS_CPUTIME_ID);
	verdict("nanosleep returns 0", r == 0, "%lld", r);
	verdict("nanosleep(50 ms) takes >= 50 ms", t1 - t0 >= 50000000LL, "%lld ns", t1 - t0);
	verdict("nanosleep(50 ms) takes < 2 s", t1 - t0 < 2000000000LL, "%lld ns", t1 - t0);
	verdict("CPU time does not count the sleep", cpu1 >= cpu0 && cpu1 - cpu0 < 40000000LL,
		"%lld ns", cpu1 - cpu0);

	t0 = ns(CLOCK_MONOTONIC);
	usleep(20000);
	t1 = ns(CLOCK_MONOTONIC);
	verdict("usleep(20 ms) takes >= 20 ms", t1 - t0 >= 20000000LL, "%lld ns", t1 - t0);

	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_nsec += 30000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
	t1 = ns(CLOCK_MONOTONIC);
	verdict("clock_nanosleep(ABSTIME) wakes at or after the deadline",
		r == 0 && t1 >= dl.tv_sec * 1000000000LL + dl.tv_nsec, "%lld", r);
	struct timespec negative = { -1, 0 };
	verdict("nanosleep(-1 s) is EINVAL", nanosleep(&negative, NULL) == -1 && errno == EINVAL,
		"errno %lld", errno);

	time_t now = time(NULL);
	verdict("time() within 5 s of the host's date +%s", llabs((long long)now - host) <= 5,
		"off by %lld s", (long long)now - host);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	long long real = ns(CLOCK_REALTIME);
	verdict("gettimeofday agrees with CLOCK_REALTIME",
		llabs(real / 1000 - (tv.tv_sec * 1000000LL + tv.tv_usec)) < 1000000, "%lld us",
		real / 1000 - (tv.tv_sec * 1000000LL + tv.tv_usec));
	verdict("time() agrees with CLOCK_REALTIME", llabs(real / 1000000000LL - now) <= 1,
		"%lld s", real / 1000000000LL - now);
	verdict("tv_usec in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000, "%lld",
		(long long)tv.tv_usec);
	struct tms tm;
	verdict("times() works", times(&tm) != (clock_t)-1, "%lld", 0);
	verdict("clock() is small and not negative", clock() >= 0 && clock() < 20 * CLOCKS_PER_SEC,
		"%lld", (long long)clock());

	/* Calendar: no TZ in the environment means UTC on both. */
	const time_t fixed[] = { 0, 951782400, 1700000000, 2147483647, 4102444800LL, -86400 };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		struct tm g, l;
		char buf[128];
		gmtime_r(&fixed[i], &g);
		localtime_r(&fixed[i], &l);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %a %b %j %U %Z", &g);
		printf("%lld: %s | wday=%d yday=%d | mktime=%lld | %s", (long long)fixed[i], buf,
		       l.tm_wday, l.tm_yday, (long long)mktime(&l), asctime(&g));
	}
	struct tm parts = { .tm_year = 124, .tm_mon = 1, .tm_mday = 30, .tm_hour = 25 };
	time_t norm = timegm(&parts);
	printf("timegm normalises: %lld -> %04d-%02d-%02d %02d\n", (long long)norm,
	       parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour);
	return bad;
}
