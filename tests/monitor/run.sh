#!/bin/bash
# tests/monitor/run.sh — hostile guests and bad input against `pith run`.
#
# hostile.c misbehaves towards the host one way per run (hypercalls with
# bad numbers, pointers and records; privileged instructions; raw host
# system calls); each run must end with the documented status and a
# one-line reason, never a crash, hang or sanitizer report. Then images
# that are not pith images, bad options, and hosts without usable KVM.
# Everything runs the ASan+UBSan build ($PITH).
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$ROOT/tests/monitor
OUT=$TMP/out
ERR=$TMP/err
rc=0

if ! "$PITH" cc -O2 -Wall -Werror -I"$ROOT/include" -o "$TMP/hostile" "$HERE/hostile.c" \
	>"$TMP/cc.log" 2>&1 ||
	! "$PITH" cc -O2 -o "$TMP/hello" "$ROOT/examples/hello/hello.c" >>"$TMP/cc.log" 2>&1; then
	fail monitor-build "pith cc failed: $(head -c 400 "$TMP/cc.log")"
	exit 0
fi
HELLO_OUT='Hello from pith!'

# ---- helpers ---------------------------------------------------------------

# on TARGET NAME: true when the target can run here, else a SKIPPED line.
on() {
	if [ "$1" = hvt ] && ! have_kvm; then
		skip "$2" "$KVM_WHY"
		return 1
	fi
	return 0
}

# snip FILE: its first lines on one line, for a FAIL message.
snip() {
	head -n 3 "$1" | head -c 300 | tr '\n' '|'
}

# pr SECONDS ARG...: `pith run ARG...` with stdin from /dev/null; sets rc.
pr() {
	local t=$1
	shift
	limit "$t" "$PITH" run "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
}

# judge NAME: the last run against
#   RC    allowed exit statuses (space-separated)
#   LINE  an ERE that some line of stderr must match ('' for none)
#   NERR  the exact number of stderr lines ('' for any)
#   WOUT  the exact stdout ('' for empty, '*' for anything)
judge() {
	local name=$1 why=''

	if sanitizer_spoke "$ERR"; then
		why="sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$ERR")"
	elif [ "$rc" = 124 ]; then
		why="did not end in time (hang)"
	elif grep -q 'SURVIVED' "$ERR"; then
		why="the host let it pass: $(grep -m1 SURVIVED "$ERR")"
	elif ! [[ " $RC " == *" $rc "* ]]; then
		why="exit status $rc, want ${RC// / or }; stderr: $(snip "$ERR")"
	elif [ -n "$LINE" ] && ! grep -qE -- "$LINE" "$ERR"; then
		why="no stderr line matches /$LINE/; stderr: $(snip "$ERR")"
	elif [ -n "$NERR" ] && [ "$(wc -l <"$ERR")" -ne "$NERR" ]; then
		why="$(wc -l <"$ERR") stderr lines, want $NERR: $(snip "$ERR")"
	elif [ "$WOUT" != '*' ] && [ "$(cat "$OUT")" != "$WOUT" ]; then
		why="stdout is '$(head -c 200 "$OUT")', want '$WOUT'"
	fi
	if [ -n "$why" ]; then fail "$name" "$why"; else ok "$name"; fi
}

# violation NAME MODE [ARG] [ERE]: on hvt the monitor stops the guest with
# 159 and exactly one line "pith: guest stopped: ... (exit status 159)".
violation() {
	local name=$1 mode=$2 arg=${3:-} re=${4:-}

	on hvt "hvt-$name" || return
	pr 20 --target hvt "$TMP/hostile" "$mode" $arg
	RC=159 NERR=1 WOUT='' LINE="^pith: guest stopped: .*${re}.*\(exit status 159\)$" \
		judge "hvt-$name"
}

# stopped NAME TARGET MODE [ARG]: the guest is stopped, by a crash report
# or as a violation, whichever the target gives; never a hang or a pass.
stopped() {
	local name=$1 t=$2 mode=$3 arg=${4:-}

	on "$t" "$t-$name" || return
	pr 20 --target "$t" "$TMP/hostile" "$mode" $arg
	RC='132 139 159' NERR='' WOUT='' LINE='^pith: guest (crashed|stopped): ' judge "$t-$name"
}

