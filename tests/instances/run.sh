#!/bin/bash
# tests/instances/run.sh — detached instances end to end: pith run -d,
# ps, logs (-f, --tail, rotation), stop (with and without a handler,
# and past its timeout), kill, rm, --restart, --rm, inspect; the state
# after kill -9 of the monitor or of the supervisor; names taken by
# concurrent commands; every error the commands document.
set -u
. "$(dirname "$0")/../lib.sh"

cd "$TMP" || exit 1
if ! limit 60 "$PITH" cc -O2 -o prog "$ROOT/tests/instances/prog.c"; then
	fail instances/build "cannot build prog.c"
	exit 0
fi
IDIR=$PITH_HOME/instances

# until SECONDS CMD...: until CMD succeeds, at most SECONDS; false if not.
until_ok() {
	local end=$((SECONDS + $1))

	shift
	while ! "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# field NAME KEY: a field of instance NAME from ps --format json.
field() {
	"$PITH_REL" ps -a --format json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["name"] == sys.argv[1]:
        v = r[sys.argv[2]]
        print("null" if v is None else v)' "$1" "$2"
}
status_is() { [ "$(field "$1" status)" = "$2" ]; }
gone() { [ ! -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# ---- run -d, ps, logs --------------------------------------------------------

p run -d --name web ./prog serve
check run-d/prints-name [ "$rc" = 0 ] && [ "$(cat "$OUT")" = web ]
check run-d/running status_is web running
pid=$(field web pid)
check run-d/monitor-alive [ -n "$pid" ] && [ -d "/proc/$pid" ]
p ps
check ps/lists grep -qE '^web +\./prog +Up [0-9]+ seconds? +- +128 MiB$' "$OUT"
until_ok 10 grep -q 'tick 3' "$IDIR/web/log"
p logs web
check logs/stdout-only [ "$rc" = 0 ] && grep -qx 'tick 3' "$OUT" && ! grep -q err "$OUT"
check logs/stderr-only grep -qx 'err 3' "$ERR" && ! grep -q tick "$ERR"
limit 10 "$PITH" logs --tail 3 web >tail.out 2>&1
check logs/tail [ "$(wc -l <tail.out)" = 3 ]
limit 10 "$PITH" logs --tail 0 web >tail.out 2>&1
check logs/tail-0 [ ! -s tail.out ]
limit 10 "$PITH" logs -t --tail 2 web >tail.out 2>/dev/null
check logs/timestamps [ "$(grep -cE '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{9}Z tick [0-9]+$' tail.out)" -ge 1 ]

# logs -f follows until the instance ends, and sees its last words.
limit 30 "$PITH" logs -f web >follow.out 2>/dev/null &
follower=$!
until_ok 10 grep -q 'tick' follow.out
p stop web
check stop/handler [ "$rc" = 0 ] && [ "$(cat "$OUT")" = web ] && status_is web exited &&
	[ "$(field web exit_code)" = 0 ]
wait "$follower"
check logs/follow-ends-with-instance [ "$?" = 0 ] && [ "$(tail -1 follow.out)" = bye ]
check stop/monitor-gone gone "$pid"
p ps
check ps/hides-exited bash -c "! grep -q '^web ' '$OUT'"
p ps -a
check ps/all-shows-exited grep -qE '^web +\./prog +Exited \(0\) [0-9]+ seconds? ago' "$OUT"
p ps -q -a
check ps/quiet grep -qx web "$OUT"

# ---- stop: no handler, a program that ignores SIGTERM ---------------------------

p run -d --name plain ./prog plain
until_ok 10 grep -q tick "$IDIR/plain/log"
p stop plain
check stop/no-handler-143 [ "$rc" = 0 ] && [ "$(field plain exit_code)" = 143 ]
p run -d --name stubborn ./prog stubborn
until_ok 10 grep -q tick "$IDIR/stubborn/log"
t0=$(date +%s%N)
p stop -t 1 stubborn
ms=$((($(date +%s%N) - t0) / 1000000))
check stop/timeout-then-kill [ "$rc" = 0 ] && [ "$(field stubborn exit_code)" = 137 ] &&
	[ "$ms" -ge 1000 ] && [ "$ms" -lt 8000 ]
p stop stubborn
check stop/already-stopped [ "$rc" = 0 ] && [ "$(cat "$OUT")" = stubborn ]
# Several at once share the time they are given.
p run -d --name sa ./prog stubborn
p run -d --name sb ./prog stubborn
until_ok 10 grep -q tick "$IDIR/sb/log"
t0=$(date +%s%N)
p stop -t 1 sa sb
ms=$((($(date +%s%N) - t0) / 1000000))
check stop/several-share-timeout [ "$rc" = 0 ] && [ "$(field sa exit_code)" = 137 ] &&
	[ "$(field sb exit_code)" = 137 ] && [ "$ms" -lt 1900 ]
p run -d --name stubborn0 ./prog stubborn
until_ok 10 grep -q tick "$IDIR/stubborn0/log"
t0=$(date +%s%N)
p stop -t 0 stubborn0
ms=$((($(date +%s%N) - t0) / 1000000))
check stop/timeout-0 [ "$rc" = 0 ] && [ "$(field stubborn0 exit_code)" = 137 ] && [ "$ms" -lt 8000 ]

# ---- kill ---------------------------------------------------------------------

p run -d --name k1 ./prog serve
until_ok 10 grep -q tick "$IDIR/k1/log"
p kill -s TERM k1
until_ok 10 status_is k1 exited
check kill/term-reaches-handler [ "$rc" = 0 ] && [ "$(field k1 exit_code)" = 0 ]
p run -d --name k2 ./prog serve
p kill k2
until_ok 10 status_is k2 exited
check kill/default-kill [ "$rc" = 0 ] && [ "$(field k2 exit_code)" = 137 ]
usage_error kill/not-running '^pith: kill: k2: not running$' kill k2
usage_error kill/bad-signal '^pith: kill: -s BOGUS: not a signal' kill -s BOGUS k2
usage_error kill/unknown '^pith: kill: nosuch: no such instance' kill nosuch

# ---- crashes: the state stays true ----------------------------------------------

# kill -9 of the monitor: the supervisor records the signal.
p run -d --name crash1 ./prog serve
pid=$(field crash1 pid)
kill -KILL "$pid"
check crash/monitor-killed until_ok 10 status_is crash1 exited
check crash/monitor-killed-137 [ "$(field crash1 exit_code)" = 137 ]
# kill -9 of the supervisor: its monitor ends with it, and ps says so at once.
p run -d --name crash2 ./prog serve
pid=$(field crash2 pid)
sup=$(sed -n 's/^supervisor=//p' "$IDIR/crash2/state")
kill -KILL "$sup"
until_ok 10 gone "$sup"
check crash/supervisor-killed-not-running [ "$(field crash2 status)" = exited ] &&
	[ "$(field crash2 lost)" = True ] && [ "$(field crash2 exit_code)" = 137 ]
check crash/supervisor-killed-monitor-gone until_ok 10 gone "$pid"
check crash/state-repaired grep -qx 'status=exited' "$IDIR/crash2/state"

# ---- restart policies, --rm ----------------------------------------------------

p run -d --name flaky --restart on-failure:2 ./prog fail
check restart/runs until_ok 20 status_is flaky exited
check restart/count [ "$(field flaky restarts)" = 2 ] && [ "$(field flaky exit_code)" = 3 ] &&
	[ "$("$PITH" logs flaky | grep -c '^run$')" = 3 ]
p run -d --name once ./prog fail
until_ok 10 status_is once exited
check restart/no-by-default [ "$(field once restarts)" = 0 ]
# A stop is final even under a restart policy.
p run -d --name keep --restart on-failure ./prog plain
until_ok 10 grep -q tick "$IDIR/keep/log"
p stop keep
check restart/not-after-stop [ "$(field keep exit_code)" = 143 ] &&
	! until_ok 1 status_is keep running
# A signal the program survives (a reload) does not end its policy.
p run -d --name reload --restart on-failure:1 ./prog hup
until_ok 10 grep -q tick "$IDIR/reload/log"
p kill -s HUP reload
check restart/after-handled-kill until_ok 10 bash -c "[ \"\$(sed -n 's/^restarts=//p' '$IDIR/reload/state')\" = 1 ]"
p stop reload
p run -d --rm --name tmp1 ./prog fail
check rm-flag/removed-at-end until_ok 10 bash -c "[ ! -e '$IDIR/tmp1' ]"
p ps -a
check rm-flag/not-listed bash -c "! grep -q '^tmp1 ' '$OUT'"

# ---- logs: rotation keeps them bounded -------------------------------------------

p run -d --name flood --log-max 64K ./prog flood 20000
until_ok 20 status_is flood exited
size=$(($(stat -c %s "$IDIR/flood/log") + $(stat -c %s "$IDIR/flood/log.1")))
check logs/rotated-bounded [ "$size" -le $((2 * 65536)) ] && [ "$size" -gt 65536 ]
limit 10 "$PITH" logs flood >flood.out 2>&1
check logs/rotated-tail-intact [ "$(tail -1 flood.out)" = "line 19999" ] &&
	seq "$(sed -n '1s/line //p' flood.out)" 19999 | sed 's/^/line /' | cmp -s - flood.out

# ---- volumes and store images, detached ----------------------------------------------

mkdir data
p run -d --name vol -v data:/data ./prog write /data/out
until_ok 10 status_is vol exited
check volume/detached-relative-host [ "$(field vol exit_code)" = 0 ] && [ "$(cat data/out)" = written ]
mkdir proj && cp prog proj/prog
printf 'IMAGE prog\nCMD ["serve"]\nEXPOSE 8080\nMEMORY 32M\n' >proj/Pithfile
limit 60 "$PITH" build -q -t svc proj >/dev/null
p run -d --name fromstore svc
until_ok 10 grep -q tick "$IDIR/fromstore/log"
p ps
check store/ps-row grep -qE '^fromstore +svc +Up .* 8080/tcp +32 MiB$' "$OUT"
usage_error store/rmi-in-use '^pith: rmi: svc: instance fromstore uses it' rmi svc
p inspect fromstore
check inspect/instance python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["name"] == "fromstore" and j["status"] == "running" and j["image"] == "svc", j
assert j["image_id"].startswith("sha256:") and j["memory"] == 32 << 20 and j["ports"] == ["8080/tcp"], j
assert j["supervisor"] > 0 and j["restart"] == "no" and "--argv0" in j["command"], j' "$OUT"
p stop fromstore

# ---- what the review found: pids, locks, fds, leftovers ----------------------------------

# A stale supervisor pid (as after a reboot) now naming another process:
# pith kill must reach no one.
p run -d --name stale ./prog serve
sup=$(sed -n 's/^supervisor=//p' "$IDIR/stale/state")
kill -KILL "$sup"
until_ok 10 gone "$sup"
sleep 60 &
victim=$!
sed -i "s/^supervisor=.*/supervisor=$victim/; s/^status=.*/status=running/" "$IDIR/stale/state"
limit 10 "$PITH" kill -s TERM stale >/dev/null 2>&1
check pids/stale-supervisor-untouched [ -d "/proc/$victim" ]
kill "$victim"
wait "$victim" 2>/dev/null
# Readers at the moment a supervisor starts do not stop it from starting.
(for _ in $(seq 200); do "$PITH_REL" ps -a >/dev/null 2>&1; done) &
looper=$!
ok_runs=0
for i in $(seq 8); do
	limit 30 "$PITH_REL" run -d --name "busyps$i" ./prog fail >/dev/null 2>&1 && ok_runs=$((ok_runs + 1))
done
kill "$looper" 2>/dev/null
wait "$looper" 2>/dev/null
check locks/readers-do-not-stop-starts [ "$ok_runs" = 8 ]
# logs -f holds no store lock: builds and runs go on meanwhile.
p run -d --name follow2 ./prog serve
limit 30 "$PITH" logs -f follow2 >/dev/null 2>&1 &
follower=$!
until_ok 10 grep -q tick "$IDIR/follow2/log"
limit 20 "$PITH_REL" build -q -t during proj >/dev/null 2>&1
check locks/build-while-following [ "$?" = 0 ]
p stop follow2
wait "$follower"
# The caller's fds stay with the caller.
exec 7>"$TMP/secret"
p run -d --name fds ./prog serve
exec 7>&-
sup=$(sed -n 's/^supervisor=//p' "$IDIR/fds/state")
pid=$(field fds pid)
check fds/not-inherited bash -c "! ls -l /proc/$sup/fd /proc/$pid/fd 2>/dev/null | grep -q secret"
check fds/supervisor-cwd-root [ "$(readlink "/proc/$sup/cwd")" = / ]
p stop fds
# A name held by a half-made instance (no config) is freed by rm -f.
mkdir "$IDIR/ghost"
usage_error rm/damaged-needs-f '^pith: rm: ghost: damaged config .*\(pith rm -f removes it\)$' rm ghost
p rm -f ghost
check rm/damaged-force [ "$rc" = 0 ] && [ ! -e "$IDIR/ghost" ]
p run -d --name ghost ./prog fail
check rm/name-free-again [ "$rc" = 0 ]

# ---- rm --------------------------------------------------------------------------------

p run -d --name busy ./prog serve
usage_error rm/running '^pith: rm: busy: is running \(pith stop it, or rm -f\)$' rm busy
p rm -f busy
check rm/force [ "$rc" = 0 ] && [ ! -e "$IDIR/busy" ]
p rm web plain
check rm/exited [ "$rc" = 0 ] && [ ! -e "$IDIR/web" ] && [ ! -e "$IDIR/plain" ]
usage_error rm/unknown '^pith: rm: web: no such instance' rm web
p rm fromstore
limit 10 "$PITH" rmi svc >/dev/null 2>&1
check rm/then-rmi [ "$?" = 0 ]

# ---- names, and commands at once ------------------------------------------------------

usage_error name/in-use '^pith: run: --name stubborn: already in use' run -d --name stubborn ./prog
usage_error name/bad '^pith: run: --name -x: use 1 to 64' run -d --name -x ./prog
usage_error name/needs-d '^pith: run: --name, --rm and --restart are for detached' run --name a ./prog
usage_error restart/bad '^pith: run: --restart always: use no, on-failure' run -d --restart always ./prog
usage_error run-d/no-image '^pith: run: nosuch: no such file or image' run -d nosuch
usage_error stop/unknown '^pith: stop: nosuch: no such instance' stop nosuch
usage_error stop/bad-time '^pith: stop: -t x: a number of seconds' stop -t x web
usage_error logs/unknown '^pith: logs: nosuch: no such instance' logs nosuch
usage_error logs/two '^pith: logs: name one instance' logs a b
# Five runs want one name: one gets it.
for i in 1 2 3 4 5; do
	limit 30 "$PITH_REL" run -d --name race ./prog serve >"race.$i" 2>&1 &
done
wait
check names/one-winner [ "$(cat race.* | grep -cx race)" = 1 ] &&
	[ "$(grep -c 'already in use' race.*| awk -F: '{s+=$2} END {print s}')" = 4 ]
# Ten names at once: all of them run.
for i in $(seq 10); do
	limit 30 "$PITH_REL" run -d --name "many$i" ./prog serve >/dev/null 2>&1 &
done
wait
check names/concurrent-all [ "$("$PITH_REL" ps -q | grep -c '^many')" = 10 ]
limit 30 "$PITH_REL" stop -t 5 race $(seq -f 'many%g' 10) >/dev/null
check stop/many [ "$("$PITH_REL" ps -q | wc -l)" = 0 ]

# A disk the log fills: in a mount namespace of its own, on a tmpfs.
if unshare -m true 2>/dev/null; then
	unshare -m --propagation private "$ROOT/tests/instances/diskfull.sh" "$TMP/df" "$TMP/prog"
else
	skip instances/disk-full "no mount namespace for a small tmpfs (needs root)"
fi

helps ps-help '^usage: pith ps ' ps --help
helps logs-help '^usage: pith logs ' logs --help
helps stop-help '^usage: pith stop ' stop --help
helps kill-help '^usage: pith kill ' kill --help
helps rm-help '^usage: pith rm ' rm --help

# Nothing left running.
"$PITH_REL" ps -q | xargs -r "$PITH_REL" rm -f >/dev/null 2>&1
