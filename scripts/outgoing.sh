#!/bin/bash
# "make outgoing": the target's series as it goes to the list, in build/TARGET/outgoing/.
# The committed series carries the project's neutral identity; what goes out carries
# the sender's: every commit is re-made with the author and Signed-off-by from
# "git config user.name/user.email" (a placeholder or example.* address is refused),
# then exported like "make export": cover letter, recipients from get_maintainer.pl,
# and the base named (the cover letter's "Base:" line names the Debian package and
# version; on KERNEL_SRC, a real upstream tree, git's "base-commit:" trailer).
# usage: outgoing.sh TARGET
. "$(dirname "$0")/lib.sh"
need git perl
target_load "$1"
cd "$WB"
name=$(git config user.name || true)
email=$(git config user.email || true)
placeholder='(@example\.|@localhost$|\.example$|^kvm-stats@|@invalid$|\.invalid$)'
[ -n "$name" ] && [ -n "$email" ] ||
	die "no sender identity: set yours with git config --global user.name '...' and user.email '...'"
if grep -qiE "$placeholder" <<<"$email" || ! grep -qE '^[^@ ]+@[^@ ]+\.[^@ ]+$' <<<"$email"; then
	die "'$email' is a placeholder, not a sender: a maintainer cannot take a patch signed off by it (DCO)"
fi
n=$(series_patches "$SERIES" | grep -c . || true)
[ "$n" -gt 0 ] || die "$SERIES is empty: nothing to send"
[ -n "${KERNEL_SRC:-}" ] || scripts/base.sh "$T" >/dev/null
w=$(tree outgoing)
base=$(git -C "$BASE" rev-parse HEAD)
FORCE=1 BRANCH=${U}outgoing scripts/apply.sh "$BASE" "$w" "$SERIES" >/dev/null
# Re-make each commit as the sender's: author, committer, and our Signed-off-by replaced
old=$(git -C "$w" log -1 --format='%an <%ae>')
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
fix="git log -1 --format=%B | sed 's|^Signed-off-by: $old\$|Signed-off-by: $name <$email>|' | git commit -q --amend --reset-author -F -"
git -C "$w" -c core.hooksPath=/dev/null rebase -q --force-rebase "$base" --exec "$fix"
if git -C "$w" log --format=%B "$base..HEAD" | grep -qF "$old"; then
	die "a commit still names '$old' after the rewrite"
fi
dest=$B/outgoing
extra=()
[ -z "$U" ] || extra=(--base="$base")	# a user's tree: its HEAD is a real upstream commit
FORMAT_EXTRA="${extra[*]}" scripts/export.sh "$w" "$base" "$dest" "$COVER" >/dev/null
echo "outgoing: $n patches and a cover letter in $dest/, from $name <$email>"
echo "outgoing: recipients: $(awk '/^(To|Cc):/ {h = 1} h && /^$/ {exit} h' "$dest/0000-cover-letter.patch" | grep -oE '[^ <,]+@[^ >,]+' | sort -u | xargs)"
echo "outgoing: send with: git send-email --to-cover --cc-cover $dest/0*.patch"
