/* Unit tests of the prefilter: a file matches when it names an allocator
 * or a release of the rule pack, and only then. */
#include <stdlib.h>
#include <string.h>

#include "frontend/prefilter.h"
#include "unit.h"

static bool matches(struct prefilter *pf, const char *text)
{
	return prefilter_text_matches(pf, text, strlen(text));
}

int main(int argc, char **argv)
{
	char *path = xasprintf("%s/rules/linux-pci.rules", argc > 1 ? argv[1] : ".");
	char *err = NULL;
	struct ruleset *rs = ruleset_load(path, &err);
	struct prefilter pf;

	CHECK(rs != NULL);
	if (!rs)
		return unit_finish();
	prefilter_init(&pf, rs);
	CHECK(pf.needles.n >= 10);
	CHECK(pf.common == 3); /* "pci" */
	CHECK(matches(&pf, "x = pci_alloc_irq_vectors(pdev, 1, 1, f);"));
	CHECK(matches(&pf, "pci_disable_msix(pdev);"));
	CHECK(matches(&pf, "ret = pcim_alloc_irq_vectors(pdev, 1, 4, f);"));
	CHECK(!matches(&pf, "pci_enable_device(pdev); pci_set_master(pdev);"));
	CHECK(!matches(&pf, "pci_"));
	CHECK(!matches(&pf, ""));
	CHECK(matches(&pf, "/* tail */ pci_free_irq_vectors"));
	prefilter_release(&pf);
	ruleset_free(rs);
	free(path);
	return unit_finish();
}