# crash NAME TARGET MODE ERE STATUS SIG: a crash report: the first line
# "pith: guest crashed: ERE...", registers, "pith: exit status N (as SIG)".
crash() {
	local name=$1 t=$2 mode=$3 re=$4 st=$5 sig=$6

	on "$t" "$t-$name" || return
	pr 20 --target "$t" "$TMP/hostile" "$mode"
	RC=$st NERR='' WOUT='' LINE="^pith: guest crashed: $re" judge "$t-$name" || return
	if [ "$rc" = "$st" ] && ! tail -n1 "$ERR" | grep -qx "pith: exit status $st (as $sig)"; then
		fail "$t-$name-last-line" "last stderr line: $(tail -n1 "$ERR")"
	fi
}

# bad NAME ERE ARG...: `pith run ARG...` refuses: 125, nothing on stdout,
# exactly one stderr line "pith: ..." matching ERE (case-insensitive).
bad() {
	local name=$1 re=$2 why=''

	shift 2
	limit 20 "$PITH" run "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	if sanitizer_spoke "$ERR"; then
		why="sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$ERR")"
	elif [ "$rc" != 125 ]; then
		why="exit status $rc, want 125; stderr: $(snip "$ERR")"
	elif [ -s "$OUT" ]; then
		why="wrote to stdout: $(head -c 100 "$OUT")"
	elif [ "$(wc -l <"$ERR")" -ne 1 ]; then
		why="$(wc -l <"$ERR") stderr lines, want 1: $(snip "$ERR")"
	elif ! head -n1 "$ERR" | grep -q '^pith: '; then
		why="stderr does not start with 'pith: ': $(head -n1 "$ERR")"
	elif ! grep -qiE -- "$re" "$ERR"; then
		why="message does not name the cause (/$re/): $(head -n1 "$ERR")"
	fi
	if [ -n "$why" ]; then fail "$name" "$why"; else ok "$name"; fi
}

# ---- A. hypercalls (hvt) ---------------------------------------------------

# Volumes (PITH_HC_VOL), with one volume: pointers outside guest memory or
# in the system area, a path without its NUL, sizes out of range, unknown
# operations, flags and volumes stop the guest; handles pith never gave
# are EBADF to the guest, and the monitor goes on.
mkdir -p "$TMP/hvol" && printf 'x\n' >"$TMP/hvol/given.txt"
vol_violation() { # NAME MODE ERE
	on hvt "hvt-$1" || return
	pr 20 --target hvt -v "$TMP/hvol:/v" "$TMP/hostile" "$2"
	RC=159 NERR=1 WOUT='' LINE="^pith: guest stopped: .*$3.*\(exit status 159\)$" judge "hvt-$1"
}
vol_violation vol-path-far vol_path_far 'volume path outside guest memory'
vol_violation vol-path-wrap vol_path_wrap 'volume path outside guest memory'
vol_violation vol-path-unterminated vol_path_unterminated 'not NUL-terminated'
vol_violation vol-path-huge vol_path_huge 'volume path length'
vol_violation vol-path2-far vol_path2_far 'volume path outside guest memory'
vol_violation vol-buf-far vol_buf_far 'volume buffer outside guest memory'
vol_violation vol-buf-sysarea vol_buf_sysarea 'volume buffer outside guest memory'
vol_violation vol-len-huge vol_len_huge 'volume transfer too large'
vol_violation vol-op vol_op 'unknown volume operation'
vol_violation vol-flags vol_flags 'unknown volume operation flags'
vol_violation vol-no-volume vol_no_volume 'no such volume'
# The process target's guest is host code: it may call openat2 itself,
# without RESOLVE_BENEATH, from its volume's fd. Landlock refuses (-13).
pr 20 --target process -v "$TMP/hvol:/v" "$TMP/hostile" vol_raw_openat2
RC=0 NERR=0 LINE='' WOUT=$(printf 'openat2 %s: -13\n' /etc/passwd ../../../../../../etc/passwd /) \
	judge process-vol-landlock
