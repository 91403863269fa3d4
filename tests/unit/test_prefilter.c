/* Unit tests of the prefilter: a file matches when it names an allocator
 * or a release of the rule pack, and only then. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend/prefilter.h"
#include "unit.h"

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

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
	/* a managed enable makes a companion, not a candidate */
	CHECK(!matches(&pf, "ret = pcim_enable_device(pdev);"));
	CHECK(pf.companion_needles.n == 1 &&
	      !strcmp(pf.companion_needles.v[0], "pcim_enable_device"));
	{
		/* the verdict on a file: read, then the two tests */
		char dir[] = "/tmp/irqcheck-prefilter-XXXXXX";
		char *a, *b, *c;
		CHECK(mkdtemp(dir) != NULL);
		a = xasprintf("%s/alloc.c", dir);
		b = xasprintf("%s/enable.c", dir);
		c = xasprintf("%s/none.c", dir);
		write_text(a, "n = pci_alloc_irq_vectors(p, 1, 1, f);\n");
		write_text(b, "return pcim_enable_device(pdev);\n");
		write_text(c, "return pci_enable_device(pdev);\n");
		CHECK(prefilter_file_verdict(&pf, a) == PREFILTER_PARSE);
		CHECK(prefilter_file_verdict(&pf, b) == PREFILTER_COMPANION);
		CHECK(prefilter_file_verdict(&pf, c) == PREFILTER_SKIP);
		CHECK(prefilter_file_verdict(&pf, "/nonexistent/x.c") ==
		      PREFILTER_SKIP);
		unlink(a);
		unlink(b);
		unlink(c);
		rmdir(dir);
		free(a);
		free(b);
		free(c);
	}
	prefilter_release(&pf);
	ruleset_free(rs);
	free(path);
	return unit_finish();
}
