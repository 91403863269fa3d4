#!/usr/bin/env bash
# Faults and bad input that once gave a wrong, silent or misleading result
# (issue "Every failure says what went wrong"): each check here failed
# before its fix. usage: test_faults.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
tmp=$(mktemp -d)
trap 'umount "$tmp/ro" 2>/dev/null; rm -rf "$tmp"' EXIT
inc=$srcdir/tests/fixtures/include
bad_file=$srcdir/tests/fixtures/hybrid-double-free/bad_legacy_msi.c
. "$(dirname "$0")/lib.sh"

# run NAME COMMAND...: status in $rc, outputs in $tmp/out and $tmp/err
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
# refused NAME PATTERN: exit 2 and one stderr line matching PATTERN
refused() {
	if [ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -q -- "$2" "$tmp/err"; then
		ok
	else
		bad "$1: exit $rc, stderr: $(cat "$tmp/err")"
	fi
}

# -- a store to read --------------------------------------------------------
db=$tmp/k.db
run "$irqcheck" scan --db "$db" "$bad_file" -- -nostdinc -I"$inc"
[ "$rc" -eq 1 ] || bad "setting up the store: exit $rc"

# an unknown rule is refused, not an empty listing
run "$irqcheck" show --db "$db" --rule no-such-rule
refused "show --rule unknown" "there is no rule 'no-such-rule'"
run "$irqcheck" fix --db "$db" --out "$tmp/p" --rule no-such-rule
refused "fix --rule unknown" "there is no rule 'no-such-rule'"
# a run number past int64 is named as given, not as the int64 maximum
run "$irqcheck" show --db "$db" --run 99999999999999999999
refused "huge --run" "not '99999999999999999999'"

# fix on a run of a kernel tree, without --kernel: says to give it
cp "$db" "$tmp/kernel-run.db"
sqlite3 "$tmp/kernel-run.db" "UPDATE runs SET flags_source = 'kernel'"
run "$irqcheck" fix --db "$tmp/kernel-run.db" --out "$tmp/p"
refused "fix without --kernel" "scanned the kernel tree .*: give --kernel"

# -- text output: findings on stdout, the rest on stderr ---------------------
run "$irqcheck" scan --no-db "$bad_file" -- -nostdinc -I"$inc"
grep -q "files parsed" "$tmp/out" && bad "summary on stdout" || ok
grep -q "files parsed" "$tmp/err" && ok || bad "no summary on stderr"
grep -q "\[hybrid-double-free\]" "$tmp/out" && ok || bad "finding not on stdout"
run "$irqcheck" scan --db "$tmp/j.db" --format json "$bad_file" -- -nostdinc -I"$inc"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null &&
	ok || bad "JSON output with a store is not JSON alone"

# a file name with a newline stays on one line, quoted as git quotes it
mkdir -p "$tmp/nl"
cp "$bad_file" "$tmp/nl/a
b.c"
(cd "$tmp/nl" && "$irqcheck" scan --no-db . -- -nostdinc -I"$inc" >"$tmp/out" 2>&1)
grep -q '^"a\\nb.c":20:2: warning: ' "$tmp/out" && ok || bad "newline in a path: $(head -2 "$tmp/out")"

# -- paths ------------------------------------------------------------------
# overlapping paths: each file once, and the run is recorded
mkdir -p "$tmp/dir/sub"
cp "$bad_file" "$tmp/dir/sub/one.c"
cp "$srcdir/tests/fixtures/hybrid-double-free/clean_failure_branch.c" "$tmp/dir/two.c"
(cd "$tmp" && "$irqcheck" scan --db "$tmp/ov.db" dir dir/sub dir/sub/one.c \
	-- -nostdinc -I"$inc" >"$tmp/out" 2>"$tmp/err")
rc=$?
[ "$rc" -eq 1 ] && grep -q "recorded as run 1" "$tmp/err" && ok ||
	bad "overlapping paths: exit $rc, $(tail -1 "$tmp/err")"
[ "$(sqlite3 "$tmp/ov.db" 'SELECT count(*) FROM files')" = 2 ] && ok ||
	bad "overlapping paths: files not recorded once each"

# a dangling symbolic link and a file of random bytes
ln -s "$tmp/nowhere.c" "$tmp/dir/dangling.c"
run "$irqcheck" scan --no-db "$tmp/dir" -- -nostdinc -I"$inc"
grep -q "dangling.c: not parsed: it is a symbolic link to a file that does not exist" "$tmp/err" &&
	ok || bad "dangling link: $(grep dangling "$tmp/err")"
rm "$tmp/dir/dangling.c"
head -c 4000 /dev/urandom | tr -d '\000' >"$tmp/garbage.c"
run "$irqcheck" scan --no-db "$tmp/garbage.c" -- -nostdinc
[ "$rc" -eq 2 ] && grep -q "garbage.c: did not parse cleanly" "$tmp/err" && ok ||
	bad "garbage file: exit $rc"
grep -q "a header it includes did not parse" "$tmp/out" &&
	bad "garbage file blamed on a header" || ok

# an error inside a header's macro, expanded in the file, is the file's:
# only the function holding it is left out, not the whole file
mkdir -p "$tmp/mac/inc"
printf '#define FIELD_OF(p) ((p)->missing_field)\nstruct thing { int present; };\n' >"$tmp/mac/inc/m.h"
printf '#include "m.h"\nint f(struct thing *t)\n{\n\treturn FIELD_OF(t);\n}\n' >"$tmp/mac/m.c"
run "$irqcheck" scan --no-db "$tmp/mac/m.c" -- -I"$tmp/mac/inc"
grep -q "f() was not analysed: it contains a parse error" "$tmp/out" &&
	! grep -q "a header it includes did not parse" "$tmp/out" && ok ||
	bad "macro error blamed on the header: $(cat "$tmp/out")"

# -- kernel trees and build directories ------------------------------------
mkdir -p "$tmp/linux/include/linux" "$tmp/linux/drivers"
: >"$tmp/linux/include/linux/pci.h"
: >"$tmp/regular"
run "$irqcheck" scan --kernel "$tmp/regular"
refused "--kernel a file" "kernel tree .*regular is a file, not a directory"
run "$irqcheck" scan --kernel "$tmp/linux" --build "$tmp/regular"
refused "--build a file" "build directory .*regular is a file, not a directory"
mkdir -p "$tmp/empty-build"
run "$irqcheck" scan --kernel "$tmp/linux" --build "$tmp/empty-build"
refused "empty --build" "build directory .*empty-build is not prepared (.config is missing)"
# a prepare that stopped half way: configured, generated headers missing
b=$tmp/half-build
mkdir -p "$b/include/generated" "$b/include/config"
printf 'CONFIG_X86_64=y\n' >"$b/.config"
: >"$b/include/config/auto.conf"
: >"$b/include/generated/autoconf.h"
: >"$b/irqcheck-prepare.log"
run "$irqcheck" scan --kernel "$tmp/linux" --build "$b"
refused "half-prepared build" "include/generated/uapi/linux/version.h is missing; the last prepare did not finish"

# -- tolerant mode never reads this machine's C library headers ---------------
mkdir -p "$tmp/fbsd"
cat >"$tmp/fbsd/drv.c" <<'EOF'
#include <sys/param.h>
#include <sys/types.h>
#include <sys/bus.h>
#include <dev/pci/pcivar.h>
static int foo_attach(device_t dev)
{
	int n = 1;
	if (pci_alloc_msix(dev, &n))
		return (ENXIO);
	return (0);
}
EOF
run "$irqcheck" scan --tolerant --no-db "$tmp/fbsd/drv.c"
[ "$rc" -eq 0 ] && grep -q "not found or not declared: sys/param.h, sys/types.h," "$tmp/out" &&
	ok || bad "tolerant mode without headers: exit $rc: $(cat "$tmp/out" "$tmp/err")"

# -- stores that cannot be written -----------------------------------------
mkdir -p "$tmp/ro-src" "$tmp/ro"
cp "$db" "$tmp/ro-src/k.db"
if mount --bind "$tmp/ro-src" "$tmp/ro" 2>/dev/null &&
	mount -o remount,ro,bind "$tmp/ro" 2>/dev/null; then
	run "$irqcheck" show --db "$tmp/ro/k.db"
	[ "$rc" -eq 1 ] && grep -q "run 1: 1 findings shown" "$tmp/out" && ok ||
		bad "show on a read-only directory: exit $rc: $(cat "$tmp/err")"
	run "$irqcheck" report --db "$tmp/ro/k.db" --json "$tmp/r.json"
	[ "$rc" -eq 0 ] && ok || bad "report on a read-only directory: $(cat "$tmp/err")"
	run "$irqcheck" scan --db "$tmp/ro/k.db" "$bad_file" -- -nostdinc -I"$inc"
	refused "scan into a read-only store" "cannot be written .*read-only"
	run "$irqcheck" scan --db "$tmp/ro/new.db" "$bad_file" -- -nostdinc -I"$inc"
	refused "new store in a read-only directory" "its directory .* cannot be written"
	umount "$tmp/ro"
else
	echo "note: no bind mount here; read-only store checks skipped"
fi
# a file size limit: said, not a silent kill
(ulimit -f 40; "$irqcheck" scan --db "$tmp/limit.db" "$srcdir/tests/fixtures" \
	-- -nostdinc -I"$inc" >/dev/null 2>"$tmp/err")
rc=$?
[ "$rc" -eq 2 ] && grep -q "^irqcheck scan: .*file size limit" "$tmp/err" && ok ||
	bad "file size limit: exit $rc, $(cat "$tmp/err")"
(ulimit -f 1; "$irqcheck" scan --no-db "$srcdir/tests/fixtures" \
	-- -nostdinc -I"$inc" >"$tmp/big-out" 2>"$tmp/err")
rc=$?
[ "$rc" -eq 2 ] && grep -q "could not write all of the output" "$tmp/err" && ok ||
	bad "output past a file size limit: exit $rc"

# -- one bad file costs that file only ---------------------------------------
mkdir -p "$tmp/iso"
cp "$bad_file" "$tmp/iso/fine.c"
python3 - "$tmp/iso" <<'EOF'
import sys
# 5,000 nested ifs: libclang's parser overflows its stack on them
n = 5000
open(sys.argv[1] + "/deep.c", "w").write(
    "int f(int x)\n{\n" + "if (x) {\n" * n + "x++;\n" + "}\n" * n +
    "return x;\n}\n")
EOF
run "$irqcheck" scan --db "$tmp/iso.db" "$tmp/iso" -- -fbracket-depth=20000 -nostdinc -I"$inc"
[ "$rc" -eq 2 ] && ok || bad "crashing file: exit $rc"
grep -q "fine.c:20:2: warning: .*\[hybrid-double-free\]" "$tmp/out" && ok ||
	bad "crashing file: the other file's finding is lost"
grep -q "deep.c: not analysed: the analyser crashed on it" "$tmp/err" && ok ||
	bad "crashing file not named: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/iso.db" "SELECT status FROM files WHERE path LIKE '%deep.c'")" = crashed ] &&
	ok || bad "crashed file not recorded as crashed"
