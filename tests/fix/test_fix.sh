#!/usr/bin/env bash
# irqcheck fix on the drivers beside this script, in a git repository the
# test builds (each driver in its own directory, as its own module): every
# validated patch must apply and give exactly the checked-in
# NAME.TARGET.expected.c, a driver without one for a target must get no
# patch and a stated reason, and the outcomes must reach the store and
# the reports. Also: the Fixes: tag and subject prefix from the history,
# and bad input (spatch missing, a dirty tree, a semantic patch spatch
# cannot use, an unwritable output directory, a tree without the managed
# allocator) with nothing written and the tree untouched.
#   usage: test_fix.sh IRQCHECK SOURCE_DIR
set -u
irqcheck=$1
srcdir=$2
here=$srcdir/tests/fix
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
inc=$srcdir/tests/fixtures/include
repo=$tmp/repo
mkdir -p "$repo"
cd "$repo" || exit 1
git init -q .
names=()
for f in "$here"/*.c; do
	case $f in *.expected.c) continue ;; esac
	n=$(basename "$f" .c)
	names+=("$n")
	mkdir -p "drivers/$n"
	cp "$f" "drivers/$n/$n.c"
done
# hybrid_unwind first appears with pci_enable_device(); the commit that
# switches it to pcim_enable_device() completes the hybrid pattern
sed -i 's/pcim_enable_device(pdev)/pci_enable_device(pdev)/' drivers/hybrid_unwind/hybrid_unwind.c
git add -A
GIT_AUTHOR_DATE="2024-01-01T00:00:00" GIT_COMMITTER_DATE="2024-01-01T00:00:00" \
	git commit -qm "drivers: import"
cp "$here/hybrid_unwind.c" drivers/hybrid_unwind/hybrid_unwind.c
GIT_AUTHOR_DATE="2024-02-01T00:00:00" GIT_COMMITTER_DATE="2024-02-01T00:00:00" \
	git commit -qam "hybrid_unwind: Use pcim_enable_device()"
pcim_commit=$(git rev-parse --short=12 HEAD)

"$irqcheck" scan --no-progress --db "$tmp/t.db" drivers/*/*.c -- -I"$inc" >"$tmp/scan" 2>&1
[ $? -eq 1 ] && ok || bad "scan: $(tail -1 "$tmp/scan")"

fix() { "$irqcheck" fix --db "$tmp/t.db" "$@" -- -I"$inc"; }

