#!/bin/bash
# tests/hostile-net/run.sh — hostile input against pith's stack (issue 3).
#
# On each target, the example web server (examples/site) runs with a
# static address on a tap in a network namespace this suite creates and
# removes; from inside it tests/hostile-net/hostile.py (scapy) sends
# volleys of malformed and adversarial frames while a curl loop fetches
# the home page (every fetch must succeed, bytes compared):
#   malformed  bad IP/TCP/UDP/ICMP checksums, truncated IP/TCP/UDP/ICMP
#              headers, IHL and total-length lies, VLAN, unknown
#              EtherType, other MAC, martian source, not our address
#   options    bogus IP options (zero-length, overlong, overlapping) on
#              echoes; malformed and contradicting TCP options on SYNs
#   fragments  1,500 incomplete datagrams, 8-byte fragment floods,
#              overlaps, fragments past 65,535 bytes
#   arp        short, wrong format and operation, multicast sender, our
#              address claimed, unsolicited replies
#   injection  on a live keep-alive connection of the test's own: RST
#              in window (challenge ACK), out of window, SYN in window,
#              out-of-window data, ACKs of unsent and too-old data — each
#              answered and survived — then the exact RST that ends it
#   synflood   4,000 SYNs from spoofed addresses of the namespace's /16
#              (no neighbour has them: nothing answers, nothing leaves),
#              a real client connecting in the middle (SYN cookies)
# After each volley: the guest runs and curl fetches the page. At the end
# (SIGTERM) `pith run --verbose` prints the stack's counters and memory:
# each volley's drop counters moved, cookies were sent and accepted, the
# stack's peak memory stayed under its caps' sum, and no sanitizer spoke.
# Without root, ip netns, /dev/net/tun, curl or scapy: SKIPPED lines.
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$ROOT/tests/hostile-net
PY=/usr/bin/python3
NS=pith-hostile-$$
TAP=phost$$
GIP=10.213.0.2
GMAC=02:00:00:21:30:02
# The stack's peak memory: reassembly's cap (256 KiB) + the ARP queue's
# (256 KiB, SYN-ACKs to the flood's spoofed sources wait there) + the few
# connections open at once (curl's, the injection's, the flood's client,
# one closing: about 4 x 128 KiB of rings) = 1 MiB, with slack to 2 MiB.
# Memory per forged SYN (4,000) or per fragment would break it many times.
MEM_BOUND=$((2 * 1024 * 1024))

why=''
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null; then
	why="needs root, ip netns and /dev/net/tun"
elif ! command -v curl >/dev/null || ! "$PY" -c 'import scapy.all' 2>/dev/null; then
	why="needs curl and $PY with scapy (python3-scapy)"
elif ! ip netns add "$NS" 2>"$TMP/ns.err"; then
	why="ip netns add failed: $(head -c 100 "$TMP/ns.err")"
fi
if [ -n "$why" ]; then
	skip hostile-net "$why"
	exit 0
