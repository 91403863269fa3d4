// SPDX-License-Identifier: GPL-2.0-only
/// After pcim_enable_device(), vectors from pci_alloc_irq_vectors(),
/// pci_enable_msi() and pci_enable_msix_range() are released by devres
/// when the driver detaches (the PCI core's hybrid rule), so an explicit
/// pci_free_irq_vectors(), pci_disable_msi() or pci_disable_msix()
/// releases them a second time. Remove the explicit releases, the helpers
/// that only released, and the unwind labels that become empty. With
/// -D managed, also switch the allocator to pcim_alloc_irq_vectors() so
/// the driver keeps working when the hybrid rule is removed (the tree must
/// have it). With -D managed -D convert, first switch an unmanaged driver
/// (pci_enable_device()) to pcim_enable_device() and drop its
/// pci_disable_device() calls: irqcheck fix --convert uses this for leaks
/// of unmanaged drivers, where devres then releases everything.
///
/// Generated patches are validated by irqcheck fix before they are
/// offered.
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

// a helper whose whole body is the release, and that is only ever
// called (not stored in an ops table): remove it and its calls
@candidate depends on dev && patch@
identifier f;
parameter list ps;
expression e;
@@
static void f(ps)
{
(
	pci_free_irq_vectors(e);
|
	pci_disable_msi(e);
|
	pci_disable_msix(e);
)
}

@stored_in_table depends on candidate@
identifier candidate.f, fld, x;
type T;
@@
T x = { ..., .fld = f, ... };

@stored_elsewhere depends on candidate@
identifier candidate.f;
expression E;
@@
(
  E = f
|
  &f
)

@helper depends on candidate && !stored_in_table && !stored_elsewhere@
identifier candidate.f;
parameter list ps;
expression e;
@@
- static void f(ps)
- {
(
-	pci_free_irq_vectors(e);
|
-	pci_disable_msi(e);
|
-	pci_disable_msix(e);
)
- }

@depends on helper@
identifier candidate.f;
expression list es;
@@
- f(es);

// a release followed by a new allocation on the same device is needed
// (the allocator fails while vectors are allocated): keep it
@realloc depends on dev && patch@
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
pci_alloc_irq_vectors(e, ...)
|
pci_alloc_irq_vectors_affinity(e, ...)
|
pci_enable_msi(e)
|
pci_enable_msix_range(e, ...)
|
pci_enable_msix_exact(e, ...)
)

// an unwind label whose only statement is the release: send its gotos to
// the next label, and remove it with the release
@empty_label depends on dev && patch@
identifier l1, l2;
expression e;
position p != realloc.p;
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

// a branch left with one statement loses its braces
@depends on dev && patch@
expression E, e;
statement S;
position p != realloc.p;
@@
(
- if (E) {
-	pci_free_irq_vectors@p(e);
-	S
- }
+ if (E)
+	S
|
- if (E) {
-	pci_disable_msi@p(e);
-	S
- }
+ if (E)
+	S
|
- if (E) {
-	pci_disable_msix@p(e);
-	S
- }
+ if (E)
+	S
)

@depends on dev && patch@
expression e;
position p != realloc.p;
@@
(
- pci_free_irq_vectors@p(e);
|
- pci_disable_msi@p(e);
|
- pci_disable_msix@p(e);
)

@depends on dev && patch && managed@
expression list es;
@@
(
- pci_alloc_irq_vectors(es)
+ pcim_alloc_irq_vectors(es)
|
- pci_alloc_irq_vectors_affinity(es)
+ pcim_alloc_irq_vectors_affinity(es)
)

@release depends on dev && (context || org || report)@
expression e;
position p;
@@
(
* pci_free_irq_vectors@p(e);
|
* pci_disable_msi@p(e);
|
* pci_disable_msix@p(e);
)

@script:python depends on org@
p << release.p;
@@
cocci.print_main("release of devres-managed vectors", p)

@script:python depends on report@
p << release.p;
@@
coccilib.report.print_report(p[0], "explicit release of vectors that devres also releases after pcim_enable_device()")
