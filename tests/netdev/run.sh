#!/bin/bash
# tests/netdev/run.sh — the network device (`pith run --net`, docs/net.md).
#
#  A. The options: every bad --net, --ip, --gw, --dns, --mac is one line
#     and status 125, before anything runs.
#  B. Frames both ways, on both targets, through a tap in a network
#     namespace this suite creates and removes (never any traffic outside
#     it): tests/netdev/echo.c drives the device through the kernel's TEST
#     HOOK (kernel/netdev_test.c, enabled by PITH_TEST_NETDEV_ECHO=1) and
#     tests/netdev/peer.py is Linux's side (a raw packet socket on the
#     tap); a TX burst counts the exits per 1,000 frames; a tap fd handed
#     over (--net fd:N); a tap in use.
#  C. Hostile guests (hvt): ring indices and lengths out of range and bad
#     notifications stop the guest with 159 and one line.
# Without root, `ip netns` or /dev/net/tun, B and C print SKIPPED lines.
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$ROOT/tests/netdev
if ! "$PITH" cc -O2 -Wall -Werror -o "$TMP/echo" "$HERE/echo.c" >"$TMP/cc.log" 2>&1 ||
	! "$PITH" cc -O2 -I"$ROOT/include" -o "$TMP/hostile" "$ROOT/tests/monitor/hostile.c" \
		>>"$TMP/cc.log" 2>&1 ||
	! "$PITH" cc -O2 -o "$TMP/hello" "$ROOT/examples/hello/hello.c" >>"$TMP/cc.log" 2>&1; then
	fail netdev-build "pith cc failed: $(head -c 400 "$TMP/cc.log")"
	exit 0
fi

# bad NAME ERE ARG...: `pith run ARG...` refuses with 125 and one line.
bad() {
	local name=$1 re=$2 why=''

	shift 2
	limit 20 "$PITH" run "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	if sanitizer_spoke "$ERR"; then
		why="sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$ERR")"
	elif [ "$rc" != 125 ]; then
		why="exit status $rc, want 125; stderr: $(head -c 200 "$ERR")"
	elif [ -s "$OUT" ]; then
		why="wrote to stdout"
	elif [ "$(wc -l <"$ERR")" -ne 1 ]; then
		why="$(wc -l <"$ERR") stderr lines, want 1: $(head -c 300 "$ERR" | tr '\n' '|')"
	elif ! grep -qE -- "^pith: run: .*($re)" "$ERR"; then
		why="message does not name the cause (/$re/): $(head -n1 "$ERR")"
	fi
	if [ -n "$why" ]; then fail "netdev/$name" "$why"; else ok "netdev/$name"; fi
}

# ---- A. options ------------------------------------------------------------

H=$TMP/hello
bad net-unknown 'use tap:NAME, fd:N, user or none' --net eth0 "$H"
bad net-tap-empty '1 to 15 characters' --net tap: "$H"
bad net-tap-long '1 to 15 characters' --net tap:abcdefghijklmnopq "$H"
bad net-tap-missing "no such network device.*ip tuntap add dev pithnope0 mode tap" \
	--net tap:pithnope0 "$H"
bad net-tap-not-tap 'lo is not a tap device' --net tap:lo "$H"
bad net-fd-low 'fd number of 3 or more' --net fd:1 "$H"
bad net-fd-junk 'fd number of 3 or more' --net fd:7x "$H"
bad net-fd-closed 'fd 93 is not open' --net fd:93 "$H"
bad net-fd-not-tap 'fd 9 is not an attached tap' --net fd:9 "$H" 9<"$H"
bad net-fd-detached 'detached instance' -d --net fd:9 "$H" 9<"$H"
bad ip-no-len 'use ADDR/LEN' --net tap:pithnope0 --ip 10.0.0.2 "$H"
bad ip-len-33 'prefix length must be 1 to 32' --net tap:pithnope0 --ip 10.0.0.2/33 "$H"
bad ip-len-0 'prefix length must be 1 to 32' --net tap:pithnope0 --ip 10.0.0.2/0 "$H"
bad ip-bad 'not an IPv4 address' --net tap:pithnope0 --ip 300.0.0.2/24 "$H"
bad ip-multicast 'not a unicast address' --net tap:pithnope0 --ip 224.0.0.5/24 "$H"
bad ip-loopback 'not a unicast address' --net tap:pithnope0 --ip 127.0.0.2/8 "$H"
bad ip-network 'network or broadcast' --net tap:pithnope0 --ip 10.0.0.0/24 "$H"
bad ip-broadcast 'network or broadcast' --net tap:pithnope0 --ip 10.0.0.255/24 "$H"
bad gw-outside 'outside the guest.s subnet' --net tap:pithnope0 --ip 10.0.0.2/24 \
	--gw 10.0.1.1 "$H"
