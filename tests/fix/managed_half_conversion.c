/* Managed device that tries MSI-X through an entries array, then MSI, and
 * relies on the hybrid rule for both (ptdma's shape). The managed patch
 * converts the MSI allocation; MSI-X with entries has no managed form and
 * gets the explicit release as a devres action (converting MSI alone
 * would leak on the failing MSI-X way once the rule goes). */
#include <linux/pci.h>

struct plover {
	struct msix_entry entry;
	int msix_count;
	int irq;
};

int plover_core_init(struct plover *pl);

static int plover_get_msix_irqs(struct pci_dev *pdev, struct plover *pl)
{
	int ret;

	pl->entry.entry = 0;
	ret = pci_enable_msix_range(pdev, &pl->entry, 1, 1);
	if (ret < 0)
		return ret;
	pl->msix_count = ret;
	pl->irq = pl->entry.vector;
	return 0;
}

static int plover_get_msi_irq(struct pci_dev *pdev, struct plover *pl)
{
	int ret;

	ret = pci_enable_msi(pdev);
	if (ret)
		return ret;
	pl->irq = pdev->irq;
	return 0;
}

static int plover_get_irqs(struct pci_dev *pdev, struct plover *pl)
{
	int ret;

	ret = plover_get_msix_irqs(pdev, pl);
	if (!ret)
		return 0;
	return plover_get_msi_irq(pdev, pl);
}

static int plover_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct plover *pl;
	int ret;

	pl = devm_kzalloc(&pdev->dev, sizeof(*pl), GFP_KERNEL);
	if (!pl)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = plover_get_irqs(pdev, pl);
	if (ret)
		return ret;
	ret = plover_core_init(pl);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, pl);
	return 0;
}

static struct pci_driver plover_driver = {
	.name = "plover",
	.probe = plover_probe,
};