# two files that crash, analysed at once: each is found and named
mkdir -p "$tmp/iso2"
cp "$tmp/iso/deep.c" "$tmp/iso2/deep1.c"
cp "$tmp/iso/deep.c" "$tmp/iso2/deep2.c"
cp "$bad_file" "$tmp/iso2/fine.c"
run "$irqcheck" scan --no-db -j 2 "$tmp/iso2" -- -fbracket-depth=20000 -nostdinc -I"$inc"
[ "$rc" -eq 2 ] && grep -q "fine.c:20:2: warning: " "$tmp/out" &&
	grep -q "deep1.c: not analysed: the analyser crashed" "$tmp/err" &&
	grep -q "deep2.c: not analysed: the analyser crashed" "$tmp/err" &&
	grep -q "2 not analysed because the analyser crashed" "$tmp/err" && ok ||
	bad "two crashing files: exit $rc: $(cat "$tmp/err")"
# the reports list the file that was left out, and SARIF says the run failed
"$irqcheck" report --db "$tmp/iso.db" --json "$tmp/r.json" --sarif "$tmp/r.sarif" \
	--html "$tmp/site" >/dev/null 2>&1 || bad "report of a run with a crashed file"
python3 - "$tmp/r.json" "$tmp/r.sarif" <<'EOF' && ok || bad "crashed file not in the JSON and SARIF reports"
import json, sys
j = json.load(open(sys.argv[1]))
assert [(f["file"].endswith("deep.c"), f["status"]) for f in j["files_not_analysed"]] == [(True, "crashed")]
inv = json.load(open(sys.argv[2]))["runs"][0]["invocations"][0]
assert inv["executionSuccessful"] is False
assert "deep.c (crashed): not analysed" in inv["toolExecutionNotifications"][0]["message"]["text"]
EOF
grep -q "1 file could not be analysed" "$tmp/site/index.html" && ok || bad "crashed file not in the HTML report"
# the gate too goes on without a file that crashes the analyser
mkdir -p "$tmp/repo"
cp "$srcdir/tests/fixtures/hybrid-double-free/clean_failure_branch.c" "$tmp/repo/fine.c"
git -C "$tmp/repo" init -q
git -C "$tmp/repo" add . && git -C "$tmp/repo" -c user.name=t -c user.email=t@t commit -qm base
cp "$tmp/iso/deep.c" "$bad_file" "$tmp/repo/"
git -C "$tmp/repo" add . && git -C "$tmp/repo" -c user.name=t -c user.email=t@t commit -qm head
(cd "$tmp/repo" && "$irqcheck" gate --no-progress --db "$tmp/none.db" --base HEAD~1 \
	-- -fbracket-depth=20000 -nostdinc -I"$inc" >"$tmp/out" 2>"$tmp/err")
