/* iwlwifi's shape: a void helper tries MSI-X and falls back to MSI
 * through a label, and MSI's failure branch turns to INTx and goes on.
 * The function that enables the device managed (a probe of another file
 * calls it) is what runs the helper. The MSI-X action's failure takes the
 * label the allocation's takes; the MSI action joins the failure branch,
 * which then also covers its failure. */
#include <linux/pci.h>
#include <linux/interrupt.h>

void pci_intx(struct pci_dev *pdev, int enable);

struct xyzzy {
	struct msix_entry entries[4];
	int nvec;
	bool msix;
};

static void xyzzy_trans_free_irq_vectors(void *data)
{
	pci_free_irq_vectors(data);
}

static void xyzzy_set_interrupt_capa(struct pci_dev *pdev,
				     struct xyzzy *xyzzy)
{
	int num_irqs, i, ret;

	for (i = 0; i < 4; i++)
		xyzzy->entries[i].entry = i;
	num_irqs = pci_enable_msix_range(pdev, xyzzy->entries, 2, 4);
	if (num_irqs < 0) {
		dev_dbg(&pdev->dev, "no MSI-X (%d), trying MSI\n", num_irqs);
		goto enable_msi;
	}
	ret = devm_add_action_or_reset(&pdev->dev,
				       xyzzy_trans_free_irq_vectors, pdev);
	if (ret)
		goto enable_msi;
	xyzzy->nvec = num_irqs;
	xyzzy->msix = true;
	return;

enable_msi:
	ret = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0) {
		dev_err(&pdev->dev, "pci_enable_msi failed - %d\n", ret);
		/* the INTx the device starts with disabled */
		pci_intx(pdev, 1);
	}
}

struct xyzzy *xyzzy_trans_alloc(struct pci_dev *pdev)
{
	struct xyzzy *xyzzy;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return NULL;
	xyzzy = devm_kzalloc(&pdev->dev, sizeof(*xyzzy), GFP_KERNEL);
	if (!xyzzy)
		return NULL;
	xyzzy_set_interrupt_capa(pdev, xyzzy);
	return xyzzy;
}