bad gw-self "the guest's own address" --net tap:pithnope0 --ip 10.0.0.2/24 --gw 10.0.0.2 "$H"
bad gw-no-ip 'give the guest.s own address too' --net tap:pithnope0 --gw 10.0.0.1 "$H"
bad dns-zero 'not a unicast address' --net tap:pithnope0 --dns 0.0.0.0 "$H"
bad mac-junk 'six hex pairs' --net tap:pithnope0 --mac 02:00:00:00:00 "$H"
bad mac-multicast 'multicast' --net tap:pithnope0 --mac 01:00:5e:00:00:01 "$H"
bad mac-zero 'all-zero' --net tap:pithnope0 --mac 00:00:00:00:00:00 "$H"
bad ip-without-net 'needs a network device' --ip 10.0.0.2/24 "$H"
bad mac-net-none 'needs a network device' --net none --mac 02:00:00:00:00:01 "$H"
bad detached-tap-missing 'no such network device' -d --net tap:pithnope0 "$H"
limit 20 "$PITH" run --help >"$OUT" 2>&1
check netdev/help-names-net grep -q -- '--net tap:NAME' "$OUT"
# No device, the default: hello world as ever.
limit 30 "$PITH" run --net none "$H" >"$OUT" 2>"$ERR"
check netdev/net-none grep -qx 'Hello from pith!' "$OUT"

# ---- B. frames through a tap in a namespace ---------------------------------

NS=pith-netdev-$$
TAP=pnd0
GMAC=02:00:5e:d0:00:02
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null ||
	! command -v python3 >/dev/null || ! ip netns add "$NS" 2>"$TMP/ns.err"; then
	why="needs root, ip netns, /dev/net/tun and python3 ($(head -c 100 "$TMP/ns.err" 2>/dev/null))"
	for t in frames exits fd-handover detached tap-busy hostile; do
		skip "netdev/$t" "$why"
	done
	exit 0
fi
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ns() { ip netns exec "$NS" "$@"; }
ip -n "$NS" tuntap add dev "$TAP" mode tap &&
	ns sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1" &&
	ip -n "$NS" addr add 10.213.0.1/24 dev "$TAP" &&
	ip -n "$NS" link set "$TAP" up
GNET=(--net "tap:$TAP" --mac "$GMAC" --ip 10.213.0.2/24 --gw 10.213.0.1 --dns 10.213.0.1)

