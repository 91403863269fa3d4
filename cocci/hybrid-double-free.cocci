// SPDX-License-Identifier: GPL-2.0-only
/// After pcim_enable_device(), vectors from pci_alloc_irq_vectors(),
/// pci_enable_msi() and pci_enable_msix_range() are released by devres
/// when the driver detaches (the PCI core's hybrid rule), so an explicit
/// pci_free_irq_vectors(), pci_disable_msi() or pci_disable_msix()
/// releases them a second time. With -D managed, switch the allocator to
/// pcim_alloc_irq_vectors() and remove the explicit releases, the helpers
/// that only released, the unwind labels and branches that become empty.
/// Without it (a tree that has no pcim_alloc_irq_vectors()) patch mode
/// changes nothing: removing the release would leave the driver leaning
/// on the hybrid rule, which the PCI core is removing, and the explicit
/// release is the one it will need; the second release is harmless while
/// the rule stands (the devres release finds nothing enabled).
///
/// A release is kept when it is not redundant: when a new allocation or
/// handler request on some path follows it (a fallback from MSI-X to MSI
/// or INTx needs the vectors gone), when the function can still return 0
/// after it (probe goes on without them, or a helper is used again), and
/// in a .shutdown callback (MSI must be off before kexec).
///
/// The switch to pcim_alloc_irq_vectors() keeps the driver working when
/// the hybrid rule is removed (the tree must have it). With -D managed
/// -D convert, first switch an unmanaged
/// driver (pci_enable_device()) to pcim_enable_device() and drop its
/// pci_disable_device() calls: irqcheck fix --convert uses this for leaks
/// of unmanaged drivers, where devres then releases everything.
///
/// irqcheck fix passes the lines of the releases it reports as
/// -D lines=L1,L2 (or lines=all) and validates the result; without
/// -D lines every release that is not kept is removed. The releases kept
/// are printed as "irqcheck-kept-release LINE WHY" (fallback, goes-on,
/// shutdown, other), for the patch message.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: pcim_enable_device, pci_free_irq_vectors, devres

virtual patch
virtual context
virtual org
virtual report
virtual managed
virtual convert

@initialize:python@
@@
# releases that must stay, as (file, line)
kept = set()
# why each of them stays, when it is needed: "fallback" (an allocation
# or a handler request follows it), "goes-on" (the function can still
# return 0 after it), "shutdown" (a .shutdown callback)
kept_why = {}
# helpers that must stay
blocked = set()
# devices (as spelled) a release the patch leaves still releases
still_released = set()
# function -> names read by the tests of the branches removed in it
emptied = {}

def drop(p, lines):
	"""True when the release at p is not to be removed."""
	if (p[0].file, p[0].line) in kept:
		return True
	return lines != "all" and p[0].line not in lines.split(",")

def plain(E):
	"""True when evaluating E has no effect (it can be dropped): no
	call but of an upper-case macro (a flag test such as
	PSNET_FLAG_ON(psnet, F)), no assignment."""
	import re
	E = re.sub(r"\b[A-Z][A-Z0-9_]*\s*\(", "", E)
	return not any(t in E for t in ("(", "=", "++", "--"))

@convert_enable depends on patch && managed && convert@
expression d;
@@
- pci_enable_device(d)
+ pcim_enable_device(d)

@depends on convert_enable@
expression E, e;
statement S;
@@
- if (E) {
-	pci_disable_device(e);
-	S
- }
+ if (E)
+	S

@depends on convert_enable@
expression e;
@@
- pci_disable_device(e);

@dev@
expression d;
@@
pcim_enable_device(d)

// releases that are not redundant
@needed depends on dev@
expression e;
position p;
@@
(
pci_free_irq_vectors@p(e);
|
pci_disable_msi@p(e);
|
pci_disable_msix@p(e);
)
... when exists
    when any
(
pci_alloc_irq_vectors(...)
|
pci_alloc_irq_vectors_affinity(...)
|
pci_enable_msi(...)
|
pci_enable_msix_range(...)
|
pci_enable_msix_exact(...)
|
request_irq(...)
|
request_threaded_irq(...)
|
devm_request_irq(...)
|
devm_request_threaded_irq(...)
|
pci_request_irq(...)
)

@script:python depends on needed@
p << needed.p;
@@
kept.add((p[0].file, p[0].line))
kept_why[(p[0].file, p[0].line)] = "fallback"

@needed_on_success depends on dev@
expression e;
position p;
@@
(
pci_free_irq_vectors@p(e);
|
pci_disable_msi@p(e);
|
pci_disable_msix@p(e);
)
... when exists
    when any
return 0;

