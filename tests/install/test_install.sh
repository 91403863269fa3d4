#!/usr/bin/env bash
# The installed irqcheck: 'cmake --install' into a scratch prefix, then
# the installation copied elsewhere and the first prefix deleted, so the
# rule packs, rule pages and semantic patches can only be found beside
# the binary (share/irqcheck/ from bin/). The copy's own files are marked
# or broken to show they are the ones read; $IRQCHECK_RULES and
# $IRQCHECK_COCCI still win; without an installed copy the binary falls
# back to the source tree. The man page lists every command of
# 'irqcheck --help' with that command's own --help text. 'cpack -G DEB'
# packs the same files and names the libraries and coccinelle.
#   usage: test_install.sh CMAKE BUILD_DIR SOURCE_DIR
set -u
cmake=$1
build=$2
srcdir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$srcdir/tests/cli/lib.sh"
unset IRQCHECK_RULES IRQCHECK_COCCI IRQCHECK_DB
inc=$srcdir/tests/fixtures/include
fixture=$srcdir/tests/fixtures/hybrid-double-free/bad_legacy_msi.c

if ! "$cmake" --install "$build" --prefix "$tmp/first" >"$tmp/install.log" 2>&1; then
	bad "cmake --install: $(tail -3 "$tmp/install.log")"
	finish
	exit 1
fi
for f in bin/irqcheck share/irqcheck/rules/linux-pci.rules \
	share/irqcheck/rules/freebsd-pci.rules \
	share/irqcheck/rules/hybrid-double-free.md \
	share/irqcheck/cocci/hybrid-double-free.cocci share/man/man1/irqcheck.1; do
	[ -f "$tmp/first/$f" ] && ok || bad "not installed: $f"
