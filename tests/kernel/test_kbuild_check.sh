#!/usr/bin/env bash
# Real-kernel level: irqcheck as kbuild's checker. In a copy of the
# prepared 6.12 build directory, `make C=2 CHECK="irqcheck check"` builds
# and checks drivers/net/can/, drivers/dma/ and drivers/scsi/aacraid/ (a
# five-file module whose findings need its files' summaries of each
# other) at -j N; then `irqcheck show` must list exactly the findings
# `irqcheck scan` prints for the files that configuration builds, and the
# store must be whole and hold every file make checked.
#   usage: test_kbuild_check.sh IRQCHECK
#   env:   IRQCHECK_KERNEL_SRC, IRQCHECK_KERNEL_BUILD (scripts/run-tests sets them)
set -u
irqcheck=$1
src=${IRQCHECK_KERNEL_SRC:-}
obj=${IRQCHECK_KERNEL_BUILD:-}
if [ -z "$src" ] || [ ! -d "$src" ] || [ -z "$obj" ] || [ ! -d "$obj" ]; then
	echo "test_kbuild_check: IRQCHECK_KERNEL_SRC and IRQCHECK_KERNEL_BUILD must name a prepared 6.12 tree; run scripts/run-tests" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
dirs=(drivers/net/can/ drivers/dma/ drivers/scsi/aacraid/)

# the cache's build directory stays as scripts/fetch-kernel left it
cp -a "$obj" "$tmp/obj"
db=$tmp/k.db
IRQCHECK_DB=$db make -s -C "$src" O="$tmp/obj" -j "$(nproc)" C=2 \
	CHECK="$irqcheck check" KBUILD_VERBOSE=0 "${dirs[@]}" \
	>"$tmp/make.log" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok || bad "make C=2 CHECK=irqcheck: exit $rc: $(grep -v ': note:' "$tmp/make.log" | tail -5)"

[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok ||
	bad "the store fails the integrity check"
# every C file make checked is in the store (what kbuild says it checks)
IRQCHECK_DB=$tmp/list.db make -C "$src" O="$tmp/obj" -j "$(nproc)" C=2 \
	CHECK="true" "${dirs[@]}" 2>/dev/null |
	sed -n 's|^  CHECK   \(.*\)$|\1|p' | sed "s|^$src/||" | sort -u >"$tmp/made"
sqlite3 "$db" 'SELECT path FROM checked_files' | sort >"$tmp/stored"
[ -s "$tmp/made" ] && cmp -s "$tmp/made" "$tmp/stored" && ok ||
	bad "the store does not hold every file make checked: $(diff "$tmp/made" "$tmp/stored" | head -5)"
grep -q "drivers/scsi/aacraid/linit.c" "$tmp/stored" && ok ||
	bad "aacraid not checked"

"$irqcheck" show --db "$db" --unproven --format json >"$tmp/show.json" \
	2>"$tmp/show.err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "show after make: exit $rc (want 1): $(cat "$tmp/show.err")"
grep -q "settled as run [0-9]* ([1-9][0-9]* analysed again with their module's other files" \
	"$tmp/show.err" && ok || bad "no cross-file round when settling: $(cat "$tmp/show.err")"

"$irqcheck" scan --kernel "$src" --build "$obj" -j "$(nproc)" --no-progress \
	--db "$tmp/scan.db" --format json "${dirs[@]%/}" >"$tmp/scan.json" \
	2>"$tmp/scan.err"
sqlite3 "$tmp/scan.db" 'SELECT path FROM files WHERE not_built = 1' |
	sort >"$tmp/not-built"
python3 - "$tmp/show.json" "$tmp/scan.json" "$tmp/stored" "$tmp/not-built" <<'PY'
import json, sys
# proven and unproven alike (marked): both must agree on each
def places(path):
    return sorted((f["file"], f["line"], f["rule"], bool(f.get("unproven")))
                  for f in json.load(open(path))["findings"]
                  if not f.get("suppressed"))
show, scan = places(sys.argv[1]), places(sys.argv[2])
checked = set(open(sys.argv[3]).read().split())
not_built = set(open(sys.argv[4]).read().split())
built = [f for f in scan if f[0] in checked]
elsewhere = [f for f in scan if f[0] not in checked]
bad = 0
if show != built or len(show) < 5:
    print("FAIL: show lists", show, "\n      scan prints", built)
    bad = 1
# what scan finds beyond the build is in files this configuration does
# not build (scan analyses them as their own option would build them)
for f in elsewhere:
    if f[0] not in not_built:
        print("FAIL: scan finding in a file make did not check, though "
              "the configuration builds it:", f)
        bad = 1
sys.exit(bad)
PY
[ $? -eq 0 ] && ok || bad "show after make C=2 differs from scan"

echo "kbuild-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
