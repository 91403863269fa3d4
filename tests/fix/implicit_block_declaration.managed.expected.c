/* The allocating helper has no error variable, and a loop in it declares
 * one of its own (mhi's mhi_pci_get_irqs()): the action's error variable
 * is declared once, among the declarations of the body. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct mhb {
	int nr_irqs;
	int irq[8];
};

static int mhb_get_irqs(struct pci_dev *pdev, struct mhb *mhb)
{
	int nr_vectors, i;

	nr_vectors = pcim_alloc_irq_vectors(pdev, 1, mhb->nr_irqs, PCI_IRQ_MSI);
	if (nr_vectors < 0) {
		dev_err(&pdev->dev, "Error allocating MSI vectors %d\n",
			nr_vectors);
		return nr_vectors;
	}

	for (i = 0; i < mhb->nr_irqs; i++) {
		int vector = i >= nr_vectors ? (nr_vectors - 1) : i;

		mhb->irq[i] = pci_irq_vector(pdev, vector);
	}
	return 0;
}

static int mhb_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct mhb *mhb;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	mhb = devm_kzalloc(&pdev->dev, sizeof(*mhb), GFP_KERNEL);
	if (!mhb)
		return -ENOMEM;
	mhb->nr_irqs = 8;
	return mhb_get_irqs(pdev, mhb);
}

static struct pci_driver mhb_driver = {
	.name = "mhb",
	.probe = mhb_probe,
};
