#!/bin/bash
# "make demo-real" / "make check-real": the real clients. Boots IMAGE as a KVM host
# under the H-extension QEMU, with a Debian riscv64 root (scripts/real-rootfs.sh) as
# its initramfs; in it, QEMU 11 -accel kvm runs a small Linux guest (the same IMAGE)
# whose userspace raises a known number of each redirected trap (plan/real-TARGET.plan,
# guest/real-raise.c). The host reads the vCPU counters with the patched kvm_stat
# (-1 on debugfs, and -t on the kvm_exit tracepoint), QMP query-stats and the binary
# stats fd (guest/real-host.c), and this script compares them with what was raised.
#
# usage: real.sh demo|check TARGET
# The kernel is the target's patched tree (build/TARGET/real, the series applied)
# built with the target's config fragments plus its real_config ones
# (config/real-host.config: what Debian's userland and QEMU need; on 7.x also
# config/real-tracefs.config for kvm_stat -t); the same Image is the guest kernel.
# kvm_stat is that tree's tools/kvm/kvm_stat/kvm_stat (the series patches it).
# REAL_TIMEOUT (s, default 1500) bounds the whole run; REAL_MEM (default 3G) is the
# emulated host's memory; VERBOSE=1 shows the console live; KVM_STAT_ORIG=path also
# shows what an unpatched kvm_stat does on the same host.
# check ends with "N passed, N failed"; a run that could not measure fails.
. "$(dirname "$0")/lib.sh"
mode=${1:-}
case $mode in demo|check) ;; *) die "usage: real.sh demo|check TARGET" ;; esac
target_load "${2:?usage: real.sh demo|check TARGET}"
need cpio timeout "${CROSS}gcc" qemu-system-riscv64
[ "$(id -u)" = 0 ] || die "needs root (device nodes in the initramfs, mmdebstrap for the riscv64 root)"
wb=$WB
cd "$WB"
work=$WB/$B/run/real
plan=$wb/plan/real-$T.plan
limit=${REAL_TIMEOUT:-1500}
unbacked=0x200000	# QEMU virt: nothing between 0x102000 (rtc) and 0x2000000 (clint)
[ -f "$plan" ] || die "no plan for target '$T' ($plan)"
mkdir -p "$work"

# The kernel: the series on its own work tree, built with the real fragments.
[ -n "${KERNEL_SRC:-}" ] || scripts/base.sh "$T" >/dev/null
for c in $real_config; do cat "$WB/$c"; done | cat "$FRAGMENT" - > "$B/real.fragment.tmp"
cmp -s "$B/real.fragment.tmp" "$B/real.fragment" 2>/dev/null && rm "$B/real.fragment.tmp" || mv "$B/real.fragment.tmp" "$B/real.fragment"
FORCE=1 scripts/apply.sh "$BASE" "$(tree real)" "$SERIES" >/dev/null
echo "real: building the KVM-host kernel of $T with $real_config"
FRAGMENT=$B/real.fragment scripts/build.sh "$(tree real)" kernel
image=$(realpath "$(tree real)/wb-out/arch/riscv/boot/Image")
kvm_stat=$(realpath "$(tree real)/tools/kvm/kvm_stat/kvm_stat")
target=$T

scripts/packages.sh real	# mmdebstrap, qemu-user-static, binfmt-support for the riscv64 root
rootfs=$("$wb/scripts/real-rootfs.sh")

# The two guest programs, static.
"${CROSS}gcc" -static -O2 -Wall -Werror -o "$work/real-host" "$wb/guest/real-host.c"
"${CROSS}gcc" -static -O2 -Wall -Werror -o "$work/real-raise" "$wb/guest/real-raise.c"

