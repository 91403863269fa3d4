/* error-path-leak: on an unmanaged device (any device once the PCI core
 * drops the hybrid rule, for unmanaged vectors), a path from a successful
 * allocation returns failure without releasing the vectors. Reported at
 * the failing return of probe (or, in a file without a driver structure,
 * of a function other files call); a helper's failure is passed to its
 * callers through its summary, and is a leak only if they do not release.
 * Resume and reset paths are not setup: remove() still releases. Objects a
 * pack says must be given back (FreeBSD's IRQ resources and taskqgroup
 * attachments) are held to the same rule. */
#include "checks/check_list.h"

#include <stdlib.h>

static void leak_on_event(const struct event *ev)
{
	int i;

	if (ev->kind != EV_EXIT || ev->outcome != OUTCOME_FAILURE ||
	    !event_in_setup_entry(ev))
		return;
	check_report_objects(ev, &check_error_path_leak, true,
			     "error path returns", "");
	for (i = 0; i < event_ndevices(ev); i++) {
		const struct dev_track *d = event_device(ev, i);
		char *msg, *where;
		int32_t at;

		if (d->vec != VEC_HELD || d->managed_api || !d->confirmed ||
		    dev_vectors_released_by_choice(d))
			continue;
		/* A helper that failed holding them is where the release is
		 * missing; the caller's path that passes the error on is in
		 * the notes. */
		at = d->leak_site >= 0 ? d->leak_site : ev->site;
		where = check_where(ev, d->alloc_site, at);
		msg = xasprintf("error path returns without releasing the "
				"interrupt vectors allocated at %s",
				where);
		free(where);
		/* without the hybrid rule a managed device leaks them too */
		event_report_doubted(
		    ev, &check_error_path_leak, i,
		    event_rules(ev)->hybrid_gone ? REQ_NONE : REQ_CTX_UNMANAGED,
		    at, msg,
		    event_role(ev) == ROLE_PROBE
			? NULL
			: "the function is one other files call, and none of "
			  "its callers was analysed: they may release the "
			  "vectors on its failure, or enable the device "
			  "managed");
		free(msg);
	}
}

const struct check check_error_path_leak = {
	.id = "error-path-leak",
	.severity = SEV_ERROR,
	.summary = "error path returns without releasing allocated vectors",
	.on_event = leak_on_event,
};
