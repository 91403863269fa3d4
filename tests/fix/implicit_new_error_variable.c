/* Managed device whose helper keeps the vector count in its only int and
 * reads it after the allocation: the action's error gets a variable of
 * its own, declared after the others. */
#include <linux/pci.h>

struct fred {
	int nvec;
};

static int fred_setup_irqs(struct pci_dev *pdev, struct fred *fred)
{
	int nvec;

	nvec = pci_alloc_irq_vectors(pdev, 1, 4, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (nvec < 0)
		return nvec;
	fred->nvec = nvec;
	return 0;
}

static int fred_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct fred *fred;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	fred = devm_kzalloc(&pdev->dev, sizeof(*fred), GFP_KERNEL);
	if (!fred)
		return -ENOMEM;
	ret = fred_setup_irqs(pdev, fred);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, fred);
	return 0;
}

static struct pci_driver fred_driver = {
	.name = "fred",
	.probe = fred_probe,
};
