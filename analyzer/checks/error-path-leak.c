/* error-path-leak: on an unmanaged device, a path from a successful
 * allocation returns failure without releasing the vectors. Reported at
 * the failing return. */
#include "checks/check_list.h"

#include <stdlib.h>

static void leak_on_event(const struct event *ev)
{
	int i;

	if (ev->kind != EV_EXIT || ev->outcome != OUTCOME_FAILURE)
		return;
	for (i = 0; i < ev->st->c.ndev; i++) {
		const struct dev_track *d = &ev->st->c.dev[i];
		char *msg, *where;

		if (d->vec != VEC_HELD || d->managed_api || !d->confirmed)
			continue;
		where = check_where(ev, d->alloc_site, ev->site);
		msg = xasprintf("error path returns without releasing the "
				"interrupt vectors allocated at %s", where);
		free(where);
		engine_report(ev, check_error_path_leak.id, i,
			      REQ_CTX_UNMANAGED, ev->site, msg);
		free(msg);
	}
}

const struct check check_error_path_leak = {
	.id = "error-path-leak",
	.severity = SEV_ERROR,
	.summary = "error path returns without releasing allocated vectors",
	.on_event = leak_on_event,
};
