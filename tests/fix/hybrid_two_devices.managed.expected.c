/* Two drivers in one file: the managed one's release is redundant, the
 * unmanaged one's is needed. Only the release irqcheck reports may go,
 * and only the managed driver's allocator is switched: removing the
 * other release would leak, switching the other allocator would release
 * twice, and the re-scan would report either. */
#include <linux/pci.h>

static int mgd_probe(struct pci_dev *pdev, const struct pci_device_id *id)
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

static void mgd_remove(struct pci_dev *pdev)
{
}

static int raw_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0) {
		pci_disable_device(pdev);
		return ret;
	}
	return 0;
}

static void raw_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver mgd_driver = {
	.name = "mgd",
	.probe = mgd_probe,
	.remove = mgd_remove,
};

static struct pci_driver raw_driver = {
	.name = "raw",
	.probe = raw_probe,
	.remove = raw_remove,
};
