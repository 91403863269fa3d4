/* The vectors are allocated in a void helper only probe calls
 * (thunder_bgx's bgx_register_intr()): its failure returns, and so does
 * the action's. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct bgv {
	int id;
};

static irqreturn_t bgv_isr(int irq, void *data)
{
	return IRQ_HANDLED;
}

static void bgv_free_irq_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

static void bgv_register_intr(struct pci_dev *pdev)
{
	struct bgv *bgv = pci_get_drvdata(pdev);
	int ret;

	ret = pci_alloc_irq_vectors(pdev, 4, 4, PCI_IRQ_ALL_TYPES);
	if (ret < 0) {
		pci_err(pdev, "Req for #%d msix vectors failed\n", 4);
		return;
	}
	ret = devm_add_action_or_reset(&pdev->dev, bgv_free_irq_vectors, pdev);
	if (ret)
		return;
	ret = devm_request_irq(&pdev->dev, pci_irq_vector(pdev, 0), bgv_isr, 0,
			       "bgv", bgv);
	if (ret)
		pci_err(pdev, "no irq\n");
}

static int bgv_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct bgv *bgv;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	bgv = devm_kzalloc(&pdev->dev, sizeof(*bgv), GFP_KERNEL);
	if (!bgv)
		return -ENOMEM;
	pci_set_drvdata(pdev, bgv);
	bgv_register_intr(pdev);
	return 0;
}

static struct pci_driver bgv_driver = {
	.name = "bgv",
	.probe = bgv_probe,
};
