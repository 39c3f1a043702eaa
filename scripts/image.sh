#!/bin/bash
# Stage "image": an initramfs with /init (guest/init.c), /plan and every test
# binary the plan names, taken from the selftests build.
# usage: image.sh OUT_CPIO PLAN KERNEL_OUT   (KERNEL_OUT: a build.sh output directory)
. "$(dirname "$0")/lib.sh"
need "${CROSS}gcc"
out=$1
plan=$2
kout=$(realpath "$3")
st=$kout/_selftests
init=$WB/build/init/init

mkdir -p "$(dirname "$init")" "$(dirname "$out")"
if [ ! -x "$init" ] || [ "$WB/guest/init.c" -nt "$init" ]; then
	"${CROSS}gcc" -static -O2 -Wall -Werror -o "$init" "$WB/guest/init.c"
fi
[ -x "$kout/usr/gen_init_cpio" ] || { echo "image: $kout/usr/gen_init_cpio missing: build the kernel first" >&2; exit 1; }

list=$(mktemp)
trap 'rm -f "$list" "$out.tmp"' EXIT
{
	echo "dir /dev 755 0 0"
	# the kernel needs a console before /init mounts devtmpfs
	echo "nod /dev/console 600 0 0 c 5 1"
	echo "dir /proc 755 0 0"
	echo "dir /sys 755 0 0"
	echo "dir /tests 755 0 0"
	echo "file /init $(realpath "$init") 755 0 0"
	echo "file /plan $(realpath "$plan") 644 0 0"
} > "$list"
cmds=$(grep -v -e '^\s*#' -e '^\s*$' "$plan" | awk '{print $3}' | sort -u)
for d in $(dirname $cmds | sort -u); do
	[ "$d" = . ] || echo "dir /tests/$d 755 0 0" >> "$list"
done
for c in $cmds; do
	[ -x "$st/$c" ] || { echo "image: $plan names $c, which is not in $st" >&2; exit 1; }
	echo "file /tests/$c $st/$c 755 0 0" >> "$list"
done
"$kout/usr/gen_init_cpio" "$list" > "$out.tmp"
mv "$out.tmp" "$out"
echo "image: $out ($(grep -c . <<<"$cmds") programs, $(du -h "$out" | cut -f1))"
