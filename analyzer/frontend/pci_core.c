/* The tree's PCI core semantics (see pci_core.h). */
#include "frontend/pci_core.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The body of the definition of fn in text (from its "{" to the "}" at the
 * start of a line), or NULL. Caller frees. */
static char *function_body(const char *text, const char *fn)
{
	size_t n = strlen(fn);
	const char *p, *open, *close;

	for (p = strstr(text, fn); p; p = strstr(p + n, fn)) {
		/* a definition: the name at the end of a line's declaration
		 * part, "(...)" then "{" on a line of its own */
		if ((p > text &&
		     (p[-1] == '_' || isalnum((unsigned char)p[-1]))) ||
		    p[n] != '(')
			continue;
		open = strstr(p, "\n{");
		close = open ? strstr(open, "\n}") : NULL;
		if (!open || !close || memchr(p, ';', (size_t)(open - p)))
			continue;
		return xasprintf("%.*s", (int)(close - open), open);
	}
	return NULL;
}

static bool file_has(const char *tree, const char *rel, const char *needle)
{
	char *path = path_join(tree, rel), *text;
	size_t len;
	bool has;

	text = read_file(path, &len);
	has = text && strstr(text, needle);
	free(text);
	free(path);
	return has;
}

void pci_core_read(const char *tree, struct pci_core *out)
{
	char *path = path_join(tree, "drivers/pci/msi/msi.c"), *text, *body;
	size_t len;

	memset(out, 0, sizeof(*out));
	out->managed_allocator =
	    file_has(tree, "include/linux/pci.h", "pcim_alloc_irq_vectors(");
	text = read_file(path, &len);
	free(path);
	body = text ? function_body(text, "pcim_setup_msi_release") : NULL;
	if (body) {
		/* 6.x: registered for every managed device, or only where
		 * pcim_alloc_irq_vectors() asked for it */
		out->hybrid = strstr(body, "pci_is_managed(") ? HYBRID_PRESENT
							      : HYBRID_GONE;
		out->evidence = out->hybrid == HYBRID_PRESENT
				    ? "pcim_setup_msi_release() registers "
				      "it for every managed device"
				    : "pcim_setup_msi_release() registers "
				      "it only for pcim_alloc_irq_vectors()";
	} else if (text && strstr(text, "pcim_msi_release")) {
		out->hybrid = HYBRID_GONE;
		out->evidence = "pcim_msi_release() is registered only for "
				"pcim_alloc_irq_vectors()";
	} else if (text) {
		out->hybrid = HYBRID_GONE;
		out->evidence = "drivers/pci/msi/msi.c registers no devres "
				"release of its own";
	} else if (file_has(tree, "drivers/pci/pci.c", "pcim_release")) {
		/* before 5.17: pcim_release() disables MSI and MSI-X of
		 * every managed device */
		out->hybrid = HYBRID_PRESENT;
		out->evidence = "pcim_release() in drivers/pci/pci.c disables "
				"them on every managed device";
	} else {
		out->hybrid = HYBRID_UNKNOWN;
		out->evidence = "the tree has no Linux PCI core; the hybrid "
				"rule is assumed";
	}
	free(body);
	free(text);
}

bool pci_core_parse_hybrid(const char *text, enum hybrid_rule *out)
{
	if (!strcmp(text, "present"))
		*out = HYBRID_PRESENT;
	else if (!strcmp(text, "gone"))
		*out = HYBRID_GONE;
	else
		return false;
	return true;
}

char *pci_core_describe(const struct pci_core *core, bool overridden)
{
	return xasprintf(
	    "PCI core: the hybrid devres release of unmanaged vectors is %s "
	    "(%s); pcim_alloc_irq_vectors() is %s",
	    core->hybrid == HYBRID_GONE ? "gone" : "present",
	    overridden ? "--hybrid-rule" : core->evidence,
	    core->managed_allocator ? "there" : "absent");
}