# wait_carrier: until a pith has attached to the tap (at most 20 s).
wait_carrier() {
	for _ in $(seq 200); do
		[ "$(ns cat "/sys/class/net/$TAP/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# tap_counter rx|tx: the tap's packet counter (rx: frames the guest sent).
tap_counter() {
	ns cat "/sys/class/net/$TAP/statistics/$1_packets"
}

# Echo: 200 numbered frames from Linux, each back with the MACs swapped.
for t in $(targets); do
	PITH_TEST_NETDEV_ECHO=1 limit 60 ip netns exec "$NS" "$PITH" run --target "$t" "${GNET[@]}" \
		"$TMP/echo" echo 200 </dev/null >"$TMP/g.out" 2>"$TMP/g.err" &
	gpid=$!
	limit 60 ip netns exec "$NS" python3 "$HERE/peer.py" echo "$TAP" "$GMAC" 200 >"$TMP/p.out" 2>&1
	wait "$gpid"
	grc=$?
	if sanitizer_spoke "$TMP/g.err"; then
		fail "netdev/$t-frames" "sanitizer: $(grep -m1 -E 'Sanitizer|runtime error' "$TMP/g.err")"
	elif [ "$grc" != 0 ] || ! grep -qx 'echoed 200' "$TMP/g.out" ||
		! grep -qx 'echoed 200 of 200' "$TMP/p.out"; then
		fail "netdev/$t-frames" "status $grc; guest: $(head -c 200 "$TMP/g.out" "$TMP/g.err" |
			tr '\n' '|'); peer: $(head -c 200 "$TMP/p.out")"
	else
		ok "netdev/$t-frames"
	fi
done

# A burst of 20,000 frames from the guest: all reach the tap, and on hvt
# the guest notifies at most once per 10 frames (bench/run 9's goal; the
# I/O thread drains the ring while the guest fills it: 0-5 per 1,000 on
# a quiet machine).
for t in $(targets); do
	before=$(tap_counter rx)
	PITH_TEST_NETDEV_ECHO=1 limit 60 ip netns exec "$NS" "$PITH" run --verbose --target "$t" \
		"${GNET[@]}" "$TMP/echo" blast 20000 </dev/null >"$TMP/g.out" 2>"$TMP/g.err"
	grc=$?
	after=$(tap_counter rx)
	if [ "$grc" != 0 ] || sanitizer_spoke "$TMP/g.err" || [ $((after - before)) != 20000 ]; then
		fail "netdev/$t-burst" "status $grc, tap got $((after - before)) of 20000: $(
			head -c 300 "$TMP/g.out" "$TMP/g.err" | tr '\n' '|')"
		continue
	fi
	ok "netdev/$t-burst"
	if [ "$t" = hvt ]; then
		n=$(sed -n 's/.* in, \([0-9]*\) notify exits.*/\1/p' "$TMP/g.err")
		echo "   hvt burst: ${n:-?} notify exits for 20000 frames ($((${n:-0} / 20)) per 1000)"
		if [ -n "$n" ] && [ "$n" -le 2000 ]; then
			ok netdev/hvt-burst-exits-per-frame
		else
			fail netdev/hvt-burst-exits-per-frame "${n:-no count} notify exits for 20000 frames"
		fi
	fi
done

# With a volume as well (the filters with both sets of rules).
mkdir -p "$TMP/vol"
for t in $(targets); do
	PITH_TEST_NETDEV_ECHO=1 limit 60 ip netns exec "$NS" "$PITH" run --target "$t" "${GNET[@]}" \
		-v "$TMP/vol:/v" "$TMP/echo" echo 20 </dev/null >"$TMP/g.out" 2>"$TMP/g.err" &
	gpid=$!
	limit 60 ip netns exec "$NS" python3 "$HERE/peer.py" echo "$TAP" "$GMAC" 20 >"$TMP/p.out" 2>&1
	wait "$gpid"
	grc=$?
	if [ "$grc" = 0 ] && grep -qx 'echoed 20 of 20' "$TMP/p.out" &&
		! sanitizer_spoke "$TMP/g.err"; then
		ok "netdev/$t-frames-with-volume"
	else
		fail "netdev/$t-frames-with-volume" "status $grc; $(head -c 200 "$TMP/g.err" \
			"$TMP/p.out" | tr '\n' '|')"
	fi
done

# --net fd:N: a tap another program attached, handed over as fd 9.
PITH_TEST_NETDEV_ECHO=1 limit 60 ip netns exec "$NS" python3 -c '
import fcntl, os, struct, sys
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
os.dup2(fd, 9, inheritable=True)
os.execvp(sys.argv[2], sys.argv[2:])' "$TAP" "$PITH" run --net fd:9 --mac "$GMAC" \
	"$TMP/echo" echo 20 </dev/null >"$TMP/g.out" 2>"$TMP/g.err" &
gpid=$!
limit 60 ip netns exec "$NS" python3 "$HERE/peer.py" echo "$TAP" "$GMAC" 20 >"$TMP/p.out" 2>&1
wait "$gpid"
grc=$?
if [ "$grc" = 0 ] && grep -qx 'echoed 20 of 20' "$TMP/p.out" && ! sanitizer_spoke "$TMP/g.err"; then
	ok netdev/fd-handover
else
	fail netdev/fd-handover "status $grc; $(head -c 200 "$TMP/g.err" "$TMP/p.out" | tr '\n' '|')"
fi

# A detached instance: the network options reach its monitor.
PITH_TEST_NETDEV_ECHO=1 limit 30 ip netns exec "$NS" "$PITH" run -d --rm --name netd "${GNET[@]}" \
	"$TMP/echo" echo 3 </dev/null >"$OUT" 2>"$ERR"
