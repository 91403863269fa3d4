/* implicit-devres-release: vectors from an unmanaged allocator on a
 * managed device are left for devres to release on some path: the driver
 * relies on the hybrid behaviour the PCI core is removing. Reported at the
 * allocation. */
#include "checks/check_list.h"

#include <stdlib.h>

static void implicit_on_event(const struct event *ev)
{
	int i;

	/* shutdown() starts from probe's success and does not detach:
	 * what it leaves held is remove()'s to release */
	if (ev->kind != EV_EXIT || event_role(ev) == ROLE_SHUTDOWN)
		return;
	/* without the hybrid rule nothing releases them implicitly: what
	 * is left is error-path-leak's and remove-leak's */
	if (event_rules(ev)->hybrid_gone)
		return;
	for (i = 0; i < event_ndevices(ev); i++) {
		const struct dev_track *d = event_device(ev, i);
		unsigned req = REQ_CTX_MANAGED;
		char *msg;

		if (d->vec != VEC_HELD || d->managed_api || d->alloc_site < 0)
			continue;
		/* A helper's exits go on to its callers through its summary;
		 * from probe's success they go on to remove(). */
		if (!event_in_root(ev))
			continue;
		if (ev->outcome != OUTCOME_FAILURE &&
		    event_role(ev) == ROLE_PROBE)
			req |= REQ_NO_REMOVE_RELEASE;
		msg =
		    xasprintf("vectors allocated here on a managed device are "
			      "never released explicitly on %s; the driver "
			      "relies on devres releasing unmanaged vectors, "
			      "which the PCI core is removing: use the managed "
			      "allocator",
			      ev->outcome == OUTCOME_FAILURE
				  ? "an error path"
				  : "a path that keeps them until the "
				    "driver detaches");
		event_report(ev, &check_implicit_devres_release, i, req,
			     d->alloc_site, msg);
		free(msg);
	}
}

const struct check check_implicit_devres_release = {
	.id = "implicit-devres-release",
	.severity = SEV_NOTE,
	.summary = "unmanaged vectors on a managed device left for devres to "
		   "release",
	.on_event = implicit_on_event,
	.path_independent = true,
};
