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
# The same plan with 4 times the timeouts: KASAN and lockdep slow everything down.
# riscv/sbi_pmu_test makes KASAN report a use-after-free in
# kvm_riscv_vcpu_pmu_fw_ctr_read() on the unpatched 6.12.117 base as well (code the
# series does not touch): that test, and only it, may print that report.
awk '/^[ \t]*(#|$)/ {print; next}
     $3 == "riscv/sbi_pmu_test" {$2 = $2 ",expect:BUG:.KASAN:.slab-use-after-free.in.kvm_riscv_vcpu_pmu_fw_ctr_read|Call.Trace:"}
     {$1 *= 4; print}' plan/check.plan > "$b/debug.plan"
scripts/image.sh "$b/debug.cpio" "$b/debug.plan" "$progs"
scripts/boot.sh "$tree/wb-out/arch/riscv/boot/Image" "$b/debug.cpio" "$b/debug.console" 5400
echo "check-debug: $(($(date +%s) - start)) s"
scripts/verdict.sh "$b/debug.console" "$b/debug.plan" patched
