#!/bin/bash
# Stage "boot": run the test VM under QEMU until it powers off, the console in a log.
# usage: boot.sh KERNEL_IMAGE INITRAMFS CONSOLE_LOG [TIMEOUT_SECONDS]
# VERBOSE=1 also shows the console live. A guest that does not finish in time
# is killed, and its last console lines are shown; so is QEMU when this script is
# interrupted or killed (TERM), so that no QEMU outlives the command.
. "$(dirname "$0")/lib.sh"
need qemu-system-riscv64 /usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin timeout
image=$1
initrd=$2
log=$3
limit=${4:-${BOOT_TIMEOUT:-900}}
# QEMU 7.2's virt machine with the H extension: the kernel runs as a KVM host.
# No stdin in CI: -serial stdio with </dev/null, not -nographic.
qemu=(qemu-system-riscv64 -M virt -cpu rv64,h=true,sscofpmf=true -smp ${BOOT_SMP:-2} -m ${BOOT_MEM:-2G}
	-kernel "$image" -initrd "$initrd" -append "console=ttyS0 panic=-1 ${BOOT_APPEND:-}"
	-no-reboot -display none -monitor none -serial stdio)
# extra QEMU options, e.g. "-icount shift=0,align=off,sleep=off" for make bench
read -r -a extra <<<"${BOOT_QEMU_EXTRA:-}"
qemu+=(${extra[@]+"${extra[@]}"})
start=$(date +%s)
rc=0 qpid=""
trap '[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
if [ "${VERBOSE:-0}" = 1 ]; then
	timeout -k 5 "$limit" "${qemu[@]}" </dev/null 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
else
	timeout -k 5 "$limit" "${qemu[@]}" </dev/null >"$log" 2>&1 &
	qpid=$!
	wait "$qpid" || rc=$?
	qpid=""
fi
secs=$(($(date +%s) - start))
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "boot: the guest did not finish within $limit s and was killed; last console lines:" >&2
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
if [ "$rc" != 0 ]; then
	echo "boot: QEMU failed (exit $rc); last lines:" >&2
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
echo "boot: $(basename "$image") ran for $secs s; console in $log"
