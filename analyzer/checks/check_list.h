/* The registry of checks. Each check lives in its own file named after its
 * rule id, listens to engine events and reports through engine_report(). */
#ifndef IRQCHECK_CHECK_LIST_H
#define IRQCHECK_CHECK_LIST_H

#include <stddef.h>

#include "engine/engine.h"
#include "findings.h"

struct check {
	const char *id;
	enum severity severity;
	const char *summary; /* one line, for listings and SARIF */
	void (*on_event)(const struct event *ev);
	bool off_by_default; /* runs only when asked for (scan --enable) */
};

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

const struct check *const *check_registry(size_t *n);
const struct check *check_find(const char *id);
/* Bit i stands for check_registry()[i]. */
unsigned long check_default_mask(void);
/* The bit of a rule id, 0 when there is no such check. */
unsigned long check_mask_of(const char *id);

/* Helpers shared by the checks. */
const struct site *check_site(const struct event *ev, int32_t site);
/* "line N" when the site is in the file of the reported place, else
 * "file.c:N"; "an earlier call" when unknown. Caller frees. */
char *check_where(const struct event *ev, int32_t site, int32_t reported);

/* Reports, under rule, each acquired object still held at ev's exit whose
 * local flag (acquired by the function walked) is local: "WHAT without
 * giving back the KIND NAME[WHO] acquired at WHERE". */
void check_report_objects(const struct event *ev, const char *rule,
			  bool local, const char *what, const char *who);

#endif
