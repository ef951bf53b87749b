#!/bin/bash
# release/run.sh — the release binary (build/bin/pith: musl, static) does
# what the sanitizer build the other suites run does: boot, crash reports,
# sandbox violations, signals, stdin. The two builds differ in libc, so in
# which system calls their stdio makes under seccomp.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
cd "$TMP" || exit 1
P=$PITH_REL

"$P" cc -O2 -o hello "$ROOT/examples/hello/hello.c" || fail release/build hello
"$P" cc -O2 -I"$ROOT/include" -o hostile "$ROOT/tests/monitor/hostile.c" ||
	fail release/build hostile
cat >crash.c <<'C'
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	char line[64];
	const char *mode = argc > 1 ? argv[1] : "crash";

	if (!strcmp(mode, "stdin") && fgets(line, sizeof(line), stdin))
		printf("read %s", line);
	printf("before\n");
	fflush(stdout);
	if (!strcmp(mode, "sleep"))
		for (;;)
			sleep(1);
	if (!strcmp(mode, "crash"))
		*(volatile int *)0 = 1;
	if (!strcmp(mode, "flood"))
		for (;;)
			printf("flood flood flood flood flood flood flood flood\n");
	if (!strcmp(mode, "killall")) {
		/* Under pith only: natively, as root, this would signal every
		 * process on the machine. pith has no other process: ESRCH. */
		int r = kill(-1, SIGTERM);

		printf("kill(-1) = %d %s\n", r, r ? strerror(errno) : "");
	}
	if (!strcmp(mode, "tls")) {
		static __thread int counter = 41;

		errno = 0;
		counter++;
		printf("tls %d errno %d\n", counter, errno);
	}
	return 0;
}
C
"$P" cc -O2 -g -o crash crash.c || fail release/build crash

# expect NAME WANT-STATUS STDERR-ERE [STDOUT] -- CMD...
expect() {
	local name=$1 want=$2 re=$3 wout=$4
	shift 5
	limit 30 "$@" >out 2>err </dev/null
	local st=$?
	if [ "$st" = "$want" ] && { [ -z "$re" ] || grep -qE -- "$re" err; } &&
		[ "$(cat out)" = "$wout" ] && ! sanitizer_spoke err; then
		ok "$name"
	else
		fail "$name" "status $st (want $want), stdout '$(head -c 100 out)', stderr: $(head -c 300 err | tr '\n' '|')"
	fi
}

for t in $(targets); do
	expect "release/hello/$t" 0 '' "Hello from pith!" -- "$P" run --target "$t" ./hello
	expect "release/crash/$t" 139 'NULL pointer dereference' before -- "$P" run --target "$t" ./crash
	out=$(echo hi | limit 30 "$P" run --target "$t" ./crash stdin 2>/dev/null)
	check "release/stdin/$t" [ "$out" = "$(printf 'read hi\nbefore')" ]
	# SIGTERM: 143, and what the guest printed is not lost.
	limit 30 "$P" run --target "$t" ./crash sleep >out 2>err </dev/null &
	pid=$!
	for _ in $(seq 100); do [ -s out ] && break; sleep 0.05; done
	kill -TERM "$pid"
	wait "$pid"
	st=$?
	check "release/sigterm/$t" [ "$st" = 143 -a "$(cat out)" = before ]
	# Ctrl-C while stdout is a pipe nobody reads: pith still ends, soon.
	mkfifo fifo
	sleep 5 <fifo &
	reader=$!
	start=$(date +%s%N)
	"$P" run --target "$t" ./crash flood >fifo 2>err &
	pid=$!
	(sleep 20 && kill -9 "$pid") >/dev/null 2>&1 &
	watchdog=$!
	sleep 0.5
	kill -INT "$pid"
	wait "$pid"
	st=$?
	pkill -P "$watchdog" 2>/dev/null
	kill "$watchdog" 2>/dev/null
	ms=$((($(date +%s%N) - start) / 1000000))
	pkill -P "$reader" 2>/dev/null
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
	rm -f fifo
	check "release/sigint-stuck-reader/$t" [ "$st" = 130 -a "$ms" -lt 3000 ]
	expect "release/kill-all/$t" 0 '' "$(printf 'before\nkill(-1) = -1 No such process')" -- \
		"$P" run --target "$t" ./crash killall
	# CPUs without FSGSBASE: the thread pointer through the monitor.
	PITH_TEST_NO_FSGSBASE=1 expect "release/tls-no-fsgsbase/$t" 0 '' "$(printf 'before\ntls 42 errno 0')" -- \
		"$P" run --target "$t" ./crash tls
done
# Terminal settings pass through to a real terminal (a pty from script(1))
# and are put back however the program ends.
"$P" cc -O2 -o tty "$ROOT/tests/release/tty.c" || fail release/build tty
if command -v script >/dev/null; then
	for t in $(targets); do
		for how in exit crash; do
			arg=
			[ $how = crash ] && arg=crash
			out=$(limit 30 script -qec "stty -a | grep -o ' -\?echo ' | head -1; \
				$P run --target $t ./tty $arg 2>/dev/null; \
				stty -a | grep -o ' -\?echo ' | head -1" /dev/null | tr -d '\r')
			want=$(printf ' echo \ntcgetattr 0 echo 1\ntcsetattr 0 echo now 0\n echo ')
			check "release/tty-$how/$t" [ "$out" = "$want" ]
		done
	done
else
	skip release/tty "script(1) not found (util-linux)"
fi
have_kvm || skip release/hvt "$KVM_WHY"
if have_kvm; then
	expect release/violation/hvt 159 'guest stopped: unknown hypercall' '' -- \
		"$P" run --target hvt ./hostile port0
	expect release/priv/hvt 139 'general protection fault' '' -- "$P" run --target hvt ./hostile cli
fi
expect release/forbidden/process 159 'forbidden host system call 39' '' -- \
	"$P" run --target process ./hostile sys_getpid
expect release/bad-image 125 '^pith: .*not an ELF' '' -- "$P" run "$ROOT/README.md"
