#!/bin/bash
# The workbench's own tests that need no kernel build: every tests/*_test.sh, then
# one count. (tests/*_itest.sh need a build or QEMU; scripts/check.sh runs them.)
set -eu
cd "$(dirname "$0")"
p=0 f=0
for t in ./*_test.sh; do
	echo "# $t"
	out=$("$t" 2>&1) || true
	echo "$out"
	last=$(tail -n1 <<<"$out")
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
		p=$((p + BASH_REMATCH[1])); f=$((f + BASH_REMATCH[2]))
	else
		echo "not ok - $t ended without a count"; f=$((f + 1))
	fi
done
echo "$p passed, $f failed"
[ "$f" = 0 ]
