/* Managed device that enables MSI without checking, in a probe that
 * unwinds through labels: the action's failure goes to the unwind of the
 * next failure check (the handler request's), which is what holds at
 * that point. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct waldo {
	void *buf;
	int irq;
};

static irqreturn_t waldo_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int waldo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct waldo *waldo;
	unsigned long irqflags;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	waldo = devm_kzalloc(&pdev->dev, sizeof(*waldo), GFP_KERNEL);
	if (!waldo)
		return -ENOMEM;
	waldo->buf = kzalloc(64, GFP_KERNEL);
	if (!waldo->buf)
		return -ENOMEM;
	pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	waldo->irq = pdev->irq;
	irqflags = pci_dev_msi_enabled(pdev) ? 0 : IRQF_SHARED;
	err = request_irq(pdev->irq, waldo_isr, irqflags, "waldo", waldo);
	if (err) {
		dev_err(&pdev->dev, "cannot request irq %d\n", pdev->irq);
		goto err_free;
	}
	pci_set_drvdata(pdev, waldo);
	return 0;
err_free:
	kfree(waldo->buf);
	return err;
}

static void waldo_remove(struct pci_dev *pdev)
{
	struct waldo *waldo = pci_get_drvdata(pdev);

	free_irq(waldo->irq, waldo);
	kfree(waldo->buf);
}

static struct pci_driver waldo_driver = {
	.name = "waldo",
	.probe = waldo_probe,
	.remove = waldo_remove,
};
