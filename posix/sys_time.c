/*
 * sys_time.c — clocks and sleeping, read in the guest (part "time").
 *
 * No clock read leaves the guest on hvt; sleeping hands the host a
 * deadline and costs one exit.
 */
#include "../kernel/clock.h"
#include "posix.h"

#define CLOCK_REALTIME		 0
#define CLOCK_MONOTONIC		 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define CLOCK_MONOTONIC_RAW	 4
#define CLOCK_REALTIME_COARSE	 5
#define CLOCK_MONOTONIC_COARSE	 6
#define CLOCK_BOOTTIME		 7
#define TIMER_ABSTIME		 1
#define NS			 1000000000ull

struct timespec {
	long sec, nsec;
};

struct timeval {
	long sec, usec;
};

static long clock_read(int id, uint64_t *ns)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = clock_realtime();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = clock_monotonic();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = clock_cputime();
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_clock_gettime(int id, struct timespec *ts)
{
	uint64_t ns;
	long r = clock_read(id, &ns);

	if (r < 0)
		return r;
	if (!user_w((uintptr_t)ts, sizeof(*ts)))
		return -EFAULT;
	ts->sec = (long)(ns / NS);
	ts->nsec = (long)(ns % NS);
	return 0;
}

long sys_clock_getres(int id, struct timespec *ts)
{
	uint64_t ns;
	long r = clock_read(id, &ns);

	if (r < 0)
		return r;
	if (ts) {
		if (!user_w((uintptr_t)ts, sizeof(*ts)))
			return -EFAULT;
		ts->sec = 0;
		ts->nsec = 1;
	}
	return 0;
}

long sys_gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = clock_realtime();

	(void)tz;
	if (tv) {
		if (!user_w((uintptr_t)tv, sizeof(*tv)))
			return -EFAULT;
		tv->sec = (long)(ns / NS);
		tv->usec = (long)(ns % NS / 1000);
	}
	return 0;
}

long sys_time(long *t)
{
	long now = (long)(clock_realtime() / NS);

	if (t) {
		if (!user_w((uintptr_t)t, sizeof(*t)))
			return -EFAULT;
		*t = now;
	}
	return now;
}

static long sleep_until(int id, uint64_t deadline)
{
	uint64_t now;

	/* The host sleeps on its monotonic clock; a realtime deadline is
	 * converted once (a wall-clock jump while asleep is not followed). */
	if (id == CLOCK_REALTIME) {
		uint64_t real = clock_realtime(), mono = clock_monotonic();

		deadline = deadline > real ? mono + (deadline - real) : mono;
	}
	while ((now = clock_monotonic()) < deadline) {
		clock_sleep_until(deadline, 0);
		if (signal_interrupted(false))
			return -EINTR;
	}
	return 0;
}

static long valid_ts(const struct timespec *ts)
{
	if (!user_ok((uintptr_t)ts, sizeof(*ts)))
		return -EFAULT;
	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= (long)NS)
		return -EINVAL;
	return 0;
}

static uint64_t ts_ns(const struct timespec *ts)
{
	uint64_t s = (uint64_t)ts->sec;

	return s > UINT64_MAX / NS - 1 ? UINT64_MAX - NS : s * NS + (uint64_t)ts->nsec;
}

long sys_clock_nanosleep(int id, int flags, const struct timespec *req, struct timespec *rem)
{
	uint64_t now, deadline;
	long r = valid_ts(req);

	if (r < 0)
		return r;
	if (id == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (id == CLOCK_PROCESS_CPUTIME_ID)
		return -ENOTSUP;
	r = clock_read(id, &now);
	if (r < 0)
		return r;
	deadline = flags & TIMER_ABSTIME ? ts_ns(req) : now + ts_ns(req);
	if (deadline < now)
		deadline = UINT64_MAX - NS;
	if (id != CLOCK_REALTIME && id != CLOCK_REALTIME_COARSE)
		id = CLOCK_MONOTONIC;
	if (rem && !(flags & TIMER_ABSTIME) && !user_w((uintptr_t)rem, sizeof(*rem)))
		return -EFAULT;
	r = sleep_until(id == CLOCK_REALTIME_COARSE ? CLOCK_REALTIME : id, deadline);
	/* A relative sleep a handler broke says how much was left. */
	if (r == -EINTR && rem && !(flags & TIMER_ABSTIME)) {
		uint64_t left = 0;

		if (clock_read(id, &now) == 0 && deadline > now)
			left = deadline - now;
		rem->sec = (long)(left / NS);
		rem->nsec = (long)(left % NS);
	}
	return r;
}

long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return sys_clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
}

struct tms {
	long utime, stime, cutime, cstime;
};

long sys_times(struct tms *t)
{
	uint64_t up = clock_monotonic() - clock_boot_ns();

	if (t) {
		if (!user_w((uintptr_t)t, sizeof(*t)))
			return -EFAULT;
		*t = (struct tms){ (long)(clock_cputime() / (NS / 100)), 0, 0, 0 };
	}
	return (long)(up / (NS / 100));
}
