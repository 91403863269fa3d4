/* shutdown-leak: a driver's .shutdown callback (run at reboot and before
 * kexec) disables the device while its vectors stay allocated or a
 * handler on them stays attached. shutdown() starts from probe's success
 * state, like remove(). Reported, as a note, at the exit of shutdown(). */
#include "checks/check_list.h"

#include <stdlib.h>

static bool has_handler(const struct event *ev, int dev)
{
	int h;

	for (h = 0; h < event_nhandlers(ev); h++) {
		const struct handler_track *t = event_handler(ev, h);
		if (t->dev == dev && t->state == H_ATTACHED &&
		    !event_key_is_object(event_key(ev, t->key)))
			return true;
	}
	return false;
}

static void shutdown_leak_on_event(const struct event *ev)
{
	int i;

	if (ev->kind != EV_EXIT || event_role(ev) != ROLE_SHUTDOWN)
		return;
	for (i = 0; i < event_ndevices(ev); i++) {
		const struct dev_track *d = event_device(ev, i);
		bool held =
		    d->vec == VEC_HELD && !dev_vectors_released_by_choice(d);
		bool handler = has_handler(ev, i);
		char *msg, *where;

		if (!d->disabled || (!held && !handler))
			continue;
		where = check_where(ev, d->disable_site, ev->site);
		msg = xasprintf(
		    "shutdown() disables the device (%s) while %s", where,
		    held && handler ? "its interrupt vectors are "
				      "still allocated and a handler "
				      "on them is attached"
		    : held	    ? "its interrupt vectors are still "
				      "allocated"
				    : "a handler on its vectors is still "
				      "attached");
		free(where);
		event_report(ev, &check_shutdown_leak, i, REQ_NONE, ev->site,
			     msg);
		free(msg);
		return; /* one finding per exit */
	}
}

const struct check check_shutdown_leak = {
	.id = "shutdown-leak",
	.severity = SEV_NOTE,
	.summary = "shutdown() disables the device with vectors or handlers left",
	.on_event = shutdown_leak_on_event,
	.order_sensitive = true,
	/* 9 notes on 6.12, of which the ones read were mostly false: a
	 * release behind test_and_clear_bit(), an irq freed through a field
	 * (see rules/shutdown-leak.md) */
	.off_by_default = true,
};
