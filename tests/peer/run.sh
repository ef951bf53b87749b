#!/bin/bash
# tests/peer/run.sh — pith's TCP/IP stack against Linux's, and the network
# examples (examples/echo, examples/fetch, examples/site), on both targets.
#
# The suite makes its own network namespace with a tap in it (10.214.0.1
# is Linux, the guest is 10.214.0.2 by --ip); every packet stays inside
# it. Linux's own tools are the peer: ping, curl, nc, wrk, dnsmasq,
# python3 (tests/peer/peer.py), and tests/peer/impair.py for netem's
# impairments (this machine's kernel has no sch_netem). Per target:
#   ping        plain, 1472 bytes (a full frame), 8000 and 65507 (fragments)
#   closed port curl to a port the guest does not serve is refused (RST)
#   half-close  nc -N: Linux shuts its side, the echo still comes back whole
#   upload      100 MiB Linux -> guest through the TCP echo, sha256 back
#   impaired    2 MiB echoed through loss 1 % and 5 %, delay with jitter,
#               reorder, duplication and all at once, both directions; the
#               relay's counts show each impairment happened
#   many        1,000 connections open at once to the echo server, all served
#   udp         datagrams of 1 to 65,507 bytes echoed; the big one fragmented
#   http        examples/site on a volume: keep-alive (one connection for
#               three URLs), 404, a 100 MiB download with sha256
#   client      examples/fetch from a Linux HTTP server: Content-Length,
#               chunked, 404 (status 1), refused (ECONNREFUSED), a name
#               through musl's resolver and dnsmasq in the namespace
#   wrk         30 s against examples/site: requests served, no socket
#               errors, no non-2xx answers
# Without root, ip netns or /dev/net/tun: one SKIPPED line.
set -u
. "$(dirname "$0")/../lib.sh"

HERE=$ROOT/tests/peer
EX=$ROOT/examples
for prog in echo/tcp-echo echo/udp-echo fetch/fetch site/server; do
	if ! limit 120 "$PITH" cc -O2 -Wall -Werror -o "$TMP/$(basename "$prog")" "$EX/$prog.c" \
		>"$TMP/cc.log" 2>&1; then
		fail "peer/build-$(basename "$prog")" "pith cc failed: $(head -c 400 "$TMP/cc.log")"
		exit 0
	fi
done
ok peer/build-examples

NS=pith-peer-$$
TAP=pp$$
GIP=10.214.0.2
LIP=10.214.0.1
if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null ||
	! ip netns add "$NS" 2>"$TMP/ns.err"; then
	skip peer/all "needs root, ip netns and /dev/net/tun ($(head -c 100 "$TMP/ns.err" 2>/dev/null))"
	exit 0
fi
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
ns() { ip netns exec "$NS" "$@"; }
ip -n "$NS" tuntap add dev "$TAP" mode tap &&
	ns sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1" &&
	ip -n "$NS" addr add "$LIP/24" dev "$TAP" &&
	ip -n "$NS" link set "$TAP" up &&
	ip -n "$NS" link set lo up
GNET=(--net "tap:$TAP" --ip "$GIP/24" --gw "$LIP" --dns "$LIP")
# The impaired link: Linux is 10.215.0.1 on a second tap that impair.py
# holds; the guest's tap answers no ARP for it, and frames for the second
# tap's MAC are not the first tap's, so Linux hears the guest only
# through the relay.
ITAP=pq$$
IGIP=10.215.0.2
ILIP=10.215.0.1
ip -n "$NS" tuntap add dev "$ITAP" mode tap &&
	ns sysctl -qw "net.ipv6.conf.$ITAP.disable_ipv6=1" &&
	ns sysctl -qw "net.ipv4.conf.$TAP.arp_ignore=1" &&
	ip -n "$NS" addr add "$ILIP/24" dev "$ITAP" &&
	ip -n "$NS" link set "$ITAP" up

# The files served both ways: pages, 1 MiB, 2 MiB and 100 MiB of random.
WWW=$TMP/www
mkdir -p "$WWW"
echo '<h1>peer</h1>' >"$WWW/index.html"
echo 'page two' >"$WWW/two.html"
head -c 1M /dev/urandom >"$WWW/mid"
head -c 2M /dev/urandom >"$WWW/two-mib"
head -c 100M /dev/urandom >"$WWW/big"
BIGSUM=$(sha256sum <"$WWW/big")

