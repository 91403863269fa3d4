/* The release hides in a helper that only releases; the helper is called
 * from probe's unwind ladder after pcim_enable_device(). */
#include <linux/pci.h>

struct baz {
	struct pci_dev *pdev;
};

static void baz_free_vectors(struct baz *baz)
{
	pci_free_irq_vectors(baz->pdev);
}

static int baz_hw_init(struct baz *baz);

static void baz_free_irq_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

static int baz_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct baz *baz;
	int rc;

	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	baz = devm_kzalloc(&pdev->dev, sizeof(*baz), GFP_KERNEL);
	if (!baz)
		return -ENOMEM;
	baz->pdev = pdev;
	rc = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (rc < 0)
		return rc;
	rc = devm_add_action_or_reset(&pdev->dev, baz_free_irq_vectors, pdev);
	if (rc)
		return rc;
	rc = baz_hw_init(baz);
	if (rc)
		goto err_free;
	return 0;
err_free:
	baz_free_vectors(baz);
	return rc;
}

static struct pci_driver baz_driver = {
	.name = "baz",
	.probe = baz_probe,
};
