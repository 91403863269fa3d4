#!/usr/bin/env bash
# Shared headers through the command line: a scan parses <linux/pci.h> and
# what it includes once for the files whose flags agree, and what it says
# is the same, byte for byte, as with --no-shared-headers. A file that
# defines a macro the shared headers read, above its includes, is parsed
# alone and --timings says so; the store still sees the shared headers as
# the file's, so a change to one of them re-analyses the file.
#   usage: test_shared_headers.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$srcdir/tests/cli/lib.sh"

tree=$tmp/tree
mkdir -p "$tree/drivers"
cp -r "$srcdir/tests/fixtures/include" "$tree/include"
for group in error-path-leak irq-handler-leak free-with-handlers; do
	cp -r "$srcdir/tests/fixtures/$group" "$tree/drivers/$group"
done
# a macro the shared headers name, defined above the includes: including
# them first would change what the file means
{
	echo '#define pci_free_irq_vectors pci_free_irq_vectors'
	cat "$srcdir/tests/fixtures/error-path-leak/bad_goto_skips_release.c"
} >"$tree/drivers/early_define.c"
nfiles=$(find "$tree/drivers" -name '*.c' | wc -l)
flags=(-- -nostdinc -I"$tree/include")
# scratch files go here, to see that none is left behind
export TMPDIR=$tmp/scratch
mkdir -p "$TMPDIR"
scan() { (cd "$tree" && "$irqcheck" scan --no-progress -j 2 "$@" drivers "${flags[@]}"); }

scan --no-db --format json --timings >"$tmp/shared.json" 2>"$tmp/shared.err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "scan on shared headers: exit $rc (want 1): $(tail -3 "$tmp/shared.err")"
scan --no-db --format json --no-shared-headers --timings >"$tmp/alone.json" 2>"$tmp/alone.err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "scan without shared headers: exit $rc (want 1)"
grep -q '"rule"' "$tmp/shared.json" && ok || bad "no findings in the JSON"
cmp -s "$tmp/shared.json" "$tmp/alone.json" && ok ||
	bad "findings differ with and without shared headers: $(diff "$tmp/shared.json" "$tmp/alone.json" | head -5)"

grep -q "irqcheck: shared headers: 1 set built in [0-9.]* s; $((nfiles - 1)) files parsed on them, 1 alone" "$tmp/shared.err" &&
	ok || bad "--timings does not tell the shared headers: $(grep 'shared headers' "$tmp/shared.err")"
grep -q "drivers/early_define.c: parsed alone: it defines a macro the shared headers read, above its includes" "$tmp/shared.err" &&
	ok || bad "the file defining a macro above its includes is not said to be parsed alone"
grep -q "shared headers:" "$tmp/alone.err" &&
	bad "--no-shared-headers still built shared headers" || ok
[ -z "$(ls -A "$TMPDIR")" ] && ok ||
	bad "scratch files were left behind: $(ls -A "$TMPDIR")"
# not isolated, the scan removes them itself
IRQCHECK_NO_ISOLATION=1 scan --no-db >/dev/null 2>&1
[ -z "$(ls -A "$TMPDIR")" ] && ok ||
	bad "scratch files were left behind without isolation: $(ls -A "$TMPDIR")"

# the store: a file on shared headers depends on them
db=$tmp/s.db
scan --db "$db" >/dev/null 2>&1
scan --db "$db" >"$tmp/again.txt" 2>&1
grep -q ", $nfiles unchanged files. results reused" "$tmp/again.txt" && ok ||
	bad "an unchanged re-scan did not reuse every file: $(grep -i 'reus\|unchanged' "$tmp/again.txt")"
echo '/* touched */' >>"$tree/include/linux/pci.h"
scan --db "$db" >"$tmp/touched.txt" 2>&1
grep -q "unchanged files. results reused" "$tmp/touched.txt" &&
	bad "files reused after a shared header changed: $(grep -i 'reus\|unchanged' "$tmp/touched.txt")" || ok

finish
