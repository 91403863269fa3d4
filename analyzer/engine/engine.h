/* The typestate engine: walks every path of a function's CFG tracking, per
 * device expression, how it was enabled, whether its vectors are held or
 * released, and which pending call results decide that. It fires events
 * (enable, alloc, release, exit) at the checks and builds the function's
 * summary for its callers. */
#ifndef IRQCHECK_ENGINE_H
#define IRQCHECK_ENGINE_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <search.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "findings.h"
#include "ruleset.h"
#include "util.h"

#define MAX_DEVS 6
#define MAX_PENDING 4
#define MAX_FACTS 12
#define MAX_HANDLERS 6
#define MAX_STATES_PER_NODE 48
#define MAX_STEPS_PER_FUNCTION 200000

enum enable_state { EN_NONE, EN_ENTRY, EN_MANAGED, EN_UNMANAGED };
enum vec_state { VEC_NONE, VEC_ENTRY, VEC_HELD, VEC_RELEASED };

/* Sign sets for integer facts. */
enum { SIGN_NEG = 1, SIGN_ZERO = 2, SIGN_POS = 4, SIGN_ANY = 7 };

enum outcome { OUTCOME_SUCCESS, OUTCOME_FAILURE, OUTCOME_UNKNOWN };

/* A place in the source and what happened there, shared by path steps,
 * findings and summaries of one translation unit. */
struct site {
	const char *file;
	unsigned line, col;
	const char *text;
	const char *function;
};

/* A change a call makes to one device. 0 fields mean "unchanged". */
struct effect {
	uint8_t enable; /* enum enable_state */
	uint8_t vec;	/* enum vec_state */
	uint8_t family;
	uint8_t managed_api;
	uint8_t confirmed;
	uint8_t family_uncertain;
	uint8_t if_held; /* a release only of what is held: the callee
			    tests the driver's state first */
	uint8_t fresh;	 /* released vectors the callee itself allocated:
			    an allocation came between any earlier release
			    and this one */
	uint8_t disables; /* the device is disabled (site says where) */
	int32_t site;	/* where the vectors were allocated or released */
	int32_t enable_site; /* where the device was enabled */
	int32_t exit_site;   /* the callee's return that left them held */
	int32_t via;	/* site of the call that applied a summary, or -1 */
};

struct dev_track {
	int32_t key; /* interned device expression */
	uint8_t enable, vec, family, managed_api, confirmed;
	uint8_t released; /* families released on this path so far */
	uint8_t family_uncertain; /* paths allocated different families */
	uint8_t trusted; /* families the driver's state said are not held */
	uint8_t disabled; /* the device was disabled on this path */
	int32_t alloc_site, release_site, enable_site;
	int32_t leak_site; /* a callee's failing return that kept them */
	int32_t disable_site;
};

/* An interrupt handler on one of a device's vectors. */
enum handler_state { H_ATTACHED = 1, H_FREED = 2 };
struct handler_track {
	int32_t key;	/* interned "device#index" */
	uint8_t dev;	/* index into dev[] */
	uint8_t devm;	/* requested with the devres form */
	uint8_t state;	/* enum handler_state; H_FREED: freed here, not
			   requested here (a helper that frees) */
	uint8_t local;	/* requested in the function being walked */
	int32_t site;
};

struct pending {
	int32_t result_key; /* expression holding the call's result */
	uint8_t success;    /* enum success_kind */
	uint8_t dev;	    /* index into dev[] */
	uint8_t handler_devm;
	uint8_t handler_on;    /* 1: attach on success, 2: on failure */
	uint8_t handler_local; /* same bits: requested by this function */
	int32_t handler_key; /* >= 0: on success a handler is attached */
	const char *api;    /* what was called (lives as long as the TU) */
	int32_t call_site;  /* where */
	struct effect on_success, on_failure;
};

struct fact {
	int32_t key;
	uint8_t signs;
};

/* Everything compared when merging paths. Plain integers only, so that
 * memcmp() is exact. */
struct state_core {
	uint8_t ndev, npend, nfact, nhandler;
	struct dev_track dev[MAX_DEVS];
	struct pending pend[MAX_PENDING];
	struct fact fact[MAX_FACTS];
	struct handler_track handler[MAX_HANDLERS];
};

struct step {
	int32_t site;
	struct step *prev;
};

struct state {
	struct state_core c;
	struct step *trail;
};

/* Conditions under which a finding made inside a function holds, decided
 * by the caller's (or the driver core's) device state at the call. */
enum requirement {
	REQ_NONE = 0,
	REQ_CTX_MANAGED = 1,	     /* the device is managed */
	REQ_CTX_UNMANAGED = 2,	     /* the device is not managed */
	REQ_CTX_HELD_UNMANAGED = 4,  /* vectors held from an unmanaged API */
	REQ_NO_REMOVE_RELEASE = 8,   /* remove() does not release them */
	REQ_CTX_HELD_NO_MSIX = 16,   /* vectors held are MSI, not MSI-X */
	REQ_CTX_HELD_NO_MSI = 32,    /* vectors held are MSI-X, not MSI */
	REQ_CTX_RELEASED = 64,	     /* the vectors were released */
	REQ_SETUP_ROOT = 128,	     /* the chain of callers ends in a setup
					entry (probe), not in a callback that
					may keep what it set up */
};

