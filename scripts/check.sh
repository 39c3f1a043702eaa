#!/bin/bash
# "make check", the test command (CI runs it): the workbench's own tests, then for
# each target: its base from Debian's archive, the series applied (also onto the
# other version it must apply to) and built, the series' form and checkpatch
# --strict, the test plan on the patched kernel (less its slow tests), and the
# mutant kernels on which the series' test must fail.
# "make check-full" (FULL=1) adds what takes long: the lint gates that compile
# (bisect, configs, W=1, sparse, docs), the plan's slow tests, the same plan on the
# base kernel (no test may pass there and fail with the series), and lint's own
# fixtures. Each step ends with its own count; the last line sums them:
# "N passed, N failed".
# usage: [FULL=1] check.sh TARGET...
. "$(dirname "$0")/lib.sh"
need git make python3 awk
cd "$WB"
mkdir -p build/logs
P=0 F=0
start=$(date +%s)
FULL=${FULL:-0}
name=check; [ "$FULL" = 0 ] || name=check-full

step() {	# step NAME COMMAND...: run it, keep its log, add its closing count
	local name=$1 rc=0 last log=build/logs/${1//\//-}.log
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	last=$(tail -n 1 "$log")
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		P=$((P + BASH_REMATCH[1])) F=$((F + BASH_REMATCH[2]))
		[ "$rc" = 0 ] || [ "${BASH_REMATCH[2]}" != 0 ] || F=$((F + 1))
	elif [ "$rc" = 0 ]; then
		P=$((P + 1))
	else
		F=$((F + 1))
	fi
	return "$rc"
}
build_tree() {	# build_tree WORK_TREE SERIES: apply and build a kernel
	FORCE=1 scripts/apply.sh "$BASE" "$1" "$2" && scripts/build.sh "$1" kernel
}
bench_programs() {	# make bench's analysis runs on this build (its guest program is built above)
	local raw=$B/bench-smoke.txt
	python3 scripts/trap-path.py "$(tree work)/wb-out" | sed 's/^/full /' > "$raw"
	awk -v causes="$(causes | cut -d' ' -f1 | xargs)" -f scripts/bench-table.awk "$raw" | sed -n '1,12p'
	if [ "$(grep -c '^full static [a-z_]* [0-9][0-9]*$' "$raw")" = "$(causes | grep -c .)" ] &&
	   [ -x "$(tree work)/wb-out/_selftests/wb-bench" ]; then
		echo "1 passed, 0 failed"
	else
		echo "trap-path.py did not find a redirect path for every cause, or wb-bench was not built"
		echo "0 passed, 1 failed"; return 1
	fi
}
compare() {	# compare BASE_RESULTS PATCHED_RESULTS: a table; pass on base, not with the series: fail
	local p=0 f=0 v name pv
	printf '%-8s %-8s %s\n' base patched test
	while IFS=$'\t' read -r v name; do
		pv=$(awk -F'\t' -v n="$name" '$2 == n {print $1}' "$2")
		printf '%-8s %-8s %s\n' "$v" "${pv:-none}" "$name"
		if [ "$v" = PASS ] && [ "$pv" != PASS ]; then
			echo "  regression: passes on the base, ${pv:-missing} with the series"; f=$((f + 1))
		else
			p=$((p + 1))
		fi
	done < "$1"
	echo "$p passed, $f failed"
	[ "$f" = 0 ]
}
mutant() {	# mutant PATCH: the series' test must fail on this kernel
	# The mutation goes onto the work tree for an incremental build and comes off
	# again (also when interrupted) before the boot; the step restore-work then
	# rebuilds the series' kernel.
	local m=$B/run/mutant work out=$B/mutant-out rc=0
	work=$(tree work)
	rm -f "$m.results"
	if ! git -C "$work" apply "$WB/$1"; then
		echo "the mutant $1 does not apply to the work tree"; echo "0 passed, 1 failed"; return 1
	fi
	trap 'git -C "$work" apply -R "$WB/$1"' EXIT
	trap 'exit 130' INT TERM
	if scripts/build.sh "$work" kernel >/dev/null; then
		mkdir -p "$out/arch/riscv/boot"
		cp "$work/wb-out/arch/riscv/boot/Image" "$out/arch/riscv/boot/Image"
	else
		rc=1
	fi
	git -C "$work" apply -R "$WB/$1"
	trap - EXIT INT TERM
	if [ "$rc" != 0 ]; then
		echo "the mutant kernel did not build"; echo "0 passed, 1 failed"; return 1
	fi
	grep -E '^[0-9]+ [^ ]+ riscv/trap_stats_test( |$)' "$PLAN" > "$B/mutant.plan"
	scripts/run.sh "$m" "$B/mutant.plan" "$out" "$work/wb-out" || true
	if grep -q $'^FAIL\triscv/trap_stats_test' "$m.results" 2>/dev/null; then
		echo "as it must, the test fails on the mutant:"
		grep -A4 'Test Assertion Failure' "$m.console" | sed 's/^/  | /' || true
		echo "1 passed, 0 failed"
	else
		echo "the test did not fail on the mutant $1"
		echo "0 passed, 1 failed"
		return 1
	fi
}
also_applies() {	# the series applies to the other version of the base too
	scripts/base.sh "$T" also && FORCE=1 scripts/apply.sh "$B/also" "$B/also-work" "$SERIES"
}

declare -A broken=()
if [ -z "${KERNEL_SRC:-}" ]; then
	for t in "$@"; do step "$t/base-tree" scripts/base.sh "$t" || broken[$t]=1; done
fi
step workbench-tests tests/run.sh || true
first=1
for t in "$@"; do
	[ -z "${broken[$t]:-}" ] || continue
	target_load "$t"
	tstart=$(date +%s)
	[ -n "${KERNEL_SRC:-}" ] || [ -z "$also_version" ] || step "$T/also-applies" also_applies || true
	work=$(tree work)
	# on our own base, the work tree is on branch "series": the developers' loop
	if [ -n "$U" ]; then br=""; else br=series; fi
	step "$T/build" env BRANCH="$br" bash -c "scripts/apply.sh '$BASE' '$work' '$SERIES' && scripts/build.sh '$work' all" || continue
	if grep -qv -e '^#' -e '^$' "$SERIES"; then mode=patched; else mode=base; fi
	if [ "$first" = 1 ]; then
		step "$T/boot-tests" tests/boot_itest.sh "$work/wb-out" || true
		first=0
	fi
	step "$T/bench-programs" bench_programs || true
	# the plan, less the tests this tree does not build (an empty series has no test of ours)
	plan=$B/check.plan
	missing=$(awk '!/^[ \t]*(#|$)/ {print $3}' "$PLAN" | while read -r p; do
		[ -x "$work/wb-out/_selftests/$p" ] || echo "$p"; done)
	if [ "$FULL" = 1 ]; then cp "$PLAN" "$plan"; else grep -v -E '^[0-9]+ [^ ]*slow' "$PLAN" > "$plan"; fi
	if [ "$mode" != patched ] && [ -n "$missing" ]; then
		echo "check: not in this tree, left out of the plan: $missing"
		grep -v -F -f <(sed 's/.*/ &/' <<<"$missing") "$plan" > "$plan.tmp" && mv "$plan.tmp" "$plan"
	fi
	if [ "$mode" = patched ]; then
		quick=1; [ "$FULL" = 0 ] || quick=0
		step "$T/lint" env QUICK=$quick LINTDIR="$(tree lint)" scripts/lint.sh "$T" "$work" || true
	fi
	step "$T/$mode" scripts/run.sh "$B/run/$mode" "$plan" "$work/wb-out" "$work/wb-out" "$mode" || true
	if [ "$mode" = patched ]; then
		# make check-full: the base kernel, in a work tree of its own with an empty series.
		if [ "$FULL" = 1 ] && step "$T/base-kernel" build_tree "$(tree pristine)" /dev/null; then
			step "$T/base-run" scripts/run.sh "$B/run/base" "$plan" "$(tree pristine)/wb-out" "$work/wb-out" base || true
			step "$T/base-vs-patched" compare "$B/run/base.results" "$B/run/patched.results" || true
		fi
		mutated=0
		for m in tests/mutants/"$T"/*.patch; do
			[ -f "$m" ] || continue
			step "$T/mutant-$(basename "$m" .patch)" mutant "$m" || true
			mutated=1
		done
		# the work tree's kernel is the series' again
		[ "$mutated" = 0 ] || step "$T/restore-work" scripts/build.sh "$work" kernel || true
	fi
	echo "=== $T: $(($(date +%s) - tstart)) s"
done
# lint must catch what a maintainer would reject: fixtures for the 6.12 base
if [ "$FULL" = 1 ] && [ -z "${KERNEL_SRC:-}" ] && [[ " $* " = *" 6.12 "* ]]; then
	step lint-catches-defects tests/lint_itest.sh || true
fi
echo "=== make $name ($*): $(($(date +%s) - start)) s"
echo "$P passed, $F failed"
[ "$F" = 0 ]
