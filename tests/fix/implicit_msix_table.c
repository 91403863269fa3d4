/* Managed device whose MSI-X vectors come from pci_enable_msix_exact()
 * with a struct msix_entry table that asks for entries 1..n (the shape of
 * gpio-thunderx): pcim_alloc_irq_vectors() always gives entries 0..n-1,
 * so the managed target cannot convert it, and the vectors are released
 * only by the PCI core's hybrid rule. Both targets register a devres
 * action that releases them right after the allocation. */
#include <linux/pci.h>
#include <linux/interrupt.h>

#define GRAULT_NVEC 4

struct grault {
	struct msix_entry entries[GRAULT_NVEC];
};

static irqreturn_t grault_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int grault_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct grault *grault;
	int i, err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	grault = devm_kzalloc(&pdev->dev, sizeof(*grault), GFP_KERNEL);
	if (!grault)
		return -ENOMEM;
	for (i = 0; i < GRAULT_NVEC; i++)
		grault->entries[i].entry = i + 1;
	err = pci_enable_msix_exact(pdev, grault->entries, GRAULT_NVEC);
	if (err)
		return err;
	for (i = 0; i < GRAULT_NVEC; i++) {
		err = devm_request_irq(&pdev->dev, grault->entries[i].vector,
				       grault_isr, 0, "grault", grault);
		if (err)
			return err;
	}
	pci_set_drvdata(pdev, grault);
	return 0;
}

static struct pci_driver grault_driver = {
	.name = "grault",
	.probe = grault_probe,
};
