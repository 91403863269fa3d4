#!/usr/bin/env bash
# The semantic patches in coccicheck's report mode, as `make coccicheck
# MODE=report COCCI=...` runs them, on the fix fixtures: each prints its
# findings as FILE:LINE:COL messages and no diff (a starred rule that
# also matches under report prints a context diff after them).
#   usage: test_cocci_modes.sh SOURCE_DIR
set -u
srcdir=$1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
files=()
for f in "$srcdir"/tests/fix/*.c; do
	case $f in *.expected.c) continue ;; esac
	files+=("$f")
done
reported=0
for sp in "$srcdir"/cocci/*.cocci; do
	grep -q '^virtual report' "$sp" || continue
	out=$(spatch --python /usr/bin/python3 --very-quiet --no-includes -D report --sp-file "$sp" "${files[@]}" 2>&1)
	if printf '%s\n' "$out" | grep -q '^+++ \|^--- \|^@@ '; then
		bad "$(basename "$sp") prints a diff in report mode: $(printf '%s\n' "$out" | grep -m1 '^--- ')"
	else
		ok
	fi
	printf '%s\n' "$out" | grep -q 'EXN\|parse error' &&
		bad "$(basename "$sp"): $(printf '%s\n' "$out" | grep -m1 'EXN\|parse error')" || ok
	n=$(printf '%s\n' "$out" | grep -c '^/.*\.c:[0-9]*:[0-9]*-[0-9]*: ')
	reported=$((reported + n))
done
# the devres rules report the releases of the hybrid fixtures
[ "$reported" -gt 10 ] && ok || bad "report mode printed $reported messages in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
