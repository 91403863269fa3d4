#!/usr/bin/env bash
# irqcheck check, the way kbuild runs it (once per file, many at once
# under make -j): every fixture driver is checked by its own process, 8 at
# a time, into a fresh store; then `show` settles the collection and must
# list exactly what one `scan` of the same files prints, cross-file
# findings included. Also: the store survives the concurrent writers
# whole, a re-check settles again, a file that names no API is recorded
# but not parsed, and bad invocations and unparsable files say so.
#   usage: test_check.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# a tree as check finds one (include/linux/pci.h at its root)
tree=$tmp/tree
mkdir -p "$tree/drivers"
cp -r "$srcdir/tests/fixtures/include" "$tree/include"
for group in error-path-leak irq-handler-leak hybrid-double-free \
	free-with-handlers; do
	cp -r "$srcdir/tests/fixtures/$group" "$tree/drivers/$group"
done
db=$tmp/check.db
cd "$tree" || exit 1
find drivers -name '*.c' | sort >"$tmp/files"
nfiles=$(wc -l <"$tmp/files")

# 1. one process per file, eight at once, on a store that does not exist
#    yet (the first ones race to create and migrate it)
xargs -P 8 -n 1 "$irqcheck" check --db "$db" --no-prefilter -nostdinc \
	-I include <"$tmp/files" >"$tmp/checks.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok || bad "concurrent checks: xargs exit $rc: $(grep -v ': note:' "$tmp/checks.out" | grep -v '\[' | head -3)"
grep -q "locked\|database error" "$tmp/checks.out" &&
	bad "a check lost a race for the store: $(grep -m1 'locked\|database error' "$tmp/checks.out")" || ok
grep -q "error: .*\[error-path-leak\]" "$tmp/checks.out" &&
	ok || bad "checks printed no findings gcc-style"