if on hvt hvt-vol-handles; then
	pr 20 --target hvt -v "$TMP/hvol:/v" "$TMP/hostile" vol_handles
	RC=0 NERR=0 LINE='' WOUT=$(printf 'handle %s: -9\n' -1 5000 2147483647 -2147483648 3) \
		judge hvt-vol-handles
fi

# The ABI: an unknown hypercall number stops the guest with 159; a port
# outside pith's range (PITH_HC_PORTS) is not a hypercall at all: #GP.
violation hc-port-base+0 port0 '' 'hypercall'
violation hc-port-base+max portmax '' 'hypercall'
crash hc-port-base+200 hvt port200 'general protection fault' 139 SIGSEGV
# A known port, but not a 4-byte OUT.
violation hc-outb outb '' 'hypercall'
violation hc-inl inl '' 'hypercall'
# String OUT to the exit port with four valid exit(0) arguments: refused,
# or taken as single calls (the first ends the program with 0).
if on hvt hvt-hc-rep-outs; then
	pr 20 --target hvt "$TMP/hostile" outs
	RC='0 159' NERR='' WOUT='' LINE='' judge hvt-hc-rep-outs
fi

# Argument struct addresses.
violation hc-arg-at-mem-size arg_memsize '' 'argument 0x'
violation hc-arg-far arg_far '' 'argument 0xfffffff8'
violation hc-arg-crosses-end arg_end '' 'argument 0x'
violation hc-arg-unaligned arg_unaligned
violation hc-arg-unaligned-reason arg_unaligned '' 'align'
# The argument struct inside the hvt system area (the TSS I/O bitmap):
# the guest may not reach that memory, so the monitor must not write it
# on the guest's behalf. A monitor that does opens ports 0x600.. and the
# guest's next `outl` to 0x600 reaches it ("unknown hypercall (port 0x600)").
violation hc-arg-in-system-area arg_sysarea '' 'hypercall 1 argument'

# PITH_HC_READ.
violation read-buf-far read_far '' 'read buffer 0xfffffff0\+256'
violation read-buf-wraps read_wrap '' 'read buffer'
violation read-buf-crosses-end read_end '' 'read buffer'
violation read-fd-1 read_fd 1 'fd 1'
violation read-fd-7 read_fd 7 'fd 7'
if on hvt hvt-read-ok; then
	pr 20 --target hvt "$TMP/hostile" read_ok
	RC=0 NERR=0 WOUT='read_ok ret=0' LINE='' judge hvt-read-ok
	pr 20 --target hvt "$TMP/hostile" efault_sysarea
	RC=0 NERR=0 WOUT='write -1 14 read -1 14' LINE='' judge hvt-efault-sysarea
fi

# PITH_HC_POLL.
violation poll-want-4 poll_want 4 'poll'
violation poll-want-high poll_want 0x80000001 'poll'
# The network device's hypercall without a device (tests/netdev has the rest).
violation net-notify-no-device net_notify 1 'without a network device'

# PITH_HC_EXIT.
violation exit-reason-3 exit_reason 3 'reason 3'
violation exit-reason-max exit_reason 0xffffffff 'reason'
violation exit-signal-0 exit_signal 0 'signal 0'
violation exit-signal-65 exit_signal 65 'signal 65'
violation exit-signal-minus-1 exit_signal -1 'signal -1'
if on hvt hvt-exit-signal-9; then
	pr 20 --target hvt "$TMP/hostile" exit_signal 9
	RC=137 NERR=0 WOUT='' LINE='' judge hvt-exit-signal-9
fi

# Console records the guest forged.
violation con-used-past-size con_used '' 'console'
violation con-used-max con_usedmax '' 'console'
violation con-fd-0 con_fd0 '' 'console'
violation con-fd-5 con_fd5 '' 'console'
violation con-len-huge con_len '' 'console'
violation con-len-past-used con_len9 '' 'console'
violation con-short-header con_short '' 'console'
violation con-bad-at-exit con_exit '' 'console'
violation con-bad-at-poll con_poll '' 'console'
if on hvt hvt-con-forged-good; then
	pr 20 --target hvt "$TMP/hostile" con_good
	RC=0 NERR=1 LINE='^err-two$' WOUT=$'out-one\nout-three' judge hvt-con-forged-good
