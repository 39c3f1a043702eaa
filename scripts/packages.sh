#!/bin/bash
# Stage "packages": install the Debian packages the workbench needs, if missing.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -eu
PKGS="linux-source-6.12 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-system-misc
opensbi ccache make gcc flex bison bc cpio xz-utils perl git sparse python3-ply python3-git
python3-sphinx python3-yaml libelf-dev libssl-dev"
missing=$(for p in $PKGS; do
	dpkg-query -W -f '${db:Status-Status}\n' "$p" 2>/dev/null | grep -qx installed || echo "$p"
done | xargs)
[ -n "$missing" ] || exit 0
cmd="apt-get install -y --no-install-recommends $missing"
if [ "$(id -u)" != 0 ]; then
	echo "packages: missing Debian packages: $missing" >&2
	echo "packages: as root, run: apt-get update && $cmd" >&2
	exit 1
fi
echo "packages: installing $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing >/tmp/wb-apt.log 2>&1; then
	tail -20 /tmp/wb-apt.log >&2
	echo "packages: '$cmd' failed (log above)" >&2
	exit 1
fi
