/* wrong-handler-free: a free_irq() (pci_free_irq(), devm_free_irq()) that
 * cannot free the handler it undoes, because its dev_id is not the
 * pointer the request passed (another type: "&q[i]" for "q[i]", the
 * device for its queue) or because an unwind loop names the irq or the
 * dev_id by an index the loop never changes. free_irq() frees only the
 * action whose dev_id is the same pointer, so the handler stays attached
 * and the vectors are later released under it. Reported at the free. */
#include "checks/check_list.h"

#include <stdlib.h>

static void whf_on_event(const struct event *ev)
{
	const struct handler_track *t;
	char *where, *msg;

	if (ev->kind != EV_HANDLER_MISFREE)
		return;
	if (ev->handler < 0) {
		/* on an irq not tied to a vector */
		msg = xasprintf("%s() cannot free the handler it undoes: %s; "
				"that handler stays attached",
				ev->api, ev->detail);
		event_report(ev, &check_wrong_handler_free, -1, REQ_NONE,
			     ev->site, msg);
		free(msg);
		return;
	}
	t = event_handler(ev, ev->handler);
	where = check_where(ev, t->site, ev->site);
	msg = xasprintf("%s() cannot free the handler requested at %s on irq "
			"%s: %s; that handler stays attached",
			ev->api, where, event_handler_irq(ev, t), ev->detail);
	event_report(ev, &check_wrong_handler_free, t->dev, REQ_NONE, ev->site,
		     msg);
	free(where);
	free(msg);
}

const struct check check_wrong_handler_free = {
	.id = "wrong-handler-free",
	.severity = SEV_ERROR,
	.summary = "free_irq() with a dev_id or index the request did not use",
	.on_event = whf_on_event,
	.path_independent = true,
};
