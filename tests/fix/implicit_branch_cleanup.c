/* Managed device whose allocation failure undoes more than the unwind
 * label does (it puts a reference first, mt7915): the action failure
 * does the same, the call and the goto. */
#include <linux/pci.h>

struct grault {
	void *peer;
};

void *grault_get_peer(struct pci_dev *pdev);
void grault_put_peer(void *peer);

static int grault_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct grault *grault;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	grault = devm_kzalloc(&pdev->dev, sizeof(*grault), GFP_KERNEL);
	if (!grault)
		return -ENOMEM;
	grault->peer = grault_get_peer(pdev);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (ret < 0) {
		grault_put_peer(grault->peer);
		goto out;
	}
	pci_set_drvdata(pdev, grault);
	return 0;
out:
	return ret;
}

static struct pci_driver grault_driver = {
	.name = "grault",
	.probe = grault_probe,
};
