/* MSI from pci_enable_msi() released with pci_disable_msix() in remove():
 * the MSI vector stays allocated. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct mil {
	int irq;
};

static irqreturn_t mil_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int mil_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mil *mil;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	mil = kzalloc(sizeof(*mil), GFP_KERNEL);
	if (!mil) {
		ret = -ENOMEM;
		goto err_disable;
	}
	ret = pci_enable_msi(pdev);
	if (ret)
		goto err_free;
	mil->irq = pdev->irq;
	ret = request_irq(mil->irq, mil_isr, 0, "mil", mil);
	if (ret)
		goto err_msi;
	pci_set_drvdata(pdev, mil);
	return 0;

err_msi:
	pci_disable_msi(pdev);
err_free:
	kfree(mil);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void mil_remove(struct pci_dev *pdev)
{
	struct mil *mil = pci_get_drvdata(pdev);

	free_irq(mil->irq, mil);
	pci_disable_msi(pdev);
	kfree(mil);
	pci_disable_device(pdev);
}

static struct pci_driver mil_driver = {
	.name = "mil",
	.probe = mil_probe,
	.remove = mil_remove,
};
