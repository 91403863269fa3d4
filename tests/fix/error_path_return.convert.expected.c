/* Unmanaged device: a helper allocates the vectors, then returns on a
 * failing request_irq() without releasing them. */
#include <linux/pci.h>

struct foo {
	struct pci_dev *pdev;
	int nvec;
};

static irqreturn_t foo_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int foo_init_irqs(struct foo *foo)
{
	int nvec, ret;

	nvec = pcim_alloc_irq_vectors(foo->pdev, 1, 8, PCI_IRQ_MSIX);
	if (nvec < 0)
		return nvec;
	foo->nvec = nvec;
	ret = request_irq(pci_irq_vector(foo->pdev, 0), foo_irq, 0, "foo",
			  foo);
	if (ret)
		return ret;
	return 0;
}

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct foo *foo;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	foo = kzalloc(sizeof(*foo), GFP_KERNEL);
	if (!foo) {
		ret = -ENOMEM;
		goto err_disable;
	}
	foo->pdev = pdev;
	ret = foo_init_irqs(foo);
	if (ret)
		goto err_free;
	pci_set_drvdata(pdev, foo);
	return 0;

err_free:
	kfree(foo);
err_disable:
	return ret;
}

static void foo_remove(struct pci_dev *pdev)
{
	struct foo *foo = pci_get_drvdata(pdev);

	free_irq(pci_irq_vector(pdev, 0), foo);
	kfree(foo);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
