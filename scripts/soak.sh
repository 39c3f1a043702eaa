#!/bin/bash
# "make soak": the reliability storm at full size, 4 vCPUs x 10^6 traps with
# racing readers (guest/stress.c), on the target's patched kernel.
# usage: soak.sh TARGET
. "$(dirname "$0")/lib.sh"
target_load "$1"
cd "$WB"
scripts/work.sh "$T" build
echo "3600 must wb-stress${delegated:+ -d ${delegated// /,}} storm 1000000" > "$B/soak.plan"
scripts/run.sh "$B/run/soak" "$B/soak.plan" "$(tree work)/wb-out"
