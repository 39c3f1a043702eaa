#!/bin/bash
# The developers' loop on a target's work tree (build/TARGET/work, branch "series"
# on our own base; build/TARGET/user-work, detached, on KERNEL_SRC):
#   apply      the series onto the base (never throws away unexported work)
#   build      apply, then kernel, headers, selftests and the workbench's programs
#   quick      rebuild what changed (commits not exported yet included), boot, the plan
#              less its slow tests
#   export     regenerate patches/TARGET/ from the work tree's commits
# usage: work.sh TARGET apply|build|quick|export
. "$(dirname "$0")/lib.sh"
target_load "$1"
cd "$WB"
work=$(tree work)
case "$2" in
apply|build)
	[ -n "${KERNEL_SRC:-}" ] || scripts/base.sh "$T" >/dev/null
	if [ -n "$U" ]; then br=""; else br=series; fi
	BRANCH=$br scripts/apply.sh "$BASE" "$work" "$SERIES"
	[ "$2" = apply ] || scripts/build.sh "$work" all ;;
quick)
	[ -d "$work" ] || die "no work tree $work yet: run 'make apply TARGET=$T' first"
	scripts/build.sh "$work" all
	grep -v -E '^[0-9]+ [^ ]*slow' "$PLAN" > "$B/quick.plan"
	scripts/run.sh "$B/run/quick" "$B/quick.plan" "$work/wb-out" ;;
export)
	[ -z "$U" ] || die "export regenerates patches/$T/ from our own work tree, not from KERNEL_SRC"
	scripts/export.sh "$work" "$(git -C "$BASE" rev-parse HEAD)" "patches/$T" "$COVER" ;;
*) die "usage: work.sh TARGET apply|build|quick|export" ;;
esac
