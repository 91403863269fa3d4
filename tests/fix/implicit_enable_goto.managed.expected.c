/* Managed device whose probe unwinds through a label from the start (the
 * shape of mtip32xx and gpio-thunderx): the MSI-X vectors come from a
 * call inside a condition and are never released, and the failure of
 * pcim_enable_device() jumps to the label that frees the private data.
 * The devres action goes after pcim_enable_device() and its own failure
 * jumps to the same label. */
#include <linux/interrupt.h>
#include <linux/pci.h>

struct wib {
	int nvec;
};

static irqreturn_t wib_interrupt(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int wib_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct wib *wib;
	int rv;

	wib = kzalloc(sizeof(*wib), GFP_KERNEL);
	if (!wib)
		return -ENOMEM;
	rv = pcim_enable_device(pdev);
	if (rv < 0) {
		dev_err(&pdev->dev, "cannot enable the device\n");
		goto out_free;
	}
	if ((wib->nvec = pcim_alloc_irq_vectors(pdev, 1, 4,
						PCI_IRQ_MSIX)) < 0) {
		rv = wib->nvec;
		goto out_free;
	}
	rv = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, 0),
			      wib_interrupt, 0, "wib", wib);
	if (rv)
		goto out_free;
	pci_set_drvdata(pdev, wib);
	return 0;

out_free:
	kfree(wib);
	return rv;
}

static void wib_remove(struct pci_dev *pdev)
{
	kfree(pci_get_drvdata(pdev));
}

static struct pci_driver wib_driver = {
	.name = "wib",
	.probe = wib_probe,
	.remove = wib_remove,
};
