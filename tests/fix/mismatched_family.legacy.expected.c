/* The unwind and remove() release MSI-X vectors with pci_disable_msi():
 * it finds no MSI enabled and returns, and the vectors stay allocated. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct mif {
	int irq;
};

static irqreturn_t mif_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int mif_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mif *mif = NULL;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0)
		goto err_disable;
	mif = kzalloc(sizeof(*mif), GFP_KERNEL);
	if (!mif) {
		ret = -ENOMEM;
		goto err_vectors;
	}
	mif->irq = pci_irq_vector(pdev, 0);
	ret = request_irq(mif->irq, mif_isr, 0, "mif", mif);
	if (ret)
		goto err_free;
	pci_set_drvdata(pdev, mif);
	return 0;

err_free:
	kfree(mif);
err_vectors:
	pci_free_irq_vectors(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void mif_remove(struct pci_dev *pdev)
{
	struct mif *mif = pci_get_drvdata(pdev);

	free_irq(mif->irq, mif);
	kfree(mif);
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver mif_driver = {
	.name = "mif",
	.probe = mif_probe,
	.remove = mif_remove,
};
