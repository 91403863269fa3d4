/* The request_irq() failure jumps to a label below the one that frees the
 * vectors: the unwind ladder is entered one step too low, so the vectors
 * allocated on the unmanaged device leak on that error path. */
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

	foo = devm_kzalloc(&pdev->dev, sizeof(*foo), GFP_KERNEL);
	if (!foo)
		return -ENOMEM;
	foo->pdev = pdev;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 4, PCI_IRQ_MSIX | PCI_IRQ_MSI);
	if (ret < 0)
		goto err_disable;
	foo->nvec = ret;
	ret = request_irq(pci_irq_vector(pdev, 0), foo_irq, 0, "foo", foo);
	if (ret)
		goto err_disable;
	ret = foo_hw_init(foo);
	if (ret)
		goto err_free_irq;
	pci_set_drvdata(pdev, foo);
	return 0;

err_free_irq:
	free_irq(pci_irq_vector(pdev, 0), foo);
err_free_vectors:
	pci_free_irq_vectors(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret; /* expect: error-path-leak */
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
module_pci_driver(foo_driver);
