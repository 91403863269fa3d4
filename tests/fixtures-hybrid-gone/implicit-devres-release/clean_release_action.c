/* With the hybrid rule gone, a devres action that releases the vectors
 * (what irqcheck fix adds on a tree without pcim_alloc_irq_vectors())
 * is their release on every path: nothing to report. */
#include <linux/pci.h>

int qux_hw_init(struct pci_dev *pdev);

static void qux_free_irq_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

static int qux_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	ret = devm_add_action_or_reset(&pdev->dev, qux_free_irq_vectors, pdev);
	if (ret)
		return ret;
	ret = qux_hw_init(pdev);
	if (ret)
		return ret;
	return 0;
}

static struct pci_driver qux_driver = {
	.name = "qux",
	.probe = qux_probe,
};
