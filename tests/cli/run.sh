#!/bin/bash
# tests/cli/run.sh — the `pith` command line: help, version, inspect,
# symbol hiding, no stray `syscall` instructions in images, -v, and the
# note about unimplemented system calls.
set -u
. "$(dirname "$0")/../lib.sh"

# The guest ABI the sources define: what `pith` must say it speaks.
ABI=$(sed -n 's/^#define PITH_ABI_VERSION \([0-9]*\)$/\1/p' "$ROOT/include/pith/abi.h")
[ -n "$ABI" ] || fail cli/abi "no PITH_ABI_VERSION in include/pith/abi.h"

# ---- help and usage ---------------------------------------------------------

helps help '^usage: pith COMMAND' --help
helps help-short '^usage: pith COMMAND' -h
helps help-word '^usage: pith COMMAND' help
helps version '^pith [0-9]+\.[0-9]+\.[0-9]+ \(guest ABI '"$ABI"'\)$' version
helps version-flag '^pith [0-9]+\.[0-9]+\.[0-9]+ \(guest ABI '"$ABI"'\)$' --version
helps run-help '^usage: pith run ' run --help
helps cc-help '^usage: pith cc ' cc --help
helps inspect-help '^usage: pith inspect ' inspect --help

usage_error no-command '^usage: pith COMMAND'
usage_error unknown-command "^pith: unknown command 'bogus'" bogus
usage_error run-no-image '^pith: run: no image given' run
usage_error inspect-no-image '^pith: inspect: give exactly one image' inspect
usage_error cc-no-args '^usage: pith cc' cc
# The guest holds 63 bytes of host name: longer, or not RFC 1123, is refused.
usage_error run-hostname-long '^pith: run: --hostname .*: use 1 to 63' \
	run --hostname "$(printf 'a%.0s' {1..64})" x
usage_error run-hostname-chars '^pith: run: --hostname a_b: use 1 to 63' run --hostname a_b x
usage_error run-hostname-hyphen '^pith: run: --hostname -a: use 1 to 63' run --hostname -a x
usage_error run-hostname-dots '^pith: run: --hostname a..b: use 1 to 63' run --hostname a..b x

# ---- programs ---------------------------------------------------------------

cat >"$TMP/clock.c" <<'EOF'
#include <stdio.h>
#include <time.h>
int main(void)
{
	struct timespec t;

	if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
		return 1;
	puts("clock ok");
	return 0;
}
EOF
cat >"$TMP/random.c" <<'EOF'
#include <stdio.h>
#include <sys/random.h>
int main(void)
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return 1;
	puts("random ok");
	return 0;
}
EOF
# Globals named as the kernel's own: the kernel's are renamed, so these
# link and are the ones the program calls.
cat >"$TMP/hide.c" <<'EOF'
#include <stdio.h>
int plat = 7;
void panic(const char *m) { printf("panic %s\n", m); }
int kprintf(const char *m) { return printf("kprintf %s\n", m); }
long console_write(int fd, const void *b, unsigned long n) { (void)b; return fd + (long)n; }
void *mem_map(unsigned long n) { return (void *)n; }
int main(void)
{
	panic("mine");
	kprintf("mine");
	printf("console_write %ld mem_map %p plat %d\n", console_write(1, 0, 2), mem_map(16), plat);
	return 0;
}
EOF
cat >"$TMP/nosys.c" <<'EOF'
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
static const char *e(int err) { return err == ENOSYS ? "ENOSYS" : "other"; }
int main(void)
{
	struct itimerval it;
	int a, b, c, ea, eb, ec, sv[2];

	a = socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ea = errno;
	b = socketpair(AF_UNIX, SOCK_STREAM, 0, sv), eb = errno;
	c = (int)syscall(SYS_getitimer, ITIMER_REAL, &it), ec = errno;
	printf("%d %s %d %s %d %s\n", a, e(ea), b, e(eb), c, e(ec));
	return 0;
}
EOF
# A program with its own `syscall` instruction: the image scan must see it.
cat >"$TMP/rawsys.c" <<'EOF'
int main(int argc, char **argv)
{
	long r;

	(void)argv;
	if (argc > 5)
		__asm__ volatile("syscall" : "=a"(r) : "a"(39L) : "rcx", "r11", "memory");
	return 0;
}
EOF
# Much of musl: threads, spawn, signals, longjmp (linked; only some run).
cat >"$TMP/wide.c" <<'EOF'
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
static void on(int s) { (void)s; }
static void *th(void *a) { return a; }
int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on };
	struct timespec ts = { 0, 1000 };
	unsigned char r[8];
	void *m;
	char *p;

	if (argc > 5) { /* linked, never run */
		pthread_t t;
		pid_t pid;
		sigjmp_buf jb;

		pthread_create(&t, 0, th, 0);
		pthread_cancel(t);
		pthread_join(t, 0);
		posix_spawn(&pid, "/bin/true", 0, 0, argv, environ);
		if (vfork() == 0)
			_exit(0);
		waitpid(-1, 0, 0);
		system("true");
		popen("true", "r");
		if (sigsetjmp(jb, 1))
			return 1;
		siglongjmp(jb, 1);
		pthread_exit(0);
	}
	sigaction(SIGUSR1, &sa, 0);
	raise(SIGUSR1);
	p = malloc(1 << 20);
	memset(p, 1, 1 << 20);
	free(p);
	m = mmap(0, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(m, 65536);
	getrandom(r, sizeof(r), 0);
	nanosleep(&ts, 0);
	puts("wide ok");
	return 0;
}
EOF
"$PITH" cc -O2 -o "$TMP/hello" "$ROOT/examples/hello/hello.c" >"$TMP/cc.log" 2>&1
for prog in clock random hide nosys rawsys wide; do
	"$PITH" cc -O2 -o "$TMP/$prog" "$TMP/$prog.c" -lpthread >>"$TMP/cc.log" 2>&1
