/* The engine's own contexts, shared by its rooms (the files of engine/) and by
 * the code that drives it (summary.c, module.c, scan.c): the state of one path,
 * what a call does to a device (an effect), what a function leaves its callers
 * (a summary), and the contexts of the function and of the translation unit
 * being analysed. Rules never include this header: they see events.h only.
 * Which room owns what:
 *
 *   walk.c        the worklist over (CFG node, state) and its budget
 *   state.c       one path's state: devices, pending call results, value
 *                 facts, handlers, and the transitions that fire events
 *   conditions.c  what a branch condition tests and decides on a path
 *   expr.c        expressions and assignments along a path
 *   calls.c       calls to the rule pack's APIs
 *   callees.c     what a callee of the file is: a data-reading predicate,
 *                 a stand-in returning a constant
 *   handlers.c    interrupt handlers and the irq numbers they are on
 *   objects.c     objects a pack says must be given back (FreeBSD)
 *   guards.c      releases guarded by the driver's own bookkeeping
 *   apply.c       applying a callee's summary at a call
 *   trace.c       sites (places) and the trail of steps of a path
 *   report.c      events to the rules, and findings (now or deferred)
 *   canon.c       canonical text of expressions, and interned keys
 *   summary.c     a function's summary, and the order functions are walked
 *   driver.c      driver structures, device fields, the functions of a file
 *   module.c      summaries shared between the files of a module */
#ifndef IRQCHECK_ENGINE_H
#define IRQCHECK_ENGINE_H

#include <clang-c/Index.h>
#include <search.h>
#include <stdbool.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "engine/events.h"
#include "engine/values.h"
#include "findings.h"
#include "ruleset.h"
#include "util.h"

#define MAX_DEVS 6
#define MAX_PENDING 4
#define MAX_EQUAL 2
#define MAX_FACTS 20
#define MAX_FIELD_FACTS 12 /* of them, fields of the driver's state */
#define MAX_HANDLERS 6
#define MAX_STATES_PER_NODE 48
#define MAX_STEPS_PER_FUNCTION 200000

/* A change a call makes to one device. 0 fields mean "unchanged". */
struct effect {
	uint8_t enable; /* enum enable_state */
	uint8_t vec;	/* enum vec_state */
	uint8_t family;
	uint8_t managed_api;
	uint8_t confirmed;
	uint8_t family_uncertain;
	uint8_t if_held;     /* a release only of what is held: the callee
				tests the driver's state first */
	uint8_t fresh;	     /* released vectors the callee itself allocated:
				an allocation came between any earlier release
				and this one */
	uint8_t disables;    /* the device is disabled (site says where) */
	int32_t site;	     /* where the vectors were allocated or released */
	int32_t enable_site; /* where the device was enabled */
	int32_t exit_site;   /* the callee's return that left them held */
	int32_t via; /* site of the call that applied a summary, or -1 */
};

struct pending {
	int32_t result_key; /* expression holding the call's result */
	uint8_t success;    /* enum success_kind */
	uint8_t dev;	    /* index into dev[] */
	uint8_t handler_devm;
	uint8_t handler_on;    /* 1: attach on success, 2: on failure */
	uint8_t handler_local; /* same bits: requested by this function */
	int32_t handler_key;   /* >= 0: on success a handler is attached */
	int32_t handler_devid; /* its dev_id's type (handler_track.devid) */
	/* a callee's handler or object kept on its failure: where the
	 * callee acquired it (objects only) and the callee's return that
	 * left it, or -1 */
	int32_t handler_site, handler_leak_site;
	const char *api;       /* what was called (lives as long as the TU) */
	int32_t call_site;     /* where */
	struct effect on_success, on_failure;
	int32_t exact_key; /* >= 0: on success the result equals this key's
			      value (count=MIN,MAX with MIN the same as MAX) */
	int32_t least;	   /* > 1: on success the result is at least this
			      (count=MIN,MAX with a constant MIN) */
};

/* What a path knows of one value: a variable, a call's result, a field
 * of the driver's state ("@..." keys, see canon_field_key()). */
enum fact_origin {
	FACT_WRITTEN = 0, /* set on this path (an assignment, a callee) */
	FACT_ASSUMED = 1, /* what a branch says of the value the function
			     was entered with */
};
struct fact {
	int32_t key;
	uint8_t written;   /* v was set on this path */
	uint8_t has_entry; /* entry says what the path needed of the value
			      at the function's entry */
	uint8_t spare[2];
	struct value v;	    /* its value now */
	struct value entry; /* its value at entry, as far as the path tells */
};

/* Everything compared when merging paths. Plain integers only, so that
 * memcmp() is exact. */
