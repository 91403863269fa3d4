/* int340x's legacy shape: a managed device enables MSI for an optional
 * sensor, and when the handler cannot be requested it disables MSI again
 * and probe goes on without it; remove() frees the handler and disables
 * MSI. The managed conversion switches the allocator and drops the
 * release in remove(), whose handler is freed ahead of it, with the
 * braces left around one statement; the release on the failed request
 * stays (probe goes on after it), an early release of managed vectors
 * that the message names. */
#include <linux/pci.h>
#include <linux/interrupt.h>

struct thm {
	void *sensor;
};

void *thm_sensor_init(void);
void thm_sensor_exit(void *sensor);
int thm_mmio_add(struct pci_dev *pdev, struct thm *thm);

static irqreturn_t thm_irq(int irq, void *data)
{
	return IRQ_HANDLED;
}

static int thm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct thm *thm;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret < 0)
		return ret;
	thm = devm_kzalloc(&pdev->dev, sizeof(*thm), GFP_KERNEL);
	if (!thm)
		return -ENOMEM;
	pci_set_drvdata(pdev, thm);
	thm->sensor = thm_sensor_init();
	if (thm->sensor && pdev->irq) {
		ret = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
		if (ret > 0) {
			ret = request_threaded_irq(pdev->irq, NULL, thm_irq,
						   IRQF_ONESHOT, "thm", pdev);
			if (ret) {
				thm_sensor_exit(thm->sensor);
				pci_disable_msi(pdev);
				thm->sensor = NULL;
			}
		}
	}
	return 0;
}

static void thm_remove(struct pci_dev *pdev)
{
	struct thm *thm = pci_get_drvdata(pdev);

	if (thm->sensor) {
		thm_sensor_exit(thm->sensor);
		if (pdev->irq)
			free_irq(pdev->irq, pdev);
	}
}

static struct pci_driver thm_driver = {
	.name = "thm",
	.probe = thm_probe,
	.remove = thm_remove,
};
