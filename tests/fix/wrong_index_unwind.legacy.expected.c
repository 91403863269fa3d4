/* A request loop names the irq and the dev_id by i; when a request fails,
 * the unwind counts j down from i - 1 but asks for the irq of vector i
 * every time (the shape of be2iscsi's beiscsi_init_irqs() in 6.12). Each
 * round passes the dev_id of handler j to the irq of vector i, which has
 * no handler with that dev_id: handlers 0..i-1 stay attached, and the
 * caller releases the vectors under them. */
#include <linux/pci.h>

#define FOO_NQ 8

struct foo_eq {
	int id;
};

struct foo {
	struct pci_dev *pdev;
	struct foo_eq eq[FOO_NQ];
};

static irqreturn_t foo_eq_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int foo_request_irqs(struct foo *foo)
{
	struct pci_dev *pdev = foo->pdev;
	int ret, i, j;

	for (i = 0; i < FOO_NQ; i++) {
		ret = request_irq(pci_irq_vector(pdev, i), foo_eq_irq, 0,
				  "foo", &foo->eq[i]);
		if (ret)
			goto unwind;
	}
	return 0;
unwind:
	for (j = i - 1; j >= 0; j--)
		free_irq(pci_irq_vector(pdev, j), &foo->eq[j]);
	return ret;
}

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct foo *foo;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	foo = devm_kzalloc(&pdev->dev, sizeof(*foo), GFP_KERNEL);
	if (!foo) {
		ret = -ENOMEM;
		goto err_disable;
	}
	foo->pdev = pdev;
	ret = pci_alloc_irq_vectors(pdev, FOO_NQ, FOO_NQ, PCI_IRQ_MSIX);
	if (ret < 0)
		goto err_disable;
	ret = foo_request_irqs(foo);
	if (ret)
		goto err_vectors;
	pci_set_drvdata(pdev, foo);
	return 0;
err_vectors:
	pci_free_irq_vectors(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void foo_remove(struct pci_dev *pdev)
{
	struct foo *foo = pci_get_drvdata(pdev);
	int i;

	for (i = 0; i < FOO_NQ; i++)
		free_irq(pci_irq_vector(pdev, i), &foo->eq[i]);
	pci_free_irq_vectors(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver foo_driver = {
	.name = "foo",
	.probe = foo_probe,
	.remove = foo_remove,
};
module_pci_driver(foo_driver);
