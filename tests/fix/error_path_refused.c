/* The leaking error path shares its return with a path that has already
 * released the vectors: a release added before that return would release
 * them twice on the other path. The semantic patch adds none after a
 * label (error_path_shared_ladder.c); the re-scan would report the
 * double release if it did. */
#include <linux/pci.h>

static irqreturn_t foo_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int foo_hw_init(struct pci_dev *pdev);

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		goto out;
	ret = request_irq(pci_irq_vector(pdev, 0), foo_irq, 0, "foo", pdev);
	if (ret) {
		pci_free_irq_vectors(pdev);
		goto out;
	}
	ret = foo_hw_init(pdev);
	if (ret)
		goto out;
	return 0;

out:
	pci_disable_device(pdev);
	return ret;
}

static void foo_remove(struct pci_dev *pdev)
{
	free_irq(pci_irq_vector(pdev, 0), pdev);
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