@script:python depends on needed_on_success@
p << needed_on_success.p;
@@
kept.add((p[0].file, p[0].line))
kept_why[(p[0].file, p[0].line)] = "goes-on"

@shutdown_callback depends on dev@
identifier drv, fn;
@@
struct pci_driver drv = { ..., .shutdown = fn, ... };

@in_shutdown depends on shutdown_callback@
identifier shutdown_callback.fn;
expression e;
position p;
@@
fn(...)
{
<+...
(
pci_free_irq_vectors@p(e);
|
pci_disable_msi@p(e);
|
pci_disable_msix@p(e);
)
...+>
}

@script:python depends on in_shutdown@
p << in_shutdown.p;
@@
kept.add((p[0].file, p[0].line))
kept_why[(p[0].file, p[0].line)] = "shutdown"

// a helper whose whole body is the release, and that is only ever
// called (not stored in an ops table): remove it and its calls
@candidate depends on dev && patch && managed@
identifier f, x;
parameter list ps;
expression e, E;
type T;
position p;
@@
static void f(ps)
{
(
	pci_free_irq_vectors@p(e);
|
	pci_disable_msi@p(e);
|
	pci_disable_msix@p(e);
|
	T x = E;

	pci_free_irq_vectors@p(x);
)
}

@script:python depends on candidate@
lines << virtual.lines;
p << candidate.p;
@@
if drop(p, lines):
	cocci.include_match(False)

// a helper the driver registered as its own devres action: with the
// managed allocator devres releases the vectors, so the registration goes
// with the helper
@registered depends on candidate@
identifier candidate.f, r;
expression D, E;
statement S;
@@
(
- r = devm_add_action_or_reset(D, f, E);
- if (\(r\|r < 0\)) S
|
- r = devm_add_action(D, f, E);
- if (\(r\|r < 0\)) S
|
- return devm_add_action_or_reset(D, f, E);
+ return 0;
|
- return devm_add_action(D, f, E);
+ return 0;
)

@stored_in_table depends on candidate@
identifier candidate.f, fld, x;
type T;
@@
T x = { ..., .fld = f, ... };

@stored_elsewhere depends on candidate@
identifier candidate.f, g;
expression E;
@@
(
  E = f
|
  &f
|
  g(..., f, ...)
)

// a call that is a branch of its own under a condition that does
// something: the helper stays
@call_blocks depends on candidate@
identifier candidate.f;
expression E;
expression list es;
@@
if (E) f(es);

@script:python depends on call_blocks@
f << candidate.f;
E << call_blocks.E;
@@
if not plain(E):
	blocked.add(f)

@helper_ok depends on candidate && !stored_in_table && !stored_elsewhere@
identifier candidate.f;
@@
f(...) { ... }

@script:python depends on helper_ok@
f << candidate.f;
@@
if f in blocked:
	cocci.include_match(False)

@helper depends on helper_ok@
identifier candidate.f, x;
parameter list ps;
expression e, E;
type T;
@@
- static void f(ps)
- {
(
-	pci_free_irq_vectors(e);
|
-	pci_disable_msi(e);
|
-	pci_disable_msix(e);
|
-	T x = E;
-
-	pci_free_irq_vectors(x);
)
- }

@depends on helper@
identifier candidate.f;
expression E;
expression list es;
@@
- if (E)
-	f(es);

@depends on helper@
identifier candidate.f;
expression list es;
@@
- f(es);

// an unwind label whose only statement is the release: send its gotos to
// the next label, and remove it with the release
// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again1@
expression d;
@@
pcim_enable_device(d)

@empty_label depends on dev_again1 && patch && managed@
identifier l1, l2;
expression e;
position p;
@@
  l1:
(
  pci_free_irq_vectors@p(e);
|
  pci_disable_msi@p(e);
|
  pci_disable_msix@p(e);
)
  l2:

@script:python depends on empty_label@
lines << virtual.lines;
p << empty_label.p;
@@
if drop(p, lines):
	cocci.include_match(False)

@depends on empty_label@
identifier empty_label.l1, empty_label.l2;
@@
- goto l1;
+ goto l2;

@depends on empty_label@
identifier empty_label.l1, empty_label.l2;
expression e;
@@
- l1:
(
- pci_free_irq_vectors(e);
|
- pci_disable_msi(e);
|
- pci_disable_msix(e);
)
  l2:

// a label whose release is followed by the return of a variable: its
// gotos return that variable, the label and the release go, and a return
// the removal left after another return (no path falls into it) goes
@dev_again1r@
expression d;
@@
pcim_enable_device(d)

