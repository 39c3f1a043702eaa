#!/bin/bash
# Stage "verdict": read the console log of a test VM run against its plan; one line
# per test, then "N passed, N failed". Exit status: kselftest's (0 pass, 4 skip,
# anything else fail); a timeout, a test that never ended, a kernel panic, missing
# output or no KVM fail too. MODE "patched" (default) fails a skipped must-run test;
# MODE "base" (the kernel without the series) lets it skip.
# Kernel warnings, BUGs, oopses, lockdep/KASAN/UBSAN reports and "VCPU exit error" fail
# the run too, except a message the running test declares in its plan flag
# ("must,expect:REGEX", REGEX without spaces).
# usage: verdict.sh CONSOLE_LOG PLAN [MODE [RESULTS_FILE]]
# RESULTS_FILE, if given, gets "VERDICT<TAB>COMMAND" per test.
set -eu
log=$1
plan=$2
mode=${3:-patched}
results=${4:-/dev/null}

awk -v mode="$mode" -v results="$results" '
FNR == NR {	# the plan
	if ($0 ~ /^[ \t]*(#|$)/) next
	n++; flag[n - 1] = $2
	# "must,expect:REGEX": the kernel message this test provokes on purpose
	if (match($2, /expect:.*/)) expect[n - 1] = substr($2, RSTART + 7)
	cmd = $3; for (i = 4; i <= NF; i++) cmd = cmd " " $i
	name[n - 1] = cmd
	next
}
{ sub(/\r$/, ""); tail[NR % 20] = $0; lines = NR }
/hypervisor extension available/ { kvm = 1 }
/Kernel panic/ { panic = panic "\n  | " $0 }
/^@@ error/ { error = substr($0, 10) }
# Kernel reports that fail any run, unless the running test declared them
/(WARNING:|BUG:|Oops|Unable to handle|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|bad unlock balance|lock held when returning|KASAN:|UBSAN:|Call Trace:|VCPU exit error)/ {
	if (!(cur != "" && (cur in expect) && $0 ~ expect[cur])) bad = bad "\n  | " $0
}
/^@@ done/ { done = 1 }
/^@@ begin / { cur = $3; began[cur] = 1; next }
/^@@ end / {
	i = $3; ended[i] = 1
	for (k = 5; k <= NF; k++) {
		split($k, kv, "=")
		if (kv[1] == "exit") ex[i] = kv[2]
		if (kv[1] == "secs") secs[i] = kv[2]
	}
	cur = ""
	next
}
cur != "" && /^(not ok |# SKIP|ok .*# SKIP|1\.\.0)/ { notes[cur] = notes[cur] "\n        " $0 }
END {
	pass = fail = skip = 0
	for (i = 0; i < n; i++) {
		v = ""; why = ""
		if (!began[i]) { v = "FAIL"; why = "never started" }
		else if (!ended[i]) { v = "FAIL"; why = "did not end (the guest died?)" }
		else if (ex[i] == "0") v = "PASS"
		else if (ex[i] == "4") {
			if (flag[i] ~ /^must/ && mode != "base") { v = "FAIL"; why = "must-run test skipped" }
			else v = "SKIP"
		}
		else if (ex[i] == "timeout") { v = "FAIL"; why = "timeout" }
		else { v = "FAIL"; why = "exit " ex[i] }
		printf "%s  %s%s%s%s\n", v, name[i], (i in secs) ? "  (" secs[i] "s)" : "", why != "" ? "  [" why "]" : "", (v != "PASS") ? notes[i] : ""
		printf "%s\t%s\n", v, name[i] > results
		if (v == "PASS") pass++; else if (v == "SKIP") { skip++; skipped = skipped " " name[i] } else fail++
	}
	if (bad != "") { print "FAIL  run: the kernel reported problems:" bad; fail++ }
	if (!kvm) { print "FAIL  run: KVM did not come up (no \"hypervisor extension available\")"; fail++ }
	if (panic != "") { print "FAIL  run: kernel panic" panic; fail++ }
	if (error != "") { print "FAIL  run: /init: " error; fail++ }
	if (!done) {
		print "FAIL  run: the guest did not finish its plan; last console lines:"
		for (k = lines - 19; k <= lines; k++) if (k > 0) print "  | " tail[k % 20]
		fail++
	}
	if (skip) print "skipped:" skipped
	printf "%d passed, %d failed\n", pass, fail
	exit fail ? 1 : 0
}' "$plan" "$log"