fi
guest=''
cleanup() {
	[ -n "$guest" ] && kill "$guest" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
ns() { ip netns exec "$NS" "$@"; }
ip -n "$NS" tuntap add dev "$TAP" mode tap &&
	ns sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1" &&
	ip -n "$NS" addr add 10.213.0.1/16 dev "$TAP" &&
	ip -n "$NS" link set "$TAP" up &&
	ip -n "$NS" link set lo up

cp -R "$ROOT/examples/site" "$TMP/site"
if ! "$PITH" cc -O2 -o "$TMP/site/site" "$TMP/site/server.c" >"$TMP/cc.log" 2>&1 ||
	! "$PITH" cc -O2 -o "$TMP/die" "$HERE/die.c" >>"$TMP/cc.log" 2>&1; then
	fail hostile-net/build "pith cc failed: $(head -c 300 "$TMP/cc.log")"
	exit 0
fi
INDEX=$TMP/site/www/index.html
WANT=$(sha256sum <"$INDEX")

# fetch: one curl of the home page, bytes checked; 0 when right.
fetch() {
	[ "$(ns curl -s --max-time 10 "http://$GIP:8080/" | sha256sum)" = "$WANT" ]
}

# stat NAME: the counter's value at the guest's exit (0 when absent).
stat() {
	local v
	v=$(sed -n "s/^pith: net: $1 \([0-9]*\)$/\1/p" "$TMP/g.err" | tail -n1)
	echo "${v:-0}"
}

# moved NAME COUNTER...: ok when every counter is above zero.
moved() {
	local name=$1 c bad=''

	shift
	for c in "$@"; do
		[ "$(stat "$c")" -gt 0 ] || bad="$bad $c"
	done
	if [ -z "$bad" ]; then ok "$name"; else fail "$name" "did not move:$bad"; fi
}

for t in $(targets); do
	T=hostile-net/$t
	# The guest's root is the www directory, files as the Pithfile puts them.
	# ip netns exec execs pith: $! is pith itself, which the checks and
	# the SIGTERM below reach (a backgrounded shell function would be a
	# subshell that dies of the signal without passing it on).
	ip netns exec "$NS" "$PITH" run --verbose --target "$t" --net "tap:$TAP" --mac "$GMAC" \
		--ip "$GIP/16" --gw 10.213.0.1 -v "$TMP/site/www:/srv/www:ro" "$TMP/site/site" --root /srv/www \
		--port 8080 >"$TMP/g.out" 2>"$TMP/g.err" &
	guest=$!
	up=0
	for _ in $(seq 100); do # until it serves (at most 20 s)
		if fetch; then up=1; break; fi
		sleep 0.2
	done
	if [ "$up" != 1 ]; then
		fail "$T/serves" "no page: $(head -c 300 "$TMP/g.err")"
		kill "$guest" 2>/dev/null
		wait "$guest"
		guest=''
		continue
	fi
	ok "$T/serves"

	# The curl loop: every fetch must succeed until it is told to stop.
	rm -f "$TMP/stop" "$TMP/fetch.bad"
	: >"$TMP/fetch.n"
	(
		while [ ! -e "$TMP/stop" ]; do
			if fetch; then echo >>"$TMP/fetch.n"; else echo >>"$TMP/fetch.bad"; fi
		done
	) &
	loop=$!

	for v in malformed options fragments arp injection synflood; do
		SEED=$$ limit 120 ip netns exec "$NS" "$PY" "$HERE/hostile.py" "$v" "$TAP" "$GIP" "$GMAC" 8080 \
			>"$TMP/v.out" 2>&1
		rc=$?
		if [ "$rc" = 0 ] && grep -q '^sent [0-9]' "$TMP/v.out"; then
			ok "$T/$v-sent"
		else
			fail "$T/$v-sent" "status $rc: $(head -c 300 "$TMP/v.out" | tr '\n' '|')"
		fi
		while read -r name verdict rest; do
			case $verdict in
			ok) ok "$T/$v/$name" ;;
			FAIL) fail "$T/$v/$name" "$rest" ;;
			esac
		done < <(grep -E '^[a-z-]+ (ok|FAIL)' "$TMP/v.out")
		check "$T/$v-guest-runs" kill -0 "$guest"
		check "$T/$v-then-serves" fetch
	done
	touch "$TMP/stop"
	wait "$loop"
	n=$(wc -l <"$TMP/fetch.n")
	if [ -s "$TMP/fetch.bad" ]; then
		fail "$T/curl-throughout" "$(wc -l <"$TMP/fetch.bad") of $((n + $(wc -l <"$TMP/fetch.bad"))) fetches failed"
	elif [ "$n" -lt 5 ]; then
		fail "$T/curl-throughout" "only $n fetches during the volleys"
	else
		ok "$T/curl-throughout"
	fi

	kill -TERM "$guest"
	limit 30 tail --pid="$guest" -f /dev/null
	wait "$guest"
	rc=$?
	guest=''
	check "$T/exit-0" [ "$rc" = 0 ]
	if sanitizer_spoke "$TMP/g.err"; then
		fail "$T/sanitizers" "$(grep -m1 -E 'Sanitizer|runtime error' "$TMP/g.err")"
	else
		ok "$T/sanitizers"
	fi
	# (eth_short cannot come through a tap: Linux pads a frame to a header)
	moved "$T/malformed-counted" ip_checksum tcp_checksum udp_checksum icmp_checksum \
		ip_short ip_hlen ip_version tcp_short tcp_hlen udp_short icmp_short \
		eth_vlan eth_type eth_not_us ip_martian_src ip_not_us
	moved "$T/options-counted" tcp_opt_bad icmp_echo_tx
	moved "$T/fragments-counted" ip_reasm_evicted ip_frag_overlap ip_frag_dead ip_frag_bad
	moved "$T/arp-counted" arp_short arp_format arp_op arp_bad_sender arp_conflict \
		arp_unsolicited
	moved "$T/injection-counted" tcp_rst_challenge tcp_rst_ignored tcp_syn_challenge \
		tcp_seq_bad tcp_ack_bad tcp_rst_rx
	moved "$T/synflood-cookies" tcp_syncookie_tx tcp_syncookie_ok
	peak=$(stat mem_peak)
	if [ "$peak" -gt 0 ] && [ "$peak" -le "$MEM_BOUND" ]; then
		ok "$T/memory-bounded"
	else
		fail "$T/memory-bounded" "peak $peak bytes, bound $MEM_BOUND"
	fi

	# A program the kernel ends with a signal's default action (abort):
	# --verbose still prints the counters, and its datagram is one of them.
	limit 30 ip netns exec "$NS" "$PITH" run --verbose --target "$t" --net "tap:$TAP" \
		--ip "$GIP/16" "$TMP/die" >"$TMP/die.out" 2>"$TMP/die.err"
	rc=$?
	if [ "$rc" != 134 ]; then
		fail "$T/abort-counters" "status $rc, want 134: $(head -c 200 "$TMP/die.err")"
	elif ! grep -q '^pith: net: udp_tx 1$' "$TMP/die.err" ||
		! grep -q '^pith: net: mem_peak [0-9]' "$TMP/die.err"; then
		fail "$T/abort-counters" "no counters: $(head -c 200 "$TMP/die.err" | tr '\n' '|')"
	else
		ok "$T/abort-counters"
	fi
	echo "   $t: $n fetches; stack memory peak $peak, at exit $(stat mem_bytes) bytes;" \
		"cookies $(stat tcp_syncookie_tx) sent, $(stat tcp_syncookie_ok) accepted"
done
