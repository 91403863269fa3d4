/* rts5208's shape: a managed device frees its MSI vector in suspend()
 * and allocates it again in resume(), and remove() releases it. The
 * conversion would switch probe()'s allocator and drop remove()'s release;
 * resume()'s allocation stays unmanaged. fix refuses it, conservatively:
 * probe()'s devres release would free it, but fix cannot tell resume()
 * from a path that never meets the converted allocation: no patch. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct xyz {
	struct pci_dev *pci;
	int irq;
};

static irqreturn_t xyz_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int xyz_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	struct xyz *xyz;
	int ret;

	ret = pcim_enable_device(pci);
	if (ret)
		return ret;
	xyz = devm_kzalloc(&pci->dev, sizeof(*xyz), GFP_KERNEL);
	if (!xyz)
		return -ENOMEM;
	xyz->pci = pci;
	pci_set_drvdata(pci, xyz);
	ret = pci_alloc_irq_vectors(pci, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	ret = request_irq(pci_irq_vector(pci, 0), xyz_isr, 0, "xyz", xyz);
	if (ret)
		goto free_vectors;
	xyz->irq = pci_irq_vector(pci, 0);
	return 0;

free_vectors:
	pci_free_irq_vectors(pci);
	return ret;
}

static void xyz_remove(struct pci_dev *pci)
{
	struct xyz *xyz = pci_get_drvdata(pci);

	free_irq(xyz->irq, xyz);
	pci_free_irq_vectors(pci);
}

/* its dev_pm_ops (left out: the test headers have none) */
int xyz_suspend(struct device *dev)
{
	struct pci_dev *pci = to_pci_dev(dev);
	struct xyz *xyz = pci_get_drvdata(pci);

	free_irq(xyz->irq, xyz);
	pci_free_irq_vectors(pci);
	return 0;
}

int xyz_resume(struct device *dev)
{
	struct pci_dev *pci = to_pci_dev(dev);
	struct xyz *xyz = pci_get_drvdata(pci);

	if (pci_alloc_irq_vectors(pci, 1, 1, PCI_IRQ_MSI) < 0)
		return -EIO;
	xyz->irq = pci_irq_vector(pci, 0);
	return request_irq(xyz->irq, xyz_isr, 0, "xyz", xyz);
}

static struct pci_driver xyz_driver = {
	.name = "xyz",
	.probe = xyz_probe,
	.remove = xyz_remove,
};
