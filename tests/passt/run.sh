#!/bin/bash
# tests/passt/run.sh — the user-mode network backend (`pith run --net user`,
# passt) and published ports (-p), docs/net.md. Needs no root and no setup:
# every connection is to 127.0.0.1 on this host, on ports picked free.
#
#  A. Bad -p specs, a host port already bound, passt missing or failing:
#     one line and status 125.
#  B. On each target: a guest TCP server (tests/netdev/tcp.c serve) reached
#     through -p, with echoes of 1000 bytes and 48 KiB (sha256-checked; kept
#     under the guest's 64 KiB receive window: Debian 12's passt can stall
#     a connection once the guest's window closes, docs/net.md);
#     two -p at once, each used; a detached instance whose ps shows its
#     published ports.
#  C. On each target: the guest's address, gateway and DNS come from
#     passt's DHCP server (tests/dhcp/lease.c: getsockname of a connected
#     UDP socket, /etc/resolv.conf, a TCP server on the host's loopback
#     through the gateway; --verbose's DHCP counters), and --ip still
#     configures it statically, with no DHCP message sent.
# Without passt installed, A's passt checks and B print SKIPPED lines.
set -u
. "$(dirname "$0")/../lib.sh"

NETDEV=$ROOT/tests/netdev
if ! limit 60 "$PITH" cc -O2 -o "$TMP/tcp" "$NETDEV/tcp.c" >"$TMP/cc.log" 2>&1 ||
	! limit 60 "$PITH" cc -O2 -o "$TMP/lease" "$ROOT/tests/dhcp/lease.c" >>"$TMP/cc.log" 2>&1; then
	fail passt/build "pith cc failed: $(head -c 400 "$TMP/cc.log")"
	exit 0
fi

# free_port [udp]: a port nothing on 127.0.0.1 uses now.
free_port() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1:] else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$@"
}

# bad NAME ERE ARG...: `pith run ARG...` refuses with 125 and one line.
bad() {
	local name=$1 re=$2 why=''

	shift 2
	limit 30 env PATH="${BAD_PATH:-$PATH}" "$PITH" run "$@" </dev/null >"$OUT" 2>"$ERR"
	rc=$?
	if sanitizer_spoke "$ERR"; then
		why="sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error' "$ERR")"
	elif [ "$rc" != 125 ]; then
		why="exit status $rc, want 125; stderr: $(head -c 200 "$ERR")"
	elif [ -s "$OUT" ]; then
		why="wrote to stdout"
	elif [ "$(wc -l <"$ERR")" != 1 ]; then
		why="want one line, got: $(head -c 300 "$ERR" | tr '\n' '|')"
	elif ! grep -qE -- "$re" "$ERR"; then
		why="message '$(cat "$ERR")' does not match /$re/"
	fi
	if [ -n "$why" ]; then fail "passt/$name" "$why"; else ok "passt/$name"; fi
}

# ---- A. the options --------------------------------------------------------

bad p-no-colon 'use \[HOSTADDR:\]HOSTPORT:GUESTPORT' -p 8080 "$TMP/tcp"
bad p-empty 'use \[HOSTADDR:\]HOSTPORT:GUESTPORT' -p :80 "$TMP/tcp"
bad p-letters 'use \[HOSTADDR:\]HOSTPORT:GUESTPORT' -p http:80 "$TMP/tcp"
bad p-port-0 'ports are 1 to 65535' -p 0:80 "$TMP/tcp"
bad p-guest-0 'ports are 1 to 65535' -p 8080:0 "$TMP/tcp"
bad p-port-big 'ports are 1 to 65535' -p 65536:80 "$TMP/tcp"
bad p-port-huge 'use \[HOSTADDR' -p 123456789:80 "$TMP/tcp"
bad p-proto 'the protocol is tcp or udp' -p 8080:80/sctp "$TMP/tcp"
bad p-addr 'not an IPv4 address' -p 1.2.3:8080:80 "$TMP/tcp"
bad p-twice 'published twice' -p 8080:80 -p 8080:81 "$TMP/tcp"
bad p-with-tap 'use it with --net user, not --net tap:x' --net tap:x -p 8080:80 "$TMP/tcp"
bad net-bogus 'use tap:NAME, fd:N, user or none' --net bogus "$TMP/tcp"
bad user-ip-32 'a prefix of 30 or less' --net user --ip 10.0.2.15/32 "$TMP/tcp"
# passt not on $PATH (pith itself by its full path).
mkdir -p "$TMP/nopasst"
BAD_PATH=$TMP/nopasst bad no-passt 'needs passt, which is not installed \(apt-get install passt\)' \
	--net user "$TMP/tcp"
# A passt that fails: its last words are reported.
mkdir -p "$TMP/badpasst"
printf '#!/bin/sh\necho "Failed to bind port: no luck" >&2\nexit 1\n' >"$TMP/badpasst/passt"
chmod +x "$TMP/badpasst/passt"
BAD_PATH=$TMP/badpasst:$PATH bad passt-fails 'passt failed \(status 1\): Failed to bind port: no luck' \
	--net user "$TMP/tcp"

