#!/bin/bash
# tests/signals/run.sh — signals from outside (kill(1), `pith stop`):
# a program's handler runs, waits return EINTR (or restart with
# SA_RESTART), ignored and blocked signals behave as on Linux. Each case
# runs natively (musl-gcc -static) and on each target; the output and
# exit status must be the same. Signals go only to the pid started here.
set -u
. "$(dirname "$0")/../lib.sh"

cd "$TMP" || exit 1
if ! musl-gcc -static -O2 -o outside.native "$ROOT/tests/signals/outside.c" ||
	! "$PITH" cc -O2 -o outside.pith "$ROOT/tests/signals/outside.c"; then
	fail signals/build "cannot build outside.c"
	exit 0
fi

# wait_for FILE LINE: until FILE has the line LINE (at most 10 s).
wait_for() {
	for _ in $(seq 200); do
		grep -qx "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# one RUNNER MODE: run outside MODE, signal it, leave out.RUNNER and
# rc.RUNNER behind.
one() {
	local runner=$1 mode=$2 pid watchdog
	local -a cmd=(./outside.native "$mode")

	[ "$runner" != native ] && cmd=("$PITH" run -q --target "$runner" ./outside.pith "$mode")
	rm -f fifo && mkfifo fifo
	exec 7<>fifo # held open: a read on it blocks until we write
	# Started directly, so the signals reach it (timeout(1) would relay
	# them its own way); a watchdog ends a case that hangs.
	"${cmd[@]}" <fifo >"out.$runner" 2>"err.$runner" &
	pid=$!
	(sleep 30 && kill -KILL "$pid") 2>/dev/null &
	watchdog=$!
	if wait_for "out.$runner" ready; then
		case $mode in
		ignore)
			kill -TERM "$pid"
			kill -INT "$pid"
			;;
		restart)
			kill -TERM "$pid"
			wait_for "out.$runner" handled && echo x >&7
			;;
		resethand)
			kill -TERM "$pid"
			wait_for "out.$runner" again && kill -TERM "$pid"
			;;
		*) kill -TERM "$pid" ;;
		esac
	fi
	wait "$pid"
	echo $? >"rc.$runner"
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	exec 7>&-
}

for mode in pause default ignore sleep poll read restart busy sigsuspend blocked resethand \
	closer siginfo; do
	one native "$mode"
	for t in $(targets); do
		one "$t" "$mode"
		if [ "$(cat "rc.$t")" = "$(cat rc.native)" ] && cmp -s "out.$t" out.native &&
			! sanitizer_spoke "err.$t"; then
			ok "signals/$mode/$t"
		else
			fail "signals/$mode/$t" "status $(cat "rc.$t") (native $(cat rc.native)), stdout '$(tr '\n' '|' <"out.$t")' (native '$(tr '\n' '|' <out.native)'); $(head -c 200 "err.$t")"
		fi
	done
done

# Where pith differs from Linux by design: a program that only sets a flag
# and computes without system calls takes the signal at its next call;
# a second one before then ends it (Ctrl-C twice), as the default would.
cat >flag.c <<'C'
#include <signal.h>
#include <stdio.h>
#include <time.h>
static volatile sig_atomic_t got;
static void on(int s) { got = s; }
int main(void)
{
	struct timespec ms = { 0, 1000000 };

	signal(SIGTERM, on);
	printf("ready\n");
	fflush(stdout);
	nanosleep(&ms, NULL); /* pith writes out before a wait */
	for (volatile unsigned long i = 0;; i++)
		;
}
C
if "$PITH" cc -O2 -o flag.pith flag.c; then
	for t in $(targets); do
		"$PITH" run -q --target "$t" ./flag.pith >"out.$t" 2>"err.$t" &
		pid=$!
		(sleep 30 && kill -KILL "$pid") 2>/dev/null &
		watchdog=$!
		# Three: the first may still be taken while the program waits
		# (its nanosleep), then two come while it computes.
		wait_for "out.$t" ready && kill -TERM "$pid" && sleep 0.2 && kill -TERM "$pid" &&
			sleep 0.2 && kill -TERM "$pid" 2>/dev/null
		wait "$pid"
		rc=$?
		kill "$watchdog" 2>/dev/null
		wait "$watchdog" 2>/dev/null
		check "signals/twice-ends-a-computing-program/$t" [ "$rc" = 143 ]
	done
else
	fail signals/build "cannot build flag.c"
fi