for target in managed convert legacy; do
	out=$tmp/p-$target
	case $target in
	convert) args=(--target-api managed --convert) ;;
	legacy) args=(--target-api "$target" --timings) ;;
	*) args=(--target-api "$target") ;;
	esac
	fix --out "$out" "${args[@]}" --from "A U Thor <a@example.org>" --signoff >"$tmp/o-$target" 2>&1
	[ $? -eq 0 ] && ok || bad "fix --target-api $target: $(tail -3 "$tmp/o-$target")"
	[ -z "$(git status --porcelain)" ] && ok || bad "$target: fix changed the tree"
	for n in "${names[@]}"; do
		want=$here/$n.$target.expected.c
		# --convert changes only the leaks of unmanaged drivers
		[ "$target" = convert ] && [ ! -f "$want" ] && want=$here/$n.managed.expected.c
		p=$(grep -l "^diff --git a/drivers/$n/$n.c " "$out"/*.patch 2>/dev/null)
		if [ -f "$want" ]; then
			if [ -z "$p" ]; then
				bad "$target: no patch for $n: $(grep "drivers/$n/" "$tmp/o-$target" | head -2)"
				continue
			fi
			rm -rf "$tmp/apply" && git worktree add -q --detach "$tmp/apply" HEAD
			(cd "$tmp/apply" && git apply "$p") && ok || bad "$target: $n: patch does not apply"
			cmp -s "$tmp/apply/drivers/$n/$n.c" "$want" && ok ||
				bad "$target: $n: patched file differs from $(basename "$want"): $(diff "$want" "$tmp/apply/drivers/$n/$n.c" | head -5)"
			git worktree remove --force "$tmp/apply"
			grep -q "^patched: drivers/$n/$n.c:" "$tmp/o-$target" && ok || bad "$target: $n not reported as patched"
		else
			[ -z "$p" ] && ok || bad "$target: $n got a patch it should not: $p"
			grep -q "^no patch: drivers/$n/$n.c:[0-9]*: \[[a-z-]*\] ..*" "$tmp/o-$target" && ok ||
				bad "$target: $n has no stated reason"
		fi
	done
done

# the reasons where no patch is right
# the shared return is after a label paths that released already reach:
# the semantic patch adds nothing there (the re-scan would catch the
# double release it made, as it did before the patch knew)
grep -q "^no patch: drivers/error_path_refused/error_path_refused.c:37: \[error-path-leak\] cocci/error-path-leak.cocci, cocci/irq-handler-leak.cocci made no change to it" "$tmp/o-legacy" && ok ||
	bad "error_path_refused: a release was added before the shared return: $(grep error_path_refused "$tmp/o-legacy")"
# only the managed driver's allocator is switched: converting the
# unmanaged driver's too, whose release stays, would release its vectors
# twice
p=$(grep -l "^diff --git a/drivers/hybrid_two_devices/" "$tmp"/p-managed/*.patch 2>/dev/null)
[ -n "$p" ] && [ "$(grep -c '^+.*pcim_alloc_irq_vectors(' "$p")" = 1 ] && ok ||
	bad "hybrid_two_devices managed: $(grep hybrid_two_devices "$tmp/o-managed")"
# a release the driver makes before it goes on without the vectors
# stays in the managed conversion: not counted as fixed, and named in the
# message and the checks
grep -q "^no patch: drivers/hybrid_kept_release/hybrid_kept_release.c:45: \[hybrid-double-free\] the patch keeps this release: the driver goes on without the vectors after it" "$tmp/o-managed" && ok ||
	bad "hybrid_kept_release managed outcome: $(grep hybrid_kept_release "$tmp/o-managed")"
p=$(grep -l "^diff --git a/drivers/hybrid_kept_release/" "$tmp"/p-managed/*.patch 2>/dev/null)
[ -n "$p" ] && grep -q "^(to allocate them again, or to carry on without them) stays:$" "$p" &&
	tr '\n' ' ' <"$p" | grep -q "reports nothing new but the release it keeps, now of managed vectors" &&
	! grep -q "hybrid_kept_release.c:45: thm_probe" "$p" && ok ||
	bad "hybrid_kept_release managed patch: $p"
# a conversion that drops remove()'s release while resume() allocates
# again unmanaged would leave those vectors to the hybrid rule
grep -q "^no patch: drivers/hybrid_resume_realloc/hybrid_resume_realloc.c:52: \[hybrid-double-free\] the driver still allocates vectors with an unmanaged allocator at line 71, which the conversion does not reach" "$tmp/o-managed" && ok ||
	bad "hybrid_resume_realloc managed: $(grep hybrid_resume_realloc "$tmp/o-managed")"
# without the managed allocator, the release the driver relies on is
# made explicit: a devres action right after the allocation
p=$(grep -l "^diff --git a/drivers/implicit_alloc/" "$tmp"/p-legacy/*.patch)
grep -q "^+	ret = devm_add_action_or_reset(&pdev->dev, qux_free_irq_vectors, pdev);$" "$p" &&
	grep -q "^Subject: \[PATCH\] drivers: Don't rely on the implicit release of IRQ vectors$" "$p" && ok ||
	bad "implicit_alloc legacy patch: $(grep -E '^Subject|^\+' "$p" | head -4)"
# every patch is validated against a PCI core without the hybrid rule
# too, the one it meets upstream
for p in "$tmp"/p-legacy/*.patch; do
	tr '\n' ' ' <"$p" | grep -q "reports nothing new (nor once the PCI core drops its hybrid devres rule)" && ok ||
		bad "legacy patch $p does not say it was checked without the hybrid rule"
done
# dropping the release of vectors the managed allocator cannot take
# (an msix_entry table) would leave the driver on the hybrid rule: the
# re-scan refuses it
grep -q "^no patch: drivers/managed_gone_leak/managed_gone_leak.c:35: \[hybrid-double-free\] the re-scan of the patched driver reports something new: implicit-devres-release at drivers/managed_gone_leak/managed_gone_leak.c:26$" "$tmp/o-managed" && ok ||
	bad "managed_gone_leak: $(grep managed_gone_leak "$tmp/o-managed" | head -2)"
# never a patch that leaves a driver leaning on the hybrid rule: without
# the managed allocator the explicit releases stay, and the reason says so
for n in hybrid_unwind hybrid_helper hybrid_two_devices; do
	grep -q "^no patch: drivers/$n/$n.c:[0-9]*: \[hybrid-double-free\] no patch for a tree without pcim_alloc_irq_vectors(): the explicit release is the one the driver needs once the PCI core drops the hybrid rule" "$tmp/o-legacy" && ok ||
		bad "$n: legacy hybrid-double-free reason: $(grep "drivers/$n/" "$tmp/o-legacy" | head -2)"
done
# (on a managed device: an unmanaged one's second release may go)
for p in "$tmp"/p-legacy/*.patch; do
	f=$(sed -n 's|^diff --git a/\([^ ]*\) .*|\1|p' "$p" | head -1)
	grep -q pcim_enable_device "$f" || continue
	removed=$(grep -cE '^-[^-].*\b(pci_free_irq_vectors|pci_disable_msix?)\(' "$p")
	added=$(grep -cE '^\+[^+].*\b(pci_free_irq_vectors|pci_disable_msix?)\(' "$p")
	[ "$removed" -le "$added" ] && ok || bad "legacy patch $p removes a release"
done
grep -q "^irqcheck fix: 57 findings, 48 with a validated patch (33 patch files" "$tmp/o-managed" && ok || bad "managed summary: $(grep '^irqcheck fix' "$tmp/o-managed")"
grep -q "^irqcheck fix: 57 findings, 35 with a validated patch (28 patch files" "$tmp/o-legacy" && ok || bad "legacy summary: $(grep '^irqcheck fix' "$tmp/o-legacy")"
# --timings: each stage's time, on stderr (here in the same file)
grep -q "irqcheck fix: timings: semantic patches [0-9.]* s, re-scans [0-9.]* s (before), [0-9.]* s (after, with the hybrid rule and without), [0-9.]* s (before, without it), compile checks [0-9.]* s, patch files [0-9.]* s$" "$tmp/o-legacy" && ok || bad "legacy: no timings line: $(grep timings "$tmp/o-legacy")"
grep -q "timings:" "$tmp/o-managed" && bad "managed: timings printed without --timings" || ok
grep -q "^irqcheck fix: 57 findings, 49 with a validated patch (34 patch files" "$tmp/o-convert" && ok || bad "convert summary: $(grep '^irqcheck fix' "$tmp/o-convert")"
# the managed target, where the managed allocator cannot take the
# driver's msix_entry table, gives the explicit release and says why
p=$(grep -l "^diff --git a/drivers/implicit_msix_table/" "$tmp/p-managed"/*.patch 2>/dev/null)
[ -n "$p" ] && grep -q "^Subject: \[PATCH\] drivers: Don't rely on the implicit release of IRQ vectors" "$p" &&
	grep -q "^pcim_alloc_irq_vectors() cannot express the allocation as the driver" "$p" && ok ||
	bad "managed: implicit_msix_table's patch does not say why it is not converted: $p"
# one allocation converted, one the managed allocator cannot express
p=$(grep -l "^diff --git a/drivers/managed_half_conversion/" "$tmp/p-managed"/*.patch 2>/dev/null)
[ -n "$p" ] && grep -q "^Subject: \[PATCH\] drivers: Use pcim_alloc_irq_vectors()$" "$p" &&
	grep -q "^Where pcim_alloc_irq_vectors() cannot express the allocation as the$" "$p" && ok ||
	bad "managed: managed_half_conversion's message: $(grep -A12 ^Subject "$p")"
p=$(grep -l "^diff --git a/drivers/remove_no_release/" "$tmp"/p-convert/*.patch)
grep -q "^Subject: \[PATCH\] drivers: Use pcim_enable_device() and pcim_alloc_irq_vectors()$" "$p" && ok || bad "convert subject: $(grep ^Subject "$p")"

# the mail: From, subject prefix from the history, Fixes: the commit that
# switched to pcim_enable_device(), a diffstat
p=$(grep -l "^diff --git a/drivers/hybrid_unwind/" "$tmp"/p-managed/*.patch)
grep -q "^From: A U Thor <a@example.org>$" "$p" && ok || bad "From: line"
# --signoff: the From: person signs off, above the ---; how the patch was
# made and checked is for the reviewers, below it
sed -n '/^Subject:/,/^---$/p' "$p" | grep -q "^Signed-off-by: A U Thor <a@example.org>$" && ok || bad "Signed-off-by: $(grep -n 'Signed-off-by\|^---$' "$p")"
sed -n '/^---$/,/^diff --git/p' "$p" | grep -q "^Generated with cocci/" && ok || bad "the tool paragraph is not below ---"
sed -n '/^Subject:/,/^---$/p' "$p" | grep -q "Generated with" && bad "the tool paragraph is in the commit message" || ok
grep -q "^Subject: \[PATCH\] hybrid_unwind: Use pcim_alloc_irq_vectors()$" "$p" && ok || bad "subject: $(grep ^Subject "$p")"
grep -q "^Fixes: $pcim_commit (\"hybrid_unwind: Use pcim_enable_device()\")$" "$p" && ok || bad "Fixes: want $pcim_commit, got: $(grep ^Fixes "$p")"
grep -q "^ drivers/hybrid_unwind/hybrid_unwind.c | " "$p" && ok || bad "no diffstat"
# a driver whose lines all come from the first commit gets no Fixes:
p=$(grep -l "^diff --git a/drivers/error_path_return/" "$tmp"/p-legacy/*.patch)
grep -q "^Fixes:" "$p" && bad "Fixes: on an imported driver" || ok
grep -q "Release them before returning" "$p" && ok || bad "error_path_return: body does not say what the patch does"
# a return sent to the ladder's label says so
p2=$(grep -l "^diff --git a/drivers/error_path_label/" "$tmp"/p-legacy/*.patch)
grep -q "Send it to the unwind label that releases them" "$p2" && ok ||
	bad "error_path_label: body does not say the return goes to the label"
# the unwind freeing by the wrong index: its own subject and reason
p3=$(grep -l "^diff --git a/drivers/wrong_index_unwind/" "$tmp"/p-legacy/*.patch)
grep -q "^Subject: \[PATCH\] drivers: Free the IRQ handlers the unwind means to free$" "$p3" && ok ||
	bad "wrong_index_unwind subject: $(grep ^Subject "$p3")"
grep -q "same\$" "$p3" && grep -q "^dev_id pointer" "$p3" && ok ||
	bad "wrong_index_unwind: body does not say why the free frees nothing"
# git am takes the patch
rm -rf "$tmp/am" && git worktree add -q --detach "$tmp/am" HEAD
(cd "$tmp/am" && git am -q "$p") && ok || bad "git am refused $p"
git worktree remove --force "$tmp/am"

# the outcomes are in the store and the reports
json=$("$irqcheck" show --db "$tmp/t.db" --format json)
echo "$json" | grep -q '"fix": "From 0000' && ok || bad "show --format json has no fix"
echo "$json" | grep -q '"fix_refused": "no patch for a tree without pcim_alloc_irq_vectors()' && ok || bad "show --format json has no refusal"
"$irqcheck" report --db "$tmp/t.db" --html "$tmp/html" >/dev/null 2>&1
grep -rq "No fix offered" "$tmp/html" && ok || bad "the HTML report does not say why there is no fix"
grep -rq "The fix" "$tmp/html" && ok || bad "the HTML report shows no fix"

# -- bad input: one sentence, exit 2, nothing written, tree untouched ---------
mkdir -p "$tmp/bin"
for t in git diff sh patch; do ln -sf "$(command -v $t)" "$tmp/bin/$t"; done
PATH=$tmp/bin fix --out "$tmp/none1" >"$tmp/e1" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "spatch is not installed" "$tmp/e1" && [ ! -e "$tmp/none1" ] && ok ||
	bad "spatch missing: exit $rc: $(cat "$tmp/e1")"
IRQCHECK_SPATCH_PYTHON=$tmp/no-python fix --out "$tmp/none1" >"$tmp/e1" 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/e1")" = 1 ] &&
	grep -q "^irqcheck fix: IRQCHECK_SPATCH_PYTHON is $tmp/no-python, which cannot be run.$" "$tmp/e1" && [ ! -e "$tmp/none1" ] && ok ||
	bad "IRQCHECK_SPATCH_PYTHON not runnable: exit $rc: $(cat "$tmp/e1")"

echo "/* local change */" >>drivers/implicit_alloc/implicit_alloc.c
fix --out "$tmp/none2" >"$tmp/e2" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "implicit_alloc.c has uncommitted changes" "$tmp/e2" && [ ! -e "$tmp/none2" ] && ok ||
	bad "dirty tree: exit $rc: $(cat "$tmp/e2")"
git checkout -q drivers/implicit_alloc/implicit_alloc.c

mkdir -p "$tmp/cocci"
for c in "$srcdir"/cocci/*.cocci; do echo "@@ this is not SmPL" >"$tmp/cocci/$(basename "$c")"; done
IRQCHECK_COCCI=$tmp/cocci fix --out "$tmp/none3" --rule hybrid-double-free >"$tmp/e3" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q "^no patch: .*Coccinelle could not apply cocci/hybrid-double-free.cocci" "$tmp/e3" &&
	[ -z "$(ls -A "$tmp/none3")" ] && ok || bad "unusable semantic patch: exit $rc: $(head -3 "$tmp/e3")"

mkdir -p "$tmp/ro" && chmod 555 "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
	fix --out "$tmp/ro/p" >"$tmp/e4" 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q "irqcheck fix: cannot" "$tmp/e4" && ok || bad "unwritable output: exit $rc: $(cat "$tmp/e4")"
fi
fix --out "$tmp/none7" --target-api legacy --convert >"$tmp/e7" 2>&1
[ $? -eq 2 ] && grep -q "convert .*needs --target-api=managed" "$tmp/e7" && [ ! -e "$tmp/none7" ] && ok || bad "--convert with legacy: $(cat "$tmp/e7")"
fix --out "$tmp/none5" --target-api newest >"$tmp/e5" 2>&1
[ $? -eq 2 ] && grep -q "target-api is managed or legacy" "$tmp/e5" && ok || bad "bad --target-api: $(cat "$tmp/e5")"
[ -z "$(git status --porcelain)" ] && ok || bad "bad input changed the tree"

# a kernel-shaped tree without pcim_alloc_irq_vectors(): the default
# target is refused with the way out
ktree=$tmp/ktree
mkdir -p "$ktree/include/linux"
echo "int pci_alloc_irq_vectors(void);" >"$ktree/include/linux/pci.h"
"$irqcheck" fix --db "$tmp/t.db" --kernel "$ktree" --out "$tmp/none6" >"$tmp/e6" 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l <"$tmp/e6")" -eq 1 ] && grep -q "irqcheck fix: " "$tmp/e6" && ok || bad "kernel tree mismatch/no managed API: $(cat "$tmp/e6")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