done
for prog in hello clock random hide nosys rawsys wide; do
	if [ -s "$TMP/$prog" ]; then
		ok "cc-$prog"
	else
		fail "cc-$prog" "pith cc failed: $(grep -m3 -i error "$TMP/cc.log" | tr '\n' '|')"
	fi
done

# ---- inspect ----------------------------------------------------------------

# field NAME: the value of "NAME:" in the last `pith inspect` output.
field() {
	sed -n "s/^$1: *//p" "$OUT" | head -n1
}

# inspect_parts NAME IMAGE WANT-PARTS: text and JSON name exactly these parts,
# ABI $ABI and both targets; the JSON parses and says what the text says.
inspect_parts() {
	local name=$1 img=$2 want=$3 why='' json

	[ -s "$img" ] || { fail "$name" "no image"; return; }
	p inspect "$img"
	san "$name" || return
	cp "$OUT" "$TMP/inspect.txt"
	if [ "$rc" != 0 ]; then
		why="exit status $rc: $(head -c 200 "$ERR")"
	elif [ "$(field parts)" != "$want" ]; then
		why="parts: '$(field parts)', want '$want'"
	elif [ "$(field abi)" != "$ABI" ]; then
		why="abi: '$(field abi)', want $ABI"
	elif [ "$(field targets)" != 'hvt, process' ]; then
		why="targets: '$(field targets)', want 'hvt, process'"
	fi
	if [ -n "$why" ]; then fail "$name" "$why"; else ok "$name"; fi

	p inspect --json "$img"
	san "$name-json" || return
	json=$OUT
	if [ "$rc" != 0 ]; then
		fail "$name-json" "exit status $rc: $(head -c 200 "$ERR")"
	elif ! python3 -m json.tool "$json" >/dev/null 2>"$TMP/json.err"; then
		fail "$name-json" "not JSON: $(head -c 200 "$TMP/json.err")"
	elif ! why=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
t = {}
for line in open(sys.argv[3]):
    k, _, v = line.partition(":")
    t.setdefault(k.strip(), v.strip())
want = sys.argv[2].split(", ")
bad = []
if j.get("parts") != want: bad.append("parts %r, want %r" % (j.get("parts"), want))
if j.get("abi_version") != int(sys.argv[4]) or j.get("abi_supported") is not True:
    bad.append("abi %r supported %r" % (j.get("abi_version"), j.get("abi_supported")))
if j.get("targets") != ["hvt", "process"]: bad.append("targets %r" % j.get("targets"))
if ", ".join(j.get("parts", [])) != t.get("parts"): bad.append("parts differ from the text")
if "0x%x" % j.get("entry", -1) != t.get("entry"): bad.append("entry differs from the text")
if "%d bytes" % j.get("size", -1) != t.get("size", "").replace(" (stripped)", ""):
    bad.append("size differs from the text")
m = j.get("min_memory", {})
if "%d KiB (hvt), %d KiB (process)" % (m.get("hvt", 0) >> 10, m.get("process", 0) >> 10) != t.get("min memory"):
    bad.append("min memory differs from the text")
if len(j.get("segments", [])) != sum(1 for _ in open(sys.argv[3]) if _.startswith("segment:")):
    bad.append("segment count differs from the text")
print("; ".join(bad))
sys.exit(1 if bad else 0)
' "$json" "$want" "$TMP/inspect.txt" "$ABI" 2>&1); then
		fail "$name-json" "$why"
	else
		ok "$name-json"
	fi
}
inspect_parts inspect-hello "$TMP/hello" core
inspect_parts inspect-clock "$TMP/clock" 'core, time'
inspect_parts inspect-random "$TMP/random" 'core, random'

