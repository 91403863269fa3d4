/* snet_main's shape: remove() releases the vectors under a flag test
 * written with an upper-case macro, through a local that only that test
 * reads. The managed conversion drops the branch (the macro only reads a
 * flag) and the local it leaves unused (reading a field has no effect). */
#include <linux/pci.h>
#include <linux/interrupt.h>

#define FRB_IRQ_OWN 0x1
#define FRB_FLAG_ON(p, f) ((p)->flags & (f))

struct frb_cfg {
	unsigned int flags;
};

struct frb {
	struct frb_cfg *cfg;
};

void frb_stop(struct frb *frb);

static irqreturn_t frb_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int frb_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct frb *frb;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	frb = devm_kzalloc(&pdev->dev, sizeof(*frb), GFP_KERNEL);
	if (!frb)
		return -ENOMEM;
	frb->cfg = devm_kzalloc(&pdev->dev, sizeof(*frb->cfg), GFP_KERNEL);
	if (!frb->cfg)
		return -ENOMEM;
	frb->cfg->flags = FRB_IRQ_OWN;
	pci_set_drvdata(pdev, frb);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	return devm_request_irq(&pdev->dev, pci_irq_vector(pdev, 0), frb_isr,
				0, "frb", frb);
}

static void frb_remove(struct pci_dev *pdev)
{
	struct frb *frb = pci_get_drvdata(pdev);
	struct frb_cfg *cfg = frb->cfg;

	frb_stop(frb);
	/* the vectors are ours when the flag says so */
	if (FRB_FLAG_ON(cfg, FRB_IRQ_OWN))
		pci_free_irq_vectors(pdev);
}

static struct pci_driver frb_driver = {
	.name = "frb",
	.probe = frb_probe,
	.remove = frb_remove,
};