struct deferred {
	struct finding finding;
	char *dev_key; /* parameter-rooted device expression ("$0->pdev") */
	unsigned req;
};

struct summary_effect {
	char *dev_key;
	struct effect on_success, on_failure;
};

/* A handler a function leaves attached (or frees) on success. */
struct summary_handler {
	char *key; /* parameter-rooted "device#index" */
	uint8_t devm;
	uint8_t state;	  /* H_ATTACHED or H_FREED */
	uint8_t outcomes; /* 1: on success, 2: on failure */
	int32_t site;	  /* where, inside the function */
};

struct fn_summary {
	char *name;
	struct summary_handler *handlers;
	size_t nhandlers, cap_handlers;
	bool analysed, in_progress;
	bool exported; /* not static: other files of the module may call it */
	bool imported; /* defined in another file of the module */
	enum success_kind success;
	struct summary_effect *effects;
	size_t neffects, cap_effects;
	struct deferred *deferred;
	size_t ndeferred, cap_deferred;
};

enum driver_role { ROLE_NONE, ROLE_PROBE, ROLE_REMOVE, ROLE_SHUTDOWN };

struct tu_ctx;
struct module_link;

/* Frees what a summary owns (not the structure itself). */
void summary_release(struct fn_summary *s);

/* What the engine knows about the function it walks. */
struct fn_ctx {
	struct tu_ctx *tu;
	CXCursor cursor;
	char *name;
	char **params;
	size_t nparams;
	int dev_param; /* the one parameter that is a device, or -1 */
	int ndev_params;
	bool returns_pointer, returns_void;
	bool is_root;
	bool is_static;
	enum driver_role role;
	/* interned expressions (device and result keys) */
	char **keys;
	size_t nkeys, cap_keys;
	/* aliases: expression -> what it stands for */
	struct alias {
		char *from, *to;
	} *aliases;
	size_t naliases, cap_aliases;
	/* expressions whose value facts are kept: variables returned
	 * somewhere, and values tested by two or more conditions (so that
	 * "if (msix) ... if (msix)" takes the same branch both times) */
	int32_t *returned;
	size_t nreturned, cap_returned;
	size_t nreturned_vars; /* the first ones: returned variables */
	/* irq numbers: variables holding one, and msix_entry arrays an
	 * allocation filled (text -> "device#index" or device) */
	struct alias *irq_vars, *entry_arrays;
	size_t nirq_vars, cap_irq_vars, nentry_arrays, cap_entry_arrays;
	/* devices whose handlers the function frees by a variable index (an
	 * unwind or teardown loop): its loop-requested handlers count as
	 * freed, since a loop run zero times freed nothing because it had
	 * requested nothing */
	struct strvec unwound_devices;
	unsigned *unwound_lines; /* line of each one's first such free */
	/* remove()/shutdown(): the state probe left on success */
	const struct state *initial;
	bool incomplete;
	const char *incomplete_why;
	struct fn_summary *summary;
	/* exits seen, for the summary */
	struct state **exits;
	enum outcome *exit_outcomes;
	int32_t *exit_sites;
	size_t nexits, cap_exits;
};

enum event_kind {
	EV_ENABLE,
	EV_ALLOC,
	EV_RELEASE,
	EV_EXIT,
	EV_HANDLER_FREE, /* handler: the one being freed */
	EV_IRQ_USE,	 /* an irq number or affinity of a vector is read */
	EV_OBJECT_UNDO,	 /* an irq-named object (FreeBSD's IRQ resource) is
			    given back while handler[] is attached to it */
	EV_DEVRES_RELEASE, /* a devres action that releases the vectors is
			      registered: it runs before anything devres
			      registered earlier is undone */
};

struct event {
	enum event_kind kind;
	struct fn_ctx *fn;
	struct state *st; /* state before the event takes effect */
	int dev;	  /* device index, -1 for EV_EXIT */
	const char *api;  /* API or callee name */
	bool via_summary; /* the effect comes from a callee's summary */
	unsigned family;  /* family a release undoes */
	int32_t site;	  /* where it happens */
	enum outcome outcome;
	int32_t callee_site; /* via_summary: the place inside the callee */
	int handler;	  /* EV_HANDLER_FREE: index into handler[] */
	bool free_is_devm; /* EV_HANDLER_FREE: devm_free_irq() */
	bool index_is_zero; /* EV_IRQ_USE: the constant index 0 */
	bool index_constant; /* EV_IRQ_USE: the index is a constant */
	bool any_index;	   /* EV_IRQ_USE: every index counts (affinity) */
};

