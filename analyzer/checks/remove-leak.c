/* remove-leak: on an unmanaged device (once the PCI core drops the hybrid
 * rule, also unmanaged vectors on a managed one), vectors that probe() holds on
 * success are not released on some path of the driver's remove(). remove()
 * starts from probe's success state (paired through the driver structure),
 * so this is a held vector at one of remove's exits. Reported there. The
 * same holds for objects a pack says must be given back (FreeBSD's IRQ
 * resources and taskqgroup attachments). */
#include "checks/check_list.h"

#include <stdlib.h>

/* Without the hybrid rule, unmanaged vectors that probe() of a managed
 * device keeps are released by nothing at detach unless remove() does:
 * reported at the allocation, when remove() (or its absence) does not
 * release them. */
static void report_kept_by_managed_probe(const struct event *ev)
{
	int i;

	for (i = 0; i < event_ndevices(ev); i++) {
		const struct dev_track *d = event_device(ev, i);

		if (d->vec != VEC_HELD || d->managed_api ||
		    d->enable != EN_MANAGED || d->alloc_site < 0 ||
		    dev_vectors_released_by_choice(d))
			continue;
		event_report(ev, &check_remove_leak, i, REQ_NO_REMOVE_RELEASE,
			     d->alloc_site,
			     "probe() keeps the interrupt vectors allocated "
			     "here and remove() does not release them: the "
			     "PCI core releases with devres only what "
			     "pcim_alloc_irq_vectors() allocated");
	}
}

static void remove_leak_on_event(const struct event *ev)
{
	int i;

	if (ev->kind == EV_EXIT && event_role(ev) == ROLE_PROBE &&
	    ev->outcome != OUTCOME_FAILURE && event_in_root(ev) &&
	    event_rules(ev)->hybrid_gone)
		report_kept_by_managed_probe(ev);
	if (ev->kind != EV_EXIT || event_role(ev) != ROLE_REMOVE)
		return;
	/* a detach that fails leaves the device attached, holding it all */
	if (ev->outcome == OUTCOME_FAILURE &&
	    event_rules(ev)->failed_remove_keeps)
		return;
	check_report_objects(ev, &check_remove_leak, false, "remove() returns",
			     " probe");
	for (i = 0; i < event_ndevices(ev); i++) {
		const struct dev_track *d = event_device(ev, i);
		char *msg, *where;

		if (d->vec != VEC_HELD || d->managed_api ||
		    d->enable == EN_MANAGED ||
		    dev_vectors_released_by_choice(d))
			continue;
		where = check_where(ev, d->alloc_site, ev->site);
		msg = xasprintf("remove() returns without releasing the "
				"interrupt vectors probe allocated at %s",
				where);
		free(where);
		event_report(ev, &check_remove_leak, i, REQ_NONE, ev->site,
			     msg);
		free(msg);
	}
}

const struct check check_remove_leak = {
	.id = "remove-leak",
	.severity = SEV_ERROR,
	.summary = "remove() does not release the vectors probe allocated",
	.on_event = remove_leak_on_event,
	.order_sensitive = true,
};
