#!/bin/bash
# "make demo": boot the patched kernel, let a KVM guest raise a known number of
# each redirected trap (guest/demo.c), and show what the host counted. Its
# scratch files live in a temporary directory that is removed at the end.
# usage: demo.sh KERNEL_OUT   (a build.sh output directory)
set -eu
out=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "120 must wb-demo" > "$tmp/demo.plan"
scripts/image.sh "$tmp/demo.cpio" "$tmp/demo.plan" "$out" >/dev/null
echo "Booting $(cat "$out/include/config/kernel.release") ($(grep -c . patches/series) patches of patches/series) under QEMU as a KVM host..."
scripts/boot.sh "$out/arch/riscv/boot/Image" "$tmp/demo.cpio" "$tmp/console" 300 >/dev/null
# the demo's own output, without the kernel's log lines
awk '/^@@ begin/ {on = 1; next} /^@@ end/ {on = 0} on && !/^\[ *[0-9]+\.[0-9]+\]/ && !/^Random seed/' "$tmp/console"
if ! scripts/verdict.sh "$tmp/console" "$tmp/demo.plan" patched > "$tmp/verdict"; then
	cat "$tmp/verdict" >&2
	echo "demo: the guest run failed" >&2
	exit 1
fi
