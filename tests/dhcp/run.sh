#!/bin/bash
# tests/dhcp/run.sh — the DHCP client against real servers (docs/net.md,
# "DHCP").
#
#  A. Linux's dnsmasq serves DHCP and DNS on a tap in a network namespace
#     this suite creates and removes (traffic never leaves it). On each
#     target a guest run with `--net tap:NAME` and no --ip
#     (tests/dhcp/lease.c) must get an address from the pool, find the
#     lease's DNS server in /etc/resolv.conf read before any socket,
#     resolve a name dnsmasq serves through musl's getaddrinfo, and reach
#     a TCP server on an address beyond the gateway; dnsmasq's lease file
#     must hold the guest's MAC and address.
#  B. No server (process target): the program still runs, its connect
#     fails with ENETUNREACH (a UDP connect too), and one note line says why.
# Renewal, rebinding and expiry are checked on the fake clock in
# tests/unit/test_net_dhcp.c (dnsmasq's shortest lease is 2 minutes).
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$ROOT/tests/dhcp
if ! "$PITH" cc -O2 -Wall -Werror -o "$TMP/lease" "$HERE/lease.c" >"$TMP/cc.log" 2>&1; then
	fail dhcp-build "pith cc failed: $(head -c 400 "$TMP/cc.log")"
	exit 0
fi

# A TCP server answering "pong:" and what it got, on ADDR PORT, until
# killed; prints its port on stdout first.
server() {
	"$@" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.settimeout(20)
    try: c.sendall(b"pong:" + c.recv(16))
    except OSError: pass
    c.close()' "$SADDR" "$SPORT"
}

# expect NAME FILE ERE: a line of FILE matches ERE.
expect() {
	if grep -qE "$3" "$2"; then ok "$1"; else fail "$1" "no line /$3/ in: $(head -c 300 "$2" | tr '\n' '|')"; fi
}

PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	[ -n "${NS:-}" ] && ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# ---- A. dnsmasq on a tap in a namespace ------------------------------------

NS=pith-dhcp-$$
TAP=pdh$$
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null ||
	! command -v dnsmasq >/dev/null || ! ip netns add "$NS" 2>"$TMP/ns.err"; then
	why="needs root, ip netns, /dev/net/tun and dnsmasq ($(head -c 100 "$TMP/ns.err" 2>/dev/null))"
	NS=
	for t in dnsmasq no-server; do skip "dhcp/$t" "$why"; done
	exit 0
fi
ns() { ip netns exec "$NS" "$@"; }
ip -n "$NS" link set lo up &&
	ip -n "$NS" tuntap add dev "$TAP" mode tap &&
	ns sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1" &&
	ip -n "$NS" addr add 10.217.0.1/24 dev "$TAP" &&
	ip -n "$NS" addr add 10.218.0.1/32 dev lo &&
	ip -n "$NS" link set "$TAP" up
# B first, while nothing serves DHCP on the tap.
limit 60 ip netns exec "$NS" "$PITH" run --target process --net "tap:$TAP" "$TMP/lease" 10.218.0.1 7 \
	>"$OUT" 2>"$ERR"
rc=$?
if sanitizer_spoke "$ERR"; then
	fail dhcp/no-server "sanitizer: $(grep -m1 -E 'Sanitizer|runtime error' "$ERR")"
else
	check dhcp/no-server-status test "$rc" = 1
	expect dhcp/no-server-enetunreach "$OUT" '^tcp: Network unreachable$'
	expect dhcp/no-server-udp-connect-enetunreach "$OUT" '^udp: Network unreachable$'
	check dhcp/no-server-one-note test "$(grep -c 'no DHCP lease within 10 s' "$ERR")" = 1
fi

ns dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file="$TMP/dnsmasq.pid" \
	--interface="$TAP" --bind-interfaces --except-interface=lo --no-resolv --no-hosts --no-ping \
	--address=/pith.test/10.218.0.9 --dhcp-range=10.217.0.50,10.217.0.99,255.255.255.0,2m \
	--dhcp-option=option:router,10.217.0.1 --dhcp-option=option:dns-server,10.217.0.1 \
	--dhcp-leasefile="$TMP/leases" --log-dhcp --log-facility="$TMP/dnsmasq.log" &
PIDS+=($!)
SADDR=10.218.0.1 SPORT=7000
server ns >"$TMP/nsport" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 100); do
	[ -s "$TMP/nsport" ] && grep -q 'DHCP, sockets bound' "$TMP/dnsmasq.log" 2>/dev/null && break
	sleep 0.1
done
i=0
for t in $(targets); do
	i=$((i + 1))
	mac=02:00:5e:d1:00:0$i
	limit 60 ip netns exec "$NS" "$PITH" run --target "$t" --net "tap:$TAP" --mac "$mac" "$TMP/lease" \
		10.218.0.1 7000 pith.test >"$OUT" 2>"$ERR"
	rc=$?
	if sanitizer_spoke "$ERR" || [ "$rc" != 0 ]; then
		fail "dhcp/dnsmasq-$t" "status $rc: $(head -c 300 "$ERR")$(head -c 300 "$OUT")"
		continue
	fi
	expect "dhcp/dnsmasq-$t-address" "$OUT" '^addr: 10\.217\.0\.([5-9][0-9])$'
	expect "dhcp/dnsmasq-$t-resolv-conf" "$OUT" '^resolv: nameserver 10\.217\.0\.1$'
	expect "dhcp/dnsmasq-$t-getaddrinfo" "$OUT" '^name: pith\.test 10\.218\.0\.9$'
	expect "dhcp/dnsmasq-$t-via-gateway" "$OUT" '^tcp: pong:ping$'
	addr=$(sed -n 's/^addr: //p' "$OUT")
	check "dhcp/dnsmasq-$t-lease-file" grep -q "$mac $addr " "$TMP/leases"
	check "dhcp/dnsmasq-$t-quiet" test ! -s "$ERR"
done