# start NAME READY-ERE ARG...: a guest in the background (pid in $gpid,
# output in $TMP/NAME.out/err) once it printed READY-ERE; false if not.
start() {
	local name=$1 ready=$2

	shift 2
	timeout -k 5 600 ip netns exec "$NS" "$PITH" run "${GNET[@]}" "$@" \
		</dev/null >"$TMP/$name.out" 2>"$TMP/$name.err" &
	gpid=$!
	for _ in $(seq 300); do
		grep -qE "$ready" "$TMP/$name.out" && return 0
		kill -0 "$gpid" 2>/dev/null || break
		sleep 0.1
	done
	fail "peer/$name" "guest did not start: $(head -c 300 "$TMP/$name.err" | tr '\n' '|')"
	return 1
}

# finish NAME [STATUS]: wait for the guest (ending it first unless STATUS
# is given) and check its status and that no sanitizer spoke.
finish() {
	local name=$1 want=${2:-}

	[ -n "$want" ] || kill "$gpid" 2>/dev/null
	wait "$gpid"
	grc=$?
	if sanitizer_spoke "$TMP/$name.err"; then
		fail "peer/$name-clean" "sanitizer: $(grep -m1 -E 'Sanitizer|runtime error' "$TMP/$name.err")"
	elif [ -n "$want" ] && [ "$grc" != "$want" ]; then
		fail "peer/$name-status" "status $grc, want $want: $(tail -c 300 "$TMP/$name.err" | tr '\n' '|')"
	else
		ok "peer/$name-clean"
	fi
}

# echo_through NAME FILE [ADDR]: FILE through the guest's echo with nc -N,
# sha256 checked.
echo_through() {
	local name=$1 file=$2 got

	got=$(limit 300 ip netns exec "$NS" nc -N "${3:-$GIP}" 7 <"$file" | sha256sum)
	if [ "$got" = "$(sha256sum <"$file")" ]; then
		ok "peer/$name"
	else
		fail "peer/$name" "echo of $(stat -c %s "$file") bytes differs (sha256 $got)"
	fi
}

# pings NAME SIZE: three echo requests of SIZE bytes, all answered.
pings() {
	limit 30 ip netns exec "$NS" ping -n -q -c 3 -i 0.2 -W 5 -s "$2" "$GIP" >"$TMP/ping.out" 2>&1
	check "peer/$1" grep -q ' 3 received' "$TMP/ping.out"
}

