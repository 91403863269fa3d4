/// Report explicit releases of interrupt vectors in files that enable the
/// device with pcim_enable_device(): under the hybrid devres rule of the
/// PCI core such vectors are released again when the driver detaches.
/// This is the file-level pattern a maintainer would search for; irqcheck
/// follows the paths. Used by scripts/bench as the Coccinelle baseline.
// Confidence: Low
// Options: --no-includes --include-headers
virtual report

@managed@
expression d;
@@
pcim_enable_device(d)

@release depends on managed && report@
expression e;
position p;
@@
(
pci_free_irq_vectors@p(e)
|
pci_disable_msi@p(e)
|
pci_disable_msix@p(e)
)

@script:python depends on report@
p << release.p;
@@
coccilib.report.print_report(p[0], "explicit release on a pcim_enable_device() device [hybrid]")
