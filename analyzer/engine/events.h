/* The interface between the engine and the rules. The engine walks paths
 * and fires events (an enable, an allocation, a release, a handler freed,
 * an irq read, a devres action registered, an exit) with the state the
 * path has just before the event; a rule (analyzer/checks/<id>.c) reads
 * that state through the accessors below and reports through
 * event_report(). This header is all a rule may include of the engine:
 * the walk, the state's other parts, summaries and contexts stay opaque. */
#ifndef IRQCHECK_EVENTS_H
#define IRQCHECK_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "findings.h"
#include "ruleset.h"

/* A place in the source and what happened there, shared by path steps,
 * findings and summaries of one translation unit. */
struct site {
	const char *file;
	unsigned line, col;
	const char *text;
	const char *function;
};

enum enable_state { EN_NONE, EN_ENTRY, EN_MANAGED, EN_UNMANAGED };
/* VEC_ENTRY: whatever the caller (or probe, for remove()) left */
enum vec_state { VEC_NONE, VEC_ENTRY, VEC_HELD, VEC_RELEASED };

enum outcome { OUTCOME_SUCCESS, OUTCOME_FAILURE, OUTCOME_UNKNOWN };

enum driver_role { ROLE_NONE, ROLE_PROBE, ROLE_REMOVE, ROLE_SHUTDOWN };

/* One device on one path: how it was enabled and what holds its vectors. */
struct dev_track {
	int32_t key; /* interned device expression */
	uint8_t enable, vec, family, managed_api, confirmed;
	uint8_t released;	  /* families released on this path so far */
	uint8_t family_uncertain; /* paths allocated different families */
	uint8_t trusted;  /* families the driver's state said are not held */
	uint8_t disabled; /* the device was disabled on this path */
	uint8_t void_release; /* the last release found nothing held: an
				 allocation tried on this path had failed */
	int32_t alloc_site, release_site, enable_site;
	int32_t leak_site; /* a callee's failing return that kept them */
	int32_t disable_site;
};

/* An interrupt handler on one of a device's vectors, or an acquired
 * object (event_key_is_object()) riding in the same table. */
enum handler_state { H_ATTACHED = 1, H_FREED = 2 };
#define HANDLER_DEVM_ACTION 2
/* handlers with dev_ids of different types share the key (one irq,
 * several handlers): no dev_id can be told wrong */
#define HANDLER_DEVID_MIXED (-1)
struct handler_track {
	int32_t key;   /* interned "device#index" */
	int32_t devid; /* the type of the dev_id it was requested with:
			  interned key + 1, 0 unknown, HANDLER_DEVID_MIXED */
	uint8_t dev;   /* index of its device on the path */
	uint8_t devm;  /* requested with the devres form (1), or freed by a
			  devres action registered since (HANDLER_DEVM_ACTION) */
	uint8_t state; /* enum handler_state; H_FREED: freed here, not
			  requested here (a helper that frees) */
	uint8_t local; /* requested in the function being walked */
	int32_t site;
	int32_t leak_site; /* the failing return of a callee that came back
			      with it attached, or -1 */
	uint8_t maybe_freed; /* since it was requested, a call the analysis
				cannot see into was handed the driver's data:
				it may have freed it */
};

/* Conditions under which a finding made inside a function holds, decided
 * by the caller's (or the driver core's) device state at the call. */
enum requirement {
	REQ_NONE = 0,
	REQ_CTX_MANAGED = 1,	    /* the device is managed */
	REQ_CTX_UNMANAGED = 2,	    /* the device is not managed */
	REQ_CTX_HELD_UNMANAGED = 4, /* vectors held from an unmanaged API */
	REQ_NO_REMOVE_RELEASE = 8,  /* remove() does not release them */
	REQ_CTX_HELD_NO_MSIX = 16,  /* vectors held are MSI, not MSI-X */
	REQ_CTX_HELD_NO_MSI = 32,   /* vectors held are MSI-X, not MSI */
	REQ_CTX_RELEASED = 64,	    /* the vectors were released */
	REQ_SETUP_ROOT = 128,	    /* the chain of callers ends in a setup
				       entry (probe), not in a callback that
				       may keep what it set up */
};

enum event_kind {
	EV_ENABLE,
	EV_ALLOC,
	EV_RELEASE,
	EV_EXIT,
	EV_HANDLER_FREE,    /* handler: the one being freed */
	EV_IRQ_USE,	    /* an irq number or affinity of a vector is read */
	EV_OBJECT_UNDO,	    /* an irq-named object (FreeBSD's IRQ resource) is
			       given back while handler is attached to it */
	EV_DEVRES_RELEASE,  /* a devres action that releases the vectors is
			       registered: it runs before anything devres
			       registered earlier is undone */
	EV_HANDLER_MISFREE, /* a free that cannot free handler: its dev_id
			       or its index is not the request's (detail
			       says how); handler stays attached */
};

