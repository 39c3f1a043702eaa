#!/bin/bash
# "make check": the workbench's own tests, the series applied and built, the lint
# gates, the test plan on the patched kernel, the same plan on the base kernel
# (no test may pass there and fail with the series), and the mutant kernels on
# which the series' test must fail. Each step ends with its own count; the last
# line sums them: "N passed, N failed".
# usage: check.sh BASE_REPO WORK_TREE
set -eu
repo=$1
work=$2
b=build
series=${SERIES:-patches/series}
# work trees of a user's own tree (KERNEL_SRC) are kept apart from the Debian base's
if [ "$(realpath -m "$repo")" = "$(realpath -m "$b/base")" ]; then u=""; else u="user-"; fi
export LINTDIR=$b/${u}lint
mkdir -p "$b/logs"
# With an empty series the patched kernel is the base: tests that need the
# series may skip, and there is nothing to compare or to mutate.
if grep -qv -e '^#' -e '^$' "$series"; then mode=patched; else mode=base; fi
P=0 F=0 broken=0
start=$(date +%s)

bench_programs() {	# make bench's analysis runs on this build (its guest program is built above)
	local raw=$b/bench-smoke.txt
	python3 scripts/trap-path.py "$work/wb-out" | sed 's/^/full /' > "$raw"
	awk -f scripts/bench-table.awk "$raw" | sed -n '1,12p'
	if [ "$(grep -c '^full static [a-z_]* [0-9][0-9]*$' "$raw")" = 6 ] && [ -x "$work/wb-out/_selftests/wb-bench" ]; then
		echo "1 passed, 0 failed"
	else
		echo "trap-path.py did not find the six redirect paths, or wb-bench was not built"; echo "0 passed, 1 failed"; return 1
	fi
}
step() {	# step NAME COMMAND...: run it, keep its log, add its closing count
	local name=$1 rc=0 last
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$b/logs/$name.log" || rc=${PIPESTATUS[0]}
	last=$(tail -n 1 "$b/logs/$name.log")
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
run_plan() {	# run_plan NAME KERNEL_IMAGE PLAN MODE: image, boot, verdict
	scripts/image.sh "$b/$1.cpio" "$3" "$work/wb-out" &&
	scripts/boot.sh "$2" "$b/$1.cpio" "$b/$1.console" &&
	scripts/verdict.sh "$b/$1.console" "$3" "$4" "$b/$1.results"
}
build_tree() {	# build_tree WORK_TREE SERIES [EXTRA_PATCH]: apply and build a kernel
	FORCE=1 scripts/apply.sh "$repo" "$1" "$2" ${3:+"$3"} && scripts/build.sh "$1" kernel
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
	rm -f "$b/mutant.results"
	if ! build_tree "$b/${u}mutant" "$series" "$1" >/dev/null; then
		echo "the mutant kernel did not build"; echo "0 passed, 1 failed"; return 1
	fi
	run_plan mutant "$b/${u}mutant/wb-out/arch/riscv/boot/Image" plan/mutant.plan patched || true
	if grep -q $'^FAIL\triscv/trap_stats_test' "$b/mutant.results" 2>/dev/null; then
		echo "as it must, the test fails on the mutant:"
		grep -A4 'Test Assertion Failure' "$b/mutant.console" | sed 's/^/  | /' || true
		echo "1 passed, 0 failed"
	else
		echo "the test did not fail on the mutant $1"
		echo "0 passed, 1 failed"
		return 1
	fi
}

# the Debian base: the default base, and what the lint fixtures apply to
step base-tree scripts/base.sh || broken=1
step workbench-tests tests/run.sh || true
[ "$broken" = 1 ] || step build bash -c "scripts/apply.sh '$repo' '$work' '$series' && scripts/build.sh '$work' all" || broken=1
if [ "$broken" = 0 ]; then
	step workbench-boot-tests tests/boot_itest.sh "$work/wb-out" || true
	step bench-programs bench_programs || true
	# the plan, less the tests this tree does not build (an empty series has no test of ours)
	plan=$b/check.plan
	missing=$(awk '!/^[ \t]*(#|$)/ {print $3}' plan/check.plan | while read -r t; do
		[ -x "$work/wb-out/_selftests/$t" ] || echo "$t"; done)
	if [ "$mode" = patched ] || [ -z "$missing" ]; then
		cp plan/check.plan "$plan"
	else
		echo "check: not in this tree, left out of the plan: $missing"
		grep -v -F -f <(sed 's/.*/ &/' <<<"$missing") plan/check.plan > "$plan"
	fi
	if [ "$mode" = patched ]; then
		step lint-catches-defects tests/lint_itest.sh "$b/base" || true
		step lint scripts/lint.sh "$work" "$series" "$(git -C "$repo" rev-parse HEAD)" || true
	fi
	step "$mode" run_plan "$mode" "$work/wb-out/arch/riscv/boot/Image" "$plan" "$mode" || true
	if [ "$mode" = base ]; then
		echo "=== make check: $(($(date +%s) - start)) s (empty series: the base kernel only)"
		echo "$P passed, $F failed"
		[ "$F" = 0 ]
		exit
	fi
	# The base kernel, in a work tree of its own with an empty series.
	if step base-kernel build_tree "$b/${u}pristine" /dev/null; then
		step base-run run_plan base "$b/${u}pristine/wb-out/arch/riscv/boot/Image" "$plan" base || true
		step base-vs-patched compare "$b/base.results" "$b/patched.results" || true
	fi
	for m in tests/mutants/*.patch; do
		step "mutant-$(basename "$m" .patch)" mutant "$m" || true
	done
fi
echo "=== make check: $(($(date +%s) - start)) s"
echo "$P passed, $F failed"
[ "$F" = 0 ]
