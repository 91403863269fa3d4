#!/usr/bin/env bash
# The gate on a fixture git repository the test builds: a small driver
# tree with a base commit, then ranges and series that add a bug, fix one,
# touch a header, move a function, and one series that does not apply.
# Also checks that the gate never writes the work tree or the index, and
# that the example CI workflows are valid YAML running this command.
#   usage: test_gate.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
repo=$tmp/repo
mkdir -p "$repo/drv" "$repo/other" "$repo/inc"
cp -r "$srcdir/tests/fixtures/include/linux" "$repo/inc/"
cp "$srcdir/tests/fixtures/error-path-leak/clean_cross_file_caller_releases/"* "$repo/drv/"
cp "$srcdir/tests/fixtures/remove-leak/clean_every_branch_releases.c" "$repo/other/other.c"
cd "$repo" || exit 1
git init -q . && git add -A && git commit -qm base
base=$(git rev-parse HEAD)
gate() { "$irqcheck" gate --no-progress --db "$tmp/none.db" "$@" -- -nostdinc -Iinc; }

# -- a range that adds a bug in another file of the module -------------------
sed -i 's|		foo_release_vectors(foo);||' drv/foo_main.c
git commit -qam "drv: drop the release on the error path"
bug=$(git rev-parse HEAD)
gate --base "$base" --head "$bug" >"$tmp/o1" 2>&1
[ $? -eq 1 ] && ok || bad "added bug: exit (want 1): $(tail -1 "$tmp/o1")"
grep -q "^new: drv/foo_irq.c:[0-9]*:[0-9]*: error: .*\[error-path-leak\]" "$tmp/o1" && ok || bad "added bug not reported"
grep -q ", 1 new, 0 new notes, 0 fixed" "$tmp/o1" && ok || bad "added bug: counts: $(tail -1 "$tmp/o1")"
grep -q "other.c" "$tmp/o1" && bad "an unrelated file was reported" || ok
# the work tree and index are as they were
[ -z "$(git status --porcelain)" ] && ok || bad "the gate changed the work tree or index"

# -- the reverse range fixes it; the work tree at the head does not matter ---------
gate --base "$bug" --head "$base" >"$tmp/o2" 2>&1
[ $? -eq 0 ] && ok || bad "fix: exit (want 0)"
grep -q ", 0 new, 0 new notes, 1 fixed" "$tmp/o2" && grep -q "^fixed: drv/foo_irq.c" "$tmp/o2" && ok || bad "fixed finding: $(cat "$tmp/o2")"
git checkout -q "$base"
gate --base "$base" --head "$bug" >"$tmp/o3" 2>&1
grep -q ", 1 new, 0 new notes, 0 fixed" "$tmp/o3" && ok || bad "work tree at the base changed the answer: $(tail -1 "$tmp/o3")"
git checkout -q -

# -- moving the buggy function down does not make its finding new --------------
git checkout -q -b moved "$bug"
sed -i '0,/^static irqreturn_t foo_irq/s//\/* moved *\/\n\n\/* further *\/\nstatic irqreturn_t foo_irq/' drv/foo_irq.c
git commit -qam "drv: move things around"
gate --base "$bug" --head HEAD >"$tmp/o4" 2>&1
[ $? -eq 0 ] && grep -q ", 0 new, 0 new notes, 0 fixed" "$tmp/o4" && ok || bad "moved function: $(tail -1 "$tmp/o4")"
git checkout -q -

# -- a header change re-analyses the files that include it ------------------------
git checkout -q -b header "$base"
cat >> drv/foo.h <<'H'
/* a header change: from now on a failing setup skips the release */
#define FOO_SKIP_RELEASE 1
H
sed -i 's|		foo_release_vectors(foo);|		if (!FOO_SKIP_RELEASE)\n			foo_release_vectors(foo);|' drv/foo_main.c
git commit -qam "drv: skip the release (through a header)"
gate --base "$base" --head HEAD >"$tmp/o5" 2>&1
grep -q "^new: drv/foo_irq.c.*\[error-path-leak\]" "$tmp/o5" && ok || bad "header change: $(cat "$tmp/o5")"
git checkout -q -b header-only "$base"
printf '/* only a comment */\n' >> drv/foo.h
git commit -qam "drv: comment in the header"
gate --base "$base" --head HEAD >"$tmp/o6" 2>&1
[ $? -eq 0 ] && grep -q "every candidate" "$tmp/o6" && grep -q ", 0 new, 0 new notes, 0 fixed" "$tmp/o6" &&
	ok || bad "header-only change without a store: $(tail -1 "$tmp/o6")"
# with a store that knows the includers, only they are analysed
"$irqcheck" scan --no-progress --db "$tmp/s.db" . -- -nostdinc -Iinc >/dev/null 2>&1
"$irqcheck" gate --no-progress --db "$tmp/s.db" --base "$base" --head HEAD -- -nostdinc -Iinc >"$tmp/o7" 2>&1
grep -q "2 analysed at each end, 0 new" "$tmp/o7" && ok || bad "header includers from the store: $(tail -1 "$tmp/o7")"
git checkout -q master 2>/dev/null || git checkout -q main

# -- a store of the base: the base's files come from it, the answer is the same --
git checkout -q "$base"
"$irqcheck" scan --no-progress --db "$tmp/base.db" . -- -nostdinc -Iinc >/dev/null 2>&1
git checkout -q "$bug"
"$irqcheck" gate --no-progress --db "$tmp/base.db" --base "$base" --head "$bug" -- -nostdinc -Iinc >"$tmp/o7b" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q ", 1 new, 0 new notes, 0 fixed" "$tmp/o7b" &&
	grep -q "^new: drv/foo_irq.c:[0-9]*:[0-9]*: error: .*\[error-path-leak\]" "$tmp/o7b" &&
	ok || bad "gate with a store of the base: exit $rc: $(cat "$tmp/o7b")"
