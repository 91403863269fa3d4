/* Managed device whose MSI-X vectors come with a struct msix_entry table
 * and are released in remove(): a second release while the hybrid rule
 * stands. The managed patch drops that release, but the allocation has
 * no managed form: while the rule stands the re-scan is content (devres
 * releases the vectors), once it goes remove() leaks them, and the patch
 * is refused for that. */
#include <linux/pci.h>

struct plugh {
	struct msix_entry entries[2];
};

static int plugh_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct plugh *pl;
	int i, ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pl = devm_kzalloc(&pdev->dev, sizeof(*pl), GFP_KERNEL);
	if (!pl)
		return -ENOMEM;
	for (i = 0; i < 2; i++)
		pl->entries[i].entry = i;
	ret = pci_enable_msix_exact(pdev, pl->entries, 2);
	if (ret)
		return ret;
	pci_set_drvdata(pdev, pl);
	return 0;
}

static void plugh_remove(struct pci_dev *pdev)
{
	pci_disable_msix(pdev);
}

static struct pci_driver plugh_driver = {
	.name = "plugh",
	.probe = plugh_probe,
	.remove = plugh_remove,
};
