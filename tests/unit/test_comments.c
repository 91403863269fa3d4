/* Unit test of fix_drop_release_comments() (fix/comments.c): the comment
 * above an allocation switched to pcim_alloc_irq_vectors() that tells of
 * the implicit release goes, whole or the paragraph of it that does;
 * other comments, and comments above lines the patch did not switch,
 * stay. usage: test_comments */
#include <stdlib.h>
#include <string.h>

#include "fix/fix.h"
#include "unit.h"

static void check_drop(const char *original, const char *patched,
		       const char *want)
{
	char *got = fix_drop_release_comments(original, patched);

	CHECK(!strcmp(got, want));
	if (strcmp(got, want))
		printf("got:\n%s\nwant:\n%s\n", got, want);
	free(got);
}

int main(void)
{
	/* qaic: a one-line comment */
	check_drop("\t/* Managed release since we use pcim_enable_device */\n"
		   "\tret = pci_alloc_irq_vectors(pdev, 32, 32, PCI_IRQ_MSI);\n",
		   "\t/* Managed release since we use pcim_enable_device */\n"
		   "\tret = pcim_alloc_irq_vectors(pdev, 32, 32, PCI_IRQ_MSI);\n",
		   "\tret = pcim_alloc_irq_vectors(pdev, 32, 32, PCI_IRQ_MSI);\n");
	/* cxl: the paragraph of a block comment, with its separator */
	check_drop("\t/*\n"
		   "\t * Per CXL 3.0 a function must not generate INTx.\n"
		   "\t *\n"
		   "\t * Additionally pci_alloc_irq_vectors() handles calling\n"
		   "\t * pci_free_irq_vectors() automatically.\n"
		   "\t */\n"
		   "\tnvecs = pci_alloc_irq_vectors(pdev, 1, 16,\n",
		   "\t/*\n"
		   "\t * Per CXL 3.0 a function must not generate INTx.\n"
		   "\t *\n"
		   "\t * Additionally pci_alloc_irq_vectors() handles calling\n"
		   "\t * pci_free_irq_vectors() automatically.\n"
		   "\t */\n"
		   "\tnvecs = pcim_alloc_irq_vectors(pdev, 1, 16,\n",
		   "\t/*\n"
		   "\t * Per CXL 3.0 a function must not generate INTx.\n"
		   "\t */\n"
		   "\tnvecs = pcim_alloc_irq_vectors(pdev, 1, 16,\n");
	/* a block comment that only tells of it goes whole */
	check_drop("x;\n\t/*\n\t * devres frees these.\n\t */\n"
		   "\tr = pci_alloc_irq_vectors(d, 1, 1, f);\n",
		   "x;\n\t/*\n\t * devres frees these.\n\t */\n"
		   "\tr = pcim_alloc_irq_vectors(d, 1, 1, f);\n",
		   "x;\n\tr = pcim_alloc_irq_vectors(d, 1, 1, f);\n");
	/* a comment about something else stays */
	check_drop("\t/* one vector is enough */\n"
		   "\tr = pci_alloc_irq_vectors(d, 1, 1, f);\n",
		   "\t/* one vector is enough */\n"
		   "\tr = pcim_alloc_irq_vectors(d, 1, 1, f);\n",
		   "\t/* one vector is enough */\n"
		   "\tr = pcim_alloc_irq_vectors(d, 1, 1, f);\n");
	/* above a line the patch did not switch: stays */
	check_drop("\t/* devres frees these */\n"
		   "\tr = pcim_alloc_irq_vectors(d, 1, 1, f);\n",
		   "\t/* devres frees these */\n"
		   "\tr = pcim_alloc_irq_vectors(d, 1, 1, f);\n",
		   "\t/* devres frees these */\n"
		   "\tr = pcim_alloc_irq_vectors(d, 1, 1, f);\n");
	return unit_finish();
}
