#!/usr/bin/env bash
# Outside input the parsers must read as meant, or refuse in one sentence:
# a rule pack with CRLF line ends loads as the same pack with LF ends, a
# stray carriage return is named, a missing series file is called missing,
# and a series mail's folded Subject header is read whole.
#   usage: test_parsers.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$(realpath "$1")
srcdir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"
fixture=$srcdir/tests/fixtures/hybrid-double-free/bad_legacy_msi.c

# findings of the fixture with a rule pack, without the time taken
scan_with() {
	"$irqcheck" scan --no-db --no-progress --rules "$1" "$fixture" \
		-- -nostdinc -I"$srcdir/tests/fixtures/include" 2>&1 |
		sed -E 's/[0-9]+\.[0-9]+ s$//'
}

# -- a CRLF rule pack is the same pack ---------------------------------------
sed 's/$/\r/' "$srcdir/rules/linux-pci.rules" >"$tmp/crlf.rules"
cp "$srcdir/rules/linux-pci.rules" "$tmp/lf.rules"
grep -q $'\r' "$tmp/crlf.rules" || bad "the CRLF copy has no CR"
scan_with "$tmp/lf.rules" >"$tmp/lf.out"
scan_with "$tmp/crlf.rules" >"$tmp/crlf.out"
grep -q "hybrid-double-free" "$tmp/lf.out" && ok ||
	bad "the LF pack finds nothing: $(cat "$tmp/lf.out")"
sed -i "s|$tmp/crlf.rules|RULES|; s|$tmp/lf.rules|RULES|" "$tmp/lf.out" "$tmp/crlf.out"
cmp -s "$tmp/lf.out" "$tmp/crlf.out" && ok ||
	bad "CRLF and LF packs differ: $(diff "$tmp/lf.out" "$tmp/crlf.out")"

# -- a carriage return inside a line is named --------------------------------
printf 'pack p\nenable a dev=0\r# old Mac line end\nrelease b dev=0 family=msi\n' \
	>"$tmp/cr.rules"
expect_error "stray CR" 'cr.rules:2: a carriage return (\\r) inside the line' \
	"$irqcheck" scan --no-db --rules "$tmp/cr.rules" "$fixture" -- -w
printf 'pack p\nenable a dev=0\n\0\n' >"$tmp/nul.rules"
expect_error "NUL byte" 'nul.rules:3: a NUL byte' \
	"$irqcheck" scan --no-db --rules "$tmp/nul.rules" "$fixture" -- -w

# -- gate --series with a missing file ---------------------------------------
expect_error "missing series" "the series $tmp/missing.mbox does not exist" \
	"$irqcheck" gate --series "$tmp/missing.mbox"

# -- a series mail whose Subject is folded -----------------------------------
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org \
	GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
mkdir "$tmp/repo"
(cd "$tmp/repo" && git init -q . && echo 'int x;' >a.c && git add a.c &&
	git commit -qm base) || bad "cannot make the test repository"
cat >"$tmp/folded.mbox" <<'EOF'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: t <t@example.org>
Subject: [PATCH] drv: a subject long enough
 to be folded
	over three lines
Date: Mon, 1 Jan 2024 00:00:00 +0000

Subject: not this one, it is in the body

---
 a.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/a.c b/a.c
--- a/a.c
+++ b/a.c
@@ -1 +1 @@
-int y;
+int z;
EOF
(cd "$tmp/repo" && exec "$irqcheck" gate --no-progress --db "$tmp/none.db" \
	--series "$tmp/folded.mbox") >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q '("\[PATCH\] drv: a subject long enough to be folded over three lines") does not apply' \
	"$tmp/err" && ok || bad "folded subject: exit $rc: $(cat "$tmp/err")"

finish
