# shellcheck shell=bash
# Sourced by every workbench script: the target's data and paths, the one series
# reader, the cause table, and the preflight check of the commands a script runs.
set -eu
WB=$(realpath "$(dirname "${BASH_SOURCE[0]}")/..")
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
# Outside the clone, shared by every clone on this machine: Debian packages and
# the base source repositories made from them.
CACHE=${WB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-riscv-wb}

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# target_load NAME: the target's data (targets/NAME) and its paths.
#   T          the name; B: build/T, everything generated for it
#   SERIES     patches/T/series; PLAN: plan/T.plan; COVER: cover/T.txt
#   BASE       the repository whose HEAD is the base: build/T/base, or KERNEL_SRC
#   U          "" on our base, "user-" on KERNEL_SRC (its work trees are kept apart)
#   FRAGMENT   the target's config fragments, concatenated into build/T/config.fragment
target_load() {
	local f=$WB/targets/$1 c
	[ -f "$f" ] || die "no target '$1' (targets: $(cd "$WB/targets" && echo *))"
	archive="" package="" version="" also_archive="" also_version="" config="" flavour="" delegated="" broken_selftests="" real_config="" noslot_fetch=""
	# shellcheck disable=SC1090
	. "$f"
	T=$1
	B=build/$T
	SERIES=patches/$T/series
	PLAN=plan/$T.plan
	COVER=cover/$T.txt
	if [ -n "${KERNEL_SRC:-}" ]; then
		BASE=$(realpath "$KERNEL_SRC") U=user-
	else
		BASE=$B/base U=""
	fi
	mkdir -p "$B/run"
	FRAGMENT=$B/config.fragment
	for c in $config; do cat "$WB/$c"; done > "$FRAGMENT.tmp"
	cmp -s "$FRAGMENT.tmp" "$FRAGMENT" 2>/dev/null && rm "$FRAGMENT.tmp" || mv "$FRAGMENT.tmp" "$FRAGMENT"
	export FRAGMENT FLAVOUR=$flavour BROKEN_SELFTESTS=$broken_selftests
}

# tree NAME: the path of one of the target's kernel work trees (work, pristine,
# lint, debug, real, outgoing, bench-N), apart for a user's own tree
tree() { echo "$B/$U$1"; }

# series_patches SERIES_FILE: the patch files it names (relative to its directory, or
# absolute), one absolute path per line, in order; fails naming a file the series
# names but that does not exist
series_patches() {
	local dir p
	dir=$(dirname "$1")
	while read -r p _; do
		case "$p" in ''|'#'*) continue ;; esac
		case "$p" in /*) ;; *) p=$dir/$p ;; esac
		[ -f "$p" ] || die "$1 names $p, which does not exist"
		realpath "$p"
	done < "$1"
}

# has_history TREE: TREE's git history reaches back to Linux's first commit, so
# that commit ids cited in messages can be looked up (not so for Debian's
# tarballs, one commit each, nor for a shallow clone)
has_history() { git -C "$1" cat-file -e 1da177e4c3f41524e886b7f1b8a0c1fc7321cac2^{commit} 2>/dev/null; }

# get_maintainer TREE ARGS...: the kernel's scripts/get_maintainer.pl in TREE, for
# recipients. Without history it cannot look up the authors of Fixes: commits, so
# it is told not to try.
get_maintainer() {
	local tree=$1 fixes=""
	shift
	has_history "$tree" || fixes=--no-fixes
	(cd "$tree" && perl scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback $fixes "$@")
}

# causes: "NAME SCAUSE STATISTIC" per line, from guest/causes.def
causes() { sed -n 's/^CAUSE(\([a-z_]*\), *\([0-9]*\), *\([a-z_]*\),.*/\1 \2 \3/p' "$WB/guest/causes.def"; }

# unlisted_commands [TABLE]: the commands the scripts' preflight checks ask for
# (their "need" lines) that the table (scripts/commands) does not list
unlisted_commands() {
	grep -h '^[[:space:]]*need [^$]' "$WB"/scripts/*.sh |
		sed 's/[#;|&].*//; s/^[[:space:]]*need //; s/\${CROSS}/'"$CROSS"'/g; s/"//g' | tr ' ' '\n' |
		awk 'NR == FNR { if (!/^#/) listed[$1] = 1; next } NF && !($1 in listed) && !seen[$1]++' \
			"${1:-$WB/scripts/commands}" - | xargs
}

# need CMD...: every command (or file, given as a path) this script will use is
# there, or stop at once naming the Debian package that has it (scripts/commands)
need() {
	local c pkg missing=""
	for c in "$@"; do
		case "$c" in
		/*) [ -e "$c" ] && continue ;;
		*) command -v "$c" >/dev/null 2>&1 && continue ;;
		esac
		pkg=$(awk -v c="$c" '$1 == c {print $2}' "$WB/scripts/commands")
		missing+="$c (Debian package ${pkg:-unknown}), "
	done
	[ -z "$missing" ] || die "missing ${missing%, }; as root, 'make packages' installs every package the workbench needs"
}
