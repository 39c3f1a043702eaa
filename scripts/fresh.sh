#!/bin/bash
# "make fresh": the README's two commands, verbatim, on a bare Debian 12 machine.
#
# 1. A bare Debian 12 (bookworm) root from mmdebstrap --variant=minbase: the
#    Essential set, every Priority:required package and apt, i.e. what
#    debootstrap --variant=minbase and Debian's container images hold, plus make,
#    the one program the README's "make check" presumes (mmdebstrap 1.3.5 has no
#    "minimal" variant, and "apt" lacks required packages such as mawk). Nothing
#    else: whatever the workbench needs beyond that, its own scripts must install.
#    The root is cached as a tarball in $CACHE/fresh/ (scripts/lib.sh),
#    rebuilt when older than $FRESH_MAX_AGE_DAYS (7) days, when the mmdebstrap
#    command line changes, or with FRESH_REBUILD=1.
# 2. The tarball unpacked into a temporary directory ($FRESH_TMPDIR, default /var/tmp),
#    a clean git clone of this repository's HEAD in /root/kvm-riscv-wb.
# 3. "make check", then "make demo", each as root in a chroot inside its own mount
#    and PID namespace (unshare --kill-child): /proc, /sys (read-only), a /dev with
#    null, zero, full, random, urandom, tty, pts and shm; the host's resolv.conf is
#    copied in so that apt works. When the command ends, however it ends (failure,
#    Ctrl-C, a kill), the namespace dies: the kernel undoes its mounts and kills its
#    processes; a trap then removes the temporary root. The one thing shared with
#    the host is its ccache directory (read-write), so that rebuilds stay fast.
# Each command's result and wall time is printed; logs in build/fresh/. Exit status 1
# if either failed, with the failing command's last lines.
# Knobs: FRESH_KEEP=1 keeps the temporary root; FRESH_CCACHE=0 shares no ccache;
# FRESH_TIMEOUT (s, default 3600) per command.
. "$(dirname "$0")/lib.sh"
cd "$WB"
CACHE=$CACHE/fresh
MAX_AGE_DAYS=${FRESH_MAX_AGE_DAYS:-7}
TIMEOUT=${FRESH_TIMEOUT:-3600}
LOGS=$WB/build/fresh
COMMANDS=("make check" "make demo")	# the README's two commands
CLONE=/root/kvm-riscv-wb	# where the user's "git clone" put the repository

if [ "$(id -u)" != 0 ]; then
	echo "fresh: needs root: it builds a Debian root with mmdebstrap, mounts /proc, /sys and /dev in a namespace and chroots into it, where the README's commands run as root; run it as root (e.g. sudo make fresh)" >&2
	exit 1
fi
scripts/packages.sh fresh	# its own tools: mmdebstrap, unshare, chroot, flock, findmnt
need git tar timeout

head=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	echo "fresh: note: uncommitted changes are not tested; the bare root gets a clone of HEAD ($(git log -1 --format='%h %s'))"
fi
mkdir -p "$CACHE" "$LOGS"

# --- 1. The bare root, cached --------------------------------------------------
# This machine's archive may be a snapshot whose Release files are past their
# Valid-Until: if the host's apt is told to accept that, so is the root's.
aptopts=()
for o in Acquire::Check-Valid-Until Acquire::Check-Date; do
	[ "$(apt-config dump "$o" | sed -n "s/^$o \"\(.*\)\";/\1/p")" != false ] || aptopts+=("--aptopt=$o \"false\"")
