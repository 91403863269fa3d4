/* The second handler's request fails and the function returns with the
 * first one still attached: free it before returning. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct xyzzy {
	int nvfs;
};

static irqreturn_t xyzzy_mbox_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int xyzzy_register_mbox_intr(struct pci_dev *pdev, struct xyzzy *xy)
{
	int err;

	err = request_irq(pci_irq_vector(pdev, 0), xyzzy_mbox_isr, 0,
			  "xyzzy-mbox0", xy);
	if (err) {
		dev_err(&pdev->dev, "cannot request mbox0\n");
		return err;
	}
	err = request_irq(pci_irq_vector(pdev, 1), xyzzy_mbox_isr, 0,
			  "xyzzy-mbox1", xy);
	if (err) {
		dev_err(&pdev->dev, "cannot request mbox1\n");
		free_irq(pci_irq_vector(pdev, 0), xy);
		return err;
	}
	return 0;
}

static int xyzzy_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct xyzzy *xy;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	xy = devm_kzalloc(&pdev->dev, sizeof(*xy), GFP_KERNEL);
	if (!xy)
		return -ENOMEM;
	xy->nvfs = pdev->device & 0xff;
	err = pcim_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX);
	if (err < 0)
		return err;
	err = xyzzy_register_mbox_intr(pdev, xy);
	if (err)
		return err;
	pci_set_drvdata(pdev, xy);
	return 0;
}

static void xyzzy_remove(struct pci_dev *pdev)
{
	struct xyzzy *xy = pci_get_drvdata(pdev);

	free_irq(pci_irq_vector(pdev, 1), xy);
	free_irq(pci_irq_vector(pdev, 0), xy);
}

static struct pci_driver xyzzy_driver = {
	.name = "xyzzy",
	.probe = xyzzy_probe,
	.remove = xyzzy_remove,
};
