#!/bin/bash
# Stage "apply": a work tree at the base with the files named by a series file
# applied by "git am", one commit each. It is also the developers' edit loop:
# commit on the work tree's branch, then "make export" regenerates patches/.
# usage: apply.sh BASE_REPO WORK_TREE SERIES_FILE [EXTRA_PATCH...]
# BASE_REPO's HEAD is the base. Its branches are never changed: the work tree
# is a separate git worktree, detached, or on branch $BRANCH if set (the
# developers' work tree on our own base).
. "$(dirname "$0")/lib.sh"
need git
repo=$(realpath "$1")
work=$(realpath -m "$2")
series=$3
shift 3
FORCE=${FORCE:-0}
synced=$work.synced	# HEAD of the work tree when it last matched the patches

base=$(git -C "$repo" rev-parse --verify 'HEAD^{commit}')
series_patches "$series" >/dev/null	# stops here, naming a missing patch
mapfile -t patches < <(series_patches "$series")
for p in "$@"; do patches+=("$(realpath "$p")"); done
where="$(git -C "$repo" log -1 --format='%h (%s)' "$base")"

# patch-ids ignore line numbers and commit metadata: same ids, same changes
ids_wanted=$(cat ${patches[@]+"${patches[@]}"} /dev/null | git patch-id --stable | cut -d' ' -f1)
if [ -d "$work" ]; then
	head=$(git -C "$work" rev-parse HEAD)
	clean=$(git -C "$work" status --porcelain --untracked-files=no)
	if [ -z "$clean" ] && git -C "$repo" merge-base --is-ancestor "$base" "$head" &&
	   [ "$(git -C "$work" format-patch --stdout "$base..$head" | git patch-id --stable | cut -d' ' -f1)" = "$ids_wanted" ]; then
		echo "$head" > "$synced"
		echo "apply: $work is up to date (${#patches[@]} patches on $where)"
		exit 0
	fi
	# Do not throw away a developer's work: commits or edits not exported yet.
	if [ "$FORCE" != 1 ]; then
		if [ -n "$clean" ]; then
			echo "apply: $work has uncommitted edits; commit and 'make export', or rerun with FORCE=1 to discard them" >&2
			exit 1
		fi
		if [ "$head" != "$base" ] && [ "$head" != "$(cat "$synced" 2>/dev/null)" ]; then
			echo "apply: $work has commits that are not in $(dirname "$series")/; run 'make export', or rerun with FORCE=1 to discard them" >&2
			exit 1
		fi
	fi
	git -C "$work" reset -q --hard "$base"
else
	git -C "$repo" worktree prune
	if [ -n "${BRANCH:-}" ]; then
		git -C "$repo" worktree add -q -B "$BRANCH" "$work" "$base"
	else
		git -C "$repo" worktree add -q --detach "$work" "$base"
	fi
fi

export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-workbench} GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-workbench@localhost}
for p in ${patches[@]+"${patches[@]}"}; do
	if ! out=$(git -C "$work" am -q --keep-cr "$p" 2>&1); then
		git -C "$work" am --abort 2>/dev/null || true
		git -C "$work" reset -q --hard "$base"
		echo "apply: $(basename "$p") does not apply on $where:" >&2
		echo "$out" | grep -E '^(error|Patch failed)' | sed 's/^/  /' >&2
		# name the hunk that failed, with the context it looked for
		git -C "$work" apply --check -v "$p" 2>&1 | grep -A6 '^error: while searching' | sed 's/^/  /' >&2 || true
		exit 1
	fi
done
git -C "$work" rev-parse HEAD > "$synced"
echo "apply: ${#patches[@]} patches on $where in $work"