done
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
SECURITY=${FRESH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
mm_args=(--variant=minbase --mode=root --format=tar --include=make ${aptopts[@]+"${aptopts[@]}"}
	bookworm TARGET
	"deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" "deb $SECURITY bookworm-security main")
cmdline=$(printf '%q ' mmdebstrap "${mm_args[@]}")
tarball=$CACHE/bookworm-minbase.tar
exec 9>"$CACHE/lock"
flock 9	# one build of the cache at a time
why=""
if [ "${FRESH_REBUILD:-0}" = 1 ]; then why="FRESH_REBUILD=1"
elif [ ! -s "$tarball" ]; then why="none cached"
elif [ "$cmdline" != "$(cat "$tarball.cmdline" 2>/dev/null)" ]; then why="the mmdebstrap command line changed"
elif [ -n "$(find "$tarball" -mmin +$((MAX_AGE_DAYS * 24 * 60)))" ]; then why="older than $MAX_AGE_DAYS days"
fi
if [ -n "$why" ]; then
	echo "fresh: building a bare Debian 12 root ($why): ${cmdline/TARGET/$tarball}"
	t0=$(date +%s)
	rm -f "$tarball.tmp"
	if ! mmdebstrap "${mm_args[@]/#TARGET/$tarball.tmp}" >"$LOGS/mmdebstrap.log" 2>&1; then
		tail -n 20 "$LOGS/mmdebstrap.log" | sed 's/^/  | /' >&2
		rm -f "$tarball.tmp"
		echo "fresh: mmdebstrap failed (log above, whole in $LOGS/mmdebstrap.log)" >&2
		exit 1
	fi
	mv "$tarball.tmp" "$tarball"
	echo "$cmdline" > "$tarball.cmdline"
	echo "fresh: mmdebstrap: $(($(date +%s) - t0)) s, $(du -h "$tarball" | cut -f1) in $tarball"
else
	echo "fresh: bare Debian 12 root: $tarball (cached, built $(date -r "$tarball" '+%F %R'))"
fi
exec 9>&-

# --- 2. A temporary root with a clone of HEAD ------------------------------------
root=""
child="" tailpid=""
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	# the namespace of a command still running dies with its unshare
	[ -z "$child" ] || { kill -KILL "$child" 2>/dev/null; wait "$child" 2>/dev/null || true; }
	[ -z "$tailpid" ] || kill "$tailpid" 2>/dev/null || true
	if [ -n "$root" ] && [ -d "$root" ]; then
		if findmnt -rn -o TARGET | grep -q "^$root/"; then	# never: the mounts live in the namespace
			echo "fresh: something is still mounted under $root; not removing it" >&2
		elif [ "${FRESH_KEEP:-0}" = 1 ]; then
			echo "fresh: kept the root: $root"
		else
			rm -rf --one-file-system "$root"
		fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "fresh: interrupted" >&2; exit 130' INT
trap 'echo "fresh: terminated" >&2; exit 143' TERM HUP
tmpdir=${FRESH_TMPDIR:-/var/tmp}
t0=$(date +%s)
root=$(mktemp -d "$tmpdir/kvm-riscv-wb-fresh.XXXXXX")
chmod 755 "$root"
tar -xpf "$tarball" --numeric-owner -C "$root"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
git clone -q --no-hardlinks "$WB" "$root$CLONE"	# the current branch, or HEAD's commit if detached
[ "$(git -C "$root$CLONE" rev-parse HEAD)" = "$head" ] || git -C "$root$CLONE" checkout -q --detach "$head"
git -C "$root$CLONE" remote remove origin	# the host's path means nothing in there

# The host's ccache directory, where ccache in the root looks by default
# (ccache 4.8 as root, no $CCACHE_DIR, no /root/.ccache: /root/.cache/ccache).
ccache_dir=""
if [ "${FRESH_CCACHE:-1}" = 1 ]; then
	if command -v ccache >/dev/null; then ccache_dir=$(ccache -k cache_dir); else ccache_dir=${CCACHE_DIR:-$HOME/.cache/ccache}; fi
	mkdir -p "$ccache_dir" "$root/root/.cache/ccache"
fi

# --- 3. The README's commands ----------------------------------------------------
# run_in_root COMMAND LOG: the command in the chroot, in its own mount and PID
# namespace; the host's mounts are untouched (private propagation).
inner='set -e
r=$1 cc=$2 cmd=$3
mount -t proc -o nosuid,nodev,noexec proc "$r/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$r/sys"
mount -t tmpfs -o nosuid,mode=755,size=64m tmpfs "$r/dev"
for d in null zero full random urandom tty; do : > "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"; done
mkdir "$r/dev/pts" "$r/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$r/dev/pts"
ln -s pts/ptmx "$r/dev/ptmx"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$r/dev/shm"
ln -s /proc/self/fd "$r/dev/fd"
ln -s /proc/self/fd/0 "$r/dev/stdin"; ln -s /proc/self/fd/1 "$r/dev/stdout"; ln -s /proc/self/fd/2 "$r/dev/stderr"
[ -z "$cc" ] || mount --bind "$cc" "$r/root/.cache/ccache"
# not exec: this bash stays PID 1 of the namespace and reaps orphans
rc=0
timeout -s KILL "$4" chroot "$r" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/bin/bash -c "cd '"$CLONE"' && $cmd" || rc=$?
[ "$rc" != 137 ] || echo "fresh: killed at the time limit, $4 s (FRESH_TIMEOUT)"
exit "$rc"'
run_in_root() {	# the output goes to LOG and, live, to stdout
	local rc=0
	: > "$2"	# there before tail opens it
	unshare --mount --pid --fork --kill-child --propagation private \
		bash -c "$inner" fresh-root "$root" "$ccache_dir" "$1" "$TIMEOUT" </dev/null >"$2" 2>&1 &
	child=$!	# killing it kills the whole namespace (--kill-child)
	tail -n +1 -f --pid="$child" "$2" &
	tailpid=$!
	wait "$child" || rc=$?
	child=""
	wait "$tailpid" || true
	tailpid=""
	return "$rc"
}

echo "fresh: bare root $root (unpacked and cloned in $(($(date +%s) - t0)) s); the clone of HEAD ($(git log -1 --format='%h %s')) in $CLONE${ccache_dir:+; ccache shared: $ccache_dir}"
passed=0 failed=0 summary=()
for cmd in "${COMMANDS[@]}"; do
	log=$LOGS/${cmd// /-}.log
	echo "=== fresh: $cmd (in the bare root)"
	t0=$(date +%s)
	rc=0
	run_in_root "$cmd" "$log" || rc=$?
	secs=$(($(date +%s) - t0))
	if [ "$rc" = 0 ]; then
		passed=$((passed + 1)); summary+=("fresh: $cmd: passed in $secs s")
	else
		failed=$((failed + 1))
		summary+=("fresh: $cmd: FAILED (exit $rc) after $secs s; its last lines ($log):")
		summary+=("$(tail -n 25 "$log" | sed 's/^/  | /')")
	fi
done
echo "=== fresh: the README's commands on a bare Debian 12 root"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
