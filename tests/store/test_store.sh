#!/usr/bin/env bash
# The SQLite store end to end: schema and migration, reuse of unchanged
# files and what invalidates it (content, header, callee in another file,
# rule pack), diff by fingerprint, inline suppressions, baseline, and each
# kind of bad database. Uses the fixture headers and its own small drivers.
#   usage: test_store.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
inc=$srcdir/tests/fixtures/include
tmp=$(mktemp -d)
trap 'umount "$tmp/full" 2>/dev/null; chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
db=$tmp/irq.db

scan() { (cd "$tmp" && "$irqcheck" scan --no-progress --db "$db" "$@" -- -nostdinc -I"$inc" -I"$tmp/b"); }
q() { sqlite3 "$db" "$1"; }

# Two modules (directories): a/ is a driver split over two files (the
# helper leaks on its failing return), b/ a one-file driver whose header
# only it includes.
mkdir -p "$tmp/a" "$tmp/b"
cp "$srcdir/tests/fixtures/error-path-leak/bad_cross_file_helper/"* "$tmp/a/"
cp "$srcdir/tests/fixtures/remove-leak/bad_remove_goto_out.c" "$tmp/b/b_main.c"
printf '/* only b_main.c includes this */\n#define B_VERSION 1\n' > "$tmp/b/b_local.h"
sed -i 's|#include <linux/pci.h>|#include <linux/pci.h>\n#include "b_local.h"|' "$tmp/b/b_main.c"

# -- schema ------------------------------------------------------------------
scan a b >"$tmp/out1" 2>&1
[ $? -eq 1 ] && ok || bad "first scan exit (want 1 for findings)"
[ "$(q 'PRAGMA user_version')" = 6 ] && ok || bad "fresh database not at schema 6"
[ "$(q 'PRAGMA journal_mode')" = wal ] && ok || bad "not in WAL mode"
for t in runs files header_sets functions findings steps suppressions baseline hash_cache fixes; do
	[ "$(q "SELECT count(*) FROM sqlite_master WHERE name = '$t'")" = 1 ] && ok || bad "table $t missing"
done
[ "$(q 'SELECT count(*) FROM runs WHERE finished IS NOT NULL')" = 1 ] && ok || bad "run 1 not finished"
[ "$(q "SELECT count(*) FROM findings WHERE rule = 'error-path-leak' AND path LIKE '%a/foo_irq.c'")" = 1 ] &&
	ok || bad "cross-file finding not stored"
[ "$(q 'SELECT count(*) FROM steps')" -gt 3 ] && ok || bad "path steps not stored"
[ "$(q "SELECT count(*) FROM functions WHERE name = 'foo_init_irqs'")" = 1 ] && ok || bad "exported summary not stored"
q "SELECT entries FROM header_sets" | grep -q "b_local.h" && ok || bad "included headers not stored"

# -- reuse and invalidation ----------------------------------------------------
scan a b >"$tmp/out2" 2>&1
grep -q "3 unchanged files' results reused" "$tmp/out2" && ok || bad "unchanged rescan did not reuse all 3 files: $(tail -2 "$tmp/out2")"
diff <(grep -E ': (error|warning|note):' "$tmp/out1") <(grep -E ': (error|warning|note):' "$tmp/out2") >/dev/null &&
	ok || bad "reused findings differ from analysed ones"
