#!/bin/bash
# scripts/lib.sh (targets, the series reader, the cause table, the preflight check)
# and the refusals that need no kernel: make outgoing with a placeholder identity.
set -eu
cd "$(dirname "$0")/.."
. tests/lib.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

rc=0; out=$(bash -c '. scripts/lib.sh; target_load no-such' 2>&1) || rc=$?
ok "an unknown target fails, listing the targets" eval '[ $rc != 0 ] && grep -q "no target .no-such. (targets: 6.12 mainline)" <<<"$out"'
for tg in 6.12 mainline; do
	out=$(bash -c ". scripts/lib.sh; target_load $tg; echo \"\$SERIES \$PLAN \$COVER \$package \$version\"")
	read -r s p c pkg ver <<<"$out"
	ok "target $tg: its series, plan and cover text exist" eval '[ -f "$s" ] && [ -f "$p" ] && [ -f "$c" ]'
	ok "target $tg: names a Debian package and version" eval '[[ $pkg = linux-source-* ]] && [ -n "$ver" ]'
done

mkdir "$t/s" && touch "$t/s/a.patch" "$t/b.patch"
printf '# comment\n\na.patch\n%s\n' "$t/b.patch" > "$t/s/series"
out=$(bash -c ". scripts/lib.sh; series_patches '$t/s/series'")
ok "the series reader: relative and absolute names, comments and blank lines skipped" \
	test "$out" = "$(printf '%s\n%s' "$t/s/a.patch" "$t/b.patch")"
echo missing.patch >> "$t/s/series"
rc=0; out=$(bash -c ". scripts/lib.sh; series_patches '$t/s/series'" 2>&1) || rc=$?
ok "... and a missing patch stops it, named" eval '[ $rc != 0 ] && grep -q "names $t/s/missing.patch, which does not exist" <<<"$out"'

out=$(bash -c '. scripts/lib.sh; causes')
ok "the cause table: six causes, each with its scause and statistic" \
	test "$(awk 'NF == 3 && $2 ~ /^[0-9]+$/ && $3 ~ /_exits$/' <<<"$out" | sort -u | wc -l)" = 6

mkdir "$t/bin"	# a PATH with only what lib.sh itself runs
for c in dirname realpath basename awk; do ln -s "$(command -v "$c")" "$t/bin/$c"; done
rc=0; out=$(PATH=$t/bin /bin/bash -c '. scripts/lib.sh; need rsync /no/such/file qemu-system-riscv64' 2>&1) || rc=$?
ok "preflight: a missing command stops at once, naming its Debian package" \
	eval '[ $rc != 0 ] && grep -q "rsync (Debian package rsync)" <<<"$out" && grep -q "qemu-system-riscv64 (Debian package qemu-system-misc)" <<<"$out"'
ok "preflight: every package named in scripts/commands exists in Debian's archive" \
	eval 'for p in $(awk "!/^#/ && NF {print \$2}" scripts/commands | sort -u); do apt-cache show --no-all-versions "$p" >/dev/null 2>&1 || { echo "# no package $p"; exit 1; }; done'

unlisted=$(bash -c '. scripts/lib.sh; unlisted_commands')
ok "preflight: every command a script checks for is in scripts/commands${unlisted:+ (not: $unlisted)}" test -z "$unlisted"
grep -v '^rsync ' scripts/commands > "$t/commands"
ok "... and a table without rsync's row is caught, naming rsync" \
	test "$(bash -c ". scripts/lib.sh; unlisted_commands $t/commands")" = rsync

printf '[user]\n\tname = Placeholder\n\temail = kvm-stats@example.org\n' > "$t/gitconfig"
rc=0; out=$(GIT_CONFIG_GLOBAL=$t/gitconfig scripts/outgoing.sh 6.12 2>&1) || rc=$?
ok "make outgoing refuses a placeholder address" eval '[ $rc != 0 ] && grep -q "placeholder" <<<"$out"'
printf '[user]\n\tname = Some One\n\temail = someone@example.com\n' > "$t/gitconfig"
rc=0; out=$(GIT_CONFIG_GLOBAL=$t/gitconfig scripts/outgoing.sh 6.12 2>&1) || rc=$?
ok "... and an example.* one" eval '[ $rc != 0 ] && grep -q "placeholder" <<<"$out"'
: > "$t/gitconfig"
rc=0; out=$(GIT_CONFIG_GLOBAL=$t/gitconfig scripts/outgoing.sh 6.12 2>&1) || rc=$?
ok "... and no identity at all, saying how to set one" eval '[ $rc != 0 ] && grep -q "git config --global user.name" <<<"$out"'
done_testing