struct state_core {
	uint8_t ndev, npend, nfact, nhandler;
	/* the path took a branch that the driver's own state decides, on a
	 * value the analysis could not establish: what it finds is
	 * unproven (the site of that branch + 1, or 0) */
	int32_t assumed;
	/* the path follows one of a callee's ways that return alike but
	 * leave different devices or handlers (the site of the call + 1,
	 * or 0): rules that judge the order of releases and frees count
	 * what they find then as unproven too */
	int32_t alike;
	/* remove() took a branch toward interrupt calls other than the
	 * other branch's, on a test nothing on the path decides (a NULL
	 * check of the driver data, a name parsed back, a switch on a
	 * field probe set): probe's success may rule that way out, so
	 * what remove() leaks on it is unproven (the site + 1, or 0) */
	int32_t bailout;
	/* the walk forgot this path's condition values to merge it with
	 * others at a point with too many states (the site + 1, or 0) */
	int32_t widened;
	/* pairs of keys known to hold the same value: a count allocation
	 * asked for exactly N vectors returns N on success (n == nvec) */
	int32_t nequal;
	int32_t equal[MAX_EQUAL][2];
	/* bit i: the path went through a request on an irq not tied to a
	 * vector that misindexed free i cannot pair (misindex.c; the first
	 * MAX_UNPAIRED of them) */
	uint32_t unpaired_requests;
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

/* How much of the path a finding's rule rests on (see struct check). */
enum path_reliance {
	RELIES_NOT = 0,	 /* path_independent */
	RELIES_ON_PATH,	 /* unproven on a branch the driver's state decides */
	RELIES_ON_ORDER, /* also on a callee's way that returns alike */
};

struct deferred {
	struct finding finding;
	char *dev_key; /* parameter-rooted device expression ("$0->pdev") */
	unsigned req;
	uint8_t reliance; /* enum path_reliance of its rule */
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
	int32_t exit_site; /* return states, on failure: the return that
			      left it attached */
};

/* A fact a function leaves its callers: about a field of the driver's
 * state ("@...") or something its parameters reach ("$0->flags"). */
struct rs_fact {
	char *key;
	uint8_t origin; /* FACT_ASSUMED: what the path needed at entry;
			   FACT_WRITTEN: what it set */
	struct value v;
};

/* One way a function returns: its value, and what holds for its caller
 * then, with the conditions at entry the way needs. Exits that leave the
 * same things are one return state. */
struct return_state {
	uint8_t outcome; /* enum outcome */
	struct value ret;
	struct summary_effect *effects; /* on_success: the effect */
	size_t neffects;
	struct summary_handler *handlers;
	size_t nhandlers;
	struct rs_fact *facts;
	size_t nfacts;
};

#define MAX_RETURN_STATES 12
/* bits of state_core.unpaired_requests */
#define MAX_UNPAIRED 32

struct fn_summary {
	char *name;
	/* the ways it returns (none: too many to tell apart; callers use
	 * effects and handlers, merged by outcome) */
	struct return_state *returns;
	size_t nreturns;
	struct summary_handler *handlers;
	size_t nhandlers, cap_handlers;
	bool analysed, in_progress;
	bool exported; /* not static: other files of the module may call it */
	bool imported; /* defined in another file of the module */
	/* a devres action some path registers before the vectors it
	 * releases exist: it runs after the PCI core's own release, and
	 * what that means is implicit-devres-release's to say */
	bool action_before_vectors;
	/* remove(): FAMILY_* of vectors released, on some path, of a
	 * device it names other than through its parameter (summary.c) */
	unsigned unnamed_released;
	enum success_kind success;
	struct summary_effect *effects;
	size_t neffects, cap_effects;
	struct deferred *deferred;
	size_t ndeferred, cap_deferred;
	/* fields of the driver's state ("@USR") it or its callees may
	 * write: a caller forgets what it knew of them, unless the way
	 * the callee returned says their value */
	struct strvec clobbers;
};

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
	} * aliases;
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
	/* frees that cannot free what the function requested (misindex.c):
	 * an unwind loop's index, or a dev_id of another type than every
	 * request on the same irq */
	struct misindexed_free {
		CXCursor call;
		char *why;
		/* by_type: the requests it cannot pair */
		bool by_type;
		CXCursor *requests;
		size_t nrequests;
	} * misindexed;
	size_t nmisindexed, cap_misindexed;
	/* keys a call's result was stored in: a branch on one of them is on
	 * how a call went, which may be either way */
	int32_t *outcome_keys;
	size_t noutcome_keys, cap_outcome_keys;
	/* variables an allocation takes its flags from: a constant
	 * assigned to one is kept exactly ("flags = PCI_IRQ_INTX") */
	int32_t *flag_vars;
	size_t nflag_vars, cap_flag_vars;
	/* flag or count parameters tested and never set ("reinit"): their
	 * values are kept, also through widening, so that a caller's
	 * constant argument picks the function's ways */
	int32_t *flag_params;
	size_t nflag_params, cap_flag_params;
	/* remove()/shutdown(): the states probe leaves on success, one per
	 * way it succeeds */
	const struct state **initial;
	size_t ninitial;
	bool incomplete;
	const char *incomplete_why;
	struct fn_summary *summary;
	/* exits seen, for the summary */
	struct fn_exit {
		struct state *st;
		enum outcome outcome;
		int32_t site;
		struct value ret; /* what it returns */
	} * exits;
	size_t nexits, cap_exits;
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
		/* enum probe_management: what probe() leaves (set where
		 * probe() is analysed, carried to the module's other files) */
		int management;
	} * drivers;
	size_t ndrivers, cap_drivers;
	size_t nlocal_drivers; /* the first ones: structures in this file */
	/* a function other files call (not static, no caller here) is where
	 * a driver's setup starts: in a file without a driver structure (a
	 * helper library), and in one whose own structures name no probe
	 * it defines (iflib.c's pseudo-device: its attach is a no-op
	 * defined elsewhere; drivers call iflib_device_attach() from theirs) */
	bool exports_are_setup;
	/* fields that hold the device (assigned from a device parameter
	 * somewhere in the file): X->field names the driver's device */
	struct strvec device_fields;
	/* fields holding a msix_entry array an allocation of the driver's
	 * device filled: X->field[i].vector is that device's vector i */
	struct strvec entry_fields;
	/* USRs of the file's own variables (file scope) that its functions
	 * assign ("msi_irq = true"): the driver's state, like a field */
	struct strvec state_globals;
	/* private fields holding an irq number of the driver's device
	 * ("pmu->irq = pci_irq_vector(pdev, 0)"): field -> "$drv#index" */
	struct alias *irq_fields;
	size_t nirq_fields, cap_irq_fields;
	struct alias *irq_exprs; /* "map[i]" -> "$drv#i", by text */
	size_t nirq_exprs, cap_irq_exprs;
	/* the other files of the module, when the scan knows them */
	const struct module_link *module;
	/* fields of the driver's state some condition of the file tests
	 * ("@..." keys): their values are tracked across functions */
	struct strvec tested_fields;
	/* fields other callbacks than probe() may change: remove() does not
	 * start from probe's value of them */
	struct strvec volatile_fields;
	/* fields the file's code writes ("@USR"): the driver's bookkeeping,
	 * whose value the analysis should know, unlike what the hardware or
	 * the configuration put in a field */
	struct strvec written_fields;
	/* functions called here and defined in no function of the file */
	struct strvec external_calls;
	/* ALLOCATES_* bits: the vector allocators the file calls */
	unsigned allocators;
	/* the rules that run, in reporting order */
	const struct check *const *checks;
	size_t nchecks;
};

