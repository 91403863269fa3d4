/* mtip32xx's shape: a managed device enables MSI with pci_enable_msi()
 * and disables it in the unwind and in remove(). The managed conversion
 * switches the allocator too (the release names its line), tests the
 * count it returns, and drops the releases and the label left empty. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct mtx {
	int irq;
};

int mtx_block_init(struct mtx *mtx);

static irqreturn_t mtx_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int mtx_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mtx *mtx;
	int rv;

	rv = pcim_enable_device(pdev);
	if (rv)
		return rv;
	mtx = devm_kzalloc(&pdev->dev, sizeof(*mtx), GFP_KERNEL);
	if (!mtx)
		return -ENOMEM;
	rv = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (rv < 0) {
		dev_warn(&pdev->dev, "Unable to enable MSI interrupt.\n");
		goto msi_initialize_err;
	}
	rv = devm_request_irq(&pdev->dev, pdev->irq, mtx_isr, 0, "mtx", mtx);
	if (rv)
		goto msi_initialize_err;
	rv = mtx_block_init(mtx);
	if (rv < 0)
		goto msi_initialize_err;
	pci_set_drvdata(pdev, mtx);
	return 0;

msi_initialize_err:
	return rv;
}

static void mtx_remove(struct pci_dev *pdev)
{
}

static struct pci_driver mtx_driver = {
	.name = "mtx",
	.probe = mtx_probe,
	.remove = mtx_remove,
};