for t in $(targets); do
	T0=$(date +%s)
	# ---- the TCP echo server: ping, refused, half-close, upload, netem
	if start "$t-echo" '^echoing on port 7$' --target "$t" "$TMP/tcp-echo"; then
		pings "$t-ping" 56
		pings "$t-ping-1472" 1472
		pings "$t-ping-8000-fragmented" 8000
		pings "$t-ping-65507-fragmented" 65507
		code=$(limit 30 ip netns exec "$NS" curl -s -o /dev/null -w '%{http_code}' \
			"http://$GIP:9/")
		check "peer/$t-closed-port-refused" [ "$?" = 7 ] && [ "$code" = 000 ]
		# Half-close: 1 MiB is still being echoed long after Linux's FIN.
		echo_through "$t-half-close" "$WWW/mid"
		s0=$(date +%s)
		echo_through "$t-upload-100m" "$WWW/big"
		echo "   $t: 100 MiB echoed in $(($(date +%s) - s0)) s"
		finish "$t-echo"
	fi

	# ---- impaired link: examples/echo through tests/peer/impair.py
	# (user-space netem: this kernel has no sch_netem) on a second subnet
	if start "$t-impaired" '^echoing on port 7$' --target "$t" --ip "$IGIP/24" --gw "$ILIP" \
		"$TMP/tcp-echo"; then
		seed=1
		for q in 'loss=0.01' 'loss=0.05' 'delay=20 jitter=5' 'delay=10 reorder=0.25' \
			'dup=0.05' 'loss=0.02 dup=0.02 delay=5 reorder=0.1'; do
			name="$t-impaired-$(echo "$q" | tr ' =' '-')"
			rm -f "$TMP/impair.ready"
			# shellcheck disable=SC2086 # the options are words
			timeout -k 5 300 ip netns exec "$NS" /usr/bin/python3 "$HERE/impair.py" "$TAP" \
				"$ITAP" $((seed++)) "$TMP/impair.ready" $q >"$TMP/impair.out" 2>&1 &
			ipid=$!
			for _ in $(seq 100); do
				[ -e "$TMP/impair.ready" ] && break
				sleep 0.1
			done
			s0=$(date +%s)
			echo_through "$name" "$WWW/two-mib" "$IGIP"
			kill "$ipid"
			wait "$ipid"
			# The impairments happened: each asked for moved its count.
			st=$(cat "$TMP/impair.out")
			echo "   $name: $(($(date +%s) - s0)) s, $st"
			why=''
			case $q in *loss*) [[ $st == *' dropped 0 '* ]] && why='nothing dropped' ;; esac
			case $q in *dup*) [[ $st == *' duplicated 0 '* ]] && why='nothing duplicated' ;; esac
			case $q in *reorder*) [[ $st == *' reordered 0' ]] && why='nothing reordered' ;; esac
			[[ $st == frames* ]] || why="no statistics: $st"
			if [ -n "$why" ]; then fail "peer/$name-impaired" "$why"; else ok "peer/$name-impaired"; fi
		done
		finish "$t-impaired"
	fi

	# ---- 1,000 connections at once (4 KiB buffers a side in the guest)
	if start "$t-many" '^echoing on port 7$' --target "$t" "$TMP/tcp-echo" -b 4096 -n 1000; then
		limit 200 ip netns exec "$NS" /usr/bin/python3 "$HERE/peer.py" many "$GIP" 7 1000 2000 \
			>"$TMP/many.out" 2>&1
		check "peer/$t-1000-connections" grep -qx 'served 1000 of 1000' "$TMP/many.out"
		finish "$t-many" 0
		check "peer/$t-1000-connections-guest-count" \
			grep -qx 'echoed 2000000 bytes in 1000 connections' "$TMP/$t-many.out"
	fi

	# ---- UDP up to 65,507 bytes, fragmented on the tap both ways
	if start "$t-udp" '^echoing on port 7$' --target "$t" "$TMP/udp-echo" -n 6; then
		rx0=$(ns cat "/sys/class/net/$TAP/statistics/rx_packets")
		tx0=$(ns cat "/sys/class/net/$TAP/statistics/tx_packets")
		limit 60 ip netns exec "$NS" /usr/bin/python3 "$HERE/peer.py" udp "$GIP" 7 \
			1 1472 1473 8000 40000 65507 >"$TMP/udp.out" 2>&1
		rx=$(($(ns cat "/sys/class/net/$TAP/statistics/rx_packets") - rx0))
		tx=$(($(ns cat "/sys/class/net/$TAP/statistics/tx_packets") - tx0))
		check "peer/$t-udp-up-to-65507" [ "$(grep -c ' ok$' "$TMP/udp.out")" = 6 ]
		# 1+1+2+6+28+45 = 83 fragments each way at least
		check "peer/$t-udp-fragmented-both-ways" [ "$rx" -ge 83 ] && [ "$tx" -ge 83 ]
		finish "$t-udp" 0
	fi

	# ---- examples/site: keep-alive, 404, 100 MiB download; wrk
	if start "$t-site" '^serving' --target "$t" -v "$WWW:/srv/www:ro" "$TMP/server" \
		--root /srv/www --port 8080; then
		U=http://$GIP:8080
		got=$(limit 30 ip netns exec "$NS" curl -s -o /dev/null -o /dev/null -o /dev/null \
			-w '%{http_code}:%{num_connects} ' "$U/" "$U/two.html" "$U/index.html")
		check "peer/$t-curl-keep-alive" [ "$got" = '200:1 200:0 200:0 ' ]
		got=$(limit 30 ip netns exec "$NS" curl -s "$U/two.html")
		check "peer/$t-curl-body" [ "$got" = 'page two' ]
		got=$(limit 30 ip netns exec "$NS" curl -s -o /dev/null -w '%{http_code}' "$U/nope")
		check "peer/$t-curl-404" [ "$got" = 404 ]
		s0=$(date +%s)
		got=$(limit 300 ip netns exec "$NS" curl -s "$U/big" | sha256sum)
		check "peer/$t-download-100m" [ "$got" = "$BIGSUM" ]
		echo "   $t: 100 MiB downloaded in $(($(date +%s) - s0)) s"
		secs=30
		limit $((secs + 30)) ip netns exec "$NS" wrk -t2 -c32 -d${secs}s "$U/index.html" \
			>"$TMP/wrk.out" 2>&1
		n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$TMP/wrk.out")
		echo "   $t: wrk ${secs} s: $(grep -E 'Requests/sec|requests in' "$TMP/wrk.out" | tr -s ' \n' ' ')"
		check "peer/$t-wrk-${secs}s-no-errors" [ "${n:-0}" -gt 0 ] &&
			! grep -qE 'Socket errors|Non-2xx' "$TMP/wrk.out"
		finish "$t-site"
	fi

	# ---- examples/fetch: the guest as a client of Linux
	rm -f "$TMP/httpd.ready"
	timeout -k 5 300 ip netns exec "$NS" /usr/bin/python3 "$HERE/peer.py" httpd "$LIP" 8000 "$WWW" \
		"$TMP/httpd.ready" >"$TMP/httpd.log" 2>&1 &
	hpid=$!
	timeout -k 5 300 ip netns exec "$NS" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
		--bind-interfaces --listen-address="$LIP" --except-interface=lo \
		--address="/name.test/$LIP" --pid-file="$TMP/dnsmasq.pid" --user=root \
		>"$TMP/dnsmasq.log" 2>&1 &
	dpid=$!
	for _ in $(seq 100); do
		[ -e "$TMP/httpd.ready" ] && break
		sleep 0.1
	done
	# fetch NAME STATUS URL: the guest fetches; stdout to $TMP/fetch.out
	fetch() {
		limit 60 ip netns exec "$NS" "$PITH" run --target "$t" "${GNET[@]}" "$TMP/fetch" "$3" \
			</dev/null >"$TMP/fetch.out" 2>"$TMP/fetch.err"
		frc=$?
		if sanitizer_spoke "$TMP/fetch.err" || [ "$frc" != "$2" ]; then
			fail "peer/$1" "status $frc, want $2: $(head -c 300 "$TMP/fetch.err" | tr '\n' '|')"
			return 1
		fi
	}
	fetch "$t-fetch" 0 "http://$LIP:8000/mid" &&
		check "peer/$t-fetch" cmp -s "$TMP/fetch.out" "$WWW/mid"
	fetch "$t-fetch-chunked" 0 "http://$LIP:8000/chunked/mid" &&
		check "peer/$t-fetch-chunked" cmp -s "$TMP/fetch.out" "$WWW/mid"
	fetch "$t-fetch-404" 1 "http://$LIP:8000/nope" &&
		check "peer/$t-fetch-404" [ "$(wc -l <"$TMP/fetch.err")" = 1 ] &&
		grep -q 'HTTP 404' "$TMP/fetch.err" && [ ! -s "$TMP/fetch.out" ]
	fetch "$t-fetch-refused" 1 "http://$LIP:9/" &&
		check "peer/$t-fetch-refused" grep -qx "fetch: http://$LIP:9/: connect: Connection refused" \
			"$TMP/fetch.err"
	fetch "$t-fetch-dns" 0 "http://www.name.test:8000/two.html" &&
		check "peer/$t-fetch-dns" [ "$(cat "$TMP/fetch.out")" = 'page two' ]
	fetch "$t-fetch-dns-unknown" 1 "http://nowhere.invalid:8000/" &&
		check "peer/$t-fetch-dns-unknown" grep -q 'cannot resolve' "$TMP/fetch.err"
	kill "$hpid" "$dpid" 2>/dev/null
	wait "$hpid" "$dpid" 2>/dev/null
	echo "   $t: $(($(date +%s) - T0)) s"
done