# ---- running what was built -------------------------------------------------

# runs NAME TARGET WANT-STDOUT IMAGE [ARG...]: exit 0, that stdout, no stderr.
runs() {
	local name=$1 t=$2 want=$3

	shift 3
	if [ "$t" = hvt ] && ! have_kvm; then
		skip "$name" "$KVM_WHY"
		return
	fi
	p run --target "$t" "$@"
	san "$name" || return
	if [ "$rc" != 0 ]; then
		fail "$name" "exit status $rc: $(head -c 200 "$ERR" | tr '\n' '|')"
	elif [ "$(cat "$OUT")" != "$want" ]; then
		fail "$name" "stdout '$(head -c 200 "$OUT")', want '$want'"
	elif [ -s "$ERR" ]; then
		fail "$name" "stderr: $(head -c 200 "$ERR" | tr '\n' '|')"
	else
		ok "$name"
	fi
}
for t in hvt process; do
	runs "$t-clock" "$t" 'clock ok' "$TMP/clock"
	runs "$t-random" "$t" 'random ok' "$TMP/random"
	runs "$t-symbol-hiding" "$t" \
		$'panic mine\nkprintf mine\nconsole_write 3 mem_map 0x10 plat 7' "$TMP/hide"
	runs "$t-wide" "$t" 'wide ok' "$TMP/wide"
done

# ---- no `syscall` outside the kernel's process binding ----------------------

# scan IMAGE: print each syscall / sysenter / int $0x80 instruction that
# lies outside the kernel's process-target binding: a function named
# __pith_k_* or a local function of kernel/plat_process.c (static
# functions keep their names; the symbol table's FILE entries say whose
# they are). Exit 1 when there is one, 2 when the tools fail.
scan() {
	python3 - "$1" <<'EOF'
import re, subprocess, sys
img = sys.argv[1]
try:
    syms = subprocess.run(["readelf", "-sW", img], capture_output=True, text=True, check=True).stdout
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", img], capture_output=True, text=True, check=True).stdout
except Exception as e:
    print("tools failed: %s" % e)
    sys.exit(2)
funcs, cur = [], None
for line in syms.splitlines():
    f = line.split()
    if len(f) < 8 or not re.match(r"^\d+:$", f[0]):
        continue
    typ, bind, name = f[3], f[4], f[7]
    if typ == "FILE":
        cur = name
    elif typ == "FUNC":
        funcs.append((int(f[1], 16), int(f[2], 0), name, cur if bind == "LOCAL" else None))
bad, seen = [], 0
for line in dis.splitlines():
    m = re.match(r"^\s*([0-9a-f]+):\s+(syscall|sysenter|int\s+\$0x80)\b", line)
    if not m:
        continue
    seen += 1
    a = int(m.group(1), 16)
    owner = [f for f in funcs if f[0] <= a < f[0] + max(f[1], 1)]
    if not owner:
        bad.append("%s at 0x%x in no function" % (m.group(2), a))
    # The process target's bindings make raw host calls: the platform and its network device.
    elif not any(n.startswith("__pith_k_") or fl in ("plat_process.c", "netdev_process.c") for _, _, n, fl in owner):
        bad.append("%s at 0x%x in %s (%s)" % (m.group(2), a, owner[0][2], owner[0][3] or "global"))
if seen == 0:
    bad.append("no syscall instruction at all (the process binding is missing?)")
print("; ".join(bad))
sys.exit(1 if bad else 0)
EOF
}
if ! command -v objdump >/dev/null 2>&1 || ! command -v readelf >/dev/null 2>&1; then
	skip syscall-scan "objdump/readelf not installed"
