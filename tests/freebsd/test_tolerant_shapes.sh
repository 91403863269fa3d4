#!/usr/bin/env bash
# Tolerant mode on shapes reduced from FreeBSD 12's sys/net/iflib.c, with
# no header at all and no compiler arguments: each file is analysed whole
# (no function left out for a parse error, no header refused), reports
# exactly the findings its expectations name, and host_headers.c is not
# read with this machine's <sys/types.h>.
#   usage: test_tolerant_shapes.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
cd "$srcdir/tests/freebsd/tolerant-shapes" || exit 1
findings() { # the "LINE RULE" of each finding in scan output $1 for file $2
	printf '%s\n' "$1" | grep -E "^$2:[0-9]+:[0-9]+: (error|warning|note): .*\[[a-z-]+\]$" |
		grep -v '\[irqcheck\]' | sed -E 's/^[^:]+:([0-9]+):[0-9]+: [a-z]+: .*\[([a-z-]+)\]$/\1 \2/' | sort
}
for f in *.c; do
	out=$("$irqcheck" scan --no-db --no-progress --tolerant \
		--rules "$srcdir/rules/freebsd-pci.rules" "$f" 2>&1)
	printf '%s\n' "$out" | grep -qF "$f:1:1: note: analysed in tolerant mode" &&
		ok || bad "$f: not analysed in tolerant mode"
	printf '%s\n' "$out" | grep -qE "was not analysed|a header it includes did not parse" &&
		bad "$f: left out: $(printf '%s\n' "$out" | grep -E 'not analysed' | head -1)" || ok
	got=$(findings "$out" "$f")
	want=$(grep -n "expect:" "$f" | sed -E 's/^([0-9]+):.*expect: ([a-z-]+).*/\1 \2/' | sort)
	[ "$got" = "$want" ] && ok || bad "$f: tolerant findings '$got', want '$want'"
done
# the host's headers stay out also when arguments are given without
# -nostdinc, and the note names <sys/types.h> as not found
out=$("$irqcheck" scan --no-db --no-progress --tolerant --rules "$srcdir/rules/freebsd-pci.rules" \
	host_headers.c -- -std=gnu11 2>&1)
printf '%s\n' "$out" | grep -q "not found or not declared: sys/types.h, sys/param.h" &&
	ok || bad "host_headers.c: <sys/types.h> was found on this machine"
[ "$(findings "$out" host_headers.c)" = "29 error-path-leak" ] &&
	ok || bad "host_headers.c: with -std=gnu11, findings '$(findings "$out" host_headers.c)'"
# the opaque types are named in the note as what was not declared
out=$("$irqcheck" scan --no-db --no-progress --tolerant --rules "$srcdir/rules/freebsd-pci.rules" \
	iflib_12_0_register.c 2>&1)
printf '%s\n' "$out" | grep -q "not declared: .*noop_attach, if_shared_ctx_t, if_ctx_t \\[irqcheck\\]$" &&
	ok || bad "iflib_12_0_register.c: if_shared_ctx_t and if_ctx_t not named as undeclared"
# the leak is reported in iflib_device_register(), naming where the task
# was attached
printf '%s\n' "$out" | grep -q "iflib_12_0_register.c:68:2: error: error path returns without giving back the taskqgroup-task ifc_admin_task acquired at line 56 \[error-path-leak\]" &&
	ok || bad "iflib_12_0_register.c: admin task leak not reported as expected"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
