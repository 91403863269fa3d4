/* Managed device, unmanaged vectors, explicit releases in probe's unwind
 * ladder and in remove(): devres releases the vectors a second time. */
#include <linux/pci.h>

struct foo {
	struct pci_dev *pdev;
	int nvec;
};

static irqreturn_t foo_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int foo_hw_init(struct foo *foo);

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct foo *foo;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	foo = devm_kzalloc(&pdev->dev, sizeof(*foo), GFP_KERNEL);
	if (!foo)
		return -ENOMEM;
	foo->pdev = pdev;
	ret = pcim_alloc_irq_vectors(pdev, 1, 4, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	foo->nvec = ret;
	ret = request_irq(pci_irq_vector(pdev, 0), foo_irq, 0, "foo", foo);
	if (ret)
		goto err_out;
	ret = foo_hw_init(foo);
	if (ret)
		goto err_irq;
	pci_set_drvdata(pdev, foo);
	return 0;

err_irq:
	free_irq(pci_irq_vector(pdev, 0), foo);
err_out:
	return ret;
}

static void foo_remove(struct pci_dev *pdev)
{
	struct foo *foo = pci_get_drvdata(pdev);

	free_irq(pci_irq_vector(foo->pdev, 0), foo);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
module_pci_driver(foo_driver);
