#!/bin/bash
# The boot and verdict stages on broken runs, with the real kernel under QEMU:
# a guest that hangs, a test that hangs, a kernel that panics.
# usage: boot_test.sh KERNEL_OUT   (a build.sh output directory)
set -eu
cd "$(dirname "$0")/.."
. tests/lib.sh
out=$1
kernel=$out/arch/riscv/boot/Image
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# A guest that does not finish: the whole VM is killed at the deadline. The
# deadline leaves the kernel time to boot and start the test (seconds here),
# which then runs for far longer than that.
printf '900 must dirty_log_test -M dirty-log -i 1000000\n' > "$t/slow.plan"
scripts/image.sh "$t/slow.cpio" "$t/slow.plan" "$out" >/dev/null
rc=0; msg=$(scripts/boot.sh "$kernel" "$t/slow.cpio" "$t/slow.console" 60 2>&1) || rc=$?
ok "a hung guest is killed at the deadline and reported" eval '[ $rc != 0 ] && grep -q "did not finish within 60 s" <<<"$msg"'
ok "... with the last console lines" grep -qF "  | $(tail -n 1 "$t/slow.console")" <<<"$msg"
rc=0; v=$(scripts/verdict.sh "$t/slow.console" "$t/slow.plan") || rc=$?
ok "... and its verdict fails, naming the test" eval '[ $rc != 0 ] && grep -q "FAIL  dirty_log_test.*did not end" <<<"$v"'
# boot.sh killed (TERM) while the guest runs: its QEMU goes with it.
scripts/boot.sh "$kernel" "$t/slow.cpio" "$t/term.console" 60 >/dev/null 2>&1 &
bpid=$!
sleep 5
kill -TERM "$bpid"
wait "$bpid" || true
sleep 1
ok "a boot killed with TERM leaves no QEMU running" eval '! pgrep -f "qemu-system-riscv64 .*$t/slow.cpio" >/dev/null'

# A test that hangs: /init kills it at its own timeout and goes on.
printf '1 must dirty_log_test -M dirty-log -i 4\n60 must guest_print_test\n' > "$t/hang.plan"
scripts/image.sh "$t/hang.cpio" "$t/hang.plan" "$out" >/dev/null
scripts/boot.sh "$kernel" "$t/hang.cpio" "$t/hang.console" 120 >/dev/null
rc=0; v=$(scripts/verdict.sh "$t/hang.console" "$t/hang.plan") || rc=$?
ok "a test past its timeout is killed and fails as a timeout" grep -q "FAIL  dirty_log_test.*\[timeout\]" <<<"$v"
ok "... and the next test still runs" grep -q "PASS  guest_print_test" <<<"$v"

# A kernel that panics (no init to run): QEMU stops, the verdict says why.
rc=0; BOOT_APPEND="rdinit=/no-such-init" scripts/boot.sh "$kernel" "$t/hang.cpio" "$t/panic.console" 120 >/dev/null || rc=$?
ok "a panicking kernel ends the boot" test "$rc" = 0
rc=0; v=$(scripts/verdict.sh "$t/panic.console" "$t/hang.plan") || rc=$?
ok "... and the verdict fails, quoting the panic" eval '[ $rc != 0 ] && grep -q "FAIL  run: kernel panic" <<<"$v" && grep -q "Kernel panic - not syncing" <<<"$v"'
done_testing
