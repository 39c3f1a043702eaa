#!/bin/bash
# "make bench": what the counters cost on the redirected-trap path. Three kernels,
# same config and compiler: the base, the base + patches 1-2 (redirect + SBI PMU
# firmware counters), the full series. Prints a table; raw numbers in build/bench/raw.txt.
#  1. static: instructions from the trap switch's jump-table target to the redirect
#     call, per cause (scripts/trap-path.py on vcpu_exit.o), and incr_fw's own paths;
#  2. dynamic, deterministic: QEMU -icount shift=0 (1 instruction = 1 ns of virtual
#     time), the guest times N traps of one cause with its time CSR (10 MHz on QEMU
#     virt: 1 tick = 100 instructions); ROUNDS boots per kernel, kernels alternating;
#  3. emulator time: the same loop under normal multi-threaded TCG, base vs full,
#     alternating; not a hardware figure;
#  4. memory: sizeof(struct kvm_vcpu_stat) and the size of kvm_vcpu_stats_desc[].
# usage: bench.sh BASE_REPO SERIES
set -eu
repo=$1
series=$2
b=build/bench
ROUNDS=${ROUNDS:-3}
N=${N:-100000}
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
mkdir -p "$b"
raw=$b/raw.txt
: > "$raw"
start=$(date +%s)

grep -v -e '^#' -e '^$' "$series" | head -n 2 > "$b/p12.series"
for f in $(cat "$b/p12.series"); do cp "$(dirname "$series")/$f" "$b/"; done
declare -A tree=([base]=build/pristine [p12]=build/bench-p12 [full]=build/bench-full)
echo "bench: building the three kernels (base, base + patches 1-2, full series)"
FORCE=1 scripts/apply.sh "$repo" "${tree[base]}" /dev/null >/dev/null
FORCE=1 scripts/apply.sh "$repo" "${tree[p12]}" "$b/p12.series" >/dev/null
FORCE=1 scripts/apply.sh "$repo" "${tree[full]}" "$series" >/dev/null
for k in base p12; do scripts/build.sh "${tree[$k]}" kernel >/dev/null; done
scripts/build.sh "${tree[full]}" all >/dev/null

for k in base p12 full; do
	o=${tree[$k]}/wb-out
	python3 scripts/trap-path.py "$o" | sed "s/^/$k /" >> "$raw"
	# memory, computed by the compiler: a probe object built in the tree's own Kbuild
	printf '#include <linux/kvm_host.h>\nchar wb_sizeof_vcpu_stat[sizeof(struct kvm_vcpu_stat)];\n' \
		> "${tree[$k]}/arch/riscv/kvm/wb_sizes.c"
	make -s -C "${tree[$k]}" O=wb-out ARCH=riscv CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" \
		arch/riscv/kvm/wb_sizes.o
	rm -f "${tree[$k]}/arch/riscv/kvm/wb_sizes.c"
	sz() { echo $((16#$("${CROSS}nm" -S "$1" | awk -v s="$2" '$4 == s {print $2}'))); }
	echo "$k memory vcpu_stat $(sz "$o/arch/riscv/kvm/wb_sizes.o" wb_sizeof_vcpu_stat)" >> "$raw"
	echo "$k memory stats_desc $(sz "$o/arch/riscv/kvm/vcpu.o" kvm_vcpu_stats_desc)" >> "$raw"
done

causes_of() { if [ "$1" = base ]; then echo illegal load_mis store_mis load_acc store_acc; else echo illegal load_mis store_mis load_acc store_acc instr_acc; fi; }
run() {	# run KERNEL LABEL ROUND QEMU_EXTRA SMP
	echo "600 - wb-bench $N $(causes_of "$1")" > "$b/plan"
	scripts/image.sh "$b/bench.cpio" "$b/plan" "${tree[full]}/wb-out" >/dev/null
	BOOT_QEMU_EXTRA=$4 BOOT_SMP=$5 scripts/boot.sh "${tree[$1]}/wb-out/arch/riscv/boot/Image" \
		"$b/bench.cpio" "$b/console" 900 >/dev/null
	scripts/verdict.sh "$b/console" "$b/plan" base >/dev/null ||
		{ echo "bench: the $1 run failed:" >&2; tail -n 20 "$b/console" >&2; exit 1; }
	awk -v k="$1" -v l="$2" -v r="$3" '/^bench / {print k, l, r, $2, $3, $4, $5}' "$b/console" >> "$raw"
}
for r in $(seq "$ROUNDS"); do
	for k in base p12 full; do
		echo "bench: icount round $r, $k"
		run "$k" icount "$r" "-icount shift=0,align=off,sleep=off" 1	# icount runs one vCPU thread
	done
done
for r in $(seq "$ROUNDS"); do
	for k in base full; do
		echo "bench: emulator-time round $r, $k"
		run "$k" wall "$r" "" 2
	done
done

echo
echo "make bench: $(($(date +%s) - start)) s, N=$N traps per cause, $ROUNDS rounds; raw numbers in $raw"
awk -v N="$N" -f scripts/bench-table.awk "$raw"
