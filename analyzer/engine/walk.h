/* What the rooms of the walk offer each other while one function is
 * walked: a path step evaluates expressions (expr.c), which hand calls to
 * calls.c; calls.c dispatches to handlers.c, objects.c and apply.c;
 * conditions.c and guards.c refine a state on a branch. Each group below
 * is one file's offer. */
#ifndef IRQCHECK_WALK_H
#define IRQCHECK_WALK_H

#include "engine/engine.h"

/* One path being walked: the function and the state the step changes. */
#define MAX_CHOICE_POINTS 8

struct walk {
	struct fn_ctx *fn;
	struct state *st;
	/* the call a branch node tests, when it is one (a bitop that tests
	 * and changes a bit leaves the change to the branch) */
	CXCursor cond_subject;
	/* Choice points: a call to a function with several ways to return
	 * is one. The walk evaluates a node once per combination: choice[]
	 * says which way the first nchoice points take (the rest take the
	 * first), and alts[] records how many ways each point had. */
	const int *choice;
	size_t nchoice;
	int alts[MAX_CHOICE_POINTS];
	size_t npoints;
	/* the node's whole expression: a call that is all of it has its
	 * result thrown away */
	CXCursor stmt;
};

/* The way to take at the next choice point of the walk, which has
 * nalts ways (walk.c). */
int walk_choose(struct walk *w, int nalts);

/* ---- expr.c --------------------------------------------------------- */

/* Evaluates an expression statement on the path: calls, assignments and
 * what they do to pending results and value facts. */
void expr_eval(struct walk *w, CXCursor c);
/* What the path knows of the value of expression e (whose key is key):
 * the fact of the driver's field it reads when conditions test that
 * field, else the fact of key. */
struct value expr_known_value(struct fn_ctx *fn, const struct state *st,
			      int32_t key, CXCursor e);
/* "flags |= F" / "flags &= ~F": the key of the test "flags&F" they
 * decide, and its signs; -1 for any other operator. */
int32_t expr_flag_test_key(struct fn_ctx *fn, CXCursor op, CXCursor lhs,
			   CXCursor rhs, uint8_t *signs);

/* ---- calls.c -------------------------------------------------------- */

/* A call on the path: an API of the rule pack, or a callee with a
 * summary, or a call the analysis cannot see into. */
void calls_handle(struct walk *w, CXCursor call);

/* ---- apply.c -------------------------------------------------------- */

/* A devres action registered with data_arg as its argument runs sum's
 * function at detach, on the device as it is now managed: the callee's
 * hybrid-double-free findings are decided here (its releases beside the
 * PCI core's own). The other rules' wait for a call. */
/* The device key of a devres action's data argument when the action's
 * summary takes its data for the driver's device ("$drv"): the device the
 * argument names when the path knows it (a helper reaching it through
 * to_pci_dev()), else the driver's device. Caller frees. */
char *apply_devres_data_key(struct walk *w, CXCursor data_arg);
void apply_devres_action_deferred(struct walk *w, struct fn_summary *sum,
				  CXCursor *data_arg);
void apply_summary_call(struct walk *w, CXCursor call, struct fn_summary *sum,
			CXCursor *args, size_t nargs);
/* A callee's handler key rewritten in terms of the call's arguments. */
char *apply_substitute_handler_key(struct fn_ctx *fn, const char *key,
				   CXCursor *args, size_t nargs);

/* ---- handlers.c ----------------------------------------------------- */

/* The type a dev_id argument points to ("struct foo"), or NULL when its
 * type says nothing (void *, an integer). Caller frees. */
char *handlers_devid_type_text(CXCursor arg);

/* "device#index" for an irq number tied to a vector, or NULL. */
char *handlers_irq_key_text(struct fn_ctx *fn, CXCursor irq);
/* "struct foo::irq" for a member access, NULL for anything else: the
 * key of tu->irq_fields, so that a net_device's irq set from the PCI
 * device's does not name every other structure's irq field. */
char *handlers_typed_field(CXCursor member);
/* Interns a handler key and finds its device in the state: the key's id,
 * or -1 (the text is consumed). */
int32_t handlers_intern_key(struct walk *w, char *text, int *dev);
/* A pending call result that attaches handler key when the call ends as
 * `on` says (1: success, 2: failure). */
void handlers_add_pending(struct walk *w, int32_t result_key,
			  enum success_kind success, int dev, const char *api,
			  int32_t site, int32_t key, int32_t devid, bool devm,
			  uint8_t on);
void handlers_remember_entry_array(struct fn_ctx *fn, CXCursor entries,
				   CXCursor device);
void handlers_request(struct walk *w, CXCursor call,
		      const struct api_entry *api, CXCursor *args,
		      size_t nargs);
void handlers_free_call(struct walk *w, CXCursor call,
			const struct api_entry *api, CXCursor *args,
			size_t nargs);
/* Frees handler key of device dev (or, by a variable index, every
 * handler of the device a loop requested) whose dev_id has the type devid
 * (struct handler_track; 0 unknown). */
void handlers_free_at(struct walk *w, int dev, int32_t key, int32_t devid,
		      bool devm, const char *api, int32_t site, bool via,
		      int32_t callee_site);
