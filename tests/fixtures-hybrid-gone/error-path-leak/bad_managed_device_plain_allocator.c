/* With the hybrid rule gone, pcim_enable_device() does not make
 * pci_alloc_irq_vectors() managed: a failing probe that returns without
 * releasing them leaks them. */
#include <linux/pci.h>

int foo_hw_init(struct pci_dev *pdev);

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	ret = foo_hw_init(pdev);
	if (ret)
		return ret; /* expect: error-path-leak */
	return 0;
}

static void foo_remove(struct pci_dev *pdev)
{
	pci_free_irq_vectors(pdev);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
