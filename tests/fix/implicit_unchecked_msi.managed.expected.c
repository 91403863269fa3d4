/* Managed device that turns MSI on when a flag allows and does not check
 * the result: the vector is released only by the PCI core's hybrid rule.
 * The devres action goes right after the allocation (the branch gets
 * braces), before the devm handler on it. The file is UTF-8 (Jöns Müller wrote it). */
#include <linux/pci.h>
#include <linux/interrupt.h>

#define CORGE_NO_MSI 1

struct corge {
	unsigned long flags;
};

static irqreturn_t corge_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int corge_init_one(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct corge *corge;
	int rc;

	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	corge = devm_kzalloc(&pdev->dev, sizeof(*corge), GFP_KERNEL);
	if (!corge)
		return -ENOMEM;
	corge->flags = pdev->device == 0x1234 ? CORGE_NO_MSI : 0;
	if (!(corge->flags & CORGE_NO_MSI))
		pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	rc = devm_request_irq(&pdev->dev, pdev->irq, corge_isr, IRQF_SHARED,
			      "corge", corge);
	if (rc)
		return rc;
	pci_set_drvdata(pdev, corge);
	return 0;
}

static struct pci_driver corge_driver = {
	.name = "corge",
	.probe = corge_init_one,
};