done
# every rule page and semantic patch of the source tree is installed
for f in "$srcdir"/rules/*.md "$srcdir"/rules/*.rules; do
	cmp -s "$f" "$tmp/first/share/irqcheck/rules/$(basename "$f")" && ok ||
		bad "rules/$(basename "$f") not installed as it is"
done
for f in "$srcdir"/cocci/*.cocci; do
	cmp -s "$f" "$tmp/first/share/irqcheck/cocci/$(basename "$f")" && ok ||
		bad "cocci/$(basename "$f") not installed as it is"
done

# the installation, moved: only the copy remains
cp -a "$tmp/first" "$tmp/moved"
rm -rf "$tmp/first"
prefix=$tmp/moved
ic=$prefix/bin/irqcheck
data=$prefix/share/irqcheck
echo "installed-copy-marker" >>"$data/rules/hybrid-double-free.md"
mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1

"$ic" explain hybrid-double-free >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && grep -q "^# hybrid-double-free" "$tmp/out" &&
	grep -q "^installed-copy-marker$" "$tmp/out" && ok ||
	bad "explain from the moved installation: exit $rc: $(head -2 "$tmp/out" "$tmp/err")"

"$ic" scan --no-db "$fixture" -- -nostdinc -I"$inc" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "bad_legacy_msi.c:20:2: warning: pci_disable_msi() releases vectors that devres also releases .*\[hybrid-double-free\]$" "$tmp/out" &&
	grep -q "1 findings (hybrid-double-free 1)" "$tmp/err" && ok ||
	bad "scan from the moved installation: exit $rc: $(cat "$tmp/out" "$tmp/err" | head -3)"
clean=$srcdir/tests/fixtures/hybrid-double-free/clean_failure_branch.c
"$ic" scan --no-db "$clean" -- -nostdinc -I"$inc" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok || bad "clean fixture from the moved installation: exit $rc: $(head -3 "$tmp/out")"
# the scan reads the copy's pack: a broken one is named
cp "$data/rules/linux-pci.rules" "$tmp/pack"
echo 'frobnicate x' >"$data/rules/linux-pci.rules"
expect_error "the moved installation's pack is the one read" \
	"$data/rules/linux-pci.rules:1: unknown role" \
	"$ic" scan --no-db "$fixture" -- -nostdinc -I"$inc"
cp "$tmp/pack" "$data/rules/linux-pci.rules"

# fix runs the copy's semantic patches: a patch with them, none with a
# broken one (the legacy target, as tests/fix does)
if command -v spatch >/dev/null; then
	export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org \
		GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
	repo=$tmp/repo
	mkdir -p "$repo/drivers/implicit_alloc"
	cp "$srcdir/tests/fix/implicit_alloc.c" "$repo/drivers/implicit_alloc/"
	(cd "$repo" && git init -q . && git add -A && git commit -qm import)
	cd "$repo" || exit 1
	"$ic" scan --no-progress --db "$tmp/t.db" drivers/implicit_alloc/implicit_alloc.c -- -I"$inc" >"$tmp/out" 2>&1
	[ $? -eq 1 ] && ok || bad "scan for fix: $(tail -2 "$tmp/out")"
	"$ic" fix --db "$tmp/t.db" --out "$tmp/p1" --target-api legacy -- -I"$inc" >"$tmp/out" 2>&1
	rc=$?
	[ $rc -eq 0 ] && grep -q "^patched: drivers/implicit_alloc/implicit_alloc.c:" "$tmp/out" && ok ||
		bad "fix from the moved installation: exit $rc: $(head -3 "$tmp/out")"
	echo "@@ this is not SmPL" >"$data/cocci/implicit-devres-release.cocci"
	"$ic" fix --db "$tmp/t.db" --out "$tmp/p2" --target-api legacy -- -I"$inc" >"$tmp/out" 2>&1
	grep -q "^no patch: .*Coccinelle could not apply cocci/implicit-devres-release.cocci" "$tmp/out" && ok ||
		bad "fix did not read the moved installation's semantic patch: $(head -3 "$tmp/out")"
	# $IRQCHECK_COCCI wins over the installed copy
	IRQCHECK_COCCI=$srcdir/cocci "$ic" fix --db "$tmp/t.db" --out "$tmp/p3" --target-api legacy -- -I"$inc" >"$tmp/out" 2>&1
	grep -q "^patched: drivers/implicit_alloc/implicit_alloc.c:" "$tmp/out" && ok ||
		bad "IRQCHECK_COCCI not used: $(head -3 "$tmp/out")"
	cd "$tmp/elsewhere" || exit 1
else
	echo "spatch not installed: the semantic patches' lookup is not tried"
fi

# $IRQCHECK_RULES wins over the installed copy
mkdir -p "$tmp/myrules"
cp "$srcdir/rules/hybrid-double-free.md" "$tmp/myrules/"
echo "environment-marker" >>"$tmp/myrules/hybrid-double-free.md"
IRQCHECK_RULES=$tmp/myrules "$ic" explain hybrid-double-free >"$tmp/out" 2>&1
grep -q "^environment-marker$" "$tmp/out" && ok || bad "IRQCHECK_RULES not used: $(head -2 "$tmp/out")"

# without share/irqcheck beside it, the binary uses its source tree
rm -rf "$data"
"$ic" explain hybrid-double-free >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] && cmp -s "$tmp/out" "$srcdir/rules/hybrid-double-free.md" && ok ||
	bad "no fallback on the source tree: exit $rc: $(head -2 "$tmp/out")"

# the man page: every command that 'irqcheck --help' lists has a --help
# on standard output, exit 0, and its section in the page with that text
page=$prefix/share/man/man1/irqcheck.1
sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/^\\&//' "$page" >"$tmp/page.txt"
"$ic" --help >"$tmp/help" 2>&1 && ok || bad "irqcheck --help exit status"
commands=$(awk '/^commands:/ { on = 1; next } on && /^[ \t]*$/ { exit }
	on && /^  [a-z]/ { print $1 }' "$tmp/help")
[ "$(echo "$commands" | wc -w)" -ge 8 ] && ok || bad "irqcheck --help lists: $commands"
for c in $commands; do
	"$ic" "$c" --help >"$tmp/chelp" 2>"$tmp/cerr"
	rc=$?
	[ $rc -eq 0 ] && [ -s "$tmp/chelp" ] && [ ! -s "$tmp/cerr" ] && ok ||
		bad "irqcheck $c --help: exit $rc, $(wc -c <"$tmp/chelp") bytes out, stderr: $(head -1 "$tmp/cerr")"
	grep -q "^\.SS \"irqcheck $c\"$" "$tmp/page.txt" && ok || bad "no section for $c in the man page"
	usage=$(head -1 "$tmp/chelp")
	grep -qxF "$usage" "$tmp/page.txt" && ok || bad "man page lacks '$usage'"
done
if command -v man >/dev/null; then
	MANWIDTH=80 man --warnings -l "$page" >"$tmp/man.out" 2>"$tmp/man.err"
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$tmp/man.err" ] && grep -q "irqcheck scan" "$tmp/man.out" && ok ||
		bad "man -l: exit $rc: $(head -3 "$tmp/man.err")"
else
	echo "man not installed: the page is not rendered"
fi

# the Debian package: the same files under /usr, and Depends naming the
# package of the libclang this binary is linked with, SQLite, jansson,
# libcrypto (libssl) and coccinelle
cpack=$(dirname "$cmake")/cpack
if [ -x "$cpack" ] && command -v dpkg-shlibdeps >/dev/null && command -v dpkg-deb >/dev/null; then
	"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" >"$tmp/cpack.log" 2>&1
	deb=$(ls "$tmp"/deb/irqcheck_*.deb 2>/dev/null | head -1)
	if [ -n "$deb" ]; then
		ok
		dpkg-deb -c "$deb" >"$tmp/deb.list"
		for f in usr/bin/irqcheck usr/share/irqcheck/rules/linux-pci.rules \
			usr/share/irqcheck/rules/hybrid-double-free.md \
			usr/share/irqcheck/cocci/hybrid-double-free.cocci \
			usr/share/man/man1/irqcheck.1; do
			grep -q " \./$f$" "$tmp/deb.list" && ok || bad ".deb lacks /$f"
		done
		depends=$(dpkg-deb -f "$deb" Depends)
		lib=$(ldd "$ic" | awk '/libclang/ { print $3; exit }')
		libpkg=$(dpkg-query -S "$(realpath "$lib")" 2>/dev/null | sed 's/[:,].*//')
		for p in "${libpkg:-libclang}" libsqlite3 libjansson libssl coccinelle; do
			echo "$depends" | grep -Eq "(^|, )$p[-a-z0-9.]*( |,|$)" && ok ||
				bad ".deb Depends lacks $p: $depends"
		done
	else
		bad "cpack -G DEB made no package: $(tail -3 "$tmp/cpack.log")"
	fi
else
	echo "cpack, dpkg-shlibdeps or dpkg-deb missing: the Debian package is not made"
fi

finish