grep -q "^irqcheck gate: results from the store's run of the tree: 2 files at the base, 0 at the head$" "$tmp/o7b" &&
	ok || bad "the base's files were not taken from the store: $(tail -2 "$tmp/o7b")"
# a store of another state of the tree gives nothing at the base
"$irqcheck" gate --no-progress --db "$tmp/s.db" --base "$base" --head "$bug" -- -nostdinc -Iinc >"$tmp/o7c" 2>&1
grep -q ", 1 new, 0 new notes, 0 fixed" "$tmp/o7c" && ok || bad "gate with a store of another tree state: $(tail -2 "$tmp/o7c")"
grep -q "results from the store.* [1-9][0-9]* files at the base" "$tmp/o7c" &&
	bad "a store of another state gave results at the base: $(tail -1 "$tmp/o7c")" || ok
git checkout -q master 2>/dev/null || git checkout -q main

# -- series: an mbox that adds the bug, a directory, and one that does not apply -----
git format-patch -q -1 "$bug" -o "$tmp/series-dir" >/dev/null
cat "$tmp/series-dir"/*.patch > "$tmp/series.mbox"
gate --base "$base" --series "$tmp/series.mbox" >"$tmp/o8" 2>&1
[ $? -eq 1 ] && grep -q "^new: drv/foo_irq.c" "$tmp/o8" && ok || bad "mbox series: $(cat "$tmp/o8")"
gate --base "$base" --series "$tmp/series-dir" --format email >"$tmp/o9" 2>&1
grep -q "^> -		foo_release_vectors(foo);" "$tmp/o9" && grep -q "error-path-leak" "$tmp/o9" &&
	ok || bad "email reply: $(cat "$tmp/o9")"
gate --base "$base" --series "$tmp/series-dir" --format json >"$tmp/o10.json" 2>&1
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['new'])==1 and d['fixed']==[]" "$tmp/o10.json" &&
	ok || bad "json output"
gate --base "$base" --series "$tmp/series-dir" --format sarif >"$tmp/o11.sarif" 2>&1
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['runs'][0]['results'])==1" "$tmp/o11.sarif" &&
	ok || bad "sarif output"
# a series whose second patch does not apply: one sentence naming it
mkdir -p "$tmp/broken"
cp "$tmp/series-dir"/*.patch "$tmp/broken/0001-good.patch"
sed 's|foo_release_vectors(foo);|no_such_line(foo);|; s|^Subject: .*|Subject: [PATCH 2/2] drv: a patch for another tree|' \
	"$tmp/series-dir"/*.patch > "$tmp/broken/0002-bad.patch"
gate --base "$base" --series "$tmp/broken" >"$tmp/o12" 2>"$tmp/e12"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l < "$tmp/e12")" -eq 1 ] && grep -q 'patch 2 of the series ("\[PATCH 2/2\] drv: a patch for another tree") does not apply' "$tmp/e12" &&
	ok || bad "broken series: exit $rc: $(cat "$tmp/e12")"
[ -z "$(git status --porcelain)" ] && ok || bad "the series changed the work tree or index"
[ "$(git rev-parse HEAD)" = "$(git rev-parse master 2>/dev/null || git rev-parse main)" ] && ok || bad "HEAD moved"

# -- bad input ---------------------------------------------------------------------
"$irqcheck" gate --base no-such-rev -- -Iinc >/dev/null 2>"$tmp/e13"
[ $? -eq 2 ] && grep -q "no-such-rev is not a commit" "$tmp/e13" && ok || bad "bad revision: $(cat "$tmp/e13")"
(cd "$tmp" && "$irqcheck" gate --base HEAD >/dev/null 2>"$tmp/e14")
[ $? -eq 2 ] && grep -q "not in a git repository" "$tmp/e14" && ok || bad "not a repository: $(cat "$tmp/e14")"

# -- the example CI configurations ----------------------------------------------------
for f in "$srcdir/scripts/ci/github-gate.yml" "$srcdir/scripts/ci/gitlab-gate.yml"; do
	/usr/bin/python3 -c "import yaml,sys; yaml.safe_load(open(sys.argv[1]))" "$f" && ok || bad "$f is not valid YAML"
done
/usr/bin/python3 - "$srcdir/scripts/ci/github-gate.yml" <<'PY' && ok || bad "GitHub workflow does not run the gate and upload SARIF"
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
steps = wf["jobs"]["gate"]["steps"]
runs = " ".join(s.get("run", "") for s in steps)
assert "IRQCHECK:-irqcheck}\" gate" in runs and "--format sarif" in runs
assert any("upload-sarif" in s.get("uses", "") for s in steps)
assert "pull_request" in wf[True] if True in wf else "pull_request" in wf["on"]
PY
# the command the workflow runs, on this repository
cmd=$(/usr/bin/python3 -c "
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
for s in wf['jobs']['gate']['steps']:
    if s.get('id') == 'gate': print(s['run'])" "$srcdir/scripts/ci/github-gate.yml")
(export IRQCHECK="$irqcheck" BASE_SHA="$base" GATE_ARGS="-- -nostdinc -Iinc"; cd "$repo" && bash -c "$cmd") >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] && [ -s "$repo/irqcheck-gate.sarif" ] && ok || bad "workflow command: exit $rc"
rm -f "$repo/irqcheck-gate.sarif"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
