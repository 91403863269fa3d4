/* Unit tests of fix_wrap_added_lines(): a line a semantic patch added
 * past 80 columns is broken after a comma and aligned under its open
 * parenthesis; lines of the original file, short lines and commas in
 * strings are left alone. */
#include <stdlib.h>
#include <string.h>

#include "fix/fix.h"
#include "unit.h"

static bool wraps_to(const char *original, const char *patched,
		     const char *want)
{
	char *got = fix_wrap_added_lines(original, patched);
	bool same = !strcmp(got, want);

	if (!same)
		fprintf(stderr, "got:\n%s\nwant:\n%s\n", got, want);
	free(got);
	return same;
}

int main(void)
{
	const char *orig = "\tret = foo(pdev);\n";

	/* remove-leak: "} else {" with its else taken off is "} " */
	CHECK(wraps_to("\t} else {\n\t\tfoo(pdev);\n\t}\n",
		       "\t} \n\tfoo(pdev);\n",
		       "\t}\n\tfoo(pdev);\n"));
	/* a line of the original keeps its blanks */
	CHECK(wraps_to("\tfoo(pdev); \n", "\tfoo(pdev); \n",
		       "\tfoo(pdev); \n"));

	/* hsu: 82 columns, broken after the last comma that fits */
	CHECK(wraps_to(orig,
		       "\tret = foo(pdev);\n"
		       "\tif (devm_add_action_or_reset(&pdev->dev, "
		       "hsu_pci_free_irq_vectors, pdev))\n"
		       "\t\treturn -ENOMEM;\n",
		       "\tret = foo(pdev);\n"
		       "\tif (devm_add_action_or_reset(&pdev->dev, "
		       "hsu_pci_free_irq_vectors,\n"
		       "\t\t\t\t     pdev))\n"
		       "\t\treturn -ENOMEM;\n"));
	/* within 80 columns: unchanged */
	CHECK(wraps_to(orig,
		       "\tif (devm_add_action_or_reset(&pdev->dev, "
		       "zot_free_irq_vectors, pdev))\n",
		       "\tif (devm_add_action_or_reset(&pdev->dev, "
		       "zot_free_irq_vectors, pdev))\n"));
	/* a long line the file already had is not the patch's to change */
	{
		const char *old = "\tdev_err(&pdev->dev, \"a message that is "
				  "long enough to pass the limit\", x, y);\n";
		CHECK(wraps_to(old, old, old));
	}
	/* a comma inside a string is no place to break */
	CHECK(wraps_to(orig,
		       "\tdev_err(&pdev->dev, \"one, two, three, four, five, "
		       "six, seven, eight, nine, ten\");\n",
		       "\tdev_err(&pdev->dev,\n"
		       "\t\t\"one, two, three, four, five, six, seven, eight, "
		       "nine, ten\");\n"));
	/* btintel_pcie: a continuation already past 80 columns goes under
	 * the renamed call's parenthesis too, within 100 */
	CHECK(wraps_to("\tnum = pci_alloc_irq_vectors(data->pdev, "
		       "BTINTEL_PCIE_MSIX_VEC_MIN,\n"
		       "\t\t\t\t    BTINTEL_PCIE_MSIX_VEC_MAX, "
		       "PCI_IRQ_MSIX_AND_MORE);\n",
		       "\tnum = pcim_alloc_irq_vectors(data->pdev, "
		       "BTINTEL_PCIE_MSIX_VEC_MIN,\n"
		       "\t\t\t\t    BTINTEL_PCIE_MSIX_VEC_MAX, "
		       "PCI_IRQ_MSIX_AND_MORE);\n",
		       "\tnum = pcim_alloc_irq_vectors(data->pdev, "
		       "BTINTEL_PCIE_MSIX_VEC_MIN,\n"
		       "\t\t\t\t     BTINTEL_PCIE_MSIX_VEC_MAX, "
		       "PCI_IRQ_MSIX_AND_MORE);\n"));
	/* no text at all */
	CHECK(wraps_to("", "", ""));
	/* a call renamed one character longer: its continuation lines go
	 * under the parenthesis again, the next statement stays */
	CHECK(wraps_to("\tnvecs = pci_alloc_irq_vectors(pdev, 1, n,\n"
		       "\t\t\t\t      PCI_IRQ_MSIX |\n"
		       "\t\t\t\t      PCI_IRQ_MSI);\n"
		       "\tif (nvecs < 0)\n",
		       "\tnvecs = pcim_alloc_irq_vectors(pdev, 1, n,\n"
		       "\t\t\t\t      PCI_IRQ_MSIX |\n"
		       "\t\t\t\t      PCI_IRQ_MSI);\n"
		       "\tif (nvecs < 0)\n",
		       "\tnvecs = pcim_alloc_irq_vectors(pdev, 1, n,\n"
		       "\t\t\t\t       PCI_IRQ_MSIX |\n"
		       "\t\t\t\t       PCI_IRQ_MSI);\n"
		       "\tif (nvecs < 0)\n"));
	/* a continuation indented its own way (two tabs) is left alone */
	CHECK(wraps_to("\tret = pci_alloc_irq_vectors(pdev, 1, n,\n"
		       "\t\tPCI_IRQ_MSIX);\n",
		       "\tret = pcim_alloc_irq_vectors(pdev, 1, n,\n"
		       "\t\tPCI_IRQ_MSIX);\n",
		       "\tret = pcim_alloc_irq_vectors(pdev, 1, n,\n"
		       "\t\tPCI_IRQ_MSIX);\n"));
	return unit_finish();
}