rc=$?
[ "$rc" -eq 2 ] && grep -q "^new: bad_legacy_msi.c:20:2: warning: " "$tmp/out" &&
	grep -q "the analyser crashed on deep.c" "$tmp/err" && ok ||
	bad "gate with a crashing file: exit $rc: $(cat "$tmp/out" "$tmp/err")"
rm "$tmp/iso/deep.c"
python3 - "$tmp/iso" <<'EOF'
import sys
# a million statements from nested macros: seconds to parse
n = 20
s = "#define E0(a) a\n"
for i in range(1, n + 1):
    s += "#define E%d(a) E%d(a) E%d(a)\n" % (i, i - 1, i - 1)
s += "int f(int x)\n{\n\tE%d(x++;)\n\treturn x;\n}\n" % n
open(sys.argv[1] + "/slow.c", "w").write(s)
EOF
run "$irqcheck" scan --db "$tmp/iso.db" --file-timeout 1 "$tmp/iso" -- -nostdinc -I"$inc"
[ "$rc" -eq 2 ] && grep -q "fine.c:20:2: warning: " "$tmp/out" && ok ||
	bad "slow file: exit $rc or the other file's finding lost"
grep -q "slow.c: not analysed: it took longer than the 1 s allowed" "$tmp/err" &&
	ok || bad "slow file not named: $(cat "$tmp/err")"