@return_label depends on dev_again1r && patch && managed@
identifier l, r;
expression e;
position p;
@@
  l:
(
  pci_free_irq_vectors@p(e);
|
  pci_disable_msi@p(e);
|
  pci_disable_msix@p(e);
)
  return r;

@script:python depends on return_label@
lines << virtual.lines;
p << return_label.p;
@@
if drop(p, lines):
	cocci.include_match(False)

@depends on return_label@
identifier return_label.l, return_label.r;
@@
- goto l;
+ return r;

@depends on return_label@
identifier return_label.l, return_label.r;
expression e;
@@
- l:
(
- pci_free_irq_vectors(e);
|
- pci_disable_msi(e);
|
- pci_disable_msix(e);
)
  return r;

@depends on return_label@
identifier return_label.r;
expression X;
@@
  return X;
- return r;

// a branch whose only statement is the release goes, when its condition
// is a plain value (nothing is evaluated for its effect)
// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again2@
expression d;
@@
pcim_enable_device(d)

// a release that is the whole of an else-if: the else goes with it
// (ptdma's pt_free_irqs(): else if (pt->pt_irq) pci_disable_msi(pdev);)
@else_if_branch depends on dev_again2 && patch && managed@
expression E, E2, e;
statement S;
position p;
@@
if (E) S else if (E2)
(
  pci_free_irq_vectors@p(e);
|
  pci_disable_msi@p(e);
|
  pci_disable_msix@p(e);
)

@script:python depends on else_if_branch@
lines << virtual.lines;
p << else_if_branch.p;
E2 << else_if_branch.E2;
@@
if drop(p, lines) or not plain(E2):
	cocci.include_match(False)

@depends on else_if_branch@
expression else_if_branch.E, else_if_branch.E2, else_if_branch.e;
statement else_if_branch.S;
identifier release = { pci_free_irq_vectors, pci_disable_msi,
		       pci_disable_msix };
@@
  if (E) S
- else if (E2)
-	release(e);

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again2b@
expression d;
@@
pcim_enable_device(d)

@only_branch depends on dev_again2b && patch && managed@
expression E, e;
position p;
@@
if (E)
(
  pci_free_irq_vectors@p(e);
|
  pci_disable_msi@p(e);
|
  pci_disable_msix@p(e);
)

@script:python depends on only_branch@
lines << virtual.lines;
p << only_branch.p;
E << only_branch.E;
@@
if drop(p, lines):
	cocci.include_match(False)
elif not plain(E):
	# the branch cannot go and would be left empty: keep the release
	kept.add((p[0].file, p[0].line))
	cocci.include_match(False)
else:
	# the names its test reads, which may be left unused
	import re
	emptied.setdefault(p[0].current_element, set()).update(
		re.findall(r"[A-Za-z_][A-Za-z0-9_]*", E))

@depends on only_branch@
expression only_branch.E, only_branch.e;
@@
(
- if (E)
-	pci_free_irq_vectors(e);
|
- if (E)
-	pci_disable_msi(e);
|
- if (E)
-	pci_disable_msix(e);
)

// a local that only the test of a removed branch read (snet_main:
// psnet = snet->psnet) goes with it, when reading it had no effect
@dev_again2c@
expression d;
@@
pcim_enable_device(d)

@unused_local depends on dev_again2c && patch && managed@
identifier fn : script:python () { fn in emptied };
identifier x;
type T;
expression init;
position p;
@@
fn(...) {
  ... when any
  T x@p = init;
  ... when != x
}

@script:python depends on unused_local@
p << unused_local.p;
x << unused_local.x;
init << unused_local.init;
@@
if x not in emptied.get(p[0].current_element, ()) or not plain(init):
	cocci.include_match(False)

@depends on unused_local@
identifier unused_local.x;
type unused_local.T;
expression unused_local.init;
position unused_local.p;
@@
- T x@p = init;

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again3@
expression d;
@@
pcim_enable_device(d)

@only_else depends on dev_again3 && patch && managed@
expression E, e;
statement S;
position p;
@@
if (E) S else
(
  pci_free_irq_vectors@p(e);
|
  pci_disable_msi@p(e);
|
  pci_disable_msix@p(e);
)

@script:python depends on only_else@
lines << virtual.lines;
p << only_else.p;
@@
if drop(p, lines):
	cocci.include_match(False)

@depends on only_else@
expression only_else.E, only_else.e;
statement only_else.S;
@@
  if (E) S
- else
(
-	pci_free_irq_vectors(e);
|
-	pci_disable_msi(e);
|
-	pci_disable_msix(e);
)

// a branch left with one statement loses its braces
// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again4@
expression d;
@@
pcim_enable_device(d)

