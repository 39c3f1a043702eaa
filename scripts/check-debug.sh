#!/bin/bash
# "make check-debug": the whole check plan on a debug build of the patched kernel
# (config/debug.config on top of the usual fragment: lockdep, atomic-sleep and list
# debugging, KASAN). The verdict fails on any lockdep, KASAN or other kernel report.
# usage: check-debug.sh BASE_REPO SERIES PROGRAMS_OUT   (PROGRAMS_OUT: the regular build)
set -eu
repo=$1
series=$2
progs=$3
b=build
tree=$b/debug
start=$(date +%s)
cat config/kvm-host.config config/debug.config > "$b/debug.fragment"
FORCE=1 scripts/apply.sh "$repo" "$tree" "$series"
FRAGMENT=$b/debug.fragment scripts/build.sh "$tree" kernel
# the same plan with 4 times the timeouts: KASAN and lockdep slow everything down
awk '/^[ \t]*(#|$)/ {print; next} {$1 *= 4; print}' plan/check.plan > "$b/debug.plan"
scripts/image.sh "$b/debug.cpio" "$b/debug.plan" "$progs"
scripts/boot.sh "$tree/wb-out/arch/riscv/boot/Image" "$b/debug.cpio" "$b/debug.console" 5400
echo "check-debug: $(($(date +%s) - start)) s"
scripts/verdict.sh "$b/debug.console" "$b/debug.plan" patched
