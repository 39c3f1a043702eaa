#!/bin/bash
# scripts/verdict.sh on fixture console logs (tests/fixtures/*.console, plan).
set -eu
cd "$(dirname "$0")/.."
. tests/lib.sh
f=tests/fixtures
v() {	# v LOG [MODE]: verdict's output; its exit status in $rc
	rc=0; out=$(scripts/verdict.sh "$f/$1.console" "$f/plan" "${2:-patched}") || rc=$?
}
v all-pass
ok "all pass: exit 0, '2 passed, 0 failed'" eval '[ $rc = 0 ] && [ "$(tail -n1 <<<"$out")" = "2 passed, 0 failed" ]'
ok "all pass: a may-skip test is named as skipped" grep -qx "skipped: riscv/sbi_pmu_test" <<<"$out"
ok "all pass: one line per test" test "$(grep -cE '^(PASS|FAIL|SKIP)  ' <<<"$out")" = 3
v one-fail
ok "a failing test fails the run" eval '[ $rc != 0 ] && [ "$(tail -n1 <<<"$out")" = "1 passed, 1 failed" ]'
ok "its 'not ok' TAP line is shown" grep -q "^ *not ok 2 b" <<<"$out"
v timeout
ok "a timeout is a failure, named so" eval '[ $rc != 0 ] && grep -q "FAIL  guest_print_test.*\[timeout\]" <<<"$out"'
v must-skip patched
ok "a must-run test that skips fails on the patched kernel" eval '[ $rc != 0 ] && grep -q "must-run test skipped" <<<"$out"'
ok "... with its SKIP reason" grep -q "# SKIP no counter" <<<"$out"
v must-skip base
ok "... and may skip on the base kernel" eval '[ $rc = 0 ] && grep -q "^SKIP  riscv/trap_stats_test" <<<"$out"'
v panic
ok "a kernel panic fails the run, quoted" eval '[ $rc != 0 ] && grep -q "kernel panic" <<<"$out" && grep -q "Fatal exception" <<<"$out"'
ok "... and the test it hit never ended" grep -q "FAIL  guest_print_test.*did not end" <<<"$out"
v no-done
ok "missing '@@ done' fails, with the console tail" eval '[ $rc != 0 ] && grep -q "did not finish its plan" <<<"$out" && grep -q "  | @@ end 2" <<<"$out"'
v no-kvm
ok "no KVM in the guest kernel fails" eval '[ $rc != 0 ] && grep -q "KVM did not come up" <<<"$out"'
v died
ok "tests that never started fail" eval '[ $rc != 0 ] && [ "$(grep -c "never started" <<<"$out")" = 2 ]'
v warning
ok "a kernel WARNING fails the run, quoted" eval '[ $rc != 0 ] && grep -q "kernel reported problems" <<<"$out" && grep -q "WARNING: CPU: 0" <<<"$out"'
v debug-boot
ok "a debug kernel's boot banner (\"RCU lockdep checking is enabled\") is no report" eval '[ $rc = 0 ]'
v exit-error
ok "'VCPU exit error' fails the run" eval '[ $rc != 0 ] && grep -q "VCPU exit error" <<<"$out"'
rc=0; out=$(scripts/verdict.sh "$f/exit-error.console" "$f/plan-expect") || rc=$?
ok "... unless the running test declares it in the plan" eval '[ $rc = 0 ] && [ "$(tail -n1 <<<"$out")" = "2 passed, 0 failed" ]'
done_testing
