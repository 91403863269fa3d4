/* Unit test of the commit message fix writes (fix/mail.c): a managed
 * conversion that keeps the release a fallback needs says so, and a patch
 * that two semantic patches changed explains both changes. The tree is
 * no repository: no Fixes: tag. usage: test_mail */
#include <stdlib.h>
#include <string.h>

#include "fix/fix.h"
#include "unit.h"

static const char *conversion_diff =
	"--- a/drivers/x/x.c\n+++ b/drivers/x/x.c\n"
	"@@ -10,3 +10,3 @@\n"
	"-\tret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);\n"
	"+\tret = pcim_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);\n"
	"@@ -40,3 +40,2 @@\n"
	" \tfree_irq(pdev->irq, x);\n"
	"-\tpci_free_irq_vectors(pdev);\n";

static char *mail(struct stored_finding *f, const char *const *used,
		  size_t nused, bool keeps, bool keeps_shutdown)
{
	const struct stored_finding *fixed[] = { f };
	struct fix_mail m = {
		.tree = "/nonexistent-irqcheck-tree", .rel = "drivers/x/x.c",
		.from = "A U Thor <a@example.org>", .version = "0",
		.diff = conversion_diff, .diffstat = "",
		.fixed = fixed, .nfixed = 1,
		.semantic_patch = used[0], .used = used, .nused = nused,
		.managed = true, .keeps_release = keeps,
		.keeps_shutdown_release = keeps_shutdown,
		.checks = "checked", .subject = "x: Use pcim_alloc_irq_vectors()",
	};

	return fix_mail_text(&m);
}

int main(void)
{
	struct stored_finding f = { 0 };
	const char *one[] = { "hybrid-double-free.cocci" };
	const char *two[] = { "hybrid-double-free.cocci",
			      "irq-handler-leak.cocci" };
	char *text;

	f.f.rule = "hybrid-double-free";
	f.f.file = "drivers/x/x.c";
	f.f.line = 41;
	f.f.function = "x_remove";
	f.f.message = "released twice";

	text = mail(&f, one, 1, false, false);
	CHECK(strstr(text, "and drop their explicit releases.") != NULL);
	CHECK(strstr(text, "stays:") == NULL);
	CHECK(strstr(text, "error path returns") == NULL &&
	      strstr(text, "When a later step fails") == NULL);
	CHECK(strstr(text, "Fixes:") == NULL);
	free(text);

	/* the release a fallback needs stays, and the message says so */
	text = mail(&f, one, 1, true, false);
	CHECK(strstr(text, "(to allocate them again, or to carry on "
			   "without them) stays:") != NULL);
	free(text);

	/* a conversion that drops only a comment naming the release (cxl)
	 * does not claim to drop releases */
	{
		const struct stored_finding *fixed[] = { &f };
		const char *comment_diff =
			"--- a/drivers/x/x.c\n+++ b/drivers/x/x.c\n"
			"@@ -8,5 +8,3 @@\n"
			"-\t/*\n"
			"-\t * pci_free_irq_vectors() is called by devres.\n"
			"-\t */\n"
			"-\tret = pci_alloc_irq_vectors(pdev, 1, 1, "
			"PCI_IRQ_MSI);\n"
			"+\tret = pcim_alloc_irq_vectors(pdev, 1, 1, "
			"PCI_IRQ_MSI);\n";
		struct fix_mail m = {
			.tree = "/nonexistent-irqcheck-tree",
			.rel = "drivers/x/x.c", .from = "A <a@example.org>",
			.version = "0", .diff = comment_diff, .diffstat = "",
			.fixed = fixed, .nfixed = 1,
			.semantic_patch = "implicit-devres-release.cocci",
			.used = one, .nused = 1, .managed = true,
			.checks = "checked", .subject = "x: y",
		};
		f.f.rule = "implicit-devres-release";
		text = fix_mail_text(&m);
		CHECK(strstr(text, "which says what happens.\n") != NULL);
		CHECK(strstr(text, "drop their explicit releases") == NULL);
		free(text);
		f.f.rule = "hybrid-double-free";
	}

	/* the release in .shutdown stays for its own reason */
	text = mail(&f, one, 1, false, true);
	CHECK(strstr(text, "The release in the .shutdown callback stays") !=
	      NULL);
	CHECK(strstr(text, "stays:\nit releases") == NULL);
	free(text);

	/* irq-handler-leak.cocci changed the file too: its paragraph
	 * follows the conversion's, after a blank line */
	text = mail(&f, two, 2, false, false);
	CHECK(strstr(text, "drop their explicit releases.\n\nWhen a later "
			   "step fails") != NULL);
	free(text);
	return unit_finish();
}