fi
if on hvt hvt-con-drained-by-poll; then
	pr 20 --target hvt "$TMP/hostile" con_poll_good
	RC=0 NERR=1 LINE='^err-two$' WOUT=$'out-one\nout-three' judge hvt-con-drained-by-poll
fi

# Console flood: 200k drains of a full buffer; then the byte count.
if on hvt hvt-con-flood; then
	limit 90 "$PITH" run --target hvt -m 8M "$TMP/hostile" flood 200000 \
		</dev/null >/dev/null 2>"$ERR"
	rc=$?
	: >"$OUT"
	RC=0 NERR=0 WOUT='' LINE='' judge hvt-con-flood
	n=$(limit 30 "$PITH" run --target hvt -m 8M "$TMP/hostile" flood 1000 </dev/null 2>"$ERR" | wc -c)
	if [ "$n" = $((1000 * (8192 - 8))) ] && ! sanitizer_spoke "$ERR"; then
		ok hvt-con-flood-bytes
	else
		fail hvt-con-flood-bytes "$n bytes, want $((1000 * 8184)); $(head -c 200 "$ERR")"
	fi
fi

# On the process target the same `outl` is a fault: stopped, not a pass.
for m in port0 portmax arg_far arg_sysarea read_far read_fd poll_want exit_reason con_used con_exit; do
	stopped "hc-$m" process "$m" 1
done

# ---- A. privileged instructions ---------------------------------------------

for t in hvt process; do
	crash priv-cli "$t" cli 'general protection fault' 139 SIGSEGV
	crash priv-hlt "$t" hlt 'general protection fault' 139 SIGSEGV
	crash priv-mov-cr3 "$t" cr3 'general protection fault' 139 SIGSEGV
	crash priv-wrmsr "$t" wrmsr 'general protection fault' 139 SIGSEGV
	crash priv-lgdt "$t" lgdt 'general protection fault' 139 SIGSEGV
	# POPF cannot raise IOPL at CPL3: a closed port still faults.
	crash priv-popf-iopl "$t" iopl 'general protection fault' 139 SIGSEGV
done
# Writing the TSS I/O bitmap: supervisor-only, a page fault.
crash priv-write-tss hvt tss_write 'page fault: write at address' 139 SIGSEGV

# ---- A. EPIPE: 8 MiB through printf into `head -c 100` ---------------------

for t in hvt process; do
	on "$t" "$t-epipe" || continue
	{
		limit 30 "$PITH" run --target "$t" "$TMP/hostile" big </dev/null 2>"$ERR"
		echo $? >"$TMP/rc"
	} | head -c 100 >"$OUT"
	rc=$(cat "$TMP/rc")
	# Native Linux: the writer dies of SIGPIPE, 128 + 13.
	RC=141 NERR=0 WOUT=$(printf 'x%.0s' $(seq 100)) LINE='' judge "$t-epipe"
	n=$(limit 30 "$PITH" run --target "$t" "$TMP/hostile" big </dev/null 2>"$ERR" | wc -c)
	if [ "$n" = 8388608 ] && ! [ -s "$ERR" ]; then
		ok "$t-big-output"
	else
		fail "$t-big-output" "$n bytes, want 8388608; stderr: $(head -c 200 "$ERR")"
	fi
done

# ---- A. the process target's sandbox: raw host system calls ----------------

