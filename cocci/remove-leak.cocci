// SPDX-License-Identifier: GPL-2.0-only
/// A remove() callback of an unmanaged PCI driver that returns without
/// releasing the interrupt vectors probe() allocated leaks them. Release
/// them with pci_free_irq_vectors() (which undoes MSI-X, MSI and the
/// irq-vector API alike): before pci_disable_device() when remove() calls
/// it, else at the end, and before an early return that skips the release.
///
/// irqcheck fix passes the remove() callbacks that leak at their end as
/// -D functions=F1,F2 and the lines of leaking early returns as
/// -D lines=L1,L2 ("none" for an empty list), and validates the result.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: remove, pci_free_irq_vectors, leak

virtual patch
virtual context
virtual org
virtual report

@early@
identifier fn, pdev;
position p;
@@
void fn(struct pci_dev *pdev)
{
  <+...
  return@p;
  ...+>
}

@script:python depends on early@
lines << virtual.lines;
p << early.p;
@@
if p[0].line not in lines.split(","):
	cocci.include_match(False)

@depends on patch@
identifier early.pdev;
position early.p;
@@
+ pci_free_irq_vectors(pdev);
  return@p;

@whole@
identifier fn, pdev;
@@
void fn(struct pci_dev *pdev)
{
  ...
}

@script:python depends on whole@
functions << virtual.functions;
fn << whole.fn;
@@
if fn not in functions.split(","):
	cocci.include_match(False)

@before_disable depends on patch@
identifier whole.fn, whole.pdev;
@@
void fn(struct pci_dev *pdev)
{
  ... when != pci_free_irq_vectors(pdev)
      when != pci_disable_msi(pdev)
      when != pci_disable_msix(pdev)
+ pci_free_irq_vectors(pdev);
  pci_disable_device(pdev);
}

@depends on patch && !before_disable@
identifier whole.fn, whole.pdev;
@@
void fn(struct pci_dev *pdev)
{
  ... when != pci_free_irq_vectors(pdev)
      when != pci_disable_msi(pdev)
      when != pci_disable_msix(pdev)
+ pci_free_irq_vectors(pdev);
}

@shown depends on context || org || report@
identifier fn, pdev;
position p;
@@
void fn@p(struct pci_dev *pdev)
{
  ... when != pci_free_irq_vectors(pdev)
      when != pci_disable_msi(pdev)
      when != pci_disable_msix(pdev)
* pci_disable_device(pdev);
}

@script:python depends on org@
p << shown.p;
@@
cocci.print_main("remove() disables the device without releasing its vectors", p)

@script:python depends on report@
p << shown.p;
@@
coccilib.report.print_report(p[0], "remove() disables the device without releasing its vectors: check that probe() allocated none")
