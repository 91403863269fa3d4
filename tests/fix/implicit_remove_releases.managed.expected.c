/* Managed device that releases its vectors itself in remove() and when
 * its handler cannot be had (a second release while the hybrid rule
 * stands, the only one after) but relies on the hybrid rule when its
 * hardware set-up fails. The devres action covers that; the driver's own
 * releases then leave it nothing to do, harmless in both worlds, and are
 * kept (the re-scan reports them beside the action, the release the
 * patch names). */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct garply {
	int irq;
};

int garply_hw_init(struct garply *garply);

static irqreturn_t garply_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int garply_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct garply *garply;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	garply = devm_kzalloc(&pdev->dev, sizeof(*garply), GFP_KERNEL);
	if (!garply)
		return -ENOMEM;
	ret = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (ret < 0)
		return ret;
	ret = garply_hw_init(garply);
	if (ret)
		return ret;
	garply->irq = pci_irq_vector(pdev, 0);
	ret = request_irq(garply->irq, garply_isr, 0, "garply", garply);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, garply);
	return 0;
}

static void garply_remove(struct pci_dev *pdev)
{
	struct garply *garply = pci_get_drvdata(pdev);

	free_irq(garply->irq, garply);
}

static struct pci_driver garply_driver = {
	.name = "garply",
	.probe = garply_probe,
	.remove = garply_remove,
};