[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok ||
	bad "store fails the integrity check"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM checked_files')" = "$nfiles" ] &&
	ok || bad "store holds $(sqlite3 "$db" 'SELECT count(*) FROM checked_files') checked files of $nfiles"

# 1b. the race to create the store, again: sixteen checks at once on a
#     fresh store, five times (a check that found the store half made took
#     it for another program's database)
for round in 1 2 3 4 5; do
	rm -f "$tmp/race.db"*
	head -16 "$tmp/files" | xargs -P 16 -n 1 "$irqcheck" check \
		--db "$tmp/race.db" --no-prefilter -nostdinc -I include \
		>"$tmp/race.out" 2>&1
	rc=$?
	n=$(sqlite3 "$tmp/race.db" 'SELECT count(*) FROM checked_files')
	if [ "$rc" -ne 0 ] || [ "$n" != 16 ]; then
		bad "fresh store, 16 checks at once (round $round): exit $rc, $n of 16 recorded: $(grep 'irqcheck check:' "$tmp/race.out" | head -2)"
		break
	fi
done
[ "$round" = 5 ] && [ "$n" = 16 ] && ok

# 2. show settles and lists what a scan of the same files prints
"$irqcheck" show --db "$db" --format json >"$tmp/show.json" 2>"$tmp/show.err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "show after the checks: exit $rc (want 1): $(cat "$tmp/show.err")"
grep -q "the $nfiles files irqcheck check analysed in $tree are settled as run [0-9]* ([1-9][0-9]* analysed again with their module's other files)" \
	"$tmp/show.err" && ok || bad "settling not told, or no cross-file re-analysis: $(cat "$tmp/show.err")"
"$irqcheck" scan --no-db --no-progress --format json drivers -- -nostdinc \
	-I include >"$tmp/scan.json" 2>"$tmp/scan.err"
same_findings() {
	python3 - "$1" "$2" <<'PY'
import json, sys
def places(path):
    d = json.load(open(path))
    return sorted((f["file"], f["line"], f["rule"]) for f in d["findings"]
                  if not f.get("unproven") and not f.get("suppressed"))
a, b = places(sys.argv[1]), places(sys.argv[2])
if a != b or not a:
    print("show:", a, "\nscan:", b)
    sys.exit(1)
PY
}
same_findings "$tmp/show.json" "$tmp/scan.json" && ok ||
	bad "show after the checks differs from scan"
grep -q "foo_irq.c" "$tmp/show.json" && ok ||
	bad "the cross-file finding (bad_cross_file_helper) is missing"

# 3. read again: nothing to settle, the same run
run=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"])' "$tmp/show.json")
"$irqcheck" show --db "$db" >"$tmp/again.err" 2>&1
grep -q "settled" "$tmp/again.err" && bad "settled again with nothing new" || ok
grep -q "run $run:" "$tmp/again.err" && ok || bad "second show is not run $run: $(cat "$tmp/again.err")"

# 4. make C=1 after an edit: one file checked again, a new settled run,
#    still what scan says
f=drivers/error-path-leak/bad_cross_file_helper/foo_irq.c
printf '\n/* edited */\n' >>"$f"
"$irqcheck" check --db "$db" --no-prefilter -nostdinc -I include "$f" 2>/dev/null
"$irqcheck" show --db "$db" --format json >"$tmp/show2.json" 2>"$tmp/show2.err"
grep -q "settled as run $((run + 1))" "$tmp/show2.err" && ok ||
	bad "a re-check did not settle a new run: $(cat "$tmp/show2.err")"
"$irqcheck" scan --no-db --no-progress --format json drivers -- -nostdinc \
	-I include >"$tmp/scan2.json" 2>/dev/null
same_findings "$tmp/show2.json" "$tmp/scan2.json" && ok ||
	bad "show after a re-check differs from scan"

# 5. a file that names no interrupt API: recorded, not parsed, silent
mkdir -p drivers/plain
printf 'int plain_add(int a, int b) { return a + b; }\n' >drivers/plain/plain.c
"$irqcheck" check --db "$db" -nostdinc -I include drivers/plain/plain.c \
	>"$tmp/plain.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && [ ! -s "$tmp/plain.out" ] && ok ||
	bad "check of a file naming no API: exit $rc, said: $(cat "$tmp/plain.out")"
[ "$(sqlite3 "$db" "SELECT analysed FROM checked_files WHERE path = 'drivers/plain/plain.c'")" = 0 ] &&
	ok || bad "the file naming no API is not recorded as checked, not parsed"

# 6. a file that does not parse: said, exit 1, and show does not look clean
printf '#include <linux/pci.h>\nint broken(struct pci_dev *p) { return pci_alloc_irq_vectors(p, 1, 1, PCI_IRQ_MSI) +; }\n' \
	>drivers/plain/broken.c
"$irqcheck" check --db "$db" -nostdinc -I include drivers/plain/broken.c \
	>"$tmp/broken.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok || bad "check of an unparsable file: exit $rc (want 1)"
grep -q "irqcheck check: drivers/plain/broken.c: could not be analysed: .*expected expression" \
	"$tmp/broken.out" && ok || bad "unparsable file not named: $(cat "$tmp/broken.out")"
"$irqcheck" show --db "$db" >"$tmp/show3.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "drivers/plain/broken.c" "$tmp/show3.out" && ok ||
	bad "show with an unparsed checked file: exit $rc (want 2), said: $(tail -3 "$tmp/show3.out")"

# 7. bad invocations: one sentence, exit 2
"$irqcheck" check >"$tmp/e1" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "the last argument must be the C file to check" "$tmp/e1" &&
	ok || bad "check without a file: exit $rc: $(cat "$tmp/e1")"
"$irqcheck" check --db "$db" -I include drivers/nosuch.c >"$tmp/e2" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "drivers/nosuch.c: no such file" "$tmp/e2" &&
	ok || bad "check of a missing file: exit $rc: $(cat "$tmp/e2")"
"$irqcheck" check --db "$tmp/no/such/dir/x.db" -nostdinc -I include "$f" >"$tmp/e3" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "irqcheck check: .*cannot create the database" "$tmp/e3" &&
	ok || bad "check into an unwritable store: exit $rc: $(cat "$tmp/e3")"

echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
