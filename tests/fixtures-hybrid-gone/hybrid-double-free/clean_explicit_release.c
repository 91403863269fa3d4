/* With the hybrid rule gone, a managed driver that releases its
 * pci_alloc_irq_vectors() vectors itself is right: nothing else does. */
#include <linux/pci.h>

int baz_hw_init(struct pci_dev *pdev);

static int baz_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	ret = baz_hw_init(pdev);
	if (ret)
		goto err_vectors;
	return 0;

err_vectors:
	pci_free_irq_vectors(pdev);
	return ret;
}

static void baz_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
}

static struct pci_driver baz_driver = {
	.name = "baz",
	.probe = baz_probe,
	.remove = baz_remove,
};
