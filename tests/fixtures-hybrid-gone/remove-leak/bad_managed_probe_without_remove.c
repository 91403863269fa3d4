/* With the hybrid rule gone, vectors from pci_alloc_irq_vectors() that a
 * managed probe keeps are released by nothing: the driver has no
 * remove(). Reported at the allocation. */
#include <linux/pci.h>

static int bar_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI); /* expect: remove-leak */
	if (ret < 0)
		return ret;
	return 0;
}

static struct pci_driver bar_driver = {
	.name = "bar",
	.probe = bar_probe,
};
