#!/bin/bash
# "make lint" must catch what a maintainer would reject. A fixture series
# (tests/fixtures/lint/) carries one defect per gate; lint.sh runs the real
# tools on it (checkpatch, the cross compiler, sparse, Sphinx) and each gate
# must fail, naming the defect.
# The fixtures fit the 6.12 base (build/6.12/base, made by scripts/base.sh).
set -eu
cd "$(dirname "$0")/.."
. tests/lib.sh
work=build/6.12/lint-fixture-work
FORCE=1 scripts/apply.sh build/6.12/base "$work" tests/fixtures/lint/series >/dev/null
rc=0
out=$(LINTDIR=build/6.12/lint-fixture scripts/lint.sh 6.12 "$work" tests/fixtures/lint/series 2>&1) || rc=$?
echo "$out" | sed 's/^/# /'
fails() { grep -A30 "^FAIL  $1" <<<"$out" | sed -n '2,$p' | sed '/^\(PASS\|FAIL\)  /,$d' | grep -q -- "$2"; }
ok "lint fails on the fixture series" test "$rc" != 0
ok "series form: the patch without Signed-off-by" fails "series form" "0002-RISC-V-KVM-fixture-no-sign-off.patch: no Signed-off-by"
ok "checkpatch: the trailing whitespace" fails "checkpatch" "trailing whitespace"
ok "bisect: the patch that does not build" fails "bisect" "patch 3 (RISC-V: KVM: fixture: break the build): kernel build failed"
ok "W=1: the new warning" fails "W=1" "no previous prototype for .wb_fixture_no_prototype"
ok "sparse: the new warning" fails "sparse" "wb_fixture_no_prototype' was not declared"
ok "docs: the Sphinx error" fails "docs" "halt-polling.rst: ERROR: Malformed table"
done_testing
