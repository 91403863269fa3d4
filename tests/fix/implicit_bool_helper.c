/* The vectors are allocated in a bool helper only probe calls (cxl's
 * cxl_alloc_irq_vectors()): its failure returns false, and so does the
 * action's, through a new error variable (the count would read oddly
 * holding an error). */
#include <linux/pci.h>
#include <linux/interrupt.h>

static bool cxb_alloc_irq_vectors(struct pci_dev *pdev)
{
	int nvecs;

	nvecs = pci_alloc_irq_vectors(pdev, 1, 16, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (nvecs < 1) {
		dev_dbg(&pdev->dev, "Failed to alloc irq vectors: %d\n", nvecs);
		return false;
	}
	return true;
}

static int cxb_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int rc;

	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	if (!cxb_alloc_irq_vectors(pdev))
		dev_info(&pdev->dev, "no interrupts: polling\n");
	return 0;
}

static struct pci_driver cxb_driver = {
	.name = "cxb",
	.probe = cxb_probe,
};