# a header only b/ includes: b/ is analysed again, a/ reused
printf '/* only b_main.c includes this */\n#define B_VERSION 2\n' > "$tmp/b/b_local.h"
scan a b >"$tmp/out3" 2>&1
grep -q "2 unchanged files' results reused" "$tmp/out3" && ok || bad "header change: want a/ (2 files) reused: $(tail -2 "$tmp/out3")"
[ "$(q 'SELECT reused FROM files WHERE run_id = 3 AND path LIKE "%b_main.c"')" = 0 ] && ok || bad "header change did not re-analyse b_main.c"
# a change to a file that does not change what it offers its module: only
# that file is analysed again, its module mate stays reused
echo "/* a comment at the end changes the content, not the summaries */" >> "$tmp/a/foo_irq.c"
scan a b >"$tmp/out3b" 2>&1
[ "$(q 'SELECT reused FROM files WHERE run_id = 4 AND path LIKE "%a/foo_irq.c"')" = 0 ] && ok || bad "changed foo_irq.c was reused"
[ "$(q 'SELECT reused FROM files WHERE run_id = 4 AND path LIKE "%a/foo_main.c"')" = 1 ] && ok || bad "foo_main.c analysed again though foo_irq.c offers the same"
diff <(grep -E ': (error|warning|note):' "$tmp/out1") <(grep -E ': (error|warning|note):' "$tmp/out3b") >/dev/null &&
	ok || bad "findings changed after a comment-only change"
# a callee in another file of the module: the helper now releases on its
# failing return, so the caller's file must be analysed again too and the
# finding goes away
sed -i 's|		return ret; /\* expect: error-path-leak \*/|		{ pci_free_irq_vectors(foo->pdev); return ret; }|' "$tmp/a/foo_irq.c"
scan a b >"$tmp/out4" 2>&1
[ "$(q 'SELECT count(*) FROM files WHERE run_id = 5 AND reused = 0 AND path LIKE "%a/%"')" = 2 ] &&
	ok || bad "callee change did not re-analyse both files of a/"
grep -q "a/foo_irq.c.*error-path-leak" "$tmp/out4" && bad "fixed helper still reported" || ok
# the rule pack: nothing is reused
cp "$srcdir/rules/linux-pci.rules" "$tmp/changed.rules"
echo "# a comment changes the pack's hash" >> "$tmp/changed.rules"
scan --rules "$tmp/changed.rules" a b >"$tmp/out5" 2>&1
grep -q "results reused" "$tmp/out5" && bad "rule pack change still reused results" || ok

# -- diff by fingerprint -------------------------------------------------------
"$irqcheck" show --db "$db" --diff 4 5 >"$tmp/diff1" 2>&1
[ $? -eq 0 ] && ok || bad "diff 4 5 exit (nothing new)"
grep -q "0 new, 1 fixed" "$tmp/diff1" && ok || bad "diff 4 5: $(tail -1 "$tmp/diff1")"
# the same bug back, moved down by three lines: unchanged, not new
cp "$srcdir/tests/fixtures/error-path-leak/bad_cross_file_helper/foo_irq.c" "$tmp/a/foo_irq.c"
sed -i '1i /*\n * moved\n */' "$tmp/a/foo_irq.c"
scan a b >/dev/null 2>&1
"$irqcheck" show --db "$db" --diff 3 7 >"$tmp/diff2" 2>&1
grep -q "0 new, 0 fixed" "$tmp/diff2" && ok || bad "moved finding not matched by fingerprint: $(tail -1 "$tmp/diff2")"
"$irqcheck" show --db "$db" --diff 5 7 --format json >"$tmp/diff3.json" 2>&1
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['new'])==1 and d['new'][0]['rule']=='error-path-leak'" "$tmp/diff3.json" &&
	ok || bad "json diff 5 7 does not list the new finding"
"$irqcheck" show --db "$db" --rule remove-leak --format json >"$tmp/show.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert [f['rule'] for f in d['findings']]==['remove-leak'] and d['findings'][0]['steps']" "$tmp/show.json" &&
	ok || bad "show --rule --format json"
"$irqcheck" show --db "$db" --file '*/a/*' >"$tmp/show.txt"
grep -q "b_main.c" "$tmp/show.txt" && bad "show --file did not filter" || ok

