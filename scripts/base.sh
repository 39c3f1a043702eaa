#!/bin/bash
# Stage "base": a target's base source tree, from Debian's archive.
#  1. the linux-source package is downloaded with a private apt configuration (its
#     own sources list, lists and archives under $CACHE/apt; the host's /etc/apt is
#     never touched; the newer suites are a snapshot past Valid-Until);
#  2. its tarball is unpacked into a bare git repository with one commit, tag "base",
#     $CACHE/src/PACKAGE_VERSION.git: once per machine, shared by every clone;
#  3. DEST (default build/TARGET/base) is a shared clone of it without a checkout
#     (its files marked skip-worktree, so that it is clean to git status), this
#     clone's base: work trees are git worktrees of it. (Not bare: the kernel's
#     scripts/spdxcheck.py, run by checkpatch, refuses a worktree of a bare repository.)
# usage: base.sh TARGET [also]   ("also": the other version the series must apply to,
#                                 into build/TARGET/also)
. "$(dirname "$0")/lib.sh"
need dpkg-deb apt-get tar xz git make
target_load "$1"
if [ "${2:-}" = also ]; then
	[ -n "$also_version" ] || die "target $T names no other version to apply to"
	archive=$also_archive version=$also_version dest=$B/also
else
	dest=$B/base
fi
repo=$CACHE/src/${package}_$version.git

if [ ! -d "$repo" ]; then
	apt=$CACHE/apt
	mkdir -p "$apt/lists/partial" "$apt/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive main" > "$apt/sources.list.tmp"
	opts=(-o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$apt/lists"
	      -o Dir::Cache::Archives="$apt/archives" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
	      -o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root -o Debug::NoLocking=1)
	deb=$apt/archives/${package}_${version//:/%3a}_all.deb
	if [ ! -f "$deb" ]; then
		# one private sources list holds every suite a target has asked for
		cat "$apt/sources.list" "$apt/sources.list.tmp" 2>/dev/null | sort -u > "$apt/sources.list.new"
		mv "$apt/sources.list.new" "$apt/sources.list"
		echo "base: downloading $package $version from $archive"
		if ! out=$({ apt-get -q "${opts[@]}" update && cd "$apt/archives" &&
			     apt-get -q "${opts[@]}" download "$package=$version"; } 2>&1) || [ ! -f "$deb" ]; then
			echo "$out" | tail -n 5 >&2
			die "could not download $package $version from '$archive'"
		fi
	fi
	rm -f "$apt/sources.list.tmp"
	mkdir -p "$CACHE/src"
	tmp=$(mktemp -d "$CACHE/src/.unpack.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "base: unpacking $package $version into $repo (once per machine)"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.xz'
	mkdir "$tmp/src"
	tar -xJf "$tmp"/usr/src/linux-source-*.tar.xz -C "$tmp/src" --strip-components=1
	ver=$(make -s -C "$tmp/src" kernelversion)
	# The Debian tarball's own .gitignore ignores "/*": add everything by force.
	git init -q --bare -b main "$tmp/repo.git"
	git --git-dir="$tmp/repo.git" --work-tree="$tmp/src" add -f .
	git --git-dir="$tmp/repo.git" --work-tree="$tmp/src" -c user.name=workbench -c user.email=workbench@localhost \
		commit -q -m "Linux $ver (Debian $package $version)"
	git --git-dir="$tmp/repo.git" tag base
	mv "$tmp/repo.git" "$repo"
fi
if [ ! -d "$dest" ] || ! git -C "$dest" rev-parse -q --verify 'base^{commit}' >/dev/null 2>&1 ||
   [ "$(git -C "$dest" rev-parse base)" != "$(git -C "$repo" rev-parse base)" ]; then
	rm -rf "$dest"
	git clone -q --shared --no-checkout "$repo" "$dest"
fi
# Its own work tree stays empty on purpose: the index says so (every file
# skip-worktree), so that git status calls the base clean instead of listing
# every file of the kernel as deleted.
if [ -z "$(git -C "$dest" ls-files | head -n 1)" ]; then
	git -C "$dest" read-tree HEAD
	git -C "$dest" ls-files -z | git -C "$dest" update-index -z --skip-worktree --stdin
fi
echo "base: $(git -C "$dest" log -1 --format=%s base) in $dest"
