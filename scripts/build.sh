#!/bin/bash
# Stage "build": kernel Image (allnoconfig + $FRAGMENT), UAPI headers, the KVM
# selftests (static) and the workbench's guest programs, into SRC/wb-out/ (kernel
# objects), wb-out/_headers and wb-out/_selftests.
# usage: build.sh SRC [kernel|selftests|all]
# $FRAGMENT and $FLAVOUR come from the target (scripts/lib.sh: target_load).
. "$(dirname "$0")/lib.sh"
need make gcc "${CROSS}gcc" ccache flex bison bc perl rsync cpio /usr/riscv64-linux-gnu/lib/libc.a
src=$(realpath "$1")
what=${2:-all}
out=$src/wb-out
: "${FRAGMENT:?build.sh: FRAGMENT (the config fragment) is not set}" "${FLAVOUR:?build.sh: FLAVOUR is not set}"
FRAGMENT=$(realpath "$FRAGMENT")
JOBS=${JOBS:-$(nproc)}
# The object directory is a direct child of the source tree: Kbuild then uses
# relative paths ("srctree := ..") and ccache hits across work trees.
kmake() { make -s -C "$src" O=wb-out ARCH=riscv CROSS_COMPILE="$CROSS" \
	CC="ccache ${CROSS}gcc" -j"$JOBS" "$@"; }

if [ "$what" = kernel ] || [ "$what" = all ]; then
	mkdir -p "$out"
	# Regenerate the config only when the fragment changed, so rebuilds stay incremental.
	if ! cmp -s "$FRAGMENT" "$out/.wb-fragment"; then
		kmake KCONFIG_ALLCONFIG="$FRAGMENT" allnoconfig
		missing=$(grep '^CONFIG_' "$FRAGMENT" | while read -r line; do
			grep -qxF "$line" "$out/.config" || echo "$line"; done)
		if [ -n "$missing" ]; then
			echo "build: the kernel config did not take these fragment lines:" >&2
			echo "$missing" >&2
			exit 1
		fi
		cp "$FRAGMENT" "$out/.wb-fragment"
	fi
	kmake Image
	kmake INSTALL_HDR_PATH="$out/_headers" headers_install >/dev/null
	echo "build: kernel $(kmake -s kernelrelease): $out/arch/riscv/boot/Image"
fi
if [ "$what" = selftests ] || [ "$what" = all ]; then
	kvm=$src/tools/testing/selftests/kvm
	# Selftests that this compiler cannot build (the target's data says which and
	# why) are left out; any other failure stops the build.
	if ! log=$(make -k -s -C "$kvm" ARCH=riscv CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" OUTPUT="$out/_selftests" -j"$JOBS" \
		KHDR_INCLUDES="-isystem $out/_headers/include" \
		EXTRA_CFLAGS=-static LDFLAGS=-static 2>&1); then
		failed=$(grep -oE '\*\*\* \[[^]]*: [^] ]+\] Error' <<<"$log" | sed -E 's/.*[/ ]([^/ ]+)\] Error$/\1/; s/\.o$//' | sort -u)
		unexpected=$(comm -23 <(echo "$failed") <(tr ' ' '\n' <<<"${BROKEN_SELFTESTS:-}" | sort))
		if [ -z "$failed" ] || [ -n "$unexpected" ]; then
			echo "$log" | grep -v '^make\[' | tail -n 30 >&2
			die "KVM selftests failed to build: ${unexpected:-see above}"
		fi
		echo "build: left out, known not to build with this compiler: $(xargs <<<"$failed")"
	fi
	# The demo, benchmark and reliability programs are ours, not the tree's: built
	# with the selftests' flags and library, for this tree's flavour of it.
	for prog in demo bench stress; do
		ccache "${CROSS}gcc" -O2 -std=gnu99 -Wall -Werror -static -pthread -fno-stack-protector -D_GNU_SOURCE= \
			-fno-builtin-memcmp -fno-builtin-memcpy -fno-builtin-memset -fno-builtin-strnlen \
			-DCONFIG_64BIT -DWB_REGS="$FLAVOUR" -I"$src/tools/include" -I"$src/tools/arch/riscv/include" \
			-I"$kvm/include" -I"$kvm/include/riscv" -I"$kvm/.." -isystem "$out/_headers/include" \
			"$WB/guest/$prog.c" $(find "$out/_selftests/lib" -name '*.o' | sort) -o "$out/_selftests/wb-$prog"
	done
	echo "build: KVM selftests and the workbench's programs: $out/_selftests"
fi
