# make bench's table, from build/TARGET/bench/raw.txt (see scripts/bench.sh).
# Variables: causes (in table order), kernels (L0 = the base, then one per layer),
# delegated (causes the tree delegates: no exit), N.
# One time-CSR tick on QEMU virt is 100 ns; under -icount shift=0 that is 100 instructions.
function med(key,    n, i, j, t, a) {
	n = split(vals[key], a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	lo[key] = a[1]; hi[key] = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
$2 == "static" { st[$1, $3] = $4 }
$2 == "incr_fw" { fw[$1, $3] = $4 }
$2 == "memory" { mem[$1, $3] = $4 }
$2 == "label" { k = $1; lab[k] = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); title[k] = $0 }
$2 == "icount" { vals["i", $1, $4] = vals["i", $1, $4] " " ($6 * 100 / $5) }
$2 == "wall" { vals["w", $1, $4] = vals["w", $1, $4] " " ($7 / $5) }
END {
	n = split(causes, cs, " ")
	nk = split(kernels, ks, " ")
	last = ks[nk]
	print "\nKernels: the base, then the series up to the end of each layer (a layer ends at a patch that changes kernel code):"
	for (k = 1; k <= nk; k++) printf "  %-8s %s\n", k == 1 ? "base" : "+" lab[ks[k]], title[ks[k]]
	print "\n1. Static: instructions from the trap switch's jump-table target to the redirect call (vcpu_exit.o)"
	printf "  %-10s %6s", "cause", "base"
	for (k = 2; k <= nk; k++) printf " %8s", "+" lab[ks[k]]
	printf " %8s\n", "total"
	for (i = 1; i <= n; i++) {
		c = cs[i]; printf "  %-10s %6s", c, st[ks[1], c]; prev = st[ks[1], c]
		for (k = 2; k <= nk; k++) {
			v = st[ks[k], c]
			printf " %8s", (v == "none" || v == "") ? "-" : (prev == "none" || prev == "") ? "new " v : sprintf("%+d", v - prev)
			prev = v
		}
		b = st[ks[1], c]; v = st[last, c]
		printf " %8s\n", (v == "none" || v == "") ? "-" : (b == "none" || b == "") ? "new" : sprintf("%+d", v - b)
	}
	for (k = 1; k <= nk; k++) if ((ks[k], "not_started") in fw && fw[ks[k], "not_started"] != "none")
		printf "  %-8s kvm_riscv_vcpu_pmu_incr_fw() itself (vcpu_pmu.o, entry to ret): %s instructions with the counter not started, %s started\n",
			k == 1 ? "base" : "+" lab[ks[k]], fw[ks[k], "not_started"], fw[ks[k], "started"]
	print "\n2. Dynamic, deterministic (QEMU -icount shift=0): instructions per redirected-trap round trip,"
	print "   median over the boots [spread: max - min]; the layers' columns are differences to the kernel before"
	printf "  %-10s %-17s", "cause", "base"
	for (k = 2; k <= nk; k++) printf " %-15s", "+" lab[ks[k]]
	printf " %8s\n", "total"
	for (i = 1; i <= n; i++) {
		c = cs[i]
		if (index(" " delegated " ", " " c " ")) { printf "  %-10s delegated to the guest by this tree: it never exits\n", c; continue }
		have = 0; line = sprintf("  %-10s", c); prevm = ""; basem = ""
		for (k = 1; k <= nk; k++) {
			key = "i" SUBSEP ks[k] SUBSEP c
			if (!(key in vals)) { cell = "-"; m = "" }
			else {
				m = med(key); have = 1
				if (k == 1) cell = sprintf("%.2f [%.2f]", m, hi[key] - lo[key])
				else if (prevm == "") cell = sprintf("new %.2f", m)
				else cell = sprintf("%+.2f [%.2f]", m - prevm, hi[key] - lo[key])
				if (k == 1) basem = m
			}
			line = line sprintf(k == 1 ? " %-17s" : " %-15s", cell)
			prevm = m
		}
		if (have) print line sprintf(" %8s", basem == "" || prevm == "" ? (prevm == "" ? "-" : "new") : sprintf("%+.2f", prevm - basem))
	}
	print "\n3. Emulator time (normal multi-threaded TCG; NOT a hardware figure): ns per trap of the L1 run, median (min-max)"
	printf "  %-10s %-24s %-24s %8s\n", "cause", "base", "full", "full/base"
	for (i = 1; i <= n; i++) {
		c = cs[i]
		kb = "w" SUBSEP ks[1] SUBSEP c; kf = "w" SUBSEP last SUBSEP c
		if (!(kf in vals)) continue
		if (kb in vals) { mb = med(kb); sb = sprintf("%.0f (%.0f-%.0f)", mb, lo[kb], hi[kb]) } else { mb = ""; sb = "-" }
		mf = med(kf); sf = sprintf("%.0f (%.0f-%.0f)", mf, lo[kf], hi[kf])
		printf "  %-10s %-24s %-24s %8s\n", c, sb, sf, mb != "" ? sprintf("%.3f", mf / mb) : "-"
	}
	print "\n4. Memory (sizes from the compiler: a sizeof probe object and nm -S)"
	printf "  struct kvm_vcpu_stat: %d bytes on the base, %d with the series (%+d per vCPU)\n", mem[ks[1], "vcpu_stat"], mem[last, "vcpu_stat"], mem[last, "vcpu_stat"] - mem[ks[1], "vcpu_stat"]
	printf "  kvm_vcpu_stats_desc[]: %d bytes on the base, %d with the series (%+d, once)\n", mem[ks[1], "stats_desc"], mem[last, "stats_desc"], mem[last, "stats_desc"] - mem[ks[1], "stats_desc"]
}
