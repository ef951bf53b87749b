#!/bin/bash
# diskfull.sh — run by tests/instances/run.sh inside `unshare -m`: the
# instance store on a small tmpfs that the program's output fills. The
# state stays true, readers keep working, logs hold whole records.
# Arguments: the scratch directory and the program to run.
set -u
. "$(dirname "$0")/../lib.sh"
dir=$1 prog=$2

mkdir -p "$dir/small"
if ! mount -t tmpfs -o size=512k tmpfs "$dir/small"; then
	skip instances/disk-full "cannot mount a tmpfs here"
	exit 0
fi
export PITH_HOME=$dir/small/home
limit 30 "$PITH" run -d --name full "$prog" flood 200000 >/dev/null 2>&1
check instances/disk-full/started [ "$?" = 0 ]
for _ in $(seq 600); do
	grep -qx 'status=exited' "$PITH_HOME/instances/full/state" 2>/dev/null && break
	sleep 0.05
done
check instances/disk-full/state-recorded grep -qx 'exit=0' "$PITH_HOME/instances/full/state"
limit 10 "$PITH" ps -a >"$dir/ps.out" 2>&1
check instances/disk-full/ps-works grep -qE '^full .*Exited \(0\)' "$dir/ps.out"
limit 10 "$PITH" logs full >"$dir/logs.out" 2>"$dir/logs.err"
check instances/disk-full/logs-whole [ "$?" = 0 ] && ! grep -qv '^line [0-9]*$' "$dir/logs.out"
# The disk did fill: not every line could be kept.
check instances/disk-full/filled [ "$(wc -l <"$dir/logs.out")" -lt 200000 ]
limit 10 "$PITH" rm full >/dev/null 2>&1
check instances/disk-full/rm-works [ ! -e "$PITH_HOME/instances/full" ]
umount "$dir/small"
