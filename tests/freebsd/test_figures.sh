#!/usr/bin/env bash
# scripts/freebsd-figures on made-up scans: joins findings with verdicts
# by version, file, line and rule, counts printed and unproven apart,
# leaves an unjudged finding out of the precision and says so, replaces
# the FreeBSD section of the evaluation file and keeps the rest, and
# refuses a verdict line it cannot read.
#   usage: test_figures.sh SOURCE_DIR
set -u
srcdir=$1
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/scans"
finding() { # FILE LINE RULE UNPROVEN(0|1)
	local u=
	[ "$4" = 1 ] && u=', "unproven": "a branch on the driver'"'"'s state"'
	printf '{"rule": "%s", "file": "%s", "line": %s, "column": 2, "message": "m|%s"%s}' \
		"$3" "$1" "$2" "$2" "$u"
}
for name in releng-12.0-tolerant releng-12.0-headers releng-12.1-tolerant \
	releng-12.1-headers releng-12.0-drivers; do
	echo '{"run": 0, "findings": [], "files_not_analysed": 0}' >"$tmp/scans/$name.json"
	echo "irqcheck: 1 files parsed (of 1 C files looked at), 0 with parse errors, 0 findings, 0.1 s" \
		>"$tmp/scans/$name.err"
done
printf '{"run": 0, "findings": [%s, %s, %s]}\n' \
	"$(finding net/iflib.c 4712 error-path-leak 0)" \
	"$(finding net/iflib.c 1583 error-path-leak 0)" \
	"$(finding net/iflib.c 5070 free-with-handlers 1)" >"$tmp/scans/releng-12.0-headers.json"
printf '{"run": 0, "findings": [%s, %s]}\n' \
	"$(finding dev/a/a.c 10 remove-leak 0)" \
	"$(finding net/iflib.c 4712 error-path-leak 0)" >"$tmp/scans/releng-12.0-drivers.json"
echo "irqcheck: 92 files parsed (of 92 C files looked at), 3 with parse errors, 2 findings, 5.0 s" \
	>"$tmp/scans/releng-12.0-drivers.err"
printf '# comment\nreleng-12.0\tnet/iflib.c\t4712\terror-path-leak\ttrue\tthe admin task\nreleng-12.0\tnet/iflib.c\t1583\terror-path-leak\tfalse\tii_res|x\r\nreleng-12.0\tnet/iflib.c\t5070\tfree-with-handlers\ttrue\tone vector\nreleng-12.1\tdev/a/a.c\t10\tremove-leak\ttrue\tanother version\n' \
	>"$tmp/verdicts.tsv"
printf '# Evaluation\n\nnot a marker: <!-- END freebsd -->\nkept text\n\n<!-- BEGIN freebsd: old -->\nold section\n<!-- END freebsd -->\n' >"$tmp/eval.md"
out=$(python3 "$srcdir/scripts/freebsd-figures" --write --scans "$tmp/scans" \
	--verdicts "$tmp/verdicts.tsv" --out "$tmp/eval.md" 2>&1)
[ $? -eq 0 ] && ok || bad "exit status $? on good input: $out"
printf '%s\n' "$out" | grep -q "^releng-12.0-headers: 1 files parsed, 0 with parse errors; printed 2 (1 true, 1 false, 0 not judged), precision 50 %; unproven 1 (1 true)$" &&
	ok || bad "headers scan not counted: $out"
# the verdict of another version does not apply; unjudged is no false
printf '%s\n' "$out" | grep -q "^releng-12.0-drivers: 92 files parsed, 3 with parse errors; printed 2 (1 true, 0 false, 1 not judged), precision 100 %; unproven 0 (0 true)$" &&
	ok || bad "drivers scan not counted: $out"
printf '%s\n' "$out" | grep -q "1 finding(s) not yet judged" && ok || bad "unjudged finding not named"
grep -q "^kept text$" "$tmp/eval.md" && ok || bad "text outside the section lost"
grep -q "old section" "$tmp/eval.md" && bad "old section kept" || ok
[ "$(grep -c 'BEGIN freebsd' "$tmp/eval.md")" = 1 ] && ok || bad "section written twice"
grep -q '| `net/iflib.c:4712` | error-path-leak | m\\|4712 | printed | \*\*true\*\* | the admin task |' "$tmp/eval.md" &&
	ok || bad "finding row missing or its | not escaped"
grep -q '| m\\|1583 | printed | \*\*false\*\* | ii_res\\|x |$' "$tmp/eval.md" &&
	ok || bad "reason with | or CRLF not kept in its cell"
grep -q "^not a marker: <!-- END freebsd -->$" "$tmp/eval.md" && ok ||
	bad "an END marker before BEGIN was taken for the section's end"
# a second run leaves the file as it is
cp "$tmp/eval.md" "$tmp/eval1.md"
python3 "$srcdir/scripts/freebsd-figures" --write --scans "$tmp/scans" \
	--verdicts "$tmp/verdicts.tsv" --out "$tmp/eval.md" >/dev/null 2>&1
cmp -s "$tmp/eval.md" "$tmp/eval1.md" && ok || bad "second run changed the file"
# a bad verdict line and a scan that did not finish are refused
printf 'releng-12.0\tnet/iflib.c\tx\terror-path-leak\ttrue\twhy\n' >"$tmp/bad.tsv"
out=$(python3 "$srcdir/scripts/freebsd-figures" --scans "$tmp/scans" --verdicts "$tmp/bad.tsv" 2>&1)
[ $? -eq 2 ] && printf '%s\n' "$out" | grep -q "bad.tsv:1: want version" && ok ||
	bad "bad verdict line not refused: $out"
: >"$tmp/scans/releng-12.1-headers.err"
out=$(python3 "$srcdir/scripts/freebsd-figures" --scans "$tmp/scans" --verdicts "$tmp/verdicts.tsv" 2>&1)
[ $? -eq 2 ] && printf '%s\n' "$out" | grep -q "releng-12.1-headers.err has no summary line" && ok ||
	bad "unfinished scan not refused: $out"
: >"$tmp/scans/releng-12.1-headers.err"
echo "irqcheck: 1 files parsed (of 1 C files looked at), 0 with parse errors, 0 findings, 0.1 s" \
	>"$tmp/scans/releng-12.1-headers.err"
for json in '[]' '{"run": 0}' '{"findings": [{"rule": "r", "file": null, "line": 1, "message": "m"}]}'; do
	echo "$json" >"$tmp/scans/releng-12.1-headers.json"
	out=$(python3 "$srcdir/scripts/freebsd-figures" --scans "$tmp/scans" --verdicts "$tmp/verdicts.tsv" 2>&1)
	[ $? -eq 2 ] && printf '%s\n' "$out" | grep -q "not an irqcheck JSON scan" && ok ||
		bad "scan JSON $json not refused in one sentence: $out"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