/* What a driver's probe() leaves on the device when it succeeds. */
enum probe_management {
	PROBE_MANAGEMENT_UNKNOWN, /* probe() was not analysed here */
	PROBE_LEAVES_MANAGED,	  /* pcim_enable_device() on every success */
	PROBE_LEAVES_OTHER,	  /* some success leaves it unmanaged */
};

#define ALLOCATES_UNMANAGED 1u /* pci_alloc_irq_vectors() and friends */
#define ALLOCATES_MANAGED 2u   /* pcim_alloc_irq_vectors() */

/* The key standing for "the device this driver instance is bound to". */
#define DRIVER_DEVICE_KEY "$drv"

/* engine_is_setup_entry(): see event_in_setup_entry() in events.h. */
bool engine_is_setup_entry(const struct fn_ctx *fn);

/* Walks one function and fills fn->summary (walk.c). */
void engine_run_function(struct fn_ctx *fn, struct cfg *cfg);

/* Builds the state remove() starts from: a device as probe left it, and a
 * handler probe left attached. Keys are interned in fn (state.c). */
void engine_seed_device(struct fn_ctx *fn, struct state *st, const char *key,
			const struct effect *e);
void engine_seed_handler(struct fn_ctx *fn, struct state *st, const char *key,
			 bool devm, int32_t site);

/* The translation unit's table of sites (trace.c). */
void engine_release_sites(struct tu_ctx *tu);
/* Adds a site given by value (strings are copied). */
int32_t engine_intern_site(struct tu_ctx *tu, const char *file, unsigned line,
			   unsigned col, const char *text,
			   const char *function);
/* Adds a site at a cursor; returns its index. */
int32_t engine_add_site(struct tu_ctx *tu, CXCursor c, const char *text,
			const char *function);
const char *engine_site_line_text(struct tu_ctx *tu, int32_t site);

/* The text of an interned key of fn (canon.c). */
const char *engine_key(struct fn_ctx *fn, int32_t key);

/* Decides the parts of req that a device state can decide: false when
 * one fails; *rest gets the parts still open (report.c). */
bool engine_requirement_check(const struct dev_track *d, unsigned req,
			      unsigned *rest);
/* Emits a finding into the file's list, once per rule and place. */
void engine_emit(struct tu_ctx *tu, struct finding *f);

/* Finds the summary of a function defined in this translation unit, or
 * failing that of a non-static function of another file of the module
 * (apply.c). */
struct fn_summary *engine_find_summary(struct tu_ctx *tu, const char *name);

#endif
