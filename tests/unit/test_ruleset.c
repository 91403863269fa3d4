/* Unit tests of the rule pack loader: the shipped Linux pack, and one
 * clear error (file and line) for each kind of bad line. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ruleset.h"
#include "unit.h"
#include "util.h"

static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/irqcheck-rules-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		return NULL;
	close(fd);
	return path;
}

static void expect_error(const char *text, const char *needle)
{
	char *path = write_temp(text), *err = NULL;
	struct ruleset *rs = ruleset_load(path, &err);

	CHECK(rs == NULL);
	CHECK(err && strstr(err, needle));
	if (err && !strstr(err, needle))
		printf("  error was: %s\n", err);
	ruleset_free(rs);
	free(err);
	unlink(path);
	free(path);
}

int main(int argc, char **argv)
{
	char *path = xasprintf("%s/rules/linux-pci.rules", argc > 1 ? argv[1] : ".");
	char *err = NULL;
	struct ruleset *rs = ruleset_load(path, &err);
	const struct api_entry *e;

	CHECK(rs != NULL);
	if (!rs) {
		printf("  %s\n", err);
		return unit_finish();
	}
	CHECK(!strcmp(rs->pack, "linux-pci"));
	e = ruleset_lookup(rs, "pci_alloc_irq_vectors");
	CHECK(e && e->role == ROLE_ALLOC && e->dev_arg == 0 &&
	      e->family_arg == 3 && e->success == SUCCESS_COUNT && !e->managed);
	e = ruleset_lookup(rs, "pcim_alloc_irq_vectors");
	CHECK(e && e->role == ROLE_ALLOC && e->managed);
	e = ruleset_lookup(rs, "pci_disable_msix");
	CHECK(e && e->role == ROLE_RELEASE && e->family == FAMILY_MSIX);
	e = ruleset_lookup(rs, "pcim_enable_device");
	CHECK(e && e->role == ROLE_ENABLE && e->managed);
	e = ruleset_lookup(rs, "to_pci_dev");
	CHECK(e && e->role == ROLE_DEVCAST && e->inner_arg == 0);
	e = ruleset_lookup(rs, "request_irq");
	CHECK(e && e->role == ROLE_HANDLER && e->irq_arg == 0 && !e->managed);
	e = ruleset_lookup(rs, "devm_request_irq");
	CHECK(e && e->role == ROLE_HANDLER && e->irq_arg == 1 && e->managed);
	e = ruleset_lookup(rs, "pci_request_irq");
	CHECK(e && e->dev_arg == 0 && e->vec_arg == 1 && e->irq_arg < 0);
	/* the dev_id that tells the handlers of one irq apart */
	CHECK(e && e->devid_arg == 4);
	e = ruleset_lookup(rs, "free_irq");
	CHECK(e && e->role == ROLE_HANDLERFREE && e->devid_arg == 1);
	e = ruleset_lookup(rs, "devm_free_irq");
	CHECK(e && e->devid_arg == 2 && e->managed);
	e = ruleset_lookup(rs, "pci_enable_msix_range");
	CHECK(e && e->devid_arg == -1);
	CHECK(e && e->entries_arg == 1);
	CHECK(rs->irq_field && !strcmp(rs->irq_field, "irq"));
	CHECK(ruleset_lookup(rs, "kfree") == NULL);
	CHECK(ruleset_family_of_flags(rs, 2) == FAMILY_MSI);
	CHECK(ruleset_family_of_flags(rs, 4) == FAMILY_MSIX);
	CHECK(ruleset_family_of_flags(rs, 7) == FAMILY_ANY);
	CHECK(ruleset_family_of_flags(rs, 3) == (FAMILY_MSI | FAMILY_INTX));
	CHECK(rs->driver.struct_name &&
	      !strcmp(rs->driver.struct_name, "pci_driver"));
	CHECK(rs->driver.remove_field &&
	      !strcmp(rs->driver.remove_field, "remove"));
	/* Linux unbinds whatever remove() returns */
	CHECK(!rs->failed_remove_keeps);
	/* &pdev->dev is a struct device that to_pci_dev() turns back */
	CHECK(rs->device_type && !strcmp(rs->device_type, "pci_dev"));
	CHECK(rs->embedded_device_type &&
	      !strcmp(rs->embedded_device_type, "device"));
	ruleset_free(rs);
	free(path);

	/* FreeBSD: a failed detach leaves the device attached */
	path = xasprintf("%s/rules/freebsd-pci.rules",
			 argc > 1 ? argv[1] : ".");
	rs = ruleset_load(path, &err);
	CHECK(rs && rs->failed_remove_keeps && rs->errors_positive);
	ruleset_free(rs);
	free(path);
	{
		/* a second devtype line replaces the first */
		char *two = write_temp("pack t\ndevtype a embeds=b\n"
				       "devtype pci_dev embeds=device\n"
				       "pure sscanf\n");
		struct ruleset *r2 = two ? ruleset_load(two, &err) : NULL;
		CHECK(r2 && !strcmp(r2->device_type, "pci_dev") &&
		      !strcmp(r2->embedded_device_type, "device"));
		e = r2 ? ruleset_lookup(r2, "sscanf") : NULL;
		CHECK(e && e->role == ROLE_PURE);
		ruleset_free(r2);
		if (two)
			unlink(two);
		free(two);
	}
	expect_error("pack t\ndevtype pci_dev device\n",
		     ":2: devtype takes a struct name and embeds=STRUCT");
	expect_error("pack t\ndevtype pci_dev embeds=\n",
		     ":2: devtype takes a struct name and embeds=STRUCT");
	expect_error("pack t\nremove-failure maybe\n",
		     ":2: remove-failure takes keeps or detaches");

	expect_error("pack t\nalloc foo family=msi\n", ":2: this role needs dev=");
	expect_error("pack t\nfrobnicate foo\n", ":2: unknown role");
	expect_error("pack t\nalloc foo dev=x family=msi\n", "dev= takes");
	expect_error("pack t\nalloc foo dev=0 family=msi success=maybe\n",
		     "success= takes");
	expect_error("pack t\nrelease foo dev=0\n", "needs family=");
	expect_error("pack t\nhandler foo\n", "needs irq=, or dev= and vec=");
	expect_error("pack t\nirqvec foo dev=0\n", "irqvec needs dev= and vec=");
	expect_error("pack t\nhandler foo irq=0 devid=x\n", "devid= takes");
	expect_error("pack t\nalloc foo dev=0 family=msi devid=1\n",
		     "devid= belongs to handler and handlerfree");
	expect_error("pack t\nalloc foo dev=0 family=msi success=count count=1\n",
		     "count= takes two argument indexes");
	expect_error("# nothing\n", "not a rule pack");
	expect_error("pack t\nflagbit 40 msi\n", "flagbit takes");
	{
		struct ruleset *none = ruleset_load("/nonexistent/x.rules", &err);
		CHECK(none == NULL && err && strstr(err, "cannot read"));
		free(err);
	}
	return unit_finish();
}
