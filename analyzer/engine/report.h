/* Events to the rules, and findings (report.c): the engine fires an event
 * at every rule that runs; a rule's report becomes a finding of the file
 * now, or waits in the function's summary for the callers to decide what
 * depends on them (a deferred finding). */
#ifndef IRQCHECK_REPORT_H
#define IRQCHECK_REPORT_H

#include "engine/engine.h"

void report_fire(struct event *ev);
/* Keeps a finding in sum for the callers: holds when the device key names
 * at the call meets req. Takes over f. */
void report_defer(struct fn_summary *sum, struct finding *f, const char *key,
		  unsigned req, uint8_t reliance);
/* Why a finding of a rule with that reliance (enum path_reliance) on the
 * path of st is unproven, or NULL (caller frees). */
char *report_unproven(struct tu_ctx *tu, const struct state *st,
		      uint8_t reliance);
/* The state a device has when nothing before this function touched it. */
void report_entry_as_untouched(struct dev_track *d);
/* A device untouched on the path takes the management of the driver's own
 * device when that one is enabled managed (see report.c). */
void report_adopt_driver_management(struct fn_ctx *fn, struct state *st,
				    struct dev_track *d);

#endif
