#!/bin/bash
# The riscv64 Debian root file system that "make demo-real"/"make check-real" boot as the
# KVM host's initramfs: sid with python3 (kvm_stat, QMP) and QEMU (package
# qemu-system-riscv) to run a KVM guest inside the emulated host.
# Built once with mmdebstrap + qemu-user-static and cached outside any clone, in
# $CACHE (scripts/lib.sh), named after a hash of this recipe
# (the marked part below): a changed recipe builds a new one, an unchanged one is reused.
# usage: real-rootfs.sh      prints the path of the cached cpio (uncompressed, newc)
# Needs root (mmdebstrap's root mode), mmdebstrap, qemu-user-static, binfmt_misc.
. "$(dirname "$0")/lib.sh"
MIRROR=${REAL_MIRROR:-http://deb.debian.org/debian}
# --- recipe (its hash names the cached root) ---
SUITE=sid
# mount: --variant=apt has no mount(8); python3: kvm_stat (ctypes, curses); QMP needs
# nothing more; qemu-system-riscv: QEMU 11 with KVM support; ncurses-base: terminfo
# for kvm_stat's curses; procps: ps/top for whoever debugs in there.
PACKAGES=mount,python3,qemu-system-riscv,ncurses-base,procps
build_root() {
	# The snapshot archive is past its Valid-Until; no recommends; no docs, man
	# pages, locales.
	mmdebstrap --quiet --arch=riscv64 --variant=apt --include="$PACKAGES" \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
		"$SUITE" "$1" "$MIRROR" >&2
	# The kernel needs /dev/console in the initramfs before /init runs.
	[ -e "$1/dev/console" ] || mknod -m 600 "$1/dev/console" c 5 1
}
# --- end of recipe ---
cache=$CACHE
self=$(realpath "$0")
# The recipe is the part of this file between the two "recipe" marks (suite,
# packages, mmdebstrap options, post-processing): the cache is named after its hash,
# so editing comments elsewhere keeps it. The mirror only picks where the same
# packages come from.
hash=$(sed -n '/^# --- recipe/,/^# --- end of recipe/p' "$self" | sha256sum | cut -c1-12)
out=$cache/rootfs-riscv64-$SUITE-$hash.cpio
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi
need mmdebstrap cpio update-binfmts /usr/bin/qemu-riscv64-static
if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
	mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-riscv64 ]; then
	update-binfmts --enable qemu-riscv64 >/dev/null 2>&1 || true
fi
[ -e /proc/sys/fs/binfmt_misc/qemu-riscv64 ] || {
	echo "real-rootfs: no binfmt_misc handler for riscv64 (apt-get install qemu-user-static binfmt-support)" >&2
	exit 1
}
tmp=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
echo "real-rootfs: building $out (mmdebstrap riscv64 $SUITE; several minutes)" >&2
build_root "$tmp/root"
(cd "$tmp/root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc) > "$tmp/rootfs.cpio"
chroot "$tmp/root" dpkg-query -W -f='${Package} ${Version}\n' > "$out.packages" 2>/dev/null || true
mv "$tmp/rootfs.cpio" "$out"
echo "real-rootfs: $(du -h "$out" | cut -f1) in $(($(date +%s) - start)) s: $out" >&2
echo "$out"
