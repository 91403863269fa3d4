// SPDX-License-Identifier: GPL-2.0-only
/// pci_free_irq_vectors(), pci_disable_msi() or pci_disable_msix() called
/// while a handler requested with request_irq() is still attached to one
/// of the vectors: the release must come after free_irq(). Move it after
/// the free_irq() that follows in the same function.
///
/// irqcheck fix passes the lines of the releases it found as
/// -D lines=L1,L2. A handler requested with devm_request_irq() is freed
/// only after remove() returns; moving the release cannot fix that, and
/// such findings get no patch.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: free_irq, pci_free_irq_vectors, ordering

virtual patch
virtual context
virtual org
virtual report

@early@
expression d, irq, data;
position p;
@@
(
pci_free_irq_vectors@p(d);
|
pci_disable_msi@p(d);
|
pci_disable_msix@p(d);
)
... when exists
    when any
free_irq(irq, data);

@script:python depends on early && patch@
lines << virtual.lines;
p << early.p;
@@
if p[0].line not in lines.split(","):
	cocci.include_match(False)

@depends on patch@
expression early.d, early.irq, early.data;
position early.p;
@@
(
- pci_free_irq_vectors@p(d);
  ...
  free_irq(irq, data);
+ pci_free_irq_vectors(d);
|
- pci_disable_msi@p(d);
  ...
  free_irq(irq, data);
+ pci_disable_msi(d);
|
- pci_disable_msix@p(d);
  ...
  free_irq(irq, data);
+ pci_disable_msix(d);
)

@script:python depends on org@
p << early.p;
@@
cocci.print_main("vectors released before free_irq()", p)

@script:python depends on report@
p << early.p;
@@
coccilib.report.print_report(p[0], "vectors released before free_irq() of a handler on them")
