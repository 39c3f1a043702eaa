#!/bin/bash
# "make bench": what the target's series costs on the redirected-trap path, layer by
# layer. A layer ends at each patch that changes kernel code (not tools/ or
# Documentation/); kernel k is the base plus the series up to the end of layer k,
# all built with the same config and compiler. Prints a table; raw numbers in
# build/TARGET/bench/raw.txt.
#  1. static: instructions from the trap switch's jump-table target to the redirect
#     call, per cause (scripts/trap-path.py on vcpu_exit.o);
#  2. dynamic, deterministic: QEMU -icount shift=0 (1 instruction = 1 ns of virtual
#     time), the guest times N traps of one cause with its time CSR (10 MHz on QEMU
#     virt: 1 tick = 100 instructions); ROUNDS boots per kernel, kernels alternating;
#     causes the tree delegates (targets/TARGET) never exit and are left out;
#  3. emulator time: the same loop under normal multi-threaded TCG, base vs full,
#     alternating; not a hardware figure;
#  4. memory: sizeof(struct kvm_vcpu_stat) and the size of kvm_vcpu_stats_desc[].
# usage: bench.sh TARGET
. "$(dirname "$0")/lib.sh"
need python3 awk "${CROSS}objdump" "${CROSS}nm"
target_load "$1"
cd "$WB"
ROUNDS=${ROUNDS:-3}
N=${N:-100000}
b=$B/bench
mkdir -p "$b"
raw=$b/raw.txt
: > "$raw"
start=$(date +%s)
[ -n "${KERNEL_SRC:-}" ] || scripts/base.sh "$T" >/dev/null
scripts/work.sh "$T" build >/dev/null	# the benchmark's guest program

# The layers: L0 is the base; each patch that touches kernel code closes one.
mapfile -t patches < <(series_patches "$SERIES")
kernels=(L0) ; declare -A upto=([L0]=0) label=([L0]=base)
first=1
for i in "${!patches[@]}"; do
	if grep -E '^diff --git a/' "${patches[$i]}" | grep -qvE ' a/(tools|Documentation)/| a/MAINTAINERS '; then
		k=L${#kernels[@]}
		kernels+=("$k")
		upto[$k]=$((i + 1))
		label[$k]=$([ "$first" = "$((i + 1))" ] && echo "p$first" || echo "p$first-$((i + 1))")
		first=$((i + 2))
	fi
done
last=${kernels[-1]}
echo "bench: $T, ${#kernels[@]} kernels: base$(for k in "${kernels[@]:1}"; do printf ', +%s' "${label[$k]}"; done)"
for k in "${kernels[@]}"; do
	printf '%s\n' "${patches[@]:0:${upto[$k]}}" > "$b/$k.series"
	w=$(tree "bench-$k")
	FORCE=1 scripts/apply.sh "$BASE" "$w" "$b/$k.series" >/dev/null
	scripts/build.sh "$w" kernel >/dev/null
	o=$w/wb-out
	python3 scripts/trap-path.py "$o" | sed "s/^/$k /" >> "$raw"
	# memory, computed by the compiler: a probe object built in the tree's own Kbuild
	printf '#include <linux/kvm_host.h>\nchar wb_sizeof_vcpu_stat[sizeof(struct kvm_vcpu_stat)];\n' \
		> "$w/arch/riscv/kvm/wb_sizes.c"
	make -s -C "$w" O=wb-out ARCH=riscv CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" arch/riscv/kvm/wb_sizes.o
	rm -f "$w/arch/riscv/kvm/wb_sizes.c"
	sz() { echo $((16#$("${CROSS}nm" -S "$1" | awk -v s="$2" '$4 == s {print $2}'))); }
	echo "$k memory vcpu_stat $(sz "$o/arch/riscv/kvm/wb_sizes.o" wb_sizeof_vcpu_stat)" >> "$raw"
	echo "$k memory stats_desc $(sz "$o/arch/riscv/kvm/vcpu.o" kvm_vcpu_stats_desc)" >> "$raw"
	if [ "$k" = L0 ]; then subj="the base"; else
		subj=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "${patches[$((${upto[$k]} - 1))]}"); fi
	echo "$k label ${label[$k]} $subj" >> "$raw"
done

run() {	# run KERNEL LABEL ROUND QEMU_EXTRA SMP: one boot, "bench" lines into the raw file
	local causes c
	# the causes this kernel redirects (a static path exists) and the tree does not delegate
	causes=$(for c in $(awk -v k="$1" '$1 == k && $2 == "static" && $4 != "none" {print $3}' "$raw"); do
		[[ " $delegated " = *" $c "* ]] || echo "$c"; done | xargs)
	echo "600 - wb-bench $N $causes" > "$b/plan"
	BOOT_QEMU_EXTRA=$4 BOOT_SMP=$5 scripts/run.sh "$b/run" "$b/plan" "$(tree "bench-$1")/wb-out" "$(tree work)/wb-out" base >/dev/null ||
		{ tail -n 20 "$b/run.console" >&2; die "the $1 run failed (console above)"; }
	awk -v k="$1" -v l="$2" -v r="$3" '/^bench / {print k, l, r, $2, $3, $4, $5}' "$b/run.console" >> "$raw"
}
for r in $(seq "$ROUNDS"); do
	for k in "${kernels[@]}"; do
		echo "bench: icount round $r, $k (${label[$k]})"
		run "$k" icount "$r" "-icount shift=0,align=off,sleep=off" 1	# icount runs one vCPU thread
	done
done
for r in $(seq "$ROUNDS"); do
	for k in L0 "$last"; do
		echo "bench: emulator-time round $r, $k"
		run "$k" wall "$r" "" 2
	done
done

echo
echo "make bench TARGET=$T: $(($(date +%s) - start)) s, N=$N traps per cause, $ROUNDS rounds; raw numbers in $raw"
awk -v N="$N" -v causes="$(causes | cut -d' ' -f1 | xargs)" -v kernels="${kernels[*]}" -v delegated="$delegated" \
	-f scripts/bench-table.awk "$raw"
