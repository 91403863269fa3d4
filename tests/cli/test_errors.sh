#!/usr/bin/env bash
# Bad input must give one clear sentence on stderr and exit status 2, never
# a crash or a silent empty result. usage: test_errors.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"

expect_error "unknown command" "is not a command" "$irqcheck" frobnicate
expect_error "missing tree" "does not exist" "$irqcheck" scan --kernel "$tmp/nope"
mkdir -p "$tmp/notlinux"
expect_error "not a kernel tree" "not a Linux source tree" \
	"$irqcheck" scan --kernel "$tmp/notlinux"
mkdir -p "$tmp/linux/include/linux"
: >"$tmp/linux/include/linux/pci.h"
expect_error "unprepared tree" "not prepared" "$irqcheck" scan --kernel "$tmp/linux"
expect_error "missing build dir" "does not exist" \
	"$irqcheck" scan --kernel "$tmp/linux" --build "$tmp/nobuild"
expect_error "missing compile database" "no compile_commands.json" \
	"$irqcheck" scan -p "$tmp"
echo '{ not json' >"$tmp/compile_commands.json"
expect_error "corrupt compile database" "not a valid compilation database" \
	"$irqcheck" scan -p "$tmp"
rm "$tmp/compile_commands.json"
echo 'frobnicate x' >"$tmp/bad.rules"
expect_error "bad rule pack" "bad.rules:1: unknown role" \
	"$irqcheck" scan --rules "$tmp/bad.rules" "$srcdir/tests/fixtures/hybrid-double-free/bad_legacy_msi.c"
expect_error "missing file" "no such file" "$irqcheck" scan "$tmp/missing.c" -- -w
expect_error "nothing to scan" "nothing to scan" "$irqcheck" scan
expect_error "bad -j" "-j takes a number" "$irqcheck" scan -j 0 x.c
expect_error "unknown rule" "there is no rule" "$irqcheck" explain no-such-rule
expect_error "prepare on a missing tree" "does not exist" "$irqcheck" prepare "$tmp/nope"
expect_error "prepare for an arch the tree lacks" "has no architecture 'sparc99'" \
	"$irqcheck" prepare "$tmp/linux" --arch sparc99
mkdir -p "$tmp/linux/arch/arm64/configs"
expect_error "prepare with a config that is no file nor target" \
	"neither a file nor a configuration target" \
	"$irqcheck" prepare "$tmp/linux" --arch arm64 --config foo_defconfig
# an unprepared tree of an arch irqcheck does not read
mkdir -p "$tmp/riscv"
printf 'CONFIG_RISCV=y\n' >"$tmp/riscv/.config"
expect_error "scan of an unsupported arch" "does not support yet (x86 and arm64 only)" \
	"$irqcheck" scan --kernel "$tmp/linux" --build "$tmp/riscv"

# A file that does not parse: findings are not silently empty, the file is
# named in the summary and the exit status is 2.
printf 'int f(void) { return }\n' >"$tmp/broken.c"
"$irqcheck" scan "$tmp/broken.c" -- -w >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "broken.c: did not parse cleanly" "$tmp/err" && ok ||
	bad "unparseable file: exit $rc: $(cat "$tmp/out" "$tmp/err")"

# A clean file exits 0, a buggy one 1.
"$irqcheck" scan "$srcdir/tests/fixtures/hybrid-double-free/clean_failure_branch.c" -- \
	-nostdinc -I"$srcdir/tests/fixtures/include" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok || bad "clean file exit $rc: $(cat "$tmp/out")"
"$irqcheck" scan "$srcdir/tests/fixtures/hybrid-double-free/bad_legacy_msi.c" -- \
	-nostdinc -I"$srcdir/tests/fixtures/include" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "\[hybrid-double-free\]" "$tmp/out" && ok ||
	bad "buggy file exit $rc: $(cat "$tmp/out")"

finish
