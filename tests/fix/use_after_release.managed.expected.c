/* remove() clears the affinity hint of vector 1 after the vectors are
 * released: pci_irq_vector() then reads a vector the device no longer
 * has. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct uar {
	int nvec;
};

static irqreturn_t uar_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int uar_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct uar *uar;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	uar = devm_kzalloc(&pdev->dev, sizeof(*uar), GFP_KERNEL);
	if (!uar) {
		ret = -ENOMEM;
		goto err_disable;
	}
	ret = pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX);
	if (ret < 0)
		goto err_disable;
	ret = request_irq(pci_irq_vector(pdev, 1), uar_isr, 0, "uar", uar);
	if (ret)
		goto err_vectors;
	pci_set_drvdata(pdev, uar);
	return 0;

err_vectors:
	pci_free_irq_vectors(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void uar_remove(struct pci_dev *pdev)
{
	struct uar *uar = pci_get_drvdata(pdev);

	free_irq(pci_irq_vector(pdev, 1), uar);
	irq_set_affinity_hint(pci_irq_vector(pdev, 1), NULL);
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver uar_driver = {
	.name = "uar",
	.probe = uar_probe,
	.remove = uar_remove,
};
