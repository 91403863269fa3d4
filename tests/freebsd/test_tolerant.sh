#!/usr/bin/env bash
# Tolerant mode on the FreeBSD fixtures without any header: each file is
# analysed (and says so), reports exactly the findings its expectations
# name, and nothing else; without --tolerant the same files are refused as
# not parsing.
#   usage: test_tolerant.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
cd "$srcdir/tests/fixtures-freebsd" || exit 1
for f in */*.c; do
	out=$("$irqcheck" scan --no-db --no-progress --tolerant \
		--rules "$srcdir/rules/freebsd-pci.rules" "$f" -- -nostdinc -std=gnu11 2>&1)
	# the note names the file's own headers first, in include order
	includes=$(sed -nE 's/^#include <(.*)>.*/\1/p' "$f" | paste -sd, - | sed 's/,/, /g')
	printf '%s\n' "$out" | grep -qF "$f:1:1: note: analysed in tolerant mode: not found or not declared: $includes" &&
		ok || bad "$f: no tolerant-mode note naming $includes"
	got=$(printf '%s\n' "$out" | grep -E "^$f:[0-9]+:[0-9]+: (error|warning|note): .*\[[a-z-]+\]$" |
		grep -v '\[irqcheck\]' | sed -E 's/^[^:]+:([0-9]+):[0-9]+: [a-z]+: .*\[([a-z-]+)\]$/\1 \2/' | sort)
	want=$(grep -n "expect:" "$f" | sed -E 's/^([0-9]+):.*expect: ([a-z-]+).*/\1 \2/' | sort)
	[ "$got" = "$want" ] && ok || bad "$f: tolerant findings '$got', want '$want'"
	"$irqcheck" scan --no-db --no-progress --rules "$srcdir/rules/freebsd-pci.rules" "$f" \
		-- -nostdinc -std=gnu11 >/dev/null 2>&1
	[ $? -eq 2 ] && ok || bad "$f: parsed without --tolerant and without headers"
done
# a softc embedding a struct from a missing header: the field's type is
# named as unresolved, and the task attached through it is still tracked
out=$("$irqcheck" scan --no-db --no-progress --tolerant --rules "$srcdir/rules/freebsd-pci.rules" \
	remove-leak/bad_detach_keeps_admin_task.c -- -nostdinc -std=gnu11 2>&1)
printf '%s\n' "$out" | grep -q "not declared: .*struct grouptask" && ok || bad "incomplete struct grouptask not named"
printf '%s\n' "$out" | grep -q "giving back the taskqgroup-task admin_task probe acquired at line 28 \[remove-leak\]" &&
	ok || bad "admin task not tracked in tolerant mode"
# the objects a failing register keeps are named in one finding at its
# failing return, in the order they were acquired, with and without headers
for args in "--tolerant -- -nostdinc -std=gnu11" "-- -I$srcdir/tests/fixtures-freebsd/include"; do
	# shellcheck disable=SC2086
	out=$("$irqcheck" scan --no-db --no-progress --rules "$srcdir/rules/freebsd-pci.rules" \
		error-path-leak/bad_register_many_ways_through_return.c $args 2>&1)
	printf '%s\n' "$out" | grep -q "through_return.c:54:2: error: error path returns without giving back the taskqgroup-task ifc_admin_task acquired at line 35, the taskqgroup-task .* and the taskqgroup-task ifc_link_task acquired at line 47 \[error-path-leak\]" &&
		ok || bad "many-ways register ($args): kept tasks not named in one finding"
done
# without --rules, a file that includes <dev/pci/pcivar.h> gets the FreeBSD pack
"$irqcheck" scan --no-db --no-progress --tolerant error-path-leak/bad_single_vector_no_fallback.c \
	-- -nostdinc -std=gnu11 2>&1 | grep -q "\[error-path-leak\]" && ok || bad "FreeBSD pack not chosen from the file"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
