#!/bin/bash
# sparse for riscv kernel builds (make C=2 CHECK=...): Debian 12's sparse 0.6.4
# rejects the kernel's "-march=rv64..._zicsr_zifencei" and checks nothing, so
# drop the multi-letter extensions from -march for sparse only.
set -eu
args=()
for a in "$@"; do
	case "$a" in
	-march=*) args+=("${a%%_*}") ;;
	*) args+=("$a") ;;
	esac
done
exec sparse "${args[@]}"
