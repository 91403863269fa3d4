/* remove() frees with free_irq() a handler probe requested with
 * devm_request_irq(): devres frees it again at detach. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct thud {
	int irq;
};

static irqreturn_t thud_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int thud_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct thud *thud;
	int rc;

	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	thud = devm_kzalloc(&pdev->dev, sizeof(*thud), GFP_KERNEL);
	if (!thud)
		return -ENOMEM;
	rc = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (rc < 0)
		return rc;
	thud->irq = pci_irq_vector(pdev, 0);
	rc = devm_request_irq(&pdev->dev, thud->irq, thud_isr, 0, "thud", thud);
	if (rc)
		return rc;
	pci_set_drvdata(pdev, thud);
	return 0;
}

static void thud_remove(struct pci_dev *pdev)
{
	struct thud *thud = pci_get_drvdata(pdev);

	devm_free_irq(&pdev->dev, thud->irq, thud);
}

static struct pci_driver thud_driver = {
	.name = "thud",
	.probe = thud_probe,
	.remove = thud_remove,
};
