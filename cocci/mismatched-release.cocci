// SPDX-License-Identifier: GPL-2.0-only
/// pci_disable_msi() of vectors allocated as MSI-X, or pci_disable_msix()
/// of MSI vectors: the release finds nothing of its family enabled and
/// returns, and the vectors stay allocated. Use the release of the
/// family allocated: pci_free_irq_vectors() where the driver allocates
/// with pci_alloc_irq_vectors() (it undoes either family), else the
/// other pci_disable_msi*().
///
/// irqcheck fix passes the lines of the releases it reports as
/// -D lines=L1,L2 (irqcheck reports only a release whose family the
/// vectors held cannot be: swapping it is always the match).
//
// Confidence: High
// Options: --no-includes --include-headers
//
// Keywords: pci_disable_msi, pci_disable_msix, pci_free_irq_vectors

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
# devices the file allocates for with pci_alloc_irq_vectors*()
MODERN = set()

@modern depends on patch@
expression D;
@@
\(pci_alloc_irq_vectors\|pci_alloc_irq_vectors_affinity\)(D, ...)

@script:python depends on modern@
D << modern.D;
@@
MODERN.add(D)

@release depends on patch@
identifier rel = { pci_disable_msi, pci_disable_msix };
expression D;
position p;
@@
rel@p(D)

@script:python pick depends on release@
lines << virtual.lines;
rel << release.rel;
D << release.D;
p << release.p;
f;
@@
# the release of the family allocated: the one irqcheck found is of the
# other family
if p[0].line not in lines.split(","):
	cocci.include_match(False)
elif D in MODERN:
	coccinelle.f = cocci.make_ident("pci_free_irq_vectors")
elif rel == "pci_disable_msi":
	coccinelle.f = cocci.make_ident("pci_disable_msix")
else:
	coccinelle.f = cocci.make_ident("pci_disable_msi")

@depends on pick@
identifier release.rel, pick.f;
expression release.D;
position release.p;
@@
- rel@p(D)
+ f(D)

@depends on context@
expression D;
@@
* \(pci_disable_msi\|pci_disable_msix\)(D)

// report and org print each match alone, with no context diff
@found depends on org || report@
expression D;
position p;
@@
 \(pci_disable_msi@p\|pci_disable_msix@p\)(D)

@script:python depends on org@
p << found.p;
@@
cocci.print_main("vectors released: check the family matches the allocation", p)

@script:python depends on report@
p << found.p;
@@
coccilib.report.print_report(p[0], "vectors released: check the family matches the allocation")
