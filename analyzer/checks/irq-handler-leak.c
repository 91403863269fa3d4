/* irq-handler-leak: a handler requested in a function is still attached at
 * a failing return of that function (typically a request loop whose
 * failure does not free the handlers it already requested). Reported at
 * the failing return of probe or of a helper; a handler a callee attached
 * counts in a helper only when probe is at the end of its callers, since
 * other callbacks may keep a handler on purpose. Handlers requested with
 * devres are freed by it. */
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

static bool requested_here(const struct event *ev,
			   const struct handler_track *t)
{
	const struct site *s = event_site(ev, t->site);

	return !s ||
	       strncmp(s->text, CALL_SITE_PREFIX, strlen(CALL_SITE_PREFIX));
}

static void ihl_on_event(const struct event *ev)
{
	int h;

	/* Callbacks that are not setup (ndo_open, resume) may keep a
	 * handler for the device's lifetime on purpose. */
	if (ev->kind != EV_EXIT || ev->outcome != OUTCOME_FAILURE ||
	    (event_in_root(ev) && !event_in_setup_entry(ev)))
		return;
	for (h = 0; h < event_nhandlers(ev); h++) {
		const struct handler_track *t = event_handler(ev, h);
		char *msg, *where;

		if (t->state != H_ATTACHED || t->devm || !t->local ||
		    event_key_is_object(event_key(ev, t->key)) ||
		    event_handler_unwound(ev, t,
					  event_site(ev, ev->site)->line))
			continue;
		where = check_where(ev, t->site, ev->site);
		msg = xasprintf("error path returns with the handler requested "
				"at %s (irq %s) still attached",
				where, event_handler_irq(ev, t));
		free(where);
		/* A handler this function requested itself is its own to
		 * unwind. One a callee attached and returned with success
		 * counts only on the way up from probe: an ethtool or reset
		 * callback that fails later may keep it for the device's
		 * lifetime. */
		event_report_doubted(ev, &check_irq_handler_leak, t->dev,
				     event_in_root(ev) || requested_here(ev, t)
					 ? REQ_NONE
					 : REQ_SETUP_ROOT,
				     ev->site, msg, check_handler_doubt(ev, t));
		free(msg);
		return; /* one finding per return */
	}
}

const struct check check_irq_handler_leak = {
	.id = "irq-handler-leak",
	.severity = SEV_ERROR,
	.summary = "error path leaves a requested handler attached",
	.on_event = ihl_on_event,
};
