#!/bin/bash
# scripts/apply.sh on a tiny git repository: series handling, errors, and the
# developer's work never thrown away.
set -eu
cd "$(dirname "$0")/.."
. tests/lib.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t

git init -q -b main "$t/repo"
printf 'one\ntwo\nthree\nfour\nfive\n' > "$t/repo/file"
git -C "$t/repo" add file && git -C "$t/repo" commit -qm base
git -C "$t/repo" checkout -q -b dev
sed -i 's/two/TWO/' "$t/repo/file" && git -C "$t/repo" commit -qam "first change"
sed -i 's/four/FOUR/' "$t/repo/file" && git -C "$t/repo" commit -qam "second change"
mkdir "$t/p" && git -C "$t/repo" format-patch -q -o "$t/p" main..dev
git -C "$t/repo" checkout -q main && git -C "$t/repo" branch -q -D dev
(cd "$t/p" && ls ./*.patch | sed 's|^\./||') > "$t/p/series"
branches() { git -C "$t/repo" for-each-ref --format='%(refname) %(objectname)' refs/heads; }
before=$(branches)

out=$(scripts/apply.sh "$t/repo" "$t/work" "$t/p/series" 2>&1)
ok "a series applies, one commit per patch" test "$(git -C "$t/work" rev-list --count main..HEAD)" = 2
ok "the result has both changes" grep -qx FOUR "$t/work/file"
ok "the base repository's branches are unchanged" test "$(branches)" = "$before"
out=$(scripts/apply.sh "$t/repo" "$t/work" "$t/p/series" 2>&1)
ok "a second run finds the work tree up to date" grep -q "up to date" <<<"$out"

echo "# a comment" > "$t/p/series2"; echo "missing.patch" >> "$t/p/series2"
rc=0; out=$(scripts/apply.sh "$t/repo" "$t/w2" "$t/p/series2" 2>&1) || rc=$?
ok "a series naming a missing file fails and names it" eval '[ $rc != 0 ] && grep -q "missing.patch" <<<"$out"'

sed 's/^-four$/-FORTY/; s/^ four$/ FORTY/' "$t/p/0002-second-change.patch" > "$t/p/bad.patch"
printf '0001-first-change.patch\nbad.patch\n' > "$t/p/series3"
rc=0; out=$(scripts/apply.sh "$t/repo" "$t/w3" "$t/p/series3" 2>&1) || rc=$?
ok "a patch that does not apply fails" test "$rc" != 0
ok "... naming the patch" grep -q "bad.patch does not apply" <<<"$out"
ok "... and the file and hunk" eval 'grep -q "patch failed: file:" <<<"$out" && grep -q "while searching for" <<<"$out"'
ok "... leaving nothing half-applied" eval '[ "$(git -C "$t/w3" rev-parse HEAD)" = "$(git -C "$t/repo" rev-parse main)" ] && [ ! -d "$t/w3/.git/rebase-apply" ] && git -C "$t/w3" diff --quiet'

echo extra >> "$t/work/file" && git -C "$t/work" commit -qam "not exported"
rc=0; out=$(scripts/apply.sh "$t/repo" "$t/work" "$t/p/series" 2>&1) || rc=$?
ok "unexported commits in the work tree are not thrown away" eval '[ $rc != 0 ] && grep -q "make export" <<<"$out" && grep -qx extra "$t/work/file"'
echo edit >> "$t/work/file"
rc=0; out=$(scripts/apply.sh "$t/repo" "$t/work" "$t/p/series" 2>&1) || rc=$?
ok "uncommitted edits are not thrown away" eval '[ $rc != 0 ] && grep -q "uncommitted" <<<"$out" && grep -qx edit "$t/work/file"'
FORCE=1 scripts/apply.sh "$t/repo" "$t/work" "$t/p/series" >/dev/null 2>&1
ok "FORCE=1 starts over from the patches" eval '! grep -q extra "$t/work/file" && [ "$(git -C "$t/work" rev-list --count main..HEAD)" = 2 ]'

: > "$t/p/empty"
scripts/apply.sh "$t/repo" "$t/w4" "$t/p/empty" >/dev/null 2>&1
ok "an empty series gives the base" test "$(git -C "$t/w4" rev-parse HEAD)" = "$(git -C "$t/repo" rev-parse main)"

done_testing