@braced depends on dev_again4 && patch && managed@
expression E, e;
statement S;
position p;
@@
if (E) {
(
  pci_free_irq_vectors@p(e);
|
  pci_disable_msi@p(e);
|
  pci_disable_msix@p(e);
)
  S
}

@script:python depends on braced@
lines << virtual.lines;
p << braced.p;
@@
if drop(p, lines):
	cocci.include_match(False)

@depends on braced@
expression braced.E, braced.e;
statement braced.S;
@@
(
- if (E) {
-	pci_free_irq_vectors(e);
-	S
- }
+ if (E)
+	S
|
- if (E) {
-	pci_disable_msi(e);
-	S
- }
+ if (E)
+	S
|
- if (E) {
-	pci_disable_msix(e);
-	S
- }
+ if (E)
+	S
)

// the same with the release last in the block (int340x's remove():
// free_irq() and then the release)
@dev_again4b@
expression d;
@@
pcim_enable_device(d)

@braced_last depends on dev_again4b && patch && managed@
expression E, e;
statement S;
position p;
@@
if (E) {
  S
(
  pci_free_irq_vectors@p(e);
|
  pci_disable_msi@p(e);
|
  pci_disable_msix@p(e);
)
}

@script:python depends on braced_last@
lines << virtual.lines;
p << braced_last.p;
@@
if drop(p, lines):
	cocci.include_match(False)

@depends on braced_last@
expression braced_last.E, braced_last.e;
statement braced_last.S;
@@
(
- if (E) {
-	S
-	pci_free_irq_vectors(e);
- }
+ if (E)
+	S
|
- if (E) {
-	S
-	pci_disable_msi(e);
- }
+ if (E)
+	S
|
- if (E) {
-	S
-	pci_disable_msix(e);
- }
+ if (E)
+	S
)

// every other flagged release
// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again5@
expression d;
@@
pcim_enable_device(d)

@plain depends on dev_again5 && patch && managed@
expression e;
position p;
@@
(
pci_free_irq_vectors@p(e);
|
pci_disable_msi@p(e);
|
pci_disable_msix@p(e);
)

@script:python depends on plain@
lines << virtual.lines;
p << plain.p;
@@
if drop(p, lines):
	cocci.include_match(False)

@depends on plain@
expression plain.e;
position plain.p;
@@
(
- pci_free_irq_vectors@p(e);
|
- pci_disable_msi@p(e);
|
- pci_disable_msix@p(e);
)

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again6@
expression d;
@@
pcim_enable_device(d)

// a device whose vectors the driver still releases itself (a kept
// release, or another device of the driver the reports do not name)
// keeps its allocator: switched, the release left would be a second one
@remaining depends on dev_again6 && patch && managed@
expression e;
@@
(
pci_free_irq_vectors(e);
|
pci_disable_msi(e);
|
pci_disable_msix(e);
)

@script:python@
e << remaining.e;
@@
still_released.add(e)

@alloc depends on dev_again6 && patch && managed@
expression d;
expression list es;
position p;
@@
(
pci_alloc_irq_vectors@p(d, es)
|
pci_alloc_irq_vectors_affinity@p(d, es)
)

@script:python@
d << alloc.d;
@@
if d in still_released:
	cocci.include_match(False)

@depends on alloc@
position alloc.p;
expression list es;
@@
// the name only: the arguments keep their lines (irqcheck fix aligns
// them under the longer name)
(
- pci_alloc_irq_vectors@p
+ pcim_alloc_irq_vectors
  (es)
|
- pci_alloc_irq_vectors_affinity@p
+ pcim_alloc_irq_vectors_affinity
  (es)
)

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again7@
expression d;
@@
pcim_enable_device(d)

@depends on dev_again7 && context@
expression e;
@@
(
* pci_free_irq_vectors(e);
|
* pci_disable_msi(e);
|
* pci_disable_msix(e);
)

// report and org print each release alone, with no context diff
@release depends on dev_again7 && (org || report)@
expression e;
position p;
@@
(
pci_free_irq_vectors@p(e);
|
pci_disable_msi@p(e);
|
pci_disable_msix@p(e);
)

@script:python depends on org@
p << release.p;
@@
cocci.print_main("release of devres-managed vectors", p)

@script:python depends on report@
p << release.p;
@@
coccilib.report.print_report(p[0], "explicit release of vectors that devres also releases after pcim_enable_device()")

// irqcheck fix reads which releases stayed and why from the output
@finalize:python depends on patch@
@@
for (f, l) in sorted(kept):
	print("irqcheck-kept-release %s %s" % (l, kept_why.get((f, l), "other")))
