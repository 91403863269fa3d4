/* use-after-free: the irq number of a vector other than 0 (or any
 * vector's affinity) is read after the device's vectors were released on
 * the path. pci_irq_vector(dev, 0) after a release is the documented INTx
 * fallback and is not reported. Reported at the use. */
#include "checks/check_list.h"

#include <stdlib.h>

static void uaf_on_event(const struct event *ev)
{
	const struct dev_track *d;
	char *msg, *where;

	if (ev->kind != EV_IRQ_USE || (ev->index_is_zero && !ev->any_index))
		return;
	d = event_device(ev, ev->dev);
	if (d->vec == VEC_ENTRY) {
		/* a helper: its callers tell whether they released first.
		 * Only reads that cannot be guarded by a vector count or an
		 * enabled check the engine does not see (an affinity, or a
		 * fixed vector other than 0) are judged this way. */
		if (!ev->any_index && !ev->index_constant)
			return;
		msg = xasprintf("%s() reads a vector of the device after a "
				"caller released the vectors",
				ev->api);
		event_report(ev, &check_use_after_free, ev->dev,
			     REQ_CTX_RELEASED, ev->site, msg);
		free(msg);
		return;
	}
	where = check_where(ev, d->release_site, ev->site);
	msg = xasprintf("%s() reads a vector of %s after its vectors were "
			"released at %s",
			ev->api,
			event_key(ev, d->key)[0] == '$' ? "the device"
							: event_key(ev, d->key),
			where);
	free(where);
	event_report(ev, &check_use_after_free, ev->dev, REQ_NONE, ev->site,
		     msg);
	free(msg);
}

const struct check check_use_after_free = {
	.id = "use-after-free",
	.severity = SEV_ERROR,
	.summary = "irq number or affinity of a vector read after release",
	.on_event = uaf_on_event,
	.order_sensitive = true,
};
