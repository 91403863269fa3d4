/* handler-double-free: a handler requested with devm_request_irq() is
 * freed with free_irq(), so devres frees it a second time when the driver
 * detaches; likewise one a devres action registered earlier frees.
 * Reported at the free_irq(). */
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

static void hdf_on_event(const struct event *ev)
{
	const struct handler_track *t;
	char *msg;

	if (ev->kind != EV_HANDLER_FREE || ev->free_is_devm)
		return;
	t = event_handler(ev, ev->handler);
	if (!t->devm)
		return;
	if (t->devm == HANDLER_DEVM_ACTION)
		msg = xasprintf(
		    "%s() frees a handler (irq %s) that a devres action "
		    "registered on this path frees too "
		    "(devm_add_action_or_reset() runs it at once when it "
		    "fails, devres at detach): it is freed twice",
		    ev->api, event_handler_irq(ev, t));
	else
		msg = xasprintf(
		    "%s() frees a handler that was requested with devres "
		    "(irq %s); devres frees it again when the driver "
		    "detaches: use the devres free, or request it without "
		    "devres",
		    ev->api, event_handler_irq(ev, t));
	event_report(ev, &check_handler_double_free, t->dev, REQ_NONE,
		     check_call_site(ev), msg);
	free(msg);
}

const struct check check_handler_double_free = {
	.id = "handler-double-free",
	.severity = SEV_ERROR,
	.summary = "devres-requested handler also freed by hand",
	.on_event = hdf_on_event,
	.order_sensitive = true,
};
