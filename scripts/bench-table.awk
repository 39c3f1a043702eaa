# make bench's table, from build/bench/raw.txt (see scripts/bench.sh).
# One time-CSR tick on QEMU virt is 100 ns; under -icount shift=0 that is 100 instructions.
function med(key,    n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	lo[key] = a[1]; hi[key] = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$2 == "static" { st[$1, $3] = $4; causes[$3] = 1 }
$2 == "incr_fw" { fw[$1, $3] = $4 }
$2 == "memory" { mem[$1, $3] = $4 }
$2 == "icount" { vals["i", $1, $4] = vals["i", $1, $4] " " ($6 * 100 / $5) }
$2 == "wall" { vals["w", $1, $4] = vals["w", $1, $4] " " ($7 / $5) }
END {
	n = split("illegal load_mis store_mis load_acc store_acc instr_acc", cs, " ")
	print "\n1. Static: instructions from the trap switch's jump-table target to the redirect call (vcpu_exit.o)"
	printf "  %-10s %6s %8s %6s %14s %14s\n", "cause", "base", "+1-2", "full", "patches 1-2", "patches 3-4"
	for (i = 1; i <= n; i++) {
		c = cs[i]
		printf "  %-10s %6s %8s %6s %14s %14s\n", c, st["base", c], st["p12", c], st["full", c],
			(st["base", c] ~ /^[0-9]+$/ ? sprintf("%+d", st["p12", c] - st["base", c]) : "new case"),
			sprintf("%+d", st["full", c] - st["p12", c])
	}
	printf "  kvm_riscv_vcpu_pmu_incr_fw() itself (vcpu_pmu.o, entry to ret): %s instructions with the counter not started, %s started\n",
		fw["full", "not_started"], fw["full", "started"]
	print "\n2. Dynamic, deterministic (QEMU -icount shift=0): instructions per redirected-trap round trip, min/median/max over the boots"
	printf "  %-10s %-26s %-26s %-26s %11s %11s\n", "cause", "base", "+1-2", "full", "patches 1-2", "patches 3-4"
	for (i = 1; i <= n; i++) {
		c = cs[i]
		for (k = 1; k <= 3; k++) {
			kn = k == 1 ? "base" : k == 2 ? "p12" : "full"
			key = "i" SUBSEP kn SUBSEP c
			if (key in vals) { m[kn] = med(key); s[kn] = sprintf("%.2f/%.2f/%.2f", lo[key], m[kn], hi[key]) }
			else { m[kn] = ""; s[kn] = "-" }
		}
		printf "  %-10s %-26s %-26s %-26s %11s %11s\n", c, s["base"], s["p12"], s["full"],
			m["base"] != "" ? sprintf("%+.2f", m["p12"] - m["base"]) : "new case", sprintf("%+.2f", m["full"] - m["p12"])
	}
	print "\n3. Emulator time (normal multi-threaded TCG; NOT a hardware figure): ns per trap of the L1 run, median (min-max)"
	printf "  %-10s %-24s %-24s %8s\n", "cause", "base", "full", "full/base"
	for (i = 1; i <= n; i++) {
		c = cs[i]
		kb = "w" SUBSEP "base" SUBSEP c; kf = "w" SUBSEP "full" SUBSEP c
		if (!(kf in vals)) continue
		if (kb in vals) { mb = med(kb); sb = sprintf("%.0f (%.0f-%.0f)", mb, lo[kb], hi[kb]) } else { mb = ""; sb = "-" }
		mf = med(kf); sf = sprintf("%.0f (%.0f-%.0f)", mf, lo[kf], hi[kf])
		printf "  %-10s %-24s %-24s %8s\n", c, sb, sf, mb != "" ? sprintf("%.3f", mf / mb) : "-"
	}
	print "\n4. Memory (sizes from the compiler: a sizeof probe object and nm -S)"
	printf "  struct kvm_vcpu_stat: %d bytes on the base, %d with the series (%+d per vCPU)\n", mem["base", "vcpu_stat"], mem["full", "vcpu_stat"], mem["full", "vcpu_stat"] - mem["base", "vcpu_stat"]
	printf "  kvm_vcpu_stats_desc[]: %d bytes on the base, %d with the series (%+d, once)\n", mem["base", "stats_desc"], mem["full", "stats_desc"], mem["full", "stats_desc"] - mem["base", "stats_desc"]
}