if ! command -v passt >/dev/null 2>&1; then
	skip passt/all "passt is not installed (apt-get install passt; scripts/deps.sh)"
	exit 0
fi

# A host port already taken, TCP and UDP; with an address too.
python3 -c '
import socket, sys, time
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
open(sys.argv[1], "w").write("%d %d\n" % (t.getsockname()[1], u.getsockname()[1]))
time.sleep(60)' "$TMP/busy" &
holder=$!
until_file() { for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }
if until_file "$TMP/busy"; then
	read -r tport uport <"$TMP/busy"
	bad port-in-use "-p $tport:7777/tcp: host port $tport/tcp: already in use" \
		-p "$tport:7777" "$TMP/tcp" serve 7777 1
	bad port-in-use-addr "host port $tport/tcp: already in use" \
		-p "127.0.0.1:$tport:7777" "$TMP/tcp" serve 7777 1
	bad udp-port-in-use "host port $uport/udp: already in use" \
		-p "$(free_port):7777" -p "$uport:53/udp" "$TMP/tcp" serve 7777 1
	bad port-in-use-detached "host port $tport/tcp: already in use" \
		-d -p "$tport:7777" "$TMP/tcp" serve 7777 1
else
	fail passt/port-in-use "the port holder did not start"
fi
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# ---- B. a guest server reached through passt -------------------------------

# ready CMD...: until CMD's output has the guest's "listening" line, at most
# 30 s. passt takes a host connection before the guest listens; one that
# comes while the guest still waits for its DHCP lease is lost (the guest
# drops the SYN passt sends to an address it does not hold yet, and this
# passt never sends it again), so clients connect after the line. Each
# case removes the previous guest's output first: the background job
# truncates it only once it runs, and a stale line let the client in
# before the guest had its lease.
ready() {
	local end=$((SECONDS + 30))

	until "$@" 2>/dev/null | grep -qx listening; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# echo_to PORT SIZE...: connect to 127.0.0.1:PORT once per SIZE, send SIZE
# bytes and read the echo; prints "SIZE True" for each one returned whole.
echo_to() {
	limit 60 python3 -c '
import hashlib, socket, sys, threading, time
port = int(sys.argv[1])
for i, size in enumerate(int(a) for a in sys.argv[2:]):
    for attempt in range(200):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
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
    s.close()
    print(size, hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest())
' "$@"
}

for t in $(targets); do
	# One port: two connections.
	port=$(free_port)
	rm -f "$TMP/g.out"
	limit 60 "$PITH" run --target "$t" --net user -p "$port:7777" "$TMP/tcp" serve 7777 2 \
		</dev/null >"$TMP/g.out" 2>"$TMP/g.err" &
	gpid=$!
	ready cat "$TMP/g.out"
	echo_to "$port" 1000 49152 >"$TMP/p.out" 2>&1
	wait "$gpid"
	grc=$?
	if [ "$grc" = 0 ] && [ "$(grep -c ' True$' "$TMP/p.out")" = 2 ] &&
		grep -qx 'echoed 49152' "$TMP/g.out" && ! sanitizer_spoke "$TMP/g.err"; then
		ok "passt/$t-tcp-server"
	else
		fail "passt/$t-tcp-server" "status $grc; guest: $(head -c 300 "$TMP/g.out" "$TMP/g.err" |
			tr '\n' '|'); peer: $(head -c 300 "$TMP/p.out" | tr '\n' '|')"
	fi
	# passt ended with pith (--one-off): nothing left listening.
	if python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' \
		"$port" 2>/dev/null; then
		ok "passt/$t-port-released"
	else
		sleep 1
		check "passt/$t-port-released" python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' "$port"
	fi

	# Two -p at once (one with the host address given), each used; and
	# -p alone implies --net user.
	p1=$(free_port) p2=$(free_port)
	rm -f "$TMP/g.out"
	limit 60 "$PITH" run --target "$t" -p "$p1:7777" -p "127.0.0.1:$p2:7777" \
		-p "$(free_port udp):53/udp" "$TMP/tcp" serve 7777 2 \
		</dev/null >"$TMP/g.out" 2>"$TMP/g.err" &
	gpid=$!
	ready cat "$TMP/g.out"
	echo_to "$p1" 3000 >"$TMP/p.out" 2>&1
	echo_to "$p2" 40000 >>"$TMP/p.out" 2>&1
	wait "$gpid"
	grc=$?
	if [ "$grc" = 0 ] && [ "$(grep -c ' True$' "$TMP/p.out")" = 2 ] &&
		! sanitizer_spoke "$TMP/g.err"; then
		ok "passt/$t-two-ports"
	else
		fail "passt/$t-two-ports" "status $grc; guest: $(head -c 300 "$TMP/g.out" "$TMP/g.err" |
			tr '\n' '|'); peer: $(head -c 300 "$TMP/p.out" | tr '\n' '|')"
	fi
