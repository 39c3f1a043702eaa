#!/bin/bash
# scripts/image.sh: what a plan puts into the initramfs, and a plan naming a
# program that was not built.
set -eu
cd "$(dirname "$0")/.."
. tests/lib.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# a stand-in build output: gen_init_cpio from the base tree, two "tests"
mkdir -p "$t/out/usr" "$t/out/_selftests/riscv"
# (from any target's base: make check fetches them first)
base=$(ls -d build/*/base | head -n 1)
git -C "$base" show base:usr/gen_init_cpio.c > "$t/gen_init_cpio.c"
gcc -O2 -o "$t/out/usr/gen_init_cpio" "$t/gen_init_cpio.c"
printf '#!/bin/true\n' > "$t/out/_selftests/a_test"
printf '#!/bin/true\n' > "$t/out/_selftests/riscv/b_test"
chmod +x "$t/out/_selftests/a_test" "$t/out/_selftests/riscv/b_test"
printf '# comment\n\n10 - a_test\n20 must riscv/b_test -x 1\n' > "$t/plan"

rc=0; scripts/image.sh "$t/img.cpio" "$t/plan" "$t/out" >/dev/null 2>&1 || rc=$?
ok "a plan's programs make an initramfs" test "$rc" = 0
files=$(cd "$t" && cpio -it --quiet < img.cpio | sort | xargs)
ok "it holds /init, /plan, /dev/console and the programs in their directories" \
	test "$files" = "dev dev/console init plan proc sys tests tests/a_test tests/riscv tests/riscv/b_test"
ok "/plan is the plan" eval '(cd "$t" && mkdir x && cd x && cpio -id --quiet plan < ../img.cpio && cmp -s plan ../plan)'

printf '10 - a_test\n10 must riscv/missing_test\n' > "$t/plan2"
rc=0; out=$(scripts/image.sh "$t/img2.cpio" "$t/plan2" "$t/out" 2>&1) || rc=$?
ok "a plan naming a program that was not built fails, naming it" eval '[ $rc != 0 ] && grep -q "riscv/missing_test" <<<"$out"'
ok "... and leaves no initramfs behind" eval '[ ! -e "$t/img2.cpio" ] && [ ! -e "$t/img2.cpio.tmp" ]'
done_testing
