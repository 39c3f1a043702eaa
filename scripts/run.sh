#!/bin/bash
# The one run path of the test VM: the plan's programs into an initramfs
# (image.sh), a boot of the kernel under QEMU (boot.sh), the verdict on its
# console (verdict.sh). check, quick, demo, bench, soak, check-debug and the
# mutants all run through it.
# usage: run.sh PREFIX PLAN KERNEL_OUT [PROGS_OUT [MODE]]
#   PREFIX: the run's files are PREFIX.cpio, PREFIX.console, PREFIX.results
#   KERNEL_OUT: a build.sh output directory (its arch/riscv/boot/Image boots)
#   PROGS_OUT: the build.sh output directory with the plan's programs (default KERNEL_OUT)
#   MODE: "patched" (default) or "base", see verdict.sh
# The guest gets the sum of the plan's timeouts plus two minutes to power off;
# BOOT_SMP, BOOT_QEMU_EXTRA: see boot.sh.
. "$(dirname "$0")/lib.sh"
prefix=$1 plan=$2 kout=$3 progs=${4:-$3} mode=${5:-patched}
mkdir -p "$(dirname "$prefix")"
limit=$(awk '!/^[ \t]*(#|$)/ {s += $1} END {print s + 120}' "$plan")
"$WB/scripts/image.sh" "$prefix.cpio" "$plan" "$progs" >/dev/null
"$WB/scripts/boot.sh" "$kout/arch/riscv/boot/Image" "$prefix.cpio" "$prefix.console" "$limit" || true
"$WB/scripts/verdict.sh" "$prefix.console" "$plan" "$mode" "$prefix.results"
