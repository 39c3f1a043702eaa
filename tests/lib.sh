# Shared by the workbench's own tests: TAP-style lines and a closing count.
# shellcheck shell=bash
n=0 passed=0 failed=0
ok() {	# ok NAME CONDITION-COMMAND...
	local name=$1; shift
	n=$((n + 1))
	if "$@"; then
		passed=$((passed + 1)); echo "ok $n - $name"
	else
		failed=$((failed + 1)); echo "not ok $n - $name"
	fi
}
done_testing() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
