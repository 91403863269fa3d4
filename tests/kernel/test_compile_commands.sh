#!/usr/bin/env bash
# A compile_commands.json from the kernel's own tool, as kernel developers
# make one: three PCI drivers built for real with gcc (make O=) in a copy
# of the prepared build directory, scripts/clang-tools/
# gen_compile_commands.py over the objects, then 'irqcheck scan -p'. It
# must parse all three with no error (the gcc-only flags filtered) and
# report exactly what 'scan --kernel --build' reports for them. The
# prepared build directory and the source tree are not written: the
# objects are built in the copy (its drivers/ and sound/ left out, so
# only this test's objects are in the database).
#   usage: test_compile_commands.sh IRQCHECK
#   env:   IRQCHECK_KERNEL_SRC, IRQCHECK_KERNEL_BUILD (scripts/run-tests sets them)
set -u
irqcheck=$1
src=${IRQCHECK_KERNEL_SRC:-}
obj=${IRQCHECK_KERNEL_BUILD:-}
if [ -z "$src" ] || [ ! -d "$src" ] || [ -z "$obj" ] || [ ! -f "$obj/.config" ]; then
	echo "test_compile_commands: IRQCHECK_KERNEL_SRC and IRQCHECK_KERNEL_BUILD must name a prepared 6.12 tree; run scripts/run-tests" >&2
	exit 1
fi
src=$(realpath "$src")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../cli/lib.sh"
unset IRQCHECK_DB

# three modules of Debian's config that use the vector API: firewire-ohci
# (hybrid-double-free twice, verified in tests/kernel/test_kernel.sh's
# tree), i2c-designware-pci and spi-pxa2xx-pci (implicit-devres-release)
files=(drivers/firewire/ohci.c drivers/i2c/busses/i2c-designware-pcidrv.c
	drivers/spi/spi-pxa2xx-pci.c)
for c in FIREWIRE_OHCI I2C_DESIGNWARE_PCI SPI_PXA2XX_PCI; do
	grep -Eq "^CONFIG_$c=[ym]$" "$obj/.config" ||
		{ bad "CONFIG_$c is not set in $obj/.config: the objects cannot be built"; finish; exit 1; }
done

copy=$tmp/obj
mkdir -p "$copy"
tar -C "$obj" --exclude=./drivers --exclude=./sound -cf - . | tar -C "$copy" -xf -
touch "$tmp/before"
start=$(date +%s)
make -s -C "$src" O="$copy" -j2 "${files[@]/%.c/.o}" >"$tmp/make.log" 2>&1 &&
	ok || bad "make of the three objects in the copy: $(grep -m3 -i error "$tmp/make.log")"
built=$(date +%s)
# (its .git left out: the gate of kernel/6.12, run beside this test,
# writes the trees of its series into the repository's object store)
written() {
	find "$src" -path "$src/.git" -prune -o -newer "$tmp/before" -print
}
[ -z "$(written | head -1)" ] && ok ||
	bad "the source tree was written: $(written | head -3)"

python3 "$src/scripts/clang-tools/gen_compile_commands.py" -d "$copy" \
	-o "$copy/compile_commands.json" "$copy/drivers" >"$tmp/gen.log" 2>&1 &&
	ok || bad "gen_compile_commands.py: $(head -3 "$tmp/gen.log")"
# DATABASE SRC FILE...: the database holds the gcc commands of exactly
# these files
check_database() {
	python3 - "$@" <<'EOF'
import json, sys
entries = json.load(open(sys.argv[1]))
want = sorted(sys.argv[2] + "/" + f for f in sys.argv[3:])
got = sorted(e["file"] for e in entries)
if got != want or not all(e["command"].startswith("gcc ") for e in entries):
    sys.exit("database has %s" % [(e["file"], e["command"][:20]) for e in entries])
EOF
}
check_database "$copy/compile_commands.json" "$src" "${files[@]}" >"$tmp/db.txt" 2>&1 &&
	ok || bad "compile_commands.json is not the three gcc commands: $(cat "$tmp/db.txt")"

cd "$tmp" || exit 1
"$irqcheck" scan --no-db --no-progress -j2 -p "$copy" >"$tmp/p.out" 2>"$tmp/p.err"
rc=$?
[ $rc -eq 1 ] && grep -q "^irqcheck: 3 files parsed (of 3 C files looked at), 0 with parse errors" "$tmp/p.err" &&
	ok || bad "scan -p: exit $rc: $(cat "$tmp/p.err")"
for pat in "drivers/firewire/ohci.c:[0-9]*:[0-9]*: warning: pci_free_irq_vectors() .*\[hybrid-double-free\]" \
	"drivers/i2c/busses/i2c-designware-pcidrv.c:[0-9]*:[0-9]*: note: .*\[implicit-devres-release\]" \
	"drivers/spi/spi-pxa2xx-pci.c:[0-9]*:[0-9]*: note: .*\[implicit-devres-release\]"; do
	grep -q "^$src/$pat" "$tmp/p.out" && ok || bad "scan -p lacks $pat"
done

# the same files with the flags irqcheck derives from the build directory
"$irqcheck" scan --no-db --no-progress -j2 --kernel "$src" --build "$obj" "${files[@]}" \
	>"$tmp/k.out" 2>"$tmp/k.err"
rc=$?
[ $rc -eq 1 ] && grep -q " 0 with parse errors" "$tmp/k.err" && ok ||
	bad "scan --kernel: exit $rc: $(cat "$tmp/k.err")"
# -p names files by absolute path, --kernel relative to the tree
sed "s|^$src/||" "$tmp/p.out" >"$tmp/p.rel"
[ -s "$tmp/k.out" ] && cmp -s "$tmp/p.rel" "$tmp/k.out" && ok ||
	bad "scan -p and scan --kernel differ: $(diff "$tmp/p.rel" "$tmp/k.out" | head -5)"
echo "objects built in $((built - start)) s, $(($(date +%s) - start)) s in all"

finish
