/* What a Linux tree's PCI core does with interrupt vectors: whether its
 * devres releases the vectors of the unmanaged allocators on every managed
 * device (the hybrid rule, pcim_setup_msi_release() in
 * drivers/pci/msi/msi.c) or only those of pcim_alloc_irq_vectors(), and
 * whether it has the managed allocator. Read from the tree's own source;
 * `--hybrid-rule` overrides the first. */
#ifndef IRQCHECK_PCI_CORE_H
#define IRQCHECK_PCI_CORE_H

#include <stdbool.h>

enum hybrid_rule {
	HYBRID_UNKNOWN, /* no PCI core in the tree: the rule is assumed */
	HYBRID_PRESENT,
	HYBRID_GONE,
};

struct pci_core {
	enum hybrid_rule hybrid;
	bool managed_allocator; /* include/linux/pci.h has
				   pcim_alloc_irq_vectors() */
	const char *evidence;	/* static: where the answer was read */
};

/* Reads tree (a kernel source tree) into *out; never fails. */
void pci_core_read(const char *tree, struct pci_core *out);

/* "present", "gone", or NULL for any other text. */
bool pci_core_parse_hybrid(const char *text, enum hybrid_rule *out);

/* One line for the scan's summary, without a newline. Caller frees. */
char *pci_core_describe(const struct pci_core *core, bool overridden);

#endif
