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
gm() { (cd "$work" && perl scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback "$@" "$tmp"/*.patch); }
to=() cc=()
while read -r a; do [ -n "$a" ] && to+=(--to="$a"); done < <(gm --no-r --no-l)
while read -r a; do [ -n "$a" ] && cc+=(--cc="$a"); done < <(gm --no-m --r --l)
rm -f "$tmp"/*.patch
# The cover letter's subject and text come from the branch description.
br=$(git -C "$work" symbolic-ref --short HEAD) || { echo "export: $work is not on a branch" >&2; exit 1; }
git -C "$work" -c "branch.$br.description=$(cat "$cover")" format-patch -q \
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
