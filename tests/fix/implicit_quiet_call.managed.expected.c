/* As implicit_next_unwind.c, with a call between the allocation and the
 * handler request that clears the device's pending interrupts (mei-txe):
 * it acquires nothing, so the next failure's unwind still holds right
 * after the allocation. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct plugh {
	void *buf;
	int irq;
};

void plugh_clear_interrupts(struct plugh *plugh);

static irqreturn_t plugh_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int plugh_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct plugh *plugh;
	unsigned long irqflags;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	plugh = devm_kzalloc(&pdev->dev, sizeof(*plugh), GFP_KERNEL);
	if (!plugh)
		return -ENOMEM;
	plugh->buf = kzalloc(64, GFP_KERNEL);
	if (!plugh->buf)
		return -ENOMEM;
	pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	plugh_clear_interrupts(plugh);
	plugh->irq = pdev->irq;
	irqflags = pci_dev_msi_enabled(pdev) ? 0 : IRQF_SHARED;
	err = request_irq(pdev->irq, plugh_isr, irqflags, "plugh", plugh);
	if (err) {
		dev_err(&pdev->dev, "cannot request irq %d\n", pdev->irq);
		goto err_free;
	}
	pci_set_drvdata(pdev, plugh);
	return 0;
err_free:
	kfree(plugh->buf);
	return err;
}

static void plugh_remove(struct pci_dev *pdev)
{
	struct plugh *plugh = pci_get_drvdata(pdev);

	free_irq(plugh->irq, plugh);
	kfree(plugh->buf);
}

static struct pci_driver plugh_driver = {
	.name = "plugh",
	.probe = plugh_probe,
	.remove = plugh_remove,
};
