/* mismatched-release: the release cannot undo the allocation (MSI vectors
 * released as MSI-X, or the reverse). Reported at the release. */
#include "checks/check_list.h"

#include <stdlib.h>

static const char *family_name(unsigned fam)
{
	if ((fam & (FAMILY_MSI | FAMILY_MSIX)) == FAMILY_MSI)
		return "MSI";
	if ((fam & (FAMILY_MSI | FAMILY_MSIX)) == FAMILY_MSIX)
		return "MSI-X";
	return "MSI or MSI-X";
}

static void mismatch_on_event(const struct event *ev)
{
	const struct dev_track *d;
	unsigned held, undone;
	char *msg, *where;

	if (ev->kind != EV_RELEASE)
		return;
	d = &ev->st->c.dev[ev->dev];
	if (d->vec != VEC_HELD)
		return;
	held = d->family & (FAMILY_MSI | FAMILY_MSIX);
	undone = ev->family & (FAMILY_MSI | FAMILY_MSIX);
	if (!held || !undone || (held & undone))
		return;
	where = check_where(ev, d->alloc_site, ev->site);
	msg = xasprintf("%s() releases %s vectors, but the vectors allocated at "
			"%s are %s", ev->api, family_name(undone), where,
			family_name(held));
	free(where);
	engine_report(ev, check_mismatched_release.id, ev->dev, REQ_NONE,
		      ev->site, msg);
	free(msg);
}

const struct check check_mismatched_release = {
	.id = "mismatched-release",
	.severity = SEV_ERROR,
	.summary = "release of a different vector family than was allocated",
	.on_event = mismatch_on_event,
};
