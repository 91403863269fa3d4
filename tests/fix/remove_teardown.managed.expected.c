/* remove() tears down only when the PF acknowledges the DOWN message
 * (cptvf_main.c, otx_cptvf_main.c): the other way only logs, and the
 * driver is unbound with its handler attached and its vectors held. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct vee {
	struct pci_dev *pdev;
};

static int vee_send_down(struct vee *vee);

static irqreturn_t vee_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int vee_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vee *vee;
	int err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	vee = kzalloc(sizeof(*vee), GFP_KERNEL);
	if (!vee) {
		err = -ENOMEM;
		goto err_disable;
	}
	vee->pdev = pdev;
	err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (err < 0)
		goto err_free;
	err = request_irq(pci_irq_vector(pdev, 0), vee_isr, 0, "vee", vee);
	if (err)
		goto err_vectors;
	pci_set_drvdata(pdev, vee);
	return 0;

err_vectors:
	pci_free_irq_vectors(pdev);
err_free:
	kfree(vee);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void vee_remove(struct pci_dev *pdev)
{
	struct vee *vee = pci_get_drvdata(pdev);

	if (vee_send_down(vee)) {
		dev_err(&pdev->dev, "PF not responding to DOWN msg\n");
	}
	free_irq(pci_irq_vector(pdev, 0), vee);
	pci_free_irq_vectors(vee->pdev);
	kfree(vee);
	pci_disable_device(pdev);
}

static struct pci_driver vee_driver = {
	.name = "vee",
	.probe = vee_probe,
	.remove = vee_remove,
};
