/* Unmanaged device: probe() allocates the vectors and requests a handler;
 * remove() frees the handler and disables the device, but never releases
 * the vectors. */
#include <linux/pci.h>

struct foo {
	int nvec;
};

static irqreturn_t foo_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct foo *foo;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	foo = devm_kzalloc(&pdev->dev, sizeof(*foo), GFP_KERNEL);
	if (!foo) {
		ret = -ENOMEM;
		goto err_disable;
	}
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (ret < 0)
		goto err_disable;
	foo->nvec = ret;
	ret = request_irq(pci_irq_vector(pdev, 0), foo_irq, 0, "foo", foo);
	if (ret)
		goto err_vectors;
	pci_set_drvdata(pdev, foo);
	return 0;

err_vectors:
	pci_free_irq_vectors(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void foo_remove(struct pci_dev *pdev)
{
	struct foo *foo = pci_get_drvdata(pdev);

	free_irq(pci_irq_vector(pdev, 0), foo);
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
