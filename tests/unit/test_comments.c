/* Unit test of fix/comments.c: the comment above an allocation switched
 * to pcim_alloc_irq_vectors() that tells of the implicit release goes,
 * whole or the paragraph of it that does, other comments stay
 * (fix_drop_release_comments()); a return left dead after another goes
 * (fix_drop_dead_returns()); a label left right above another gives its
 * gotos to it (fix_merge_stacked_labels()). usage: test_comments */
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
	/* spi-dw-pci: the unwind label's removal left "return ret;" after
	 * "return 0;": it goes, with the blank line before it */
	{
		const char *orig = "\treturn 0;\n\nerr:\n"
				   "\tpci_free_irq_vectors(pdev);\n"
				   "\treturn ret;\n}\n";
		char *got = fix_drop_dead_returns(
		    orig, "\treturn 0;\n\n\treturn ret;\n}\n");
		CHECK(!strcmp(got, "\treturn 0;\n}\n"));
		free(got);
		/* firewire-ohci: the return a fall-through reaches stays */
		got = fix_drop_dead_returns(
		    "fail_irq:\n\tfree_irq(irq, o);\nfail_msi:\n"
		    "\tpci_free_irq_vectors(dev);\n\n\treturn err;\n",
		    "fail_irq:\n\tfree_irq(irq, o);\n\n\treturn err;\n");
		CHECK(!strcmp(got, "fail_irq:\n\tfree_irq(irq, o);\n\n"
				   "\treturn err;\n"));
		free(got);
		/* a branch's return before the function's is no pair */
		got = fix_drop_dead_returns("", "\tif (x)\n\t\treturn a;\n"
						"\treturn b;\n");
		CHECK(!strcmp(got, "\tif (x)\n\t\treturn a;\n\treturn b;\n"));
		free(got);
		/* a pair the driver had is not the patch's to change */
		orig = "\treturn 0;\n\treturn 1;\n";
		got = fix_drop_dead_returns(orig, orig);
		CHECK(!strcmp(got, orig));
		free(got);
	}
	/* dfl-pci: "irq_free_exit:" left right above "enum_info_free_exit:"
	 * sends its gotos there; another function's label of that name and
	 * a pair the driver had stay */
	{
		const char *orig =
		    "static int f(void)\n{\n\tif (a)\n\t\tgoto out;\n"
		    "\tgoto irq_free_exit;\nirq_free_exit:\n\tif (ret)\n"
		    "\t\tfree_it();\nenum_info_free_exit:\n\treturn ret;\n"
		    "}\n\nstatic int g(void)\n{\n\tgoto irq_free_exit;\n"
		    "irq_free_exit:\nout:\n\treturn 0;\n}\n";
		const char *patched =
		    "static int f(void)\n{\n\tif (a)\n\t\tgoto out;\n"
		    "\tgoto irq_free_exit;\nirq_free_exit:\n"
		    "enum_info_free_exit:\n\treturn ret;\n"
		    "}\n\nstatic int g(void)\n{\n\tgoto irq_free_exit;\n"
		    "irq_free_exit:\nout:\n\treturn 0;\n}\n";
		char *got = fix_merge_stacked_labels(orig, patched);
		CHECK(!strcmp(got,
			      "static int f(void)\n{\n\tif (a)\n\t\tgoto out;\n"
			      "\tgoto enum_info_free_exit;\n"
			      "enum_info_free_exit:\n\treturn ret;\n"
			      "}\n\nstatic int g(void)\n{\n"
			      "\tgoto irq_free_exit;\n"
			      "irq_free_exit:\nout:\n\treturn 0;\n}\n"));
		free(got);
	}
	return unit_finish();
}
