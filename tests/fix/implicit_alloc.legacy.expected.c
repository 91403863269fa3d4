/* Managed device, vectors from the unmanaged allocator, never released:
 * only the PCI core's hybrid rule releases them. */
#include <linux/pci.h>

struct qux {
	int nvec;
};

static void qux_free_irq_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

static int qux_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct qux *qux;
	int nvec, ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	qux = devm_kzalloc(&pdev->dev, sizeof(*qux), GFP_KERNEL);
	if (!qux)
		return -ENOMEM;
	nvec = pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX);
	if (nvec < 0)
		return nvec;
	ret = devm_add_action_or_reset(&pdev->dev, qux_free_irq_vectors, pdev);
	if (ret)
		return ret;
	qux->nvec = nvec;
	pci_set_drvdata(pdev, qux);
	return 0;
}

static void qux_remove(struct pci_dev *pdev)
{
}

static struct pci_driver qux_driver = {
	.name = "qux",
	.probe = qux_probe,
	.remove = qux_remove,
};
