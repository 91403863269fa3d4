/* shutdown-leak: a driver's .shutdown callback (run at reboot and before
 * kexec) disables the device while its vectors stay allocated or a
 * handler on them stays attached. shutdown() starts from probe's success
 * state, like remove(). Reported, as a note, at the exit of shutdown(). */
#include "checks/check_list.h"

#include <stdlib.h>

static bool has_handler(const struct event *ev, int dev)
{
	const struct state *st = ev->st;
	int h;

	for (h = 0; h < st->c.nhandler; h++)
		if (st->c.handler[h].dev == dev &&
		    st->c.handler[h].state == H_ATTACHED &&
		    !engine_is_object_key(engine_key(ev->fn,
						     st->c.handler[h].key)))
			return true;
	return false;
}

static void shutdown_leak_on_event(const struct event *ev)
{
	int i;

	if (ev->kind != EV_EXIT || ev->fn->role != ROLE_SHUTDOWN)
		return;
	for (i = 0; i < ev->st->c.ndev; i++) {
		const struct dev_track *d = &ev->st->c.dev[i];
		bool held = d->vec == VEC_HELD &&
			    !engine_vectors_released_by_choice(d);
		bool handler = has_handler(ev, i);
		char *msg, *where;

		if (!d->disabled || (!held && !handler))
			continue;
		where = check_where(ev, d->disable_site, ev->site);
		msg = xasprintf("shutdown() disables the device (%s) while %s",
				where,
				held && handler ? "its interrupt vectors are "
						  "still allocated and a handler "
						  "on them is attached"
				: held ? "its interrupt vectors are still "
					 "allocated"
				       : "a handler on its vectors is still "
					 "attached");
		free(where);
		engine_report(ev, check_shutdown_leak.id, i, REQ_NONE, ev->site,
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
	/* 9 notes on 6.12, of which the ones read were mostly false: a
	 * release behind test_and_clear_bit(), an irq freed through a field
	 * (see rules/shutdown-leak.md) */
	.off_by_default = true,
};