void handlers_irq_use(struct walk *w, CXCursor call,
		      const struct api_entry *api, CXCursor *args,
		      size_t nargs);
/* Before the walk: the devices whose handlers the function frees by a
 * variable index (an unwind or teardown loop). */
void handlers_scan_unwinds(struct fn_ctx *fn, struct cfg *cfg);

/* ---- misindex.c ----------------------------------------------------- */

/* Before the walk: the frees that cannot free what the function
 * requested. A free in a loop that names the irq by the loop's variable
 * and the dev_id by another one (or the other way round) where a request
 * names both by one variable; a free whose dev_id points to another type
 * than that of every request on the same irq. */
void misindex_find(struct fn_ctx *fn);
void misindex_release(struct fn_ctx *fn);
/* The entry of a free call, or NULL. */
struct misindexed_free *misindex_lookup(const struct fn_ctx *fn, CXCursor call);
/* The path goes through a request: true when some entry cannot pair it,
 * which the path then remembers. */
bool misindex_note_request(struct fn_ctx *fn, struct state *st, CXCursor call);
/* Whether the path went through a request the entry cannot pair. */
bool misindex_request_on_path(const struct fn_ctx *fn,
			      const struct misindexed_free *m,
			      const struct state *st);

/* ---- objects.c ------------------------------------------------------ */

void objects_acquire(struct walk *w, CXCursor call, const struct api_entry *api,
		     CXCursor *args, size_t nargs);
void objects_undo(struct walk *w, CXCursor call, const struct api_entry *api,
		  CXCursor *args, size_t nargs);
void objects_undo_at(struct walk *w, int dev, int32_t key, const char *api,
		     int32_t site, bool via, int32_t callee_site);
void objects_forget_passed(struct walk *w, CXCursor *args, size_t nargs);

/* ---- conditions.c --------------------------------------------------- */

struct comparison {
	int32_t key;	/* the canonical text of what is compared */
	int32_t fkey;	/* the field of the driver's state it is, or -1 */
	const char *op; /* "" for plain truth value */
	bool constant;
	long long k;
	/* not a constant: what it is compared with (canonical, field or
	 * -1), for when one side's value is known exactly */
	int32_t rkey, rfkey;
	uint8_t post_op; /* BITOP_SET/CLEAR: a test-and-set/clear bitop */
	bool pointer;	 /* what is compared is a pointer */
};

#define COND_MAX_SIDES 16

/* What a condition node tests, worked out once per function: reading it
 * takes tokens, and every state reaching the node needs it. */
struct cond_info {
	struct comparison cmp;
	int32_t whole; /* the whole condition's key */
	/* its branches lead to different interrupt calls (an allocation,
	 * a release, a handler's request or free, a callee that does one):
	 * what it tests matters to the rules */
	bool relevant;
	/* bit j: successor j reaches only some of the interrupt calls
	 * that another successor reaches (it skips teardown) */
	uint16_t bailout_sides;
};

void cond_describe(struct fn_ctx *fn, CXCursor cond, struct cond_info *ci);
/* Refines st for one branch of cond; false when the branch cannot be
 * taken. note_anyway: add a step even when nothing was decided. */
bool cond_eval(struct fn_ctx *fn, struct state *st, CXCursor cond,
	       const struct cond_info *ci, bool branch, bool note_anyway);
/* Refines st for one successor of a switch on ci's subject: a case
 * label's values, or (is_default) none of the switch's case values;
 * false when the value known rules it out. */
bool cond_eval_case(struct fn_ctx *fn, struct state *st, CXCursor subject,
		    const struct cond_info *ci, size_t side,
		    const long long *values, size_t nvalues, bool is_default);
/* Marks the branch nodes whose branches lead to different interrupt
 * calls (conds[i].relevant). */
void cond_find_relevant(struct fn_ctx *fn, struct cfg *cfg,
			struct cond_info *conds);
/* Whether key is a field of the driver's own bookkeeping: the base of
 * an "@USR..." key that the file's code writes. */
bool cond_is_bookkeeping(struct fn_ctx *fn, int32_t key);
/* Whether key holds how a call went (a variable a call's result was
 * assigned to: fn->outcome_keys). */
bool cond_is_outcome_key(const struct fn_ctx *fn, int32_t key);
/* Chooses the values whose facts the walk keeps (fn->returned). */
void cond_track_values(struct fn_ctx *fn, struct cfg *cfg,
		       const struct cond_info *conds);

/* ---- guards.c ------------------------------------------------------- */

/* A condition on the driver's bookkeeping with a release of one family
 * on one branch only. */
struct release_guard {
	int32_t dev_key; /* -1: the condition guards no release */
	uint8_t family;
	uint8_t release_idx; /* successor index of the releasing branch */
};

void guards_find(struct fn_ctx *fn, struct cfg *cfg,
		 const struct cond_info *conds, struct release_guard *guards);
/* On the branch without the release: no vectors of that family held. */
void guards_trust(struct fn_ctx *fn, struct state *st,
		  const struct release_guard *g, CXCursor cond);

#endif
