// SPDX-License-Identifier: GPL-2.0-only
/// After pcim_enable_device(), vectors from pci_alloc_irq_vectors() are
/// released by devres only because of the PCI core's hybrid rule, which
/// is being removed. Allocate them with pcim_alloc_irq_vectors() (or the
/// _affinity variant), which says so and keeps working after the change.
/// The managed allocators must exist in the tree (they do not in 6.12).
//
// Confidence: High
// Options: --no-includes --include-headers
//
// Keywords: pcim_enable_device, pcim_alloc_irq_vectors, devres

virtual patch
virtual context
virtual org
virtual report

@dev@
expression d;
@@
pcim_enable_device(d)

@depends on dev && patch@
expression list es;
@@
(
- pci_alloc_irq_vectors(es)
+ pcim_alloc_irq_vectors(es)
|
- pci_alloc_irq_vectors_affinity(es)
+ pcim_alloc_irq_vectors_affinity(es)
)

@alloc depends on dev && (context || org || report)@
expression list es;
position p;
@@
(
* pci_alloc_irq_vectors@p(es)
|
* pci_alloc_irq_vectors_affinity@p(es)
)

@script:python depends on org@
p << alloc.p;
@@
cocci.print_main("vectors released only by the hybrid devres rule", p)

@script:python depends on report@
p << alloc.p;
@@
coccilib.report.print_report(p[0], "use pcim_alloc_irq_vectors(): these vectors are released only by the PCI core's hybrid devres rule")
