/* The unwind disables MSI-X under one label and falls through to a later
 * label that frees the vectors again (the paths that jump straight there
 * need it): the earlier release goes. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct fred2 {
	void *buf;
};

int fred2_map(struct pci_dev *pdev);
int fred2_start(struct fred2 *f);

static irqreturn_t fred2_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int fred2_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct fred2 *f;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	f = devm_kzalloc(&pdev->dev, sizeof(*f), GFP_KERNEL);
	if (!f) {
		ret = -ENOMEM;
		goto err_disable;
	}
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0)
		goto err_disable;
	ret = fred2_map(pdev);
	if (ret)
		goto err_vectors;
	ret = request_irq(pci_irq_vector(pdev, 0), fred2_isr, 0, "fred2", f);
	if (ret)
		goto err_vectors;
	ret = fred2_start(f);
	if (ret)
		goto err_irq;
	pci_set_drvdata(pdev, f);
	return 0;

err_irq:
	free_irq(pci_irq_vector(pdev, 0), f);
	pci_disable_msix(pdev);
err_vectors:
	pci_free_irq_vectors(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void fred2_remove(struct pci_dev *pdev)
{
	struct fred2 *f = pci_get_drvdata(pdev);

	free_irq(pci_irq_vector(pdev, 0), f);
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver fred2_driver = {
	.name = "fred2",
	.probe = fred2_probe,
	.remove = fred2_remove,
};
