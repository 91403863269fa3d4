static int foo_probe(struct pci_dev *pdev)
{
	/* irqcheck: ignore hybrid-double-free - devres is off on this bus */
	pci_free_irq_vectors(pdev);
	pci_free_irq_vectors(pdev); // irqcheck: ignore double-free - reset in between
	/* irqcheck: ignore error-path-leak */
	/* irqcheck: ignore remove-leak -   */
	/* irqcheck: ignore */
	// irqcheck: ignore use-after-free-
	return 0;
}