# forbidden NAME MODE NR: stopped with 159 and one line naming call NR.
forbidden() {
	pr 20 --target process "$TMP/hostile" "$2"
	RC=159 NERR=1 WOUT='' \
		LINE="^pith: guest stopped: forbidden host system call $3 \(exit status 159\)$" \
		judge "process-$1"
}
forbidden sys-getpid sys_getpid 39
forbidden sys-ppoll-sigmask sys_ppoll_mask 271
forbidden sys-openat sys_openat 257
forbidden sys-socket sys_socket 41
forbidden sys-execve sys_execve 59
forbidden sys-rt-sigaction-sigsys sys_sigaction 13
forbidden sys-mprotect-exec sys_mprotect 10
forbidden sys-write-fd-5 sys_write5 1
# Other system-call ABIs: x32 numbers and the i386 `int $0x80` entry.
forbidden sys-x32-getpid sys_x32 '[0-9]+'
forbidden sys-int80-getpid int80 '[0-9]+'
pr 20 --target process "$TMP/hostile" sys_write1
RC=0 NERR=0 WOUT='raw write to fd 1' LINE='' judge process-sys-write-fd-1
# On hvt a raw `syscall` cannot reach the host: a crash report.
stopped sys-getpid hvt sys_getpid
stopped sys-write-fd-1 hvt sys_write1
stopped sys-int80 hvt int80

# ---- A. images that are not pith images ------------------------------------

echo 'just some text' >"$TMP/text.txt"
: >"$TMP/empty"
mkdir -p "$TMP/adir"
bad image-text-file 'not an ELF' "$TMP/text.txt"
bad image-empty-file 'not an ELF|empty' "$TMP/empty"
bad image-directory 'regular file|directory' "$TMP/adir"
bad image-nonexistent 'no such file' "$TMP/does-not-exist"

# Truncated: every cut inside the loaded part of the file is refused.
load_end=$(python3 - "$TMP/hello" <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
phoff, = struct.unpack_from('<Q', d, 32)
phentsize, phnum = struct.unpack_from('<HH', d, 54)
end = 0
for i in range(phnum):
    t, f, off, va, pa, fsz = struct.unpack_from('<IIQQQQ', d, phoff + i * phentsize)
    if t in (1, 4):
        end = max(end, off + fsz)
print(end)
EOF
)
size=$(stat -c %s "$TMP/hello")
for n in 3 4 63 64 120 300 4096 $((load_end / 2)) $((load_end - 1)); do
	head -c "$n" "$TMP/hello" >"$TMP/cut"
	bad "image-truncated-at-$n" 'truncated|not an ELF|past the end' "$TMP/cut"
done
# Cut after the loaded part (symbols lost): runs, or is refused cleanly.
head -c $((size - 1)) "$TMP/hello" >"$TMP/cut"
pr 20 --target process "$TMP/cut"
if [ "$rc" = 125 ]; then
	RC=125 NERR=1 WOUT='' LINE='^pith: ' judge image-truncated-symbols
else
	RC=0 NERR=0 WOUT=$HELLO_OUT LINE='' judge image-truncated-symbols
fi

if command -v musl-gcc >/dev/null 2>&1 &&
	printf '#include <stdio.h>\nint main(void){puts("native");return 0;}\n' >"$TMP/native.c" &&
	musl-gcc -static -o "$TMP/native" "$TMP/native.c" 2>/dev/null; then
	bad image-linux-static 'pith cc|pith note|not a pith image' "$TMP/native"
else
	skip image-linux-static "musl-gcc cannot build a static binary here"
fi
if [ -x /bin/true ]; then
	bad image-linux-dynamic 'dynamic|not a static|not a pith image' /bin/true
else
	skip image-linux-dynamic "no /bin/true"
fi

python3 - "$TMP/hello" "$TMP/abi99" 99 <<'EOF'
import struct, sys
src, dst, ver = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = bytearray(open(src, 'rb').read())
phoff, = struct.unpack_from('<Q', d, 32)
phentsize, phnum = struct.unpack_from('<HH', d, 54)
done = False
for i in range(phnum):
    t, f, off, va, pa, fsz = struct.unpack_from('<IIQQQQ', d, phoff + i * phentsize)
    if t != 4:  # PT_NOTE
        continue
    o = off
    while o + 12 <= off + fsz:
        nsz, dsz, typ = struct.unpack_from('<III', d, o)
        desc = o + 12 + ((nsz + 3) & ~3)
        if d[o + 12:o + 12 + nsz] == b'PITH\0' and typ == 0x50495448:
            struct.pack_into('<I', d, desc, ver)
            done = True
        o = desc + ((dsz + 3) & ~3)
if not done:
    sys.exit('no PITH note found')
