#!/bin/bash
# Stage "build": kernel Image (allnoconfig + config fragment), UAPI headers and the
# KVM selftests (static), built into SRC/wb-out/ (kernel objects), wb-out/_headers and wb-out/_selftests.
# usage: build.sh SRC [kernel|selftests|all]
set -eu
src=$(realpath "$1")
what=${2:-all}
out=$src/wb-out
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
FRAGMENT=$(realpath "${FRAGMENT:-config/kvm-host.config}")
JOBS=${JOBS:-$(nproc)}
WB=$(realpath "$(dirname "$0")/..")
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
	make -s -C "$src/tools/testing/selftests/kvm" ARCH=riscv CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" OUTPUT="$out/_selftests" -j"$JOBS" \
		KHDR_INCLUDES="-isystem $out/_headers/include" \
		EXTRA_CFLAGS=-static LDFLAGS=-static
	echo "build: KVM selftests: $out/_selftests"
	# The demo and the benchmark guest are ours, not the tree's: build them with the
	# selftests' flags and library. They need the series' vCPU statistic helper.
	kvm=$src/tools/testing/selftests/kvm
	if ! grep -q __vcpu_get_stat "$kvm/include/kvm_util.h"; then
		echo "build: no demo or bench: this tree's selftests library has no __vcpu_get_stat() (the series is not applied)"
		exit 0
	fi
	for prog in demo bench stress; do
		ccache "${CROSS}gcc" -O2 -std=gnu99 -Wall -Werror -static -pthread -fno-stack-protector \
			-DCONFIG_64BIT -I"$src/tools/include" -I"$src/tools/arch/riscv/include" \
			-I"$kvm/include" -I"$kvm/include/riscv" -I"$kvm/.." -isystem "$out/_headers/include" \
			"$WB/guest/$prog.c" $(find "$out/_selftests/lib" -name '*.o' | sort) -o "$out/_selftests/wb-$prog"
	done
fi