else
	for prog in hello clock random hide nosys wide; do
		[ -s "$TMP/$prog" ] || continue
		if why=$(scan "$TMP/$prog"); then
			ok "syscall-only-in-kernel-$prog"
		else
			fail "syscall-only-in-kernel-$prog" "$why"
		fi
	done
	# The scan itself: it must catch the program's own instruction.
	if [ -s "$TMP/rawsys" ]; then
		why=$(scan "$TMP/rawsys")
		if [ $? = 1 ] && [[ $why == *"in main"* ]]; then
			ok syscall-scan-catches-program
		else
			fail syscall-scan-catches-program "scan said: '$why'"
		fi
	fi
fi

# ---- run --verbose ---------------------------------------------------------

for t in hvt process; do
	if [ "$t" = hvt ] && ! have_kvm; then
		skip run-verbose-hvt "$KVM_WHY"
		continue
	fi
	p run --verbose --target "$t" "$TMP/hello"
	san "run-verbose-$t" || continue
	if [ "$rc" = 0 ] && [ "$(cat "$OUT")" = 'Hello from pith!' ] &&
		grep -q "^pith: target $t\b" "$ERR"; then
		ok "run-verbose-$t"
	else
		fail "run-verbose-$t" "status $rc; stderr: $(head -c 300 "$ERR" | tr '\n' '|')"
	fi
done
p run --verbose "$TMP/hello"
want=process
have_kvm && want=hvt
if ! san run-verbose-auto; then
	:
elif [ "$rc" = 0 ] && grep -q "^pith: target $want\b" "$ERR"; then
	ok run-verbose-auto
else
	fail run-verbose-auto "status $rc, want 'pith: target $want'; stderr: $(head -c 300 "$ERR" | tr '\n' '|')"
fi
p run "$TMP/hello"
if [ "$rc" = 0 ] && ! grep -q 'target' "$ERR" && san run-quiet-by-default; then
	ok run-quiet-by-default
else
	fail run-quiet-by-default "status $rc; stderr: $(head -c 300 "$ERR" | tr '\n' '|')"
fi

# ---- unimplemented system calls ---------------------------------------------

NOSYS_OUT='-1 ENOSYS -1 ENOSYS -1 ENOSYS'
for t in hvt process; do
	if [ "$t" = hvt ] && ! have_kvm; then
		skip "enosys-note-$t" "$KVM_WHY"
		skip "enosys-quiet-$t" "$KVM_WHY"
		continue
	fi
	p run --target "$t" "$TMP/nosys"
	if san "enosys-note-$t"; then
		why=''
		[ "$rc" = 0 ] || why="exit status $rc"
		[ "$(cat "$OUT")" = "$NOSYS_OUT" ] || why="$why stdout '$(cat "$OUT")', want '$NOSYS_OUT'"
		for l in 'pith: system call socketpair (53) is not implemented: ENOSYS' \
			'pith: system call getitimer (36) is not implemented: ENOSYS'; do
			n=$(grep -cxF "$l" "$ERR")
			[ "$n" = 1 ] || why="$why '$l' printed $n times"
		done
		[ "$(wc -l <"$ERR")" = 2 ] || why="$why $(wc -l <"$ERR") stderr lines, want 3"
		if [ -n "$why" ]; then
			fail "enosys-note-$t" "$why; stderr: $(head -c 300 "$ERR" | tr '\n' '|')"
		else
			ok "enosys-note-$t"
		fi
	fi
	p run -q --target "$t" "$TMP/nosys"
	if san "enosys-quiet-$t"; then
		if [ "$rc" = 0 ] && [ "$(cat "$OUT")" = "$NOSYS_OUT" ] && ! [ -s "$ERR" ]; then
			ok "enosys-quiet-$t"
		else
			fail "enosys-quiet-$t" "status $rc, stdout '$(cat "$OUT")', stderr: $(head -c 200 "$ERR" | tr '\n' '|')"
		fi
	fi
done
exit 0
