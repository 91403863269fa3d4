#!/usr/bin/env bash
# Unproven findings through the command line: a fixture whose remove-leak
# rests on a flag the analysis cannot establish (bad_remove_early_return.c)
# next to one whose finding is proven (bad_remove_goto_out.c). The
# unproven one is stored and counted apart, but not printed, not in the
# exit status, not in SARIF and not in the baseline; --show-unproven,
# show --unproven and the JSON carry it with its reason.
#   usage: test_unproven.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
inc=$srcdir/tests/fixtures/include
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
db=$tmp/u.db
flags=(-- -nostdinc -I"$inc")
mkdir -p "$tmp/only" "$tmp/both"
cp "$srcdir/tests/fixtures/remove-leak/bad_remove_early_return.c" "$tmp/only/"
cp "$srcdir/tests/fixtures/remove-leak/bad_remove_early_return.c" \
	"$srcdir/tests/fixtures/remove-leak/bad_remove_goto_out.c" "$tmp/both/"
scan() { (cd "$tmp" && "$irqcheck" scan --no-progress "$@" "${flags[@]}"); }

# only the unproven finding: nothing printed, exit 0, counted apart
scan --no-db only >"$tmp/only.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok || bad "scan of an unproven finding only: exit $rc (want 0)"
grep -q "\[remove-leak\]" "$tmp/only.txt" && bad "unproven finding printed" || ok
grep -q ", 0 findings, 1 unproven (paths not shown feasible; --show-unproven)" "$tmp/only.txt" &&
	ok || bad "unproven count not in the summary"
scan --no-db --show-unproven only >"$tmp/shown.txt" 2>&1
grep -q "bad_remove_early_return.c:[0-9]*:[0-9]*: error: .*\[remove-leak\]" "$tmp/shown.txt" &&
	ok || bad "--show-unproven does not print it"
grep -q "bad_remove_early_return.c:[0-9]*:[0-9]*: note: unproven: the path takes the branch at bad_remove_early_return.c:[0-9]* on the driver's own state" "$tmp/shown.txt" &&
	ok || bad "--show-unproven does not say why"
scan --no-db --format json only >"$tmp/only.json" 2>/dev/null
python3 - "$tmp/only.json" <<'PY' && ok || bad "JSON does not carry the unproven finding"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert len(f) == 1 and f[0]["rule"] == "remove-leak", f
assert "driver's own state" in f[0]["unproven"]
PY
scan --no-db --format sarif only >"$tmp/only.sarif" 2>/dev/null
python3 - "$tmp/only.sarif" <<'PY' && ok || bad "SARIF has the unproven finding"
import json, sys
assert json.load(open(sys.argv[1]))["runs"][0]["results"] == []
PY

# with a proven finding beside it: exit 1, only the proven one printed
scan --db "$db" both >"$tmp/both.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok || bad "scan with a proven finding: exit $rc (want 1)"
[ "$(grep -c "\[remove-leak\]" "$tmp/both.txt")" -eq 1 ] && ok || bad "not exactly the proven finding printed"
grep -q "bad_remove_goto_out.c.*\[remove-leak\]" "$tmp/both.txt" && ok || bad "proven finding not printed"
[ "$(sqlite3 "$db" "SELECT findings FROM runs")" = 1 ] && ok || bad "run counts the unproven finding"
[ "$(sqlite3 "$db" "SELECT count(*) FROM findings WHERE unproven LIKE 'the path takes the branch%'")" = 1 ] &&
	ok || bad "unproven reason not stored"
"$irqcheck" show --db "$db" >"$tmp/show.txt"
grep -q "bad_remove_early_return" "$tmp/show.txt" && bad "show prints the unproven finding" || ok
"$irqcheck" show --db "$db" --unproven >"$tmp/show-u.txt"
grep -q "bad_remove_early_return.c.*\[remove-leak\]" "$tmp/show-u.txt" && ok || bad "show --unproven does not print it"
"$irqcheck" baseline save --db "$db" >/dev/null
[ "$(sqlite3 "$db" "SELECT count(*) FROM baseline")" = 1 ] && ok || bad "baseline holds the unproven finding"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
