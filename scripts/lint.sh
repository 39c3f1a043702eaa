#!/bin/bash
# "make lint": the checks a maintainer runs before taking a target's series, one
# line per gate, then "N passed, N failed".
# usage: lint.sh TARGET [WORK_TREE SERIES_FILE]   (default: the target's work tree
# and series; the work tree has the series applied on the base)
# QUICK=1 leaves out the gates that compile; LINTDIR: the throwaway worktree they use.
. "$(dirname "$0")/lib.sh"
need git perl make "${CROSS}gcc" sparse sphinx-build
target_load "$1"
work=$(realpath "${2:-$(tree work)}")
series=$(realpath "${3:-$SERIES}")
base_commit=$(git -C "$BASE" rev-parse HEAD)
lintdir=$(realpath -m "${LINTDIR:-$(tree lint)}")
pdir=$(dirname "$series")
export PATH=/usr/bin:$PATH	# Debian's python3 for checkpatch's SPDX check
base_version=$(make -s -C "$work" kernelversion | sed 's/\.[0-9]*$//')	# 6.12, 7.3
p=0 f=0
lint_start=$(date +%s)
gate() {	# gate NAME PROBLEMS: lines of PROBLEMS that start with "# " are notes
	if [ -z "$(grep -v '^# ' <<<"$2" | grep .)" ]; then
		p=$((p + 1)); echo "PASS  $1"
	else
		f=$((f + 1)); echo "FAIL  $1"
	fi
	grep . <<<"$2" | sed 's/^/      /' || true
}
mapfile -t patches < <(grep -v -e '^#' -e '^$' "$series" | cut -d' ' -f1)
cover=$pdir/0000-cover-letter.patch

# 1. Series form
problems=$(
	for x in "$pdir"/[0-9]*.patch; do
		b=$(basename "$x")
		[ "$b" = 0000-cover-letter.patch ] || printf '%s\n' "${patches[@]}" | grep -qxF "$b" ||
			echo "$b is not in the series file"
	done
	[ -f "$cover" ] || echo "no cover letter (0000-cover-letter.patch)"
	for b in "${patches[@]}"; do
		x=$pdir/$b
		[ -f "$x" ] || { echo "$b: named by the series file but missing"; continue; }
		subj=$(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$x")
		grep -qE '^(RISC-V: KVM|KVM: riscv: selftests|KVM: selftests|Documentation: KVM: riscv|KVM: riscv|KVM|tools/kvm_stat): ' <<<"$subj" ||
			echo "$b: subject without a subsystem prefix: $subj"
		grep -q '^Signed-off-by: ' "$x" || echo "$b: no Signed-off-by"
		# the body: text between the headers and the "---" line, besides trailers
		body=$(awk '/^$/ && !h {h = 1; next} h && /^---$/ {exit} h' "$x" | grep -v -e '^Signed-off-by:' -e '^$' | wc -l)
		[ "$body" -gt 0 ] || echo "$b: no commit message body"
		[ ! -f "$cover" ] || grep -qF "$subj" "$cover" || echo "cover letter does not list: $subj"
	done
	[ ! -f "$cover" ] || grep -qE "^Base: .*${base_version//./\\.}" "$cover" ||
		echo "cover letter does not name the base (a 'Base: ... $base_version.y' line)"
)
gate "series form: ${#patches[@]} patches, series file, subjects, Signed-off-by, bodies, cover letter" "$problems"

# 2. checkpatch --strict, clean but for the MAINTAINERS question on new files that an
# existing MAINTAINERS entry already covers. On a base without history (Debian's
# tarballs) checkpatch cannot look up the commit ids a message cites: that one
# check is off there, and the gate says so.
cp_opts=(--strict --no-summary --quiet)
has_history "$work" || cp_opts+=(--ignore UNKNOWN_COMMIT_ID)
problems=$(
	[ "${#cp_opts[@]}" = 3 ] || echo "# the base has no git history: cited commit ids are not checked (UNKNOWN_COMMIT_ID)"
	for b in "${patches[@]}"; do
		out=$(cd "$work" && perl scripts/checkpatch.pl "${cp_opts[@]}" "$pdir/$b" 2>&1) || true
		if grep -q 'does MAINTAINERS need updating' <<<"$out"; then
			for new in $(awk '/^diff --git/ {f = $4} /^new file mode/ {print substr(f, 3)}' "$pdir/$b"); do
				sect=$(cd "$work" && perl scripts/get_maintainer.pl --no-git --no-git-fallback --sections -f "$new" |
					grep -E '^[A-Z0-9]' | grep -v '^THE REST' | head -1)
				if [ -n "$sect" ]; then
					echo "# exception: $b adds $new, which MAINTAINERS entry '$sect' covers"
				else
					echo "$b: $new: no MAINTAINERS entry covers it"
				fi
			done
			out=$(grep -v -e 'does MAINTAINERS need updating' <<<"$out" | grep -E '^(ERROR|WARNING|CHECK)' || true)
		fi
		[ -z "$out" ] || printf '%s:\n%s\n' "$b" "$out"
	done
)
gate "checkpatch --strict: 0 errors, 0 warnings, 0 checks on ${#patches[@]} patches" "$problems"

# 7. Recipients: the cover letter's To/Cc are what get_maintainer.pl says for the series.
problems=$(
	[ -f "$cover" ] || exit 0
	want=$(get_maintainer "$work" $(printf "$pdir/%s " "${patches[@]}") | sed 's/.*<\(.*\)>/\1/' | sort)
	have=$(awk '/^(To|Cc):/ {h = 1} h && /^$/ {exit} h' "$cover" | grep -oE '[^ <,]+@[^ >,]+' | sort)
	diff <(echo "$want") <(echo "$have") | grep '^[<>]' | sed 's/^</missing from the cover letter:/; s/^>/not a maintainer or list of the series:/' || true
)
gate "recipients: cover letter To/Cc match get_maintainer.pl" "$problems"

[ "${QUICK:-0}" = 1 ] || . "$WB/scripts/lint-build.sh"

echo "make lint: $(($(date +%s) - lint_start)) s"
echo "$p passed, $f failed"
[ "$f" = 0 ]