rc=$?
limit 60 ip netns exec "$NS" python3 "$HERE/peer.py" echo "$TAP" "$GMAC" 3 >"$TMP/p.out" 2>&1
for _ in $(seq 100); do # --rm: gone once the program ended
	"$PITH" ps -a 2>/dev/null | grep -q '^netd ' || break
	sleep 0.1
done
if [ "$rc" = 0 ] && grep -qx 'echoed 3 of 3' "$TMP/p.out" && ! "$PITH" ps -a | grep -q '^netd '; then
	ok netdev/detached
else
	fail netdev/detached "status $rc: $(head -c 200 "$ERR" "$TMP/p.out" | tr '\n' '|')"
	"$PITH" rm -f netd >/dev/null 2>&1
fi

# A tap that another pith holds: one line, 125.
PITH_TEST_NETDEV_ECHO=1 limit 30 ip netns exec "$NS" "$PITH" run --target process "${GNET[@]}" \
	"$TMP/echo" echo 1 </dev/null >/dev/null 2>&1 &
gpid=$!
wait_carrier
limit 20 ip netns exec "$NS" "$PITH" run --net "tap:$TAP" "$H" </dev/null >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" = 125 ] && [ "$(wc -l <"$ERR")" = 1 ] && grep -q 'in use by another program' "$ERR"; then
	ok netdev/tap-busy
else
	fail netdev/tap-busy "status $rc: $(head -c 200 "$ERR")"
fi
limit 20 ip netns exec "$NS" python3 "$HERE/peer.py" echo "$TAP" "$GMAC" 1 >/dev/null 2>&1
wait "$gpid"

# ---- C. hostile guests (hvt) ---------------------------------------------------

hostile() { # NAME MODE N ERE
	if ! have_kvm; then
		skip "netdev/hvt-hostile-$1" "$KVM_WHY"
		return
	fi
	limit 30 ip netns exec "$NS" "$PITH" run --target hvt "${GNET[@]}" "$TMP/hostile" "$2" "$3" \
		</dev/null >"$OUT" 2>"$ERR"
	rc=$?
	if sanitizer_spoke "$ERR"; then
		fail "netdev/hvt-hostile-$1" "sanitizer: $(grep -m1 -E 'Sanitizer|runtime error' "$ERR")"
	elif [ "$rc" != 159 ] || [ "$(wc -l <"$ERR")" != 1 ] ||
		! grep -qE "^pith: guest stopped: .*$4.*\(exit status 159\)$" "$ERR"; then
		fail "netdev/hvt-hostile-$1" "status $rc: $(head -c 300 "$ERR" | tr '\n' '|')"
	else
		ok "netdev/hvt-hostile-$1"
	fi
}
hostile tx-prod-far net_tx_prod 1000 'TX producer index outside the ring'
hostile tx-prod-behind net_tx_prod 0xffffffff 'TX producer index outside the ring'
hostile tx-cons net_tx_cons 77 'TX producer index outside the ring'
hostile rx-cons-far net_rx_cons 5000 'RX indices more than a ring apart'
hostile tx-len-huge net_tx_len 0xffffffff 'frame length over the slot size'
hostile tx-len-slot net_tx_len 2041 'frame length over the slot size'
hostile notify-bits net_notify 0x80 'unknown bits'

# ---- the stack over the tap, against Linux -----------------------------------

if ! limit 60 "$PITH" cc -O2 -o "$TMP/tcp" "$HERE/tcp.c"; then
	fail netdev/build-tcp "cannot build tcp.c"
	exit 0
fi
for t in $(targets); do
	# The guest serves: three connections, the last a 4 MiB echo, checked.
	limit 60 ip netns exec "$NS" "$PITH" run --target "$t" "${GNET[@]}" "$TMP/tcp" serve 7777 3 \
		</dev/null >"$TMP/g.out" 2>"$TMP/g.err" &
	gpid=$!
	wait_carrier
	limit 60 ip netns exec "$NS" python3 -c '
