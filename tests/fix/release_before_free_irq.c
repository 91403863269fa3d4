/* remove() disables MSI before freeing the handler that is attached to
 * the MSI vector. */
#include <linux/pci.h>

static irqreturn_t foo_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_enable_msi(pdev);
	if (ret)
		goto out_disable;
	ret = request_irq(pdev->irq, foo_irq, 0, "foo", pdev);
	if (ret)
		goto out_msi;
	return 0;

out_msi:
	pci_disable_msi(pdev);
out_disable:
	pci_disable_device(pdev);
	return ret;
}

static void foo_remove(struct pci_dev *pdev)
{
	pci_disable_msi(pdev);
	free_irq(pdev->irq, pdev);
	pci_disable_device(pdev);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