stage=$(mktemp -d "$work/stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
trap 'exit 130' INT TERM

# The guest's initramfs: /init and a console.
mkdir -p "$stage/l2/dev" "$stage/l2/proc" "$stage/l2/sys"
mknod -m 600 "$stage/l2/dev/console" c 5 1
cp "$work/real-raise" "$stage/l2/init"
(cd "$stage/l2" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc) > "$stage/l2.cpio"
# Laid over the Debian root: the host's /init, the guest's kernel and initramfs,
# the kvm_stat under test. Later cpio members replace earlier ones.
mkdir -p "$stage/l1/real"
cp "$work/real-host" "$stage/l1/init"
cp "$image" "$stage/l1/real/Image"
cp "$stage/l2.cpio" "$stage/l1/real/l2.cpio"
cp "$kvm_stat" "$stage/l1/real/kvm_stat"
chmod 755 "$stage/l1/real/kvm_stat"
# KVM_STAT_ORIG=path: also show what that (unpatched) kvm_stat does on the host
if [ -n "${KVM_STAT_ORIG:-}" ]; then cp "$KVM_STAT_ORIG" "$stage/l1/real/kvm_stat.orig"; fi
(cd "$stage/l1" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc) > "$stage/overlay.cpio"
cat "$rootfs" "$stage/overlay.cpio" > "$work/host.cpio"

raise=$(awk '!/^#/ && NF >= 2 { printf "%s%s:%s", sep, $1, $2; sep = "," }' "$plan")
log=$work/console.log
echo "real: booting $(basename "$image") as a KVM host with the Debian root ($(du -h "$work/host.cpio" | cut -f1) initramfs); the guest raises $raise"
rc=0
BOOT_MEM=${REAL_MEM:-3G} BOOT_APPEND="real.raise=$raise real.unbacked=$unbacked real.timeout=$((limit - 300))" \
	scripts/boot.sh "$image" "$work/host.cpio" "$log" "$limit" || rc=$?
rm -f "$work/host.cpio"
tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
if [ "$rc" != 0 ]; then
	[ "$mode" = check ] && echo "0 passed, 1 failed"
	exit 1
fi

# Tabulate: one row per counter. Every value is after - before, except kvm_stat -t,
# which counted from its start (just before the guest raised) to its end.
awk -v mode="$mode" -v target="$target" '
	FNR == NR {
		if ($0 ~ /^#/ || NF < 5) next
		k = $1; kinds[++nk] = k; count[k] = $2; ctr[k] = $3; how[k] = $4; tp[k] = $5
		if (!(($3) in seenctr)) { seenctr[$3] = 1; ctrs[++nc] = $3 }
		raised[$3] += $2
		if ($4 == "redirected") { want[$3] += $2; if ($5 != "-") exptp[$5] += $2 }
		else want[$3] += 0
		if ($5 != "-") { tpof[$3] = $5; if (!($5 in exptp)) exptp[$5] += 0 }
		next
	}
	/^REAL-STAT / {
		v[$2, $3, $4] = $5; have[$2, $4] = 1
		# a counter of the kernel that the plan does not raise must stay 0
		if ($2 != "kvm_stat_t" && !($4 in seenctr)) { seenctr[$4] = 1; ctrs[++nc] = $4; raised[$4] = 0; want[$4] = 0 }
		next
	}
	/^REAL-RAISED / { saw[$2] = $4; next }
	/^REAL-END / { endst = $2; next }
	/^REAL-FAIL / { sub(/^REAL-FAIL /, ""); fails[++nf] = $0; next }
	/^REAL-KVMSTAT / { sub(/^REAL-KVMSTAT /, ""); kst[++nks] = $0; next }
	/^REAL-ORIG / { sub(/^REAL-ORIG /, ""); orig[++nor] = $0; next }
	function val(src, c,   b, a) {
		if (!have[src, c]) return "absent"
		b = v[src, "before", c]; a = v[src, "after", c]
		if (a == "" || b == "") return "absent"
		return a - b
	}
	function tpval(t,   name) {
		name = "kvm_exit(" t ")"
		if (!(("kvm_stat_t", "total", name) in v)) return "absent"
		return v["kvm_stat_t", "total", name]
	}
	function ok(cond, what) {
		if (cond) { pass++; if (mode == "check") printf "PASS %s\n", what }
		else { failn++; printf "FAIL %s\n", what }
	}
	END {
		printf "\nWhat the guest raised (target %s), and what it saw:\n", target
		for (i = 1; i <= nk; i++) {
			k = kinds[i]
			printf "  %-7s %4d raised, %4s seen   -> %-24s %s\n", k, count[k], (k in saw) ? saw[k] : "-", ctr[k], how[k]
		}
		if (nor) {
			printf "\nkvm_stat without the RISC-V patch, on the same host:\n"
			for (i = 1; i <= nor; i++) printf "  %s\n", orig[i]
		}
		if (nks) {
			printf "\nkvm_stat -1 on the host, after the guest was done (debugfs, since the VM started):\n"
			for (i = 1; i <= nks; i++) printf "  %s\n", kst[i]
		}
		printf "\n%-24s %7s %7s %9s %12s %9s  %s\n", "counter", "raised", "exits", "kvm_stat", "query-stats", "stats fd", "kvm_stat -t"
		for (i = 1; i <= nc; i++) {
			c = ctrs[i]
			t = (c in tpof) ? tpof[c] : ""
			tv = (t != "") ? tpval(t) " kvm_exit(" t ")" : "-"
			printf "%-24s %7d %7d %9s %12s %9s  %s\n", c, raised[c], want[c], val("kvm_stat", c), val("qmp", c), val("statsfd", c), tv
		}
		printf "(raised: by the guest; exits: how many of them KVM must see on %s; the other columns: what the host counted)\n", target
		for (i = 1; i <= nf; i++) printf "REAL-FAIL %s\n", fails[i]

		ok(endst == "ok", "the emulated host ran the guest and read every counter (REAL-END " (endst == "" ? "missing" : endst) ")")
		for (i = 1; i <= nk; i++) {
			k = kinds[i]
			ok((k in saw) && saw[k] == count[k], sprintf("guest: %s raised %d, its handler saw %s", k, count[k], (k in saw) ? saw[k] : "none"))
		}
		skip = 0
		for (i = 1; i <= nc; i++) {
			c = ctrs[i]
			if (val("statsfd", c) == "absent" && val("qmp", c) == "absent" && val("kvm_stat", c) == "absent") {
				printf "SKIP %s: no such vCPU statistic in this kernel\n", c
				skip++
				continue
			}
			ok(val("kvm_stat", c) == want[c], sprintf("%s: kvm_stat -1 %s, expected %d", c, val("kvm_stat", c), want[c]))
			ok(val("qmp", c) == want[c], sprintf("%s: query-stats %s, expected %d", c, val("qmp", c), want[c]))
			ok(val("statsfd", c) == want[c], sprintf("%s: stats fd %s, expected %d", c, val("statsfd", c), want[c]))
		}
		for (t in exptp) {
			ok(tpval(t) == exptp[t], sprintf("kvm_stat -t: kvm_exit(%s) %s, expected %d", t, tpval(t), exptp[t]))
		}
		if (mode == "check")
			printf "%d passed, %d failed%s\n", pass, failn, skip ? sprintf(", %d skipped", skip) : ""
		else if (failn)
			printf "%d of %d checks failed (make check-real asserts them)\n", failn, pass + failn
		else
			printf "Every counter equals what KVM must have seen, in kvm_stat, query-stats and the stats fd.\n"
		exit failn ? 1 : 0
	}' "$plan" "$log"
