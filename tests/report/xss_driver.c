/* A driver whose code carries markup: the HTML report must show it as
 * text. The path to the leak passes a condition holding a string with a
 * script element and both kinds of quotes, and the test copies this file
 * into a directory whose name has them too. */
#include <linux/pci.h>

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_alloc_irq_vectors(pdev, 1, 4, PCI_IRQ_MSIX);
	if (ret < 0)
		goto err;
	if (pdev->vendor == sizeof("<script>alert('x')</script>\"&"))
		return -EINVAL; /* leaks the vectors */
	return 0;
err:
	pci_disable_device(pdev);
	return ret;
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
};
module_pci_driver(foo_driver);
