/* hybrid-double-free: vectors from an unmanaged allocator on a managed
 * device are released explicitly, and devres releases them again when the
 * driver detaches. Vectors from a managed allocator
 * (pcim_alloc_irq_vectors()) released by hand are the same bug on any
 * device. Reported at each explicit release. */
#include "checks/check_list.h"

#include <stdlib.h>

static void hybrid_on_event(const struct event *ev)
{
	const struct dev_track *d;
	unsigned req;
	char *msg, *where = NULL;

	/* A release inside a callee is reported there, through its summary. */
	if (ev->kind != EV_RELEASE || ev->via_summary)
		return;
	d = event_device(ev, ev->dev);
	if (d->vec == VEC_HELD && d->managed_api) {
		where = check_where(ev, d->alloc_site, ev->site);
		msg =
		    xasprintf("%s() releases vectors from a managed allocator "
			      "(%s), which devres releases again when the "
			      "driver detaches",
			      ev->api, where);
		event_report(ev, &check_hybrid_double_free, ev->dev, REQ_NONE,
			     ev->site, msg);
		free(msg);
		free(where);
		return;
	}
	/* without the hybrid rule devres releases only what a managed
	 * allocator allocated: the explicit release is the only one */
	if (event_rules(ev)->hybrid_gone)
		return;
	if (d->vec == VEC_HELD && !d->managed_api)
		req = REQ_CTX_MANAGED;
	else if (d->vec == VEC_ENTRY)
		req = REQ_CTX_MANAGED | REQ_CTX_HELD_UNMANAGED;
	else
		return;
	if (d->vec == VEC_HELD) {
		where = check_where(ev, d->alloc_site, ev->site);
		msg = xasprintf(
		    "%s() releases vectors that devres also releases "
		    "when the driver detaches: the device is managed "
		    "and the vectors come from an unmanaged allocator "
		    "(%s)",
		    ev->api, where);
	} else
		msg = xasprintf(
		    "%s() releases vectors that devres also releases "
		    "when the driver detaches: the device is managed "
		    "and the vectors come from an unmanaged allocator",
		    ev->api);
	event_report(ev, &check_hybrid_double_free, ev->dev, req, ev->site,
		     msg);
	free(msg);
	free(where);
}

const struct check check_hybrid_double_free = {
	.id = "hybrid-double-free",
	.severity = SEV_WARNING,
	.summary = "vectors of a managed device released explicitly and again "
		   "by devres",
	.on_event = hybrid_on_event,
	.path_independent = true,
};
