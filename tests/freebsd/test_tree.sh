#!/usr/bin/env bash
# FreeBSD tree mode on a reduced FreeBSD tree (tests/freebsd/tree, no
# FreeBSD code): prepare generates the kobj headers with the tree's own
# makeobjops.awk, the option headers and the machine/x86 links; scan
# --kernel parses the driver with them and FreeBSD's target and kernel
# defines (its headers refuse anything else), with the FreeBSD pack and
# the default paths sys/dev and sys/net; an unprepared tree is refused.
#   usage: test_tree.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
tree=$srcdir/tests/freebsd/tree
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
obj=$scratch/obj

# not prepared yet: one sentence naming prepare, status 2
out=$("$irqcheck" scan --no-db --no-progress --kernel "$tree" --build "$obj" 2>&1)
[ $? -eq 2 ] && ok || bad "scan of an unprepared FreeBSD tree did not exit 2"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && printf '%s\n' "$out" | grep -q "irqcheck prepare" &&
	ok || bad "unprepared: want one sentence naming prepare, got: $out"
out=$("$irqcheck" scan --no-db --no-progress --kernel "$tree" 2>&1)
[ $? -eq 2 ] && printf '%s\n' "$out" | grep -q -- "--build" &&
	ok || bad "scan of a FreeBSD tree without --build: $out"
out=$("$irqcheck" prepare "$tree" 2>&1)
[ $? -eq 2 ] && printf '%s\n' "$out" | grep -q -- "--build" &&
	ok || bad "prepare of a FreeBSD tree without --build: $out"

# prepare
out=$("$irqcheck" prepare "$tree" --build "$obj" 2>&1)
[ $? -eq 0 ] && ok || bad "prepare failed: $out"
for h in device_if.h pci_if.h opt_inet.h opt_fakenic_debug.h; do
	[ -f "$obj/$h" ] && ok || bad "prepare made no $h"
done
grep -q '^int DEVICE_ATTACH(device_t dev);$' "$obj/device_if.h" &&
	ok || bad "device_if.h is not the tree's makeobjops.awk output"
[ "$(readlink "$obj/machine")" = "$tree/sys/amd64/include" ] &&
	[ "$(readlink "$obj/x86")" = "$tree/sys/x86/include" ] &&
	ok || bad "machine and x86 links"

# scan, default paths: the driver's leak and nothing else, 0 parse errors
out=$("$irqcheck" scan --no-db --no-progress --kernel "$tree" --build "$obj" 2>&1)
[ $? -eq 1 ] && ok || bad "scan did not exit 1 on the leak"
got=$(printf '%s\n' "$out" | grep -E ': (error|warning): ' | sed -E 's/^([^:]+:[0-9]+):.*\[([a-z-]+)\]$/\1 \2/')
[ "$got" = "sys/dev/fakenic/fakenic.c:30 error-path-leak" ] &&
	ok || bad "findings '$got', want the leak at fakenic.c:30"
printf '%s\n' "$out" | grep -q "0 with parse errors" && ok || bad "parse errors: $out"
cmd=$("$irqcheck" scan --no-db --no-progress --kernel "$tree" --build "$obj" \
	--print-commands sys/dev/fakenic/fakenic.c 2>/dev/null)
for a in "'--target=x86_64-unknown-freebsd12.0'" "'-nostdinc'" "'-D_KERNEL'" \
	"'-DKLD_MODULE'" "'-I$obj'" "'-I$tree/sys'"; do
	case $cmd in *"$a"*) ok ;; *) bad "command lacks $a: $cmd" ;; esac
done

echo "test_tree: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
