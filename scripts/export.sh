#!/bin/bash
# "make export": regenerate a target's patches/TARGET/ from the work tree's commits on
# top of the base: git format-patch with a cover letter (text from cover/TARGET.txt:
# subject line, blank line, body; recipients from the kernel's get_maintainer.pl) and
# a series file. The directory is replaced whole.
# usage: export.sh WORK_TREE BASE_COMMIT PATCH_DIR COVER_TEXT
# FORMAT_EXTRA: more git format-patch options (outgoing.sh: --base=...)
. "$(dirname "$0")/lib.sh"
need git perl
work=$(realpath "$1")
base=$2
dest=$3
cover=$(realpath "$4")

n=$(git -C "$work" rev-list --count "$base..HEAD")
[ "$n" -gt 0 ] || { echo "export: no commits on $work since the base" >&2; exit 1; }
if [ -n "$(git -C "$work" status --porcelain --untracked-files=no)" ]; then
	echo "export: $work has uncommitted edits; commit them first" >&2
	exit 1
fi

tmp=$(realpath "$(mktemp -d "$dest.new.XXXXXX")")
trap 'rm -rf "$tmp"' EXIT
git -C "$work" format-patch -q "$base..HEAD" -o "$tmp" >/dev/null
# Recipients: maintainers To, reviewers and lists Cc, as get_maintainer.pl says.
gm() { get_maintainer "$work" "$@" "$tmp"/*.patch; }
# The whole list is get_maintainer.pl's own (one address per person); of it, the
# maintainers go To and everyone else (reviewers, lists) Cc.
to=() cc=()
maintainers=$(gm --no-r --no-l)
while read -r a; do
	[ -n "$a" ] || continue
	if grep -qxF "$a" <<<"$maintainers"; then to+=(--to="$a"); else cc+=(--cc="$a"); fi
done < <(gm)
rm -f "$tmp"/*.patch
# The cover letter's subject and text come from the branch description.
br=$(git -C "$work" symbolic-ref --short HEAD) || { echo "export: $work is not on a branch" >&2; exit 1; }
# The cover letter is from whoever wrote the patches (the last commit's author) and
# dated as the last commit, so that exporting the same commits again changes nothing.
GIT_COMMITTER_DATE=$(git -C "$work" log -1 --format=%cD) git -C "$work" -c "branch.$br.description=$(cat "$cover")" \
	-c user.name="$(git -C "$work" log -1 --format=%an)" -c user.email="$(git -C "$work" log -1 --format=%ae)" format-patch -q \
	--cover-letter --cover-from-description=subject --no-signature --zero-commit \
	${to[@]+"${to[@]}"} ${cc[@]+"${cc[@]}"} ${FORMAT_EXTRA:-} "$base..HEAD" -o "$tmp" >/dev/null
(cd "$tmp" && ls [0-9]*.patch | grep -v '^0000-cover-letter.patch$') > "$tmp/series"
rm -rf "$dest.old"
[ ! -d "$dest" ] || mv "$dest" "$dest.old"
mv "$tmp" "$dest"
rm -rf "$dest.old"
trap - EXIT
git -C "$work" rev-parse HEAD > "$work.synced"	# see apply.sh
echo "export: $n patches and a cover letter in $dest/ (from $work)"
