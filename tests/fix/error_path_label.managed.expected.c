/* Unmanaged device with an unwind ladder whose err_free_vectors label
 * releases the vectors: two later failures return directly and leak
 * them (and the enabled device). The fix sends them to that label. */
#include <linux/pci.h>

struct foo {
	struct pci_dev *pdev;
	int nvec;
};

static irqreturn_t foo_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct foo *foo;
	int nvec, ret;

	foo = devm_kzalloc(&pdev->dev, sizeof(*foo), GFP_KERNEL);
	if (!foo)
		return -ENOMEM;
	foo->pdev = pdev;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	nvec = pci_alloc_irq_vectors(pdev, 1, 4, PCI_IRQ_MSIX);
	if (nvec < 0) {
		ret = nvec;
		goto err_disable;
	}
	foo->nvec = nvec;
	if (nvec < 2) {
		dev_err(&pdev->dev, "needs two vectors\n");
		ret = -ENOSPC;
		goto err_free_vectors;
	}
	ret = request_irq(pci_irq_vector(pdev, 0), foo_irq, 0, "foo", foo);
	if (ret)
		goto err_free_vectors;
	pci_set_drvdata(pdev, foo);
	return 0;

err_free_vectors:
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