# -- baseline ------------------------------------------------------------------
"$irqcheck" baseline save --db "$db" >/dev/null && ok || bad "baseline save"
"$irqcheck" baseline check --db "$db" >/dev/null
[ $? -eq 0 ] && ok || bad "baseline check right after save is not clean"
cp "$srcdir/tests/fixtures/irq-handler-leak/bad_later_step_skips_free_irq.c" "$tmp/b/b_new.c"
scan a b >/dev/null 2>&1
"$irqcheck" baseline check --db "$db" >"$tmp/base" 2>&1
[ $? -eq 1 ] && grep -q "b_new.c.*irq-handler-leak" "$tmp/base" && ! grep -q "b_main.c" "$tmp/base" &&
	ok || bad "baseline check: want only b_new.c's findings: $(cat "$tmp/base")"
rm "$tmp/b/b_new.c"

# -- inline suppressions -------------------------------------------------------
sed -i 's|} /\* expect: remove-leak \*/|} /* irqcheck: ignore remove-leak - the firmware owns the vector after stop */|' "$tmp/b/b_main.c"
scan a b >"$tmp/sup1" 2>&1
grep -q "b_main.c.*remove-leak" "$tmp/sup1" && bad "suppressed finding printed" || ok
grep -q "1 suppressed inline" "$tmp/sup1" && ok || bad "suppression not counted"
[ "$(q "SELECT suppressed FROM findings f JOIN files ON f.file_id = files.id WHERE files.run_id = (SELECT max(id) FROM runs) AND f.rule = 'remove-leak'")" = "the firmware owns the vector after stop" ] &&
	ok || bad "suppression reason not stored"
sed -i 's|irqcheck: ignore remove-leak - the firmware owns the vector after stop|irqcheck: ignore remove-leak|' "$tmp/b/b_main.c"
scan a b >"$tmp/sup2" 2>&1
grep -q "b_main.c:[0-9]*:1: warning: suppression of remove-leak without a reason" "$tmp/sup2" && ok || bad "reasonless suppression not reported"
grep -q "b_main.c.*\[remove-leak\]" "$tmp/sup2" && ok || bad "reasonless suppression suppressed the finding"

# -- migration from schema 1 -----------------------------------------------------
old=$tmp/old.db
sqlite3 "$old" < "$srcdir/db/schema.sql"
sqlite3 "$old" "INSERT INTO runs (tree, flags_source, rules_hash, tool_version, started, finished) VALUES ('t', 'plain', 'x', 'old', 'then', 'then')"
[ "$(sqlite3 "$old" 'PRAGMA user_version')" = 1 ] && ok || bad "schema.sql is not version 1"
(cd "$tmp" && "$irqcheck" scan --no-progress --db "$old" a -- -nostdinc -I"$inc" >/dev/null 2>&1)
[ "$(sqlite3 "$old" 'PRAGMA user_version')" = 6 ] && ok || bad "version 1 not migrated to 6"
[ "$(sqlite3 "$old" "SELECT count(*) FROM runs WHERE tool_version = 'old'")" = 1 ] && ok || bad "migration lost the old run"
[ "$(sqlite3 "$old" "SELECT count(*) FROM sqlite_master WHERE name = 'fixes'")" = 1 ] && ok || bad "migration did not add fixes"
sqlite3 "$old" "SELECT links FROM files LIMIT 1" >/dev/null 2>&1 && ok || bad "migration did not add files.links"
sqlite3 "$old" "SELECT unproven FROM findings LIMIT 1" >/dev/null 2>&1 && ok || bad "migration did not add findings.unproven"
[ "$(sqlite3 "$old" "SELECT count(*) FROM files WHERE status = 'analysed'")" -gt 0 ] && ok || bad "migration did not add files.status"

