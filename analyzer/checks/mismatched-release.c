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
	d = event_device(ev, ev->dev);
	undone = ev->family & (FAMILY_MSI | FAMILY_MSIX);
	if (undone != FAMILY_MSI && undone != FAMILY_MSIX)
		return;
	if (d->vec == VEC_ENTRY) {
		/* In remove() or shutdown(), what probe left decides. A
		 * helper's branches may follow a flag the engine does not
		 * correlate (using_msix), so they are not judged per call. */
		if (event_role(ev) != ROLE_REMOVE &&
		    event_role(ev) != ROLE_SHUTDOWN)
			return;
		msg = xasprintf("%s() releases %s vectors, but the vectors "
				"this device holds are %s",
				ev->api, family_name(undone),
				family_name(FAMILY_ANY & ~undone));
		event_report(ev, &check_mismatched_release, ev->dev,
			     undone == FAMILY_MSIX ? REQ_CTX_HELD_NO_MSIX
						   : REQ_CTX_HELD_NO_MSI,
			     ev->site, msg);
		free(msg);
		return;
	}
	if (d->vec != VEC_HELD)
		return;
	held = d->family & (FAMILY_MSI | FAMILY_MSIX);
	if (!held || (held & undone))
		return;
	where = check_where(ev, d->alloc_site, ev->site);
	msg =
	    xasprintf("%s() releases %s vectors, but the vectors allocated at "
		      "%s are %s",
		      ev->api, family_name(undone), where, family_name(held));
	free(where);
	event_report(ev, &check_mismatched_release, ev->dev, REQ_NONE, ev->site,
		     msg);
	free(msg);
}

const struct check check_mismatched_release = {
	.id = "mismatched-release",
	.severity = SEV_ERROR,
	.summary = "release of a different vector family than was allocated",
	.on_event = mismatch_on_event,
	.order_sensitive = true,
};
