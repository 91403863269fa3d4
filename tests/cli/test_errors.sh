#!/usr/bin/env bash
# Bad input must give one clear sentence on stderr and exit status 2, never
# a crash or a silent empty result. usage: test_errors.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# expect_error NAME PATTERN COMMAND...: exit 2, one stderr line matching PATTERN
expect_error() {
	local name=$1 pattern=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$? lines
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$tmp/err"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $name: exit $rc, $lines stderr lines:"
		cat "$tmp/err"
	fi
}

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

# A file that does not parse: findings are not silently empty, the file is
# named in the summary and the exit status is 2.
printf 'int f(void) { return }\n' >"$tmp/broken.c"
"$irqcheck" scan "$tmp/broken.c" -- -w >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "broken.c: did not parse cleanly" "$tmp/err"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL: unparseable file: exit $rc"
	cat "$tmp/out" "$tmp/err"
fi

# A clean file exits 0, a buggy one 1.
"$irqcheck" scan "$srcdir/tests/fixtures/hybrid-double-free/clean_failure_branch.c" -- \
	-nostdinc -I"$srcdir/tests/fixtures/include" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "FAIL: clean file exit $rc"; cat "$tmp/out"; fi
"$irqcheck" scan "$srcdir/tests/fixtures/hybrid-double-free/bad_legacy_msi.c" -- \
	-nostdinc -I"$srcdir/tests/fixtures/include" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q "\[hybrid-double-free\]" "$tmp/out"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1)); echo "FAIL: buggy file exit $rc"; cat "$tmp/out"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
