# shellcheck shell=bash
# Sourced by lint.sh: the gates that compile. Uses $work (the series applied),
# gate() and $lintdir. Everything builds in one throwaway worktree ($lintdir),
# checked out commit by commit, so each step is incremental and ccache-warm.
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
base=$(git -C "$work" rev-parse "$base_commit")
head=$(git -C "$work" rev-parse HEAD)
[ -d "$lintdir" ] || git -C "$work" worktree add -q --detach "$lintdir" "$base"

lmake() {	# lmake OBJDIR ARGS...: make in the lint tree, output to stdout
	local o=$1; shift
	make -s -C "$lintdir" O="$o" ARCH=riscv CROSS_COMPILE="$CROSS" CC="ccache ${CROSS}gcc" -j"$(nproc)" "$@" 2>&1
}
lconfig() {	# lconfig OBJDIR EXTRA_LINES: allnoconfig + fragment + extra lines, once
	local o=$1 frag
	frag=$(cat "$FRAGMENT"; printf '%s\n' "$2")
	if [ "$frag" != "$(cat "$lintdir/$o/.wb-fragment" 2>/dev/null)" ]; then
		mkdir -p "$lintdir/$o"
		echo "$frag" > "$lintdir/$o/.wb-frag-in"
		lmake "$o" KCONFIG_ALLCONFIG="$lintdir/$o/.wb-frag-in" allnoconfig >/dev/null
		echo "$frag" > "$lintdir/$o/.wb-fragment"
	fi
	# every extra line must have been taken
	local l; for l in $2; do grep -qxF "$l" "$lintdir/$o/.config" || grep -qx "# ${l%=n} is not set" "$lintdir/$o/.config" ||
		echo "config $o did not take $l"; done
}
# warnings, normalised to "file: message" (line numbers dropped), one per line, sorted
warnings() { grep -E ': (warning|error): ' | sed -E 's/^([^:]+):[0-9]+(:[0-9]+)?: /\1: /' | sed 's|^\.\./||' | sort -u; }
kvm_objs() { rm -f "$lintdir/$1"/arch/riscv/kvm/*.o; }

# 3. Bisectability: after each patch, arch/riscv/kvm/ and the objects the patch
# touches build; from the first selftest patch on, the KVM selftests build too.
git -C "$lintdir" checkout -q --detach "$base"
problems=$(lconfig wb-out "")
lmake wb-out prepare >/dev/null || problems+=$'\n'"base: make prepare failed"
selftests=0 n=0
for c in $(git -C "$work" rev-list --reverse "$base..$head"); do
	n=$((n + 1))
	git -C "$lintdir" checkout -q --detach "$c"
	objs=$(git -C "$lintdir" diff --name-only "$c^" "$c" -- '*.c' ':!tools' ':!Documentation' | sed 's/\.c$/.o/')
	# shellcheck disable=SC2086
	if ! out=$(lmake wb-out arch/riscv/kvm/ $objs); then
		problems+=$'\n'"patch $n ($(git -C "$lintdir" log -1 --format=%s)): kernel build failed:"$'\n'"$(tail -n 15 <<<"$out")"
	fi
	git -C "$lintdir" diff --quiet "$c^" "$c" -- tools/testing/selftests/kvm || selftests=1
	if [ "$selftests" = 1 ]; then
		lmake wb-out INSTALL_HDR_PATH="$lintdir/wb-out/_headers" headers_install >/dev/null
		if ! out=$(make -s -C "$lintdir/tools/testing/selftests/kvm" ARCH=riscv CROSS_COMPILE="$CROSS" \
			CC="ccache ${CROSS}gcc" OUTPUT="$lintdir/wb-out/_selftests" -j"$(nproc)" \
			KHDR_INCLUDES="-isystem $lintdir/wb-out/_headers/include" EXTRA_CFLAGS=-static LDFLAGS=-static 2>&1); then
			problems+=$'\n'"patch $n ($(git -C "$lintdir" log -1 --format=%s)): KVM selftests build failed:"$'\n'"$(tail -n 15 <<<"$out")"
		fi
	fi
done
gate "bisect: arch/riscv/kvm/, touched objects (and selftests from the first selftest patch) build after each of $n patches" "$problems"

# Configuration coverage of the full series.
problems=""
for cfg in "wb-kvm-m:CONFIG_MODULES=y CONFIG_KVM=m" "wb-nopmu:CONFIG_RISCV_PMU_SBI=n" \
	   "wb-novector:CONFIG_RISCV_ISA_V=n" "wb-rv32:CONFIG_NONPORTABLE=y CONFIG_ARCH_RV32I=y CONFIG_32BIT=y"; do
	o=${cfg%%:*}
	problems+=$(lconfig "$o" "$(tr ' ' '\n' <<<"${cfg#*:}")")
	out=$(lmake "$o" arch/riscv/kvm/) || problems+=$'\n'"$o (${cfg#*:}): build failed:"$'\n'"$(tail -n 15 <<<"$out")"
done
gate "configs: arch/riscv/kvm/ builds with KVM=m, with RISCV_PMU_SBI=n (firmware-counter stub), with RISCV_ISA_V=n, and on rv32 (KVM=y)" "$problems"

# 4. and 5. W=1 and sparse on arch/riscv/kvm/: no warning the base does not have.
# A build that fails outright fails the gate: it would report no warnings at all.
broken=""
for c in base head; do
	git -C "$lintdir" checkout -q --detach "${!c}"
	kvm_objs wb-out
	out=$(lmake wb-out W=1 arch/riscv/kvm/) || broken+=$'\n'"W=1 build of the $c failed: $(tail -n 3 <<<"$out")"
	warnings <<<"$out" > "$lintdir/wb-out/.w1-$c" || true
	out=$(lmake wb-out C=2 CHECK="$(realpath scripts/sparse-riscv.sh)" arch/riscv/kvm/) ||
		broken+=$'\n'"sparse run on the $c failed: $(tail -n 3 <<<"$out")"
	warnings <<<"$out" > "$lintdir/wb-out/.sparse-$c" || true
done
for t in w1:W=1 sparse:sparse; do
	new=$(comm -13 "$lintdir/wb-out/.${t%%:*}-base" "$lintdir/wb-out/.${t%%:*}-head")
	gate "${t#*:} on arch/riscv/kvm/: $(grep -c . < "$lintdir/wb-out/.${t%%:*}-base") warnings on the base, $(grep -c . < "$lintdir/wb-out/.${t%%:*}-head") with the series, $(grep -c . <<<"$new" || true) new" "$new$(grep -i "^${t#*:}" <<<"$broken" || true)"
done

# 6. Documentation: the Sphinx build of Documentation/virt/ has no warning the base
# does not have, and the new pages are reachable from the KVM index. It writes
# into the tree, so it runs here, in the throwaway lint worktree.
docs() { PATH=/usr/bin:$PATH make -s -C "$lintdir" O=wb-docs SPHINXDIRS=virt htmldocs 2>&1; }
sphinx_warnings() { grep -E '(WARNING|ERROR|CRITICAL)' | sed -E "s|$lintdir/||; s/^([^:]+):[0-9]+: /\1: /" | sort -u; }
for c in base head; do
	git -C "$lintdir" checkout -q --detach "${!c}"
	rm -rf "$lintdir/wb-docs/Documentation/output"
	docs | sphinx_warnings > "$lintdir/wb-out/.docs-$c" || true
done
new=$(comm -13 "$lintdir/wb-out/.docs-base" "$lintdir/wb-out/.docs-head")
html=$lintdir/wb-docs/Documentation/output/virt/kvm
if git -C "$lintdir" diff --quiet "$base" "$head" -- Documentation/virt/kvm/riscv; then
	reach="# the series adds no page under Documentation/virt/kvm/riscv/"
elif grep -q 'href="riscv/index.html"' "$html/index.html" 2>/dev/null &&
     grep -q 'href="vcpu-stats.html"' "$html/riscv/index.html" 2>/dev/null; then
	reach="# virt/kvm/index.html -> riscv/index.html -> vcpu-stats.html"
else
	reach="riscv/vcpu-stats.html is not reachable from virt/kvm/index.html"
fi
gate "docs: Sphinx (SPHINXDIRS=virt): $(grep -c . < "$lintdir/wb-out/.docs-base") warnings on the base, $(grep -c . < "$lintdir/wb-out/.docs-head") with the series, $(grep -c . <<<"$new" || true) new" "$new"$'\n'"$reach"
