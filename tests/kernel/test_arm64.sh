#!/usr/bin/env bash
# Real-kernel level, arm64: scans two drivers that only arm64 builds
# (EDAC_THUNDERX and HISI_PCIE_PMU depend on ARM64; Debian's amd64 and an
# x86 allmodconfig leave them out) in a 6.12 tree prepared with
#   irqcheck prepare SRC --build OBJ --arch arm64 --config allmodconfig
# and checks that they are parsed as that configuration builds them (clang
# target aarch64, arch/arm64 headers, no parse error) with the findings
# read in the code. Skipped (exit 77) without such a build directory.
#   usage: test_arm64.sh IRQCHECK
#   env:   IRQCHECK_KERNEL_SRC (the 6.12 tree), IRQCHECK_KERNEL_BUILD_ARM64
set -u
irqcheck=$1
src=${IRQCHECK_KERNEL_SRC:-}
obj=${IRQCHECK_KERNEL_BUILD_ARM64:-}
if [ -z "$obj" ] || [ -z "$src" ]; then
	echo "test_arm64: skipped: set IRQCHECK_KERNEL_SRC to the 6.12 tree and IRQCHECK_KERNEL_BUILD_ARM64 to a build directory made by 'irqcheck prepare SRC --build OBJ --arch arm64 --config allmodconfig'" >&2
	exit 77
fi
if ! grep -q '^CONFIG_ARM64=y' "$obj/.config" 2>/dev/null; then
	echo "test_arm64: $obj is not an arm64 build directory (no CONFIG_ARM64=y in its .config)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

files=(drivers/edac/thunderx_edac.c drivers/perf/hisilicon/hisi_pcie_pmu.c)
scan() { "$irqcheck" scan --kernel "$src" --build "$obj" --no-db --no-progress "$@"; }

# The command lines: arm64's target and headers; built by the configuration
# (an object it does not build would get -DCONFIG_<ITS_OPTION>_MODULE=1).
scan --print-commands "${files[@]}" >"$tmp/cmds" 2>&1
for f in "${files[@]}"; do
	line=$(grep -F "$f'" "$tmp/cmds")
	case $line in
	*"'--target=aarch64-linux-gnu'"*) ok ;;
	*) bad "$f: no --target=aarch64-linux-gnu in: $line" ;;
	esac
	case $line in
	*"/arch/arm64/include'"*) ok ;;
	*) bad "$f: arch/arm64/include is not on its include path" ;;
	esac
	case $line in
	*"/arch/x86/"*) bad "$f: an x86 directory is on its include path" ;;
	*) ok ;;
	esac
	case $line in
	*_MODULE=1"'"*) bad "$f: set up as not built by the configuration" ;;
	*) ok ;;
	esac
done

scan --format json "${files[@]}" >"$tmp/out.json" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "scan exit $rc (want 1: findings, no parse error)"
grep -q "^irqcheck: 2 files parsed (of 2 C files looked at), 0 with parse errors, 5 findings" "$tmp/err" &&
	ok || bad "summary: $(grep '^irqcheck: [0-9]* files' "$tmp/err")"
grep -q "not built" "$tmp/err" && bad "a file listed as not built by the configuration" || ok

# The findings (rule, file, function), each read in the 6.12 code:
# - thunderx_edac.c: the LMC, OCX and L2C probes each call
#   pcim_enable_device() and pci_enable_msix_exact() and never disable
#   MSI-X, neither on an error return nor in a remove(): they rely on devres.
# - hisi_pcie_pmu.c: probe calls pcim_enable_device(); the irq helper
#   allocates with pci_alloc_irq_vectors() and releases with
#   pci_free_irq_vectors() when request_irq() fails, and the unregister
#   helper releases again: both are also released by devres.
cat >"$tmp/want" <<'WANT'
hybrid-double-free drivers/perf/hisilicon/hisi_pcie_pmu.c hisi_pcie_pmu_irq_register
hybrid-double-free drivers/perf/hisilicon/hisi_pcie_pmu.c hisi_pcie_pmu_irq_unregister
implicit-devres-release drivers/edac/thunderx_edac.c thunderx_l2c_probe
implicit-devres-release drivers/edac/thunderx_edac.c thunderx_lmc_probe
implicit-devres-release drivers/edac/thunderx_edac.c thunderx_ocx_probe
WANT
python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if not f.get("unproven"):
        print(f["rule"], f["file"], f["function"])
' "$tmp/out.json" | sort >"$tmp/got"
if diff "$tmp/want" "$tmp/got" >"$tmp/diff"; then
	ok
else
	bad "findings differ (< wanted, > got): $(cat "$tmp/diff")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
