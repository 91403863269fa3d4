/* Managed device whose probe unwinds through a label: the MSI-X vector is
 * released only by the PCI core's hybrid rule. The devres action's
 * failure goes where the allocation's failure goes, with its error in
 * the variable that label returns; it is registered on the struct device
 * the probe keeps in a local. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct quux {
	struct msix_entry entry;
	void *buf;
};

static irqreturn_t quux_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static void quux_free_irq_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

static int quux_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct quux *quux;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	quux = devm_kzalloc(dev, sizeof(*quux), GFP_KERNEL);
	if (!quux)
		return -ENOMEM;
	quux->buf = kzalloc(64, GFP_KERNEL);
	if (!quux->buf)
		return -ENOMEM;
	quux->entry.entry = 0;
	ret = pci_enable_msix_exact(pdev, &quux->entry, 1);
	if (ret) {
		dev_err(&pdev->dev, "cannot enable MSI-X: %d\n", ret);
		goto err_free;
	}
	ret = devm_add_action_or_reset(dev, quux_free_irq_vectors, pdev);
	if (ret)
		goto err_free;
	ret = devm_request_irq(&pdev->dev, quux->entry.vector, quux_isr, 0,
			       "quux", quux);
	if (ret)
		goto err_free;
	pci_set_drvdata(pdev, quux);
	return 0;
err_free:
	kfree(quux->buf);
	return ret;
}

static void quux_remove(struct pci_dev *pdev)
{
	struct quux *quux = pci_get_drvdata(pdev);

	kfree(quux->buf);
}

static struct pci_driver quux_driver = {
	.name = "quux",
	.probe = quux_probe,
	.remove = quux_remove,
};
