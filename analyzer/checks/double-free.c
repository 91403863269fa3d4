/* double-free: the same device's vectors are released twice on one path
 * with no allocation in between. Reported at the second release. */
#include "checks/check_list.h"

#include <stdlib.h>

static void double_free_on_event(const struct event *ev)
{
	const struct dev_track *d;
	char *msg, *where;

	if (ev->kind != EV_RELEASE)
		return;
	d = event_device(ev, ev->dev);
	if (d->vec != VEC_RELEASED)
		return;
	/* pci_disable_msi() after pci_disable_msix() cannot free the MSI-X
	 * vectors again: it undoes a family that was not released */
	if (!(ev->family & d->family & (FAMILY_MSI | FAMILY_MSIX)))
		return;
	where = check_where(ev, d->release_site, ev->site);
	msg = xasprintf("%s() releases vectors that were already released at "
			"%s",
			ev->api, where);
	free(where);
	event_report(ev, &check_double_free, ev->dev, REQ_NONE, ev->site, msg);
	free(msg);
}

const struct check check_double_free = {
	.id = "double-free",
	.severity = SEV_ERROR,
	.summary = "vectors released twice on one path",
	.on_event = double_free_on_event,
	.order_sensitive = true,
};
