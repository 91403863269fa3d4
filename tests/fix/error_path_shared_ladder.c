/* smipcie's shape: MSI is enabled near the end of probe, and the leaking
 * return is the last line of an unwind ladder that paths from before the
 * allocation also reach, after the structure the device is read from is
 * freed (or where it was never allocated). A release added before that
 * return would read freed memory: no patch. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct smx {
	struct pci_dev *pci_dev;
	void *lmmio;
};

static irqreturn_t smx_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int smx_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct smx *dev;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret < 0)
		return ret;
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		ret = -ENOMEM;
		goto err_pci_disable_device;
	}
	dev->pci_dev = pdev;
	pci_set_drvdata(pdev, dev);
	dev->lmmio = kzalloc(64, GFP_KERNEL);
	if (!dev->lmmio) {
		ret = -ENOMEM;
		goto err_kfree;
	}
	ret = pci_enable_msi(dev->pci_dev);
	if (ret)
		dev_info(&dev->pci_dev->dev, "MSI not available.\n");
	ret = request_irq(dev->pci_dev->irq, smx_isr, IRQF_SHARED, "smx", dev);
	if (ret < 0)
		goto err_free_mmio;
	return 0;

err_free_mmio:
	kfree(dev->lmmio);
err_kfree:
	pci_set_drvdata(pdev, NULL);
	kfree(dev);
err_pci_disable_device:
	pci_disable_device(pdev);
	return ret;
}

static void smx_remove(struct pci_dev *pdev)
{
	struct smx *dev = pci_get_drvdata(pdev);

	free_irq(dev->pci_dev->irq, dev);
	pci_disable_msi(dev->pci_dev);
	kfree(dev->lmmio);
	kfree(dev);
	pci_disable_device(pdev);
}

static struct pci_driver smx_driver = {
	.name = "smx",
	.probe = smx_probe,
	.remove = smx_remove,
};