struct fn_ctx;
struct state;

struct event {
	enum event_kind kind;
	struct fn_ctx *fn; /* the function walked (opaque to rules) */
	struct state *st;  /* state before the event takes effect */
	int dev;	   /* device index, -1 for EV_EXIT */
	const char *api;   /* API or callee name */
	bool via_summary;  /* the effect comes from a callee's summary */
	unsigned family;   /* family a release undoes */
	int32_t site;	   /* where it happens */
	enum outcome outcome;
	int32_t callee_site; /* via_summary: the place inside the callee */
	int handler;	     /* EV_HANDLER_FREE, EV_OBJECT_UNDO: the handler */
	bool free_is_devm;   /* EV_HANDLER_FREE: devm_free_irq() */
	bool index_is_zero;  /* EV_IRQ_USE: the constant index 0 */
	bool index_constant; /* EV_IRQ_USE: the index is a constant */
	bool any_index;	     /* EV_IRQ_USE: every index counts (affinity) */
	const char *detail;  /* EV_HANDLER_MISFREE: what does not match */
};

/* A rule: its id, how bad its findings are, and its event hook. The scan
 * hands the engine the list of rules that run (analyzer/checks/). */
struct check {
	const char *id;
	enum severity severity;
	const char *summary; /* one line, for listings and SARIF */
	void (*on_event)(const struct event *ev);
	bool off_by_default; /* runs only when asked for (scan --enable) */
	/* what it reports holds whatever the driver's state decides on the
	 * way (an explicit release exists): never unproven */
	bool path_independent;
	/* what it reports turns on the order of releases and frees along
	 * the path: a callee's way taken among ways that return alike but
	 * leave different devices or handlers makes it unproven */
	bool order_sensitive;
};

/* The devices and handlers (and objects) on the event's path. */
int event_ndevices(const struct event *ev);
const struct dev_track *event_device(const struct event *ev, int i);
int event_nhandlers(const struct event *ev);
const struct handler_track *event_handler(const struct event *ev, int h);

/* The text of an interned key ("$0", "$drv#i", ...); "?" when unknown. */
const char *event_key(const struct event *ev, int32_t key);
/* The irq part of a handler's key ("i" of "$0#i"). */
const char *event_handler_irq(const struct event *ev,
			      const struct handler_track *h);
/* A site of the translation unit; NULL for -1. */
const struct site *event_site(const struct event *ev, int32_t site);

/* The function walked: its role in a driver structure, whether nothing
 * in the module calls it, and whether its failure ends the driver's
 * setup (the probe of a driver structure in the file, or, in a file
 * without one, a function other files call and nobody in the file calls;
 * resume, reset and ops callbacks are not). */
enum driver_role event_role(const struct event *ev);
/* The rule pack the scan runs with. */
const struct ruleset *event_rules(const struct event *ev);
bool event_in_root(const struct event *ev);
bool event_in_setup_entry(const struct event *ev);

/* True when a handler was requested by a variable index in a loop and the
 * function frees that device's handlers by a variable index at a line
 * before `line` (an unwind loop the place being judged comes after). */
bool event_handler_unwound(const struct event *ev,
			   const struct handler_track *h, unsigned line);

/* True for the key of an acquired object ("DEVICE#@KIND:NAME"), which
 * rides in the handler table but is not a handler. */
bool event_key_is_object(const char *key);

/* Vectors whose family was not known (MSI or MSI-X, chosen at run time)
 * that a family-specific release has released: the driver picked the
 * release for the family it got, as far as the analysis can tell. */
bool dev_vectors_released_by_choice(const struct dev_track *d);

/* Reports a finding of rule: emitted now when device dev's state meets
 * req, kept for the callers when the device comes from a parameter and
 * the state at entry decides, dropped otherwise (dev -1: no device).
 * at_site is the reported place; the steps come from the path. */
void event_report(const struct event *ev, const struct check *rule, int dev,
		  unsigned req, int32_t at_site, const char *message);

/* The same, unproven for the reason doubt (a rule's own doubt about what
 * it found; NULL: none). */
void event_report_doubted(const struct event *ev, const struct check *rule,
			  int dev, unsigned req, int32_t at_site,
			  const char *message, const char *doubt);
/* Whether a handler's irq is named by a constant vector index ("$0#2"),
 * rather than by a variable the analysis cannot tell the value of (tried:
 * trusting a variable index when every free on the path matched a known
 * handler more than doubled the false positives of irq-handler-leak and
 * free-with-handlers on the labelled set, for two true ones). */
bool event_handler_index_known(const struct event *ev,
			       const struct handler_track *h);

/* The text of the site of a call whose callee's summary is applied; a
 * handler whose site has it was attached by the callee. */
#define CALL_SITE_PREFIX "call to "

#endif