/* Per translation unit. */
struct tu_ctx {
	CXTranslationUnit tu;
	const struct ruleset *rules;
	const char *main_file;
	struct arena arena;
	struct cfg_env cfg_env;
	struct site *sites;
	size_t nsites, cap_sites;
	struct hsearch_data site_index; /* "line:col:text" -> site + 1 */
	size_t site_index_used, site_index_cap;
	struct fn_summary **summaries;
	size_t nsummaries, cap_summaries;
	struct finding_list *out; /* findings of the file */
	struct finding_list notes;
	/* the driver structures' callbacks, one entry per structure */
	struct driver_callbacks {
		char *probe, *remove, *shutdown;
	} *drivers;
	size_t ndrivers, cap_drivers;
	size_t nlocal_drivers; /* the first ones: structures in this file */
	/* fields that hold the device (assigned from a device parameter
	 * somewhere in the file): X->field names the driver's device */
	struct strvec device_fields;
	/* fields holding a msix_entry array an allocation of the driver's
	 * device filled: X->field[i].vector is that device's vector i */
	struct strvec entry_fields;
	/* private fields holding an irq number of the driver's device
	 * ("pmu->irq = pci_irq_vector(pdev, 0)"): field -> "$drv#index" */
	struct alias *irq_fields;
	size_t nirq_fields, cap_irq_fields;
	struct alias *irq_exprs; /* "map[i]" -> "$drv#i", by text */
	size_t nirq_exprs, cap_irq_exprs;
	/* the other files of the module, when the scan knows them */
	const struct module_link *module;
	/* functions called here and defined in no function of the file */
	struct strvec external_calls;
	unsigned long checks_on; /* bit i: check_registry()[i] runs */
};

/* The text of the site of a call whose callee's summary is applied; a
 * handler whose site has it was attached by the callee. */
#define CALL_SITE_PREFIX "call to "

/* The key standing for "the device this driver instance is bound to". */
#define DRIVER_DEVICE_KEY "$drv"

/* True for a function whose failing return ends the driver's setup: the
 * probe of a driver structure in the file, or, in a file without one, a
 * function other files call (not static) and nobody in the file calls.
 * Resume, reset and ops callbacks are not: a failure there leaves the
 * device bound, and remove() still releases. */
bool engine_is_setup_entry(const struct fn_ctx *fn);

/* Walks one function and fills fn->summary. */
void engine_run_function(struct fn_ctx *fn, struct cfg *cfg);

void engine_release_sites(struct tu_ctx *tu);
/* Builds the state remove() starts from: a device as probe left it, and a
 * handler probe left attached. Keys are interned in fn. */
void engine_seed_device(struct fn_ctx *fn, struct state *st, const char *key,
			const struct effect *e);
void engine_seed_handler(struct fn_ctx *fn, struct state *st, const char *key,
			 bool devm, int32_t site);
/* Adds a site given by value (strings are copied). */
int32_t engine_intern_site(struct tu_ctx *tu, const char *file, unsigned line,
			   unsigned col, const char *text, const char *function);
/* Adds a site to the translation unit's table; returns its index. */
int32_t engine_add_site(struct tu_ctx *tu, CXCursor c, const char *text,
			const char *function);
const char *engine_key(struct fn_ctx *fn, int32_t key);
const char *engine_site_line_text(struct tu_ctx *tu, int32_t site);

/* Reports a finding for a check: emitted now when the device's state meets
 * req, kept for the callers when the device comes from a parameter and
 * the state at entry decides, dropped otherwise. at_site is the reported
 * place; steps come from the state's trail. */
void engine_report(const struct event *ev, const char *rule, int dev,
		   unsigned req, int32_t at_site, const char *message);

/* Decides what a device state can decide of req; see engine.c. */
bool engine_requirement_check(const struct dev_track *d, unsigned req,
			      unsigned *rest);

/* Emits a finding into the file's list, once per rule and place. */
void engine_emit(struct tu_ctx *tu, struct finding *f);

/* True when a handler was requested by a variable index in a loop and the
 * function frees that device's handlers by a variable index at a line
 * before `line` (an unwind loop the place being judged comes after). */
bool engine_handler_unwound(const struct fn_ctx *fn,
			    const struct handler_track *h, unsigned line);

/* True for the key of an acquired object ("DEVICE#@KIND:NAME"), which
 * rides in the handler table but is not a handler. */
bool engine_is_object_key(const char *key);

/* Vectors whose family was not known (MSI or MSI-X, chosen at run time)
 * that a family-specific release has released: the driver picked the
 * release for the family it got, as far as the analysis can tell. */
bool engine_vectors_released_by_choice(const struct dev_track *d);

/* Finds the summary of a function defined in this translation unit, or
 * failing that of a non-static function of another file of the module. */
struct fn_summary *engine_find_summary(struct tu_ctx *tu, const char *name);

#endif
