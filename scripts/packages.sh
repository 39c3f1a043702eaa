#!/bin/bash
# Stage "packages": install every Debian package named in scripts/commands that is
# not installed yet, then check that every command and file of that table is there
# (a package missing from the table stops the run here, in one line, not minutes
# into a build). As root it runs apt-get; as another user it prints the exact
# command and stops.
# usage: packages.sh [fresh|real]   (the tools of make fresh, or of make demo-real
#                                    and check-real: the rows of scripts/commands
#                                    whose third column names it)
. "$(dirname "$0")/lib.sh"
# Every command a stage's preflight asks for must be in the table, or no package
# would install it: say which at once, not when that stage starts.
unlisted=$(unlisted_commands)
[ -z "$unlisted" ] || die "scripts/commands does not list $unlisted, which the workbench runs: add each with its Debian package"
if [ -n "${1:-}" ]; then sel="index(\",\" \$3 \",\", \",$1,\")"; else sel='$3 == ""'; fi
pkgs=$(awk "!/^#/ && NF && $sel {print \$2}" "$WB/scripts/commands" | sort -u)
missing=$(for p in $pkgs; do
	dpkg-query -W -f '${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed || echo "$p"
done | xargs)
if [ -n "$missing" ]; then
	cmd="apt-get install -y --no-install-recommends $missing"
	if [ "$(id -u)" != 0 ]; then
		echo "packages: missing Debian packages: $missing" >&2
		die "as root, run: apt-get update && $cmd"
	fi
	echo "packages: installing $missing"
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
	# wait for another apt or dpkg run to finish rather than fail
	apt=(apt-get -q -o DPkg::Lock::Timeout=600)
	# shellcheck disable=SC2086
	if ! { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends $missing; } >"$log" 2>&1; then
		tail -20 "$log" >&2
		die "'apt-get update && $cmd' failed (its last lines above)"
	fi
fi
# shellcheck disable=SC2046
need $(awk "!/^#/ && NF && $sel {print \$1}" "$WB/scripts/commands")
