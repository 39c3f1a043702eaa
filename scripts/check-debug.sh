#!/bin/bash
# "make check-debug": the target's whole check plan on a debug build of its patched
# kernel (config/debug.config on top of the target's fragments: lockdep, atomic-sleep
# and list debugging, KASAN), with 4 times the timeouts. The verdict fails on any
# lockdep, KASAN or other kernel report.
# usage: check-debug.sh TARGET
. "$(dirname "$0")/lib.sh"
target_load "$1"
cd "$WB"
start=$(date +%s)
scripts/work.sh "$T" build
cat "$FRAGMENT" config/debug.config > "$B/debug.fragment"
FORCE=1 scripts/apply.sh "$BASE" "$(tree debug)" "$SERIES"
FRAGMENT=$B/debug.fragment scripts/build.sh "$(tree debug)" kernel
awk '/^[ \t]*(#|$)/ {print; next} {$1 *= 4; print}' "$PLAN" > "$B/debug.plan"
rc=0
scripts/run.sh "$B/run/debug" "$B/debug.plan" "$(tree debug)/wb-out" "$(tree work)/wb-out" || rc=$?
echo "check-debug: $(($(date +%s) - start)) s"
exit "$rc"
