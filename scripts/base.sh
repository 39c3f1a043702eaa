#!/bin/bash
# Stage "base": Debian's linux-source-6.12 unpacked into a git repository with one
# base commit (tag "base"), cached in $BASE_DIR and reused on later runs.
set -eu
BASE_DIR=${BASE_DIR:-build/base}
TARBALL=${TARBALL:-$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)}

if [ -d "$BASE_DIR/.git" ] && git -C "$BASE_DIR" rev-parse -q --verify base >/dev/null; then
	echo "base: $(git -C "$BASE_DIR" log -1 --format=%s base) (cached in $BASE_DIR)"
	exit 0
fi
if [ -z "$TARBALL" ]; then
	echo "base: /usr/src/linux-source-6.12.tar.xz not found; install it with: apt-get install linux-source-6.12" >&2
	exit 1
fi

deb=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || echo unknown)
tmp="$BASE_DIR.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
echo "base: unpacking $TARBALL"
tar -xJf "$TARBALL" -C "$tmp" --strip-components=1
ver=$(make -s -C "$tmp" kernelversion)
case "$ver" in
6.12.*) ;;
*) echo "base: $TARBALL holds Linux $ver, not 6.12.y" >&2; rm -rf "$tmp"; exit 1 ;;
esac
(
	cd "$tmp"
	git init -q -b base-branch
	# The Debian tarball's own .gitignore ignores "/*": add everything by force,
	# but drop the kernel's generated-file ignores from the commit's view.
	git add -f .
	git -c user.name=workbench -c user.email=workbench@localhost \
		commit -q -m "Linux $ver (Debian linux-source-6.12 $deb)"
	git tag base
)
rm -rf "$BASE_DIR"
mv "$tmp" "$BASE_DIR"
echo "base: Linux $ver (Debian linux-source-6.12 $deb) in $BASE_DIR"