# -- bad databases: one sentence, exit 2, nothing else touched -------------------
expect_refusal() { # DB PATTERN WHAT
	local out rc
	out=$(cd "$tmp" && "$irqcheck" scan --no-progress --db "$1" a -- -nostdinc -I"$inc" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && printf '%s' "$out" | grep -q "$2"; then
		ok
	else
		bad "$3: exit $rc, stderr: $out"
	fi
}
head -c 8192 /dev/urandom > "$tmp/corrupt.db"
cp "$tmp/corrupt.db" "$tmp/corrupt.orig"
expect_refusal "$tmp/corrupt.db" "not a usable irqcheck database" "corrupt file"
cmp -s "$tmp/corrupt.db" "$tmp/corrupt.orig" && ok || bad "corrupt file was modified"
sqlite3 "$tmp/foreign.db" "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x')"
expect_refusal "$tmp/foreign.db" "another program" "foreign database"
[ "$(sqlite3 "$tmp/foreign.db" 'SELECT count(*) FROM songs')" = 1 ] && ok || bad "foreign database changed"
cp "$db" "$tmp/newer.db"
sqlite3 "$tmp/newer.db" "PRAGMA user_version = 99"
expect_refusal "$tmp/newer.db" "newer irqcheck" "newer schema"
expect_refusal "/proc/irqcheck.db" "cannot" "read-only location"
"$irqcheck" show --db "$tmp/corrupt.db" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l < "$tmp/err")" -eq 1 ] && ok || bad "show on a corrupt file"

# a full disk: the new run fails cleanly, the earlier ones stay readable
full=$tmp/full
mkdir -p "$full"
size_k=$(( $(stat -c %s "$db") / 1024 + 96 ))
if mount -t tmpfs -o size=${size_k}k tmpfs "$full" 2>/dev/null; then
	cp "$db" "$full/irq.db" || bad "full disk: the database does not fit"
	limit=""
else
	cp "$db" "$full/irq.db"
	limit="ulimit -f $(( $(stat -c %s "$full/irq.db") / 1024 + 8 )); trap '' XFSZ;"
fi
before=$(sqlite3 "$full/irq.db" "SELECT count(*) FROM runs WHERE finished IS NOT NULL")
cp -r "$srcdir/tests/fixtures" "$tmp/many"
out=$(cd "$tmp" && bash -c "$limit \"$irqcheck\" scan --no-progress --db \"$full/irq.db\" many -- -nostdinc -I\"$inc\"" 2>&1 >/dev/null)
rc=$?
[ $rc -eq 2 ] && [ "$(printf '%s\n' "$out" | grep -c '^irqcheck scan:')" -eq 1 ] &&
	ok || bad "full disk: exit $rc, stderr: $out"
[ "$(sqlite3 "$full/irq.db" "SELECT count(*) FROM runs WHERE finished IS NULL" 2>&1)" = 0 ] &&
	ok || bad "full disk: the unfinished run stayed in the store"
after=$(sqlite3 "$full/irq.db" "SELECT count(*) FROM runs WHERE finished IS NOT NULL" 2>&1)
[ "$after" = "$before" ] && ok || bad "full disk: finished runs $before -> $after"
"$irqcheck" show --db "$full/irq.db" >/dev/null 2>&1
[ $? -ne 2 ] && ok || bad "full disk: earlier run no longer readable"
umount "$full" 2>/dev/null

# an interrupted scan: the earlier runs stay, the killed one never shows
# (ten copies of the fixtures take several seconds with -j 1)
for i in 1 2 3 4 5 6 7 8 9; do cp -r "$srcdir/tests/fixtures" "$tmp/many/copy$i"; done
before=$(q "SELECT max(id) FROM runs WHERE finished IS NOT NULL")
(cd "$tmp" && exec "$irqcheck" scan --no-progress -j 1 --db "$db" many -- -nostdinc -I"$inc" >/dev/null 2>&1) &
pid=$!
sleep 1
kill -INT $pid 2>/dev/null && ok || bad "scan ended before it could be interrupted"
wait $pid
[ "$(q 'PRAGMA integrity_check')" = ok ] && ok || bad "interrupted scan: integrity check failed"
[ "$(q "SELECT max(id) FROM runs WHERE finished IS NOT NULL")" = "$before" ] && ok || bad "interrupted scan: a run was finished"
"$irqcheck" show --db "$db" >/dev/null 2>&1
[ $? -ne 2 ] && ok || bad "interrupted scan: last run no longer readable"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