[ "$(sqlite3 "$tmp/iso.db" "SELECT status FROM files WHERE run_id = 2 AND path LIKE '%slow.c'")" = timed-out ] &&
	ok || bad "slow file not recorded as timed-out"
# a signal to irqcheck reaches the analysis, and irqcheck ends by it
"$irqcheck" scan --no-db --file-timeout 0 "$tmp/iso/slow.c" -- -nostdinc >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" -eq 143 ] && ok || bad "SIGTERM: exit $rc, want 143"
sleep 0.2
pgrep -f "irqcheck scan --no-db --file-timeout 0 $tmp" >/dev/null &&
	bad "SIGTERM: a worker process outlived irqcheck" || ok

# kill -9 of irqcheck takes the worker with it: no orphan goes on (its
# scratch directory, which nothing can remove then, goes in $tmp)
TMPDIR=$tmp "$irqcheck" scan --db "$tmp/k9.db" --file-timeout 0 "$tmp/iso/slow.c" -- -nostdinc >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -KILL $pid
wait $pid 2>/dev/null
sleep 0.3
pgrep -f "irqcheck scan --db $tmp/k9.db" >/dev/null &&
	bad "kill -9: the worker process outlived irqcheck" || ok
# a reader that goes away ends irqcheck as it ends any program (SIGPIPE)
"$irqcheck" scan --no-db --show-unproven "$srcdir/tests/fixtures" -- -nostdinc -I"$inc" 2>"$tmp/err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
# (all of the output may fit in the pipe before head is gone: then exit 1)
{ [ "$rc" -eq 141 ] || [ "$rc" -eq 1 ]; } && ! grep -q crashed "$tmp/err" && ok ||
	bad "closed pipe: exit $rc, $(cat "$tmp/err")"

finish