import hashlib, socket, sys, threading, time
for i, size in enumerate((1000, 1, 4 << 20)):
    for attempt in range(100):
        try:
            s = socket.create_connection(("10.213.0.2", 7777), timeout=10)
            break
        except OSError:
            time.sleep(0.05)
    data = bytes((i * 7 + k * 13) % 251 for k in range(size))
    def send():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    sender = threading.Thread(target=send)  # an echo must be read while sent
    sender.start()
    got = bytearray()
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    sender.join()
    print(size, hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest())
' >"$TMP/p.out" 2>&1
	wait "$gpid"
	grc=$?
	if [ "$grc" = 0 ] && [ "$(grep -c ' True$' "$TMP/p.out")" = 3 ] &&
		grep -qx 'echoed 4194304' "$TMP/g.out" && ! sanitizer_spoke "$TMP/g.err"; then
		ok "netdev/$t-tcp-server"
	else
		fail "netdev/$t-tcp-server" "status $grc; guest: $(head -c 200 "$TMP/g.out" "$TMP/g.err" |
			tr '\n' '|'); peer: $(head -c 300 "$TMP/p.out" | tr '\n' '|')"
	fi

	# The guest as a client of a Linux server (ARP, connect, data, FIN).
	rm -f "$TMP/srv.ready"
	limit 30 ip netns exec "$NS" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.213.0.1", 7778))
s.listen(1)
open(sys.argv[1], "w").close()
s.settimeout(25)
c, _ = s.accept()
req = b""
while True:
    b = c.recv(100)
    if not b:
        break
    req += b
c.sendall(b"pong to " + req)
c.close()
' "$TMP/srv.ready" &
	spid=$!
	for _ in $(seq 200); do
		[ -e "$TMP/srv.ready" ] && break
		sleep 0.05
	done
	limit 30 ip netns exec "$NS" "$PITH" run --target "$t" "${GNET[@]}" "$TMP/tcp" fetch 10.213.0.1 7778 \
		</dev/null >"$TMP/g.out" 2>"$TMP/g.err"
	grc=$?
	wait "$spid" 2>/dev/null
	check "netdev/$t-tcp-client" [ "$grc" = 0 ] && [ "$(cat "$TMP/g.out")" = "got pong to ping" ]
done

# /etc as the network configuration says: resolv.conf names the DNS
# server, hosts maps the host name to the guest's address.
cat >"$TMP/etc.c" <<'C'
#include <stdio.h>
int main(void)
{
	const char *names[] = { "/etc/resolv.conf", "/etc/hosts" };
	char line[200];

	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(names[i], "r");

		while (f && fgets(line, sizeof(line), f))
			fputs(line, stdout);
	}
	return 0;
}
C
if limit 60 "$PITH" cc -o "$TMP/etc" "$TMP/etc.c"; then
	for t in $(targets); do
		limit 30 ip netns exec "$NS" "$PITH" run --target "$t" "${GNET[@]}" --hostname web \
			"$TMP/etc" </dev/null >"$TMP/g.out" 2>"$TMP/g.err"
		check "netdev/$t-etc" grep -qx 'nameserver 10.213.0.1' "$TMP/g.out" &&
			grep -qxP '10.213.0.2\tweb' "$TMP/g.out"
	done
	p run "$TMP/etc"
	check netdev/no-net-no-resolv-conf [ "$rc" = 0 ] && ! grep -q nameserver "$OUT" &&
		grep -qxP '127.0.1.1\tpith' "$OUT"
else
	fail netdev/build-etc "cannot build etc.c"
fi

# A program that polls without ever waiting still gets what the device
# received (recv with MSG_DONTWAIT, epoll_wait with a timeout of 0).
for t in $(targets); do
	limit 30 ip netns exec "$NS" "$PITH" run --target "$t" "${GNET[@]}" "$TMP/tcp" udpspin 7779 20 \
		</dev/null >"$TMP/g.out" 2>"$TMP/g.err" &
	gpid=$!
	wait_carrier
	limit 30 ip netns exec "$NS" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(200):  # until the guest has them all, or it gives up
    s.sendto(b"d%d" % i, ("10.213.0.2", 7779))
    time.sleep(0.02)
' >/dev/null 2>&1 &
	spid=$!
	wait "$gpid"
	grc=$?
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	check "netdev/$t-busy-poll-receives" [ "$grc" = 0 ] && grep -qx 'got 20' "$TMP/g.out"
done
