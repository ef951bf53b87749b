#!/bin/bash
# tests/site/run.sh — what issue 4 promises a newcomer: a Pithfile for a
# static web site (examples/site), `pith build`, `pith run -d -p`, and
# ps / logs / stop / rm / rmi as with a container. Without root: the port
# is published by passt (--net user); traffic only to 127.0.0.1.
set -u
. "$(dirname "$0")/../lib.sh"

if ! command -v passt >/dev/null; then
	skip site "passt is not installed (apt-get install passt)"
	exit 0
fi
cp -R "$ROOT/examples/site" "$TMP/site"
p build -q -t site "$TMP/site"
check site/build [ "$rc" = 0 ]
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

for t in $(targets); do
	p run -d --name web --target "$t" -p "$port:8080" site
	check "site/$t/run-d" [ "$rc" = 0 ] && [ "$(cat "$OUT")" = web ]
	# Two requests on one connection, then a missing page.
	limit 30 python3 - "$port" "$TMP/site/www/index.html" >"$TMP/http.out" 2>&1 <<'PY'
import http.client, sys, time
port, index = int(sys.argv[1]), open(sys.argv[2], "rb").read()
for attempt in range(200):  # until the instance serves (at most 10 s)
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("GET", "/")
        r = c.getresponse()
        break
    except OSError:
        time.sleep(0.05)
body = r.read()
print("first", r.status, body == index)
c.request("GET", "/index.html")
r = c.getresponse()
print("again", r.status, r.read() == index, r.getheader("Content-Type"))
c.request("GET", "/missing")
r = c.getresponse()
print("missing", r.status, r.read())
PY
	check "site/$t/serves" grep -qx 'first 200 True' "$TMP/http.out"
	check "site/$t/keep-alive" grep -qx 'again 200 True text/html' "$TMP/http.out"
	check "site/$t/404" grep -qx "missing 404 b'not found\\\\n'" "$TMP/http.out"
	p ps
	check "site/$t/ps" grep -qE "^web +site +Up .*$port->8080/tcp" "$OUT"
	p logs web
	check "site/$t/logs" grep -qx 'GET / 200' "$OUT" && grep -qx 'GET /missing 404' "$OUT"
	p stop web
	check "site/$t/stop-handler" [ "$rc" = 0 ] && "$PITH" logs web | grep -qx stopping &&
		[ "$("$PITH" ps -a --format json | python3 -c 'import json,sys; print([r["exit_code"] for r in json.load(sys.stdin) if r["name"] == "web"][0])')" = 0 ]
	p rm web
	check "site/$t/rm" [ "$rc" = 0 ]
done
p rmi site
check site/rmi [ "$rc" = 0 ]
