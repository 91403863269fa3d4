/* Managed device, MSI vectors allocated in a condition that falls back to
 * the legacy interrupt, never released: only the PCI core's hybrid rule
 * releases them (the shape of i2c-ismt and sata_sil24). No allocation
 * site has a failure check to put the release after, so the devres
 * action goes right after pcim_enable_device(). */
#include <linux/interrupt.h>
#include <linux/pci.h>

struct zot {
	int irq;
};

static irqreturn_t zot_interrupt(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int zot_init_irq(struct pci_dev *pdev, struct zot *zot)
{
	if (pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI) < 0)
		goto intx;
	zot->irq = pci_irq_vector(pdev, 0);
	return devm_request_irq(&pdev->dev, zot->irq, zot_interrupt, 0, "zot",
				zot);
intx:
	zot->irq = pdev->irq;
	return devm_request_irq(&pdev->dev, zot->irq, zot_interrupt,
				IRQF_SHARED, "zot", zot);
}

static int zot_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct zot *zot;
	int ret;

	zot = devm_kzalloc(&pdev->dev, sizeof(*zot), GFP_KERNEL);
	if (!zot)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret) {
		dev_err(&pdev->dev, "cannot enable the device (%d)\n", ret);
		return ret;
	}
	pci_set_master(pdev);
	return zot_init_irq(pdev, zot);
}

static void zot_remove(struct pci_dev *pdev)
{
}

static struct pci_driver zot_driver = {
	.name = "zot",
	.probe = zot_probe,
	.remove = zot_remove,
};