done

# ---- a detached instance: -p forwarded, ports in ps -------------------------

port=$(free_port)
p run -d --name pub -p "$port:7777" "$TMP/tcp" serve 7777 1
if [ "$rc" != 0 ]; then
	fail passt/detached "run -d: status $rc: $(head -c 300 "$ERR")"
else
	"$PITH_REL" ps -a >"$TMP/ps.out" 2>&1
	check passt/detached-ps grep -q "$port->7777/tcp" "$TMP/ps.out"
	ready "$PITH_REL" logs pub
	echo_to "$port" 5000 >"$TMP/p.out" 2>&1
	check passt/detached-echo grep -qx '5000 True' "$TMP/p.out"
	for _ in $(seq 200); do
		"$PITH_REL" ps -a --format json | grep -q '"exited"' && break
		sleep 0.05
	done
	"$PITH_REL" ps -a --format json >"$TMP/ps.json" 2>&1
	check passt/detached-exited grep -q '"exit_code": 0' "$TMP/ps.json"
	"$PITH_REL" rm -f pub >/dev/null 2>&1
fi

# ---- C. the guest's configuration from passt's DHCP server ----------------

# A host server on loopback that answers "pong:" and what it got, to each
# of 4 connections; the guest reaches it at the gateway, 10.0.2.2.
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(4); s.settimeout(120)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
__import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
for _ in range(4):
    c, _ = s.accept(); c.settimeout(10); c.sendall(b"pong:" + c.recv(100)); c.close()' \
	"$TMP/sport" &
server=$!
# passt's DHCP offers the host's first IPv4 nameserver; a loopback one
# becomes the gateway (which passt maps to the host).
want_dns=$(awk '$1 == "nameserver" && $2 ~ /^[0-9.]+$/ { print $2; exit }' /etc/resolv.conf)
case $want_dns in 127.*) want_dns=10.0.2.2 ;; esac
if until_file "$TMP/sport"; then
	sport=$(cat "$TMP/sport")
	for t in $(targets); do
		limit 60 "$PITH" run --verbose --target "$t" --net user "$TMP/lease" 10.0.2.2 \
			"$sport" </dev/null >"$TMP/l.out" 2>"$TMP/l.err"
		grc=$?
		got="status $grc; $(tr '\n' '|' <"$TMP/l.out"); $(grep -m3 dhcp_ "$TMP/l.err" | tr '\n' '|')"
		if [ "$grc" = 0 ] && grep -qx 'addr: 10.0.2.15' "$TMP/l.out" &&
			grep -qx 'tcp: pong:ping' "$TMP/l.out" && ! sanitizer_spoke "$TMP/l.err"; then
			ok "passt/$t-dhcp-address"
		else
			fail "passt/$t-dhcp-address" "$got"
		fi
		if [ -z "$want_dns" ]; then
			skip "passt/$t-dhcp-dns" "the host's /etc/resolv.conf names no IPv4 nameserver"
		elif [ "$(grep '^resolv: nameserver' "$TMP/l.out")" = "resolv: nameserver $want_dns" ]; then
			ok "passt/$t-dhcp-dns"
		else
			fail "passt/$t-dhcp-dns" "want nameserver $want_dns only; $got"
		fi
		if grep -qx 'pith: net: dhcp_bound 1' "$TMP/l.err" &&
			grep -qx 'pith: net: dhcp_rx 2' "$TMP/l.err"; then
			ok "passt/$t-dhcp-counters"
		else
			fail "passt/$t-dhcp-counters" "want dhcp_rx 2 (offer, ACK) and dhcp_bound 1; $got"
		fi
		# Static: --ip alone, the gateway the subnet's first address
		# and the DNS the gateway; no DHCP at all.
		limit 60 "$PITH" run --verbose --target "$t" --net user --ip 10.0.2.20/24 \
			--gw 10.0.2.2 "$TMP/lease" 10.0.2.2 "$sport" </dev/null >"$TMP/l.out" 2>"$TMP/l.err"
		grc=$?
		if [ "$grc" = 0 ] && grep -qx 'addr: 10.0.2.20' "$TMP/l.out" &&
			grep -qx 'resolv: nameserver 10.0.2.2' "$TMP/l.out" &&
			grep -qx 'tcp: pong:ping' "$TMP/l.out" && ! grep -q 'net: dhcp_' "$TMP/l.err" &&
			! sanitizer_spoke "$TMP/l.err"; then
			ok "passt/$t-static-ip"
		else
			fail "passt/$t-static-ip" "status $grc; $(tr '\n' '|' <"$TMP/l.out"); $(grep -m3 dhcp_ "$TMP/l.err" | tr '\n' '|')"
		fi
	done
else
	fail passt/dhcp-server "the host server did not start"
fi
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null # 143: the kill above, not a failure
exit 0
