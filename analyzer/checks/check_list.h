/* The rules: one file per rule id, each a struct check (engine/events.h)
 * that listens to engine events and reports through event_report(). This
 * header lists them (registry.c) and the helpers they share (common.c).
 * Rules include nothing of the engine but engine/events.h. */
#ifndef IRQCHECK_CHECK_LIST_H
#define IRQCHECK_CHECK_LIST_H

#include <stddef.h>

#include "engine/events.h"
#include "findings.h"
#include "util.h"

extern const struct check check_hybrid_double_free;
extern const struct check check_implicit_devres_release;
extern const struct check check_error_path_leak;
extern const struct check check_double_free;
extern const struct check check_mismatched_release;
extern const struct check check_remove_leak;
extern const struct check check_free_with_handlers;
extern const struct check check_irq_handler_leak;
extern const struct check check_handler_double_free;
extern const struct check check_use_after_free;
extern const struct check check_shutdown_leak;
extern const struct check check_wrong_handler_free;

const struct check *const *check_registry(size_t *n);
const struct check *check_find(const char *id);
/* The rule id as the registry spells it (static; also the suppression
 * rule's), or "irqcheck" for an id no rule has. */
const char *check_static_id(const char *id);
/* Bit i stands for check_registry()[i]. */
unsigned long check_default_mask(void);
/* The bit of a rule id, 0 when there is no such check. */
unsigned long check_mask_of(const char *id);
/* The rules of mask, in reporting order, into out (room for every rule);
 * returns how many. */
size_t check_select(unsigned long mask, const struct check **out);

/* Helpers shared by the rules (common.c). */

/* "line N" when the site is in the file of the reported place, else
 * "file.c:N"; "an earlier call" when unknown. Caller frees. */
char *check_where(const struct event *ev, int32_t site, int32_t reported);

/* Reports, under rule, the acquired objects still held at ev's exit whose
 * local flag (acquired by the function walked) is local: "WHAT without
 * giving back the KIND NAME[WHO] acquired at WHERE[, the ... and the ...]",
 * one finding per place. With local, also the
 * objects a callee kept when it failed, at that callee's return. */
void check_report_objects(const struct event *ev, const struct check *rule,
			  bool local, const char *what, const char *who);

/* Why a finding about handler t is unproven, or NULL: on a vector a
 * variable names, which handler it is cannot be told from other names
 * of it. */
const char *check_handler_doubt(const struct event *ev,
				const struct handler_track *t);

/* The site a finding about a call goes to: inside the callee when the
 * event comes from its summary, else the call. */
int32_t check_call_site(const struct event *ev);

#endif