open(dst, 'wb').write(d)
EOF
if [ -s "$TMP/abi99" ]; then
	bad image-abi-99 'ABI 99' "$TMP/abi99"
else
	fail image-abi-99 "could not patch the PITH note"
fi

# ---- A. options --------------------------------------------------------------

bad mem-64K 'too small' -m 64K "$TMP/hello"
# hello needs 228K on hvt (its page tables), 192K as a process.
if on hvt mem-200K-hvt; then
	bad mem-200K-hvt 'too small' --target hvt -m 200K "$TMP/hello"
fi
bad mem-180K-process 'too small' --target process -m 180K "$TMP/hello"
for t in hvt process; do
	on "$t" "$t-mem-1M" || continue
	pr 20 --target "$t" -m 1M "$TMP/hello"
	RC=0 NERR=0 WOUT=$HELLO_OUT LINE='' judge "$t-mem-1M"
done
bad mem-abc '-m abc' -m abc "$TMP/hello"
bad mem-0 '-m 0' -m 0 "$TMP/hello"
bad mem-5G '-m 5G' -m 5G "$TMP/hello"
bad mem-1000 '-m 1000' -m 1000 "$TMP/hello"
bad option-unknown 'bogus' --bogus "$TMP/hello"
bad option-unknown-short 'invalid option|-x' -x "$TMP/hello"
bad target-bogus 'bogus' --target bogus "$TMP/hello"

# ---- A. hosts without usable KVM ---------------------------------------------

if [ "$(id -u)" != 0 ]; then
	for n in no-kvm-hvt no-kvm-auto no-kvm-auto-verbose no-kvm-access-hvt no-kvm-access-auto; do
		skip "$n" "needs root (to unshare /dev, or to switch to user nobody)"
	done
else
	if command -v unshare >/dev/null 2>&1 && unshare --mount true 2>/dev/null; then
		nokvm() {
			limit 30 unshare --mount sh -c \
				'mount -t tmpfs none /dev && exec "$0" run "$@"' "$PITH" "$@" \
				</dev/null >"$OUT" 2>"$ERR"
			rc=$?
		}
		nokvm --target hvt "$TMP/hello"
		RC=125 NERR=1 WOUT='' LINE='^pith: .*--target process' judge no-kvm-hvt
		nokvm "$TMP/hello"
		RC=0 NERR=0 WOUT=$HELLO_OUT LINE='' judge no-kvm-auto
		nokvm --verbose "$TMP/hello"
		RC=0 NERR='' WOUT=$HELLO_OUT LINE='^pith: target process' judge no-kvm-auto-verbose
	else
		skip no-kvm-hvt "unshare --mount is not available"
		skip no-kvm-auto "unshare --mount is not available"
		skip no-kvm-auto-verbose "unshare --mount is not available"
	fi

	if ! command -v setpriv >/dev/null 2>&1; then
		skip no-kvm-access-hvt "setpriv is not available"
		skip no-kvm-access-auto "setpriv is not available"
	elif [ ! -e /dev/kvm ]; then
		skip no-kvm-access-hvt "no /dev/kvm on this machine"
		skip no-kvm-access-auto "no /dev/kvm on this machine"
	elif setpriv --reuid=65534 --regid=65534 --clear-groups test -w /dev/kvm 2>/dev/null; then
		skip no-kvm-access-hvt "user nobody may open /dev/kvm here"
		skip no-kvm-access-auto "user nobody may open /dev/kvm here"
	else
		nb=$(mktemp -d /tmp/pith-nobody.XXXXXX)
		chmod 755 "$nb"
		cp "$PITH" "$TMP/hello" "$nb/"
		chmod 755 "$nb/pith" "$nb/hello"
		asnobody() {
			(cd "$nb" && limit 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
				./pith run "$@" </dev/null >"$OUT" 2>"$ERR")
			rc=$?
		}
		asnobody --target hvt ./hello
		RC=125 NERR=1 WOUT='' LINE="^pith: .*'kvm' group" judge no-kvm-access-hvt
		asnobody ./hello
		RC=0 NERR=0 WOUT=$HELLO_OUT LINE='' judge no-kvm-access-auto
		rm -rf "$nb"
	fi
fi
exit 0
