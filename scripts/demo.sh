#!/bin/bash
# "make demo": boot the target's patched kernel, let a KVM guest raise a known
# number of each redirected trap (guest/demo.c), and show what the host counted.
# usage: demo.sh TARGET
. "$(dirname "$0")/lib.sh"
target_load "$1"
cd "$WB"
scripts/work.sh "$T" build
out=$(tree work)/wb-out
echo "120 must wb-demo${delegated:+ -d ${delegated// /,}}${noslot_fetch:+ -n}" > "$B/demo.plan"
n=$(series_patches "$SERIES" | grep -c . || true)
echo "Booting $(cat "$out/include/config/kernel.release") ($n patches of $SERIES) under QEMU as a KVM host..."
rc=0
scripts/run.sh "$B/run/demo" "$B/demo.plan" "$out" > "$B/run/demo.verdict" || rc=$?
# the demo's own output, without the kernel's log lines
awk '/^@@ begin/ {on = 1; next} /^@@ end/ {on = 0} on && !/^\[ *[0-9]+\.[0-9]+\]/ && !/^Random seed/' "$B/run/demo.console"
if [ "$rc" != 0 ]; then
	cat "$B/run/demo.verdict" >&2
	die "the guest run failed (console: $B/run/demo.console)"
fi
