/* Managed device that registers its own devres action to release the
 * vectors of pci_alloc_irq_vectors(): while the hybrid rule stands, devres
 * releases them twice. With pcim_alloc_irq_vectors() the action and its
 * helper go. */
#include <linux/pci.h>

static int waldo2_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	return 0;
}

static struct pci_driver waldo2_driver = {
	.name = "waldo2",
	.probe = waldo2_probe,
};
