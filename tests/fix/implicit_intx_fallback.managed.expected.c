/* Managed device that tries MSI and falls back to its legacy interrupt
 * through a label: the MSI vector is released only by the PCI core's
 * hybrid rule. The action is registered on the MSI way, before its devm
 * handler; its failure falls back as the allocation's does. The managed
 * conversion switches the allocator and keeps the release the fallback
 * needs (i2c-ismt's shape). */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct plugh {
	int mode;
};

static irqreturn_t plugh_msi_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static irqreturn_t plugh_intx_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int plugh_int_init(struct pci_dev *pdev, struct plugh *plugh)
{
	int err;

	err = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (err < 0)
		goto intx;
	err = devm_request_irq(&pdev->dev, pdev->irq, plugh_msi_isr, 0,
			       "plugh-msi", plugh);
	if (err) {
		pci_disable_msi(pdev);
		goto intx;
	}
	plugh->mode = 1;
	return 0;

intx:
	dev_err(&pdev->dev, "falling back to the legacy interrupt\n");
	err = devm_request_irq(&pdev->dev, pdev->irq, plugh_intx_isr,
			       IRQF_SHARED, "plugh-intx", plugh);
	if (err)
		return err;
	plugh->mode = 0;
	return 0;
}

static int plugh_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct plugh *plugh;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	plugh = devm_kzalloc(&pdev->dev, sizeof(*plugh), GFP_KERNEL);
	if (!plugh)
		return -ENOMEM;
	ret = plugh_int_init(pdev, plugh);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, plugh);
	return 0;
}

static struct pci_driver plugh_driver = {
	.name = "plugh",
	.probe = plugh_probe,
};
