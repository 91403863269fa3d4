/* free-with-handlers: the vectors are released while a handler on one of
 * them is still attached: a request_irq() handler not yet freed on the
 * path, or a devm_request_irq() handler, which devres frees only after
 * the driver returns. Reported at the release, or at the registration of
 * a devres action that releases them after such a handler was requested
 * (devres runs it first). Also an interrupt resource (FreeBSD) given
 * back while a handler set up on it is attached. */
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

/* The irq resource a handler is set up on is given back before the
 * handler is torn down (FreeBSD's bus_release_resource() before
 * bus_teardown_intr()). */
static void fwh_on_object_undo(const struct event *ev)
{
	const struct handler_track *t = event_handler(ev, ev->handler);
	char *msg;

	if (t->devm)
		return;
	msg = xasprintf("%s() releases the interrupt resource while the "
			"handler on irq %s is still attached: tear the "
			"handler down first",
			ev->api, event_handler_irq(ev, t));
	event_report(ev, &check_free_with_handlers, ev->dev, REQ_NONE,
		     check_call_site(ev), msg);
	free(msg);
}

static void fwh_on_event(const struct event *ev)
{
	int h;

	if (ev->kind == EV_OBJECT_UNDO) {
		fwh_on_object_undo(ev);
		return;
	}
	if (ev->kind != EV_RELEASE && ev->kind != EV_DEVRES_RELEASE)
		return;
	/* no MSI or MSI-X vectors on this path (never allocated, INTx
	 * only, released already): the release takes nothing from under a
	 * handler */
	if (event_device(ev, ev->dev)->vec != VEC_HELD &&
	    event_device(ev, ev->dev)->vec != VEC_ENTRY)
		return;
	for (h = 0; h < event_nhandlers(ev); h++) {
		const struct handler_track *t = event_handler(ev, h);
		char *msg;

		if (t->dev != ev->dev || t->state != H_ATTACHED ||
		    event_key_is_object(event_key(ev, t->key)) ||
		    event_handler_unwound(ev, t,
					  event_site(ev, ev->site)->line))
			continue;
		if (ev->kind == EV_DEVRES_RELEASE) {
			/* devres undoes in reverse order: the action runs
			 * before a devres handler registered earlier is
			 * freed; a plain handler is the driver's to free
			 * before detach */
			if (!t->devm)
				continue;
			msg = xasprintf("devres will run %s(), which releases "
					"the vectors, before it frees the "
					"handler on irq %s registered earlier "
					"(devres undoes in reverse order)",
					ev->api, event_handler_irq(ev, t));
			event_report(ev, &check_free_with_handlers, ev->dev,
				     REQ_NONE, ev->site, msg);
			free(msg);
			return;
		}
		msg =
		    xasprintf("%s() releases the vectors while the handler on "
			      "irq %s is still attached%s",
			      ev->api, event_handler_irq(ev, t),
			      t->devm ? " (requested with devres, it is freed "
					"only after the driver returns)"
				      : ": free it first");
		/* a helper that releases: at its release, the path into it
		 * in the notes. A handler on a vector a variable names may be
		 * one a loop freed by another name: unproven */
		event_report_doubted(ev, &check_free_with_handlers, ev->dev,
				     REQ_NONE, check_call_site(ev), msg,
				     check_handler_doubt(ev, t));
		free(msg);
		return; /* one finding per release */
	}
}

const struct check check_free_with_handlers = {
	.id = "free-with-handlers",
	.severity = SEV_ERROR,
	.summary = "vectors released while a handler on them is attached",
	.on_event = fwh_on_event,
	.order_sensitive = true,
};
