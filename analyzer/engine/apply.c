/* Applying a callee's summary at a call: its effects on the devices of
 * the arguments (with the step into the callee and back), the handlers it
 * attaches or frees, and the findings it left for its callers to decide.
 * It does not walk the callee: summaries are built by summary.c. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/fields.h"
#include "engine/module.h"
#include "engine/report.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>

/* Findings a callee left for its callers, decided by the device state at
 * this call (or passed on when that state too comes from a parameter). */
static void resolve_callee_deferred(struct walk *w, struct fn_summary *sum,
				    CXCursor *args, size_t nargs,
				    const char *only_rule, bool data_is_device);

/* A callee's handlers, applied at the call (pass 0 frees, 1 attaches). */
static void apply_summary_handlers(struct walk *w, struct fn_summary *sum,
				   CXCursor *args, size_t nargs,
				   int32_t call_site, int32_t result_key,
				   int pass);

static char *callee_label(const char *name)
{
	return xasprintf("%s()", name);
}

/* The step into the callee, at the place inside it where it did what
 * effect e says, and the step back. */
static void add_callee_steps(struct fn_ctx *fn, struct state *st,
			     const struct fn_summary *sum,
			     const struct effect *e, int32_t call_site)
{
	int32_t what = e->vec && e->site >= 0 ? e->site
		       : e->enable	      ? e->enable_site
					      : -1;
	const struct site *in;
	char *text;

	if (what < 0)
		return;
	in = &fn->tu->sites[what];
	text = xasprintf("in %s(): %s", in->function ? in->function : sum->name,
			 in->text);
	trace_add_step(fn, st, trace_copy_site(fn->tu, what, text));
	free(text);
	text = xasprintf("%s() returns to %s()", sum->name, fn->name);
	trace_add_step(fn, st, trace_copy_site(fn->tu, call_site, text));
	free(text);
}

/* A callee's key in the caller's terms: a field of the driver's state is
 * the same everywhere; "$N..." is rewritten with the call's arguments.
 * NULL when it does not translate. Caller frees. */
static char *caller_key(struct fn_ctx *fn, const char *key, CXCursor *args,
			size_t nargs)
{
	return key[0] == '@' ? xstrdup(key)
			     : canon_substitute(fn, key, args, nargs);
}

/* A callee's key "$N" that is the call's argument N written as a
 * constant: its value in *c. */
static bool constant_argument(const char *key, CXCursor *args, size_t nargs,
			      long long *c)
{
	char *end;
	long idx;

	if (key[0] != '$')
		return false;
	idx = strtol(key + 1, &end, 10);
	/* (NULL, "(void *)0", is a constant too: its cast is stripped) */
	return !*end && idx >= 0 && (size_t)idx < nargs &&
	       (ast_eval_int(args[idx], c) ||
		ast_eval_int(ast_strip(args[idx]), c));
}

/* Whether what the caller knows at the call agrees with what a way of
 * the callee needs of its entry. */
static bool return_state_agrees(struct walk *w, const struct return_state *rs,
				CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < rs->nfacts; i++) {
		const struct rs_fact *f = &rs->facts[i];
		struct value known, both;
		char *k;
		long long c;
		if (f->origin != FACT_ASSUMED)
			continue;
		if (constant_argument(f->key, args, nargs, &c)) {
			known = value_of(c);
		} else {
			k = caller_key(fn, f->key, args, nargs);
			if (!k)
				continue;
			known = state_value(w->st, key_intern(fn, k));
			free(k);
		}
		both = value_meet(&known, &f->v);
		if (value_is_empty(&both))
			return false;
	}
	return true;
}

/* A handler (or object) a callee freed, freed at the call: reports what
 * the free finds. */
static void apply_freed_handler(struct walk *w, const struct fn_summary *sum,
				const struct summary_handler *sh, int dev,
				int32_t key, int32_t call_site)
{
	if (event_key_is_object(w->fn->keys[key]))
		objects_undo_at(w, dev, key, sum->name, call_site, true,
				sh->site);
	else
		handlers_free_at(w, dev, key, 0, sh->devm, sum->name, call_site,
				 true, sh->site);
}

/* A return state's handlers: pass 0 applies the ones it freed (before its
 * releases, as teardown does), pass 1 the ones it left attached (after
 * them: a handler requested on vectors the callee allocated). */
static void apply_rs_handlers(struct walk *w, const struct fn_summary *sum,
			      const struct return_state *rs, CXCursor *args,
			      size_t nargs, int32_t call_site, int pass)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < rs->nhandlers; i++) {
		const struct summary_handler *sh = &rs->handlers[i];
		int dev;
		int32_t key;
		if ((sh->state == H_FREED) != (pass == 0))
			continue;
		key = handlers_intern_key(
		    w, apply_substitute_handler_key(fn, sh->key, args, nargs),
		    &dev);
		if (key < 0)
			continue;
		if (sh->state == H_FREED)
			apply_freed_handler(w, sum, sh, dev, key, call_site);
		else {
			/* kept on a callee's failure, it is the callee's
			 * leak (reported there), not the caller's */
			int h;
			/* an object names where it was acquired, inside
			 * the callee, in the report of its leak */
			bool kept = rs->outcome == OUTCOME_FAILURE &&
				    sh->site >= 0 &&
				    event_key_is_object(engine_key(fn, key));
			state_set_handler(fn, w->st, dev, key, H_ATTACHED,
					  sh->devm,
					  rs->outcome != OUTCOME_FAILURE,
					  kept ? sh->site : call_site, 0);
			h = state_find_handler(w->st, key);
			if (h >= 0)
				w->st->c.handler[h].leak_site = sh->exit_site;
		}
	}
}

/* The fields the callee may have written, except those whose value the
 * way it returned says (rs, or none): the caller no longer knows them.
 * The caller's own summary says it may write them too. */
static void forget_clobbered(struct walk *w, const struct fn_summary *sum,
			     const struct return_state *rs)
{
	struct fn_ctx *fn = w->fn;
	size_t c, i;
	int f;

	for (c = 0; c < sum->clobbers.n; c++) {
		const char *base = sum->clobbers.v[c];
		bool said = false;
		for (i = 0; rs && i < rs->nfacts && !said; i++)
			said = rs->facts[i].origin == FACT_WRITTEN &&
			       fields_key_is_of(rs->facts[i].key, base);
		if (!said)
			for (f = w->st->c.nfact - 1; f >= 0; f--)
				if (fields_key_is_of(
					engine_key(fn, w->st->c.fact[f].key),
					base))
					state_drop_fact(w->st,
							w->st->c.fact[f].key);
		if (fn->summary && !strvec_has(&fn->summary->clobbers, base))
			strvec_push(&fn->summary->clobbers, base);
	}
}

/* Whether assumption f of a callee's way is about something the caller
 * knows nothing of (no fact, not a constant argument). */
static bool unknown_to_caller(struct walk *w, const struct rs_fact *f,
			      CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	char *k;
	long long c;
	bool unknown;

	if (constant_argument(f->key, args, nargs, &c))
		return false;
	k = caller_key(fn, f->key, args, nargs);
	if (!k)
		return true;
	unknown = !state_fact(w->st, key_intern(fn, k));
	free(k);
	return unknown;
}

/* Whether the way taken (ways[chosen]) differs from another way the
 * caller cannot rule out in what it needed of data the caller does not
 * know: the choice then rests on that data, not on how a call went. */
static bool choice_rests_on_unknown(struct walk *w,
				    const struct fn_summary *sum,
				    const int *ways, int nways, int chosen,
				    CXCursor *args, size_t nargs)
{
	const struct return_state *rs = &sum->returns[ways[chosen]];
	size_t i, k;
	int j;

	for (i = 0; i < rs->nfacts; i++) {
		const struct rs_fact *f = &rs->facts[i];
		if (f->origin != FACT_ASSUMED ||
		    !unknown_to_caller(w, f, args, nargs))
			continue;
		for (j = 0; j < nways; j++) {
			const struct return_state *o = &sum->returns[ways[j]];
			bool same = false;
			if (j == chosen)
				continue;
			for (k = 0; k < o->nfacts && !same; k++)
				same = o->facts[k].origin == FACT_ASSUMED &&
				       !strcmp(o->facts[k].key, f->key) &&
				       value_equal(&o->facts[k].v, &f->v);
			if (!same)
				return true;
		}
	}
	return false;
}

/* Whether two ways of a callee leave its caller different devices or
 * handlers. */
static bool effects_differ(const struct return_state *a,
			   const struct return_state *b)
{
	size_t i, j;

	if (a->neffects != b->neffects || a->nhandlers != b->nhandlers)
		return true;
	for (i = 0; i < a->neffects; i++) {
		for (j = 0; j < b->neffects; j++)
			if (!strcmp(a->effects[i].dev_key,
				    b->effects[j].dev_key))
				break;
		/* (which family is held matters not: held is held) */
		if (j == b->neffects || a->effects[i].on_success.vec !=
					    b->effects[j].on_success.vec)
			return true;
	}
	for (i = 0; i < a->nhandlers; i++) {
		for (j = 0; j < b->nhandlers; j++)
			if (!strcmp(a->handlers[i].key, b->handlers[j].key) &&
			    a->handlers[i].state == b->handlers[j].state)
				break;
		if (j == b->nhandlers)
			return true;
	}
	return false;
}

/* The caller's device a summary effect is about (its key rewritten in
 * terms of the call's arguments), or -1. */
static int effect_device(struct fn_ctx *fn, struct state *st,
			 const struct summary_effect *se, CXCursor *args,
			 size_t nargs)
{
	char *dev_text = canon_substitute(fn, se->dev_key, args, nargs);
	int dev;

	if (!dev_text)
		return -1;
	dev = state_get_dev(fn, st, key_intern(fn, dev_text));
	free(dev_text);
	return dev;
}

/* Whether the way taken shares its return value with another way the
 * caller cannot rule out that leaves different devices or handlers:
 * no test of the call's result can tell them apart, so which one runs
 * turns on something the caller does not know. */
static bool ways_look_alike(const struct fn_summary *sum, const int *ways,
			    int nways, int chosen)
{
	const struct return_state *rs = &sum->returns[ways[chosen]];
	int j;

	for (j = 0; j < nways; j++) {
		const struct return_state *o = &sum->returns[ways[j]];
		if (j != chosen && o->outcome == rs->outcome &&
		    value_equal(&o->ret, &rs->ret) && effects_differ(o, rs))
			return true;
	}
	return false;
}

/* Follows one of the ways the callee can return that agree with what the
 * caller knows (each one on its own path, see walk_choose()): its
 * effects on the devices, its handlers, the facts it leaves, and the
 * value the call has. */
static void apply_return_state(struct walk *w, struct fn_summary *sum,
			       CXCursor *args, size_t nargs, int32_t call_site,
			       int32_t result_key, bool discarded)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	int ways[MAX_RETURN_STATES];
	int nways = 0, r;
	const struct return_state *rs;
	size_t i;
	int pass;

	bool none_agrees;
	int chosen;

	for (r = 0; r < (int)sum->nreturns; r++)
		if (return_state_agrees(w, &sum->returns[r], args, nargs))
			ways[nways++] = r;
	none_agrees = !nways;
	if (none_agrees) /* follow them all rather than none */
		for (r = 0; r < (int)sum->nreturns; r++)
			ways[nways++] = r;
	chosen = walk_choose(w, nways);
	rs = &sum->returns[ways[chosen]];
	if (!st->c.assumed &&
	    (none_agrees ||
	     choice_rests_on_unknown(w, sum, ways, nways, chosen, args, nargs)))
		/* which way the callee went turns on what it found in the
		 * driver's state, which the caller does not know either */
		st->c.assumed = 1 + call_site;
	if (!st->c.alike && ways_look_alike(sum, ways, nways, chosen))
		st->c.alike = 1 + call_site;

	forget_clobbered(w, sum, rs);
	apply_rs_handlers(w, sum, rs, args, nargs, call_site, 0);
	for (i = 0; i < rs->neffects; i++) {
		const struct summary_effect *se = &rs->effects[i];
		struct effect e = se->on_success;
		int dev = effect_device(fn, st, se, args, nargs);
		if (dev < 0)
			continue;
		e.via = call_site;
		/* a failure the caller throws away is not where the caller
		 * fails: a leak is placed at the caller's own return */
		if (discarded)
			e.exit_site = -1;
		add_callee_steps(fn, st, sum, &e, call_site);
		state_apply_effect(fn, st, dev, &e, sum->name, call_site);
	}
	apply_rs_handlers(w, sum, rs, args, nargs, call_site, 1);
	/* what the way needed at entry holds in the caller too; then what
	 * it wrote */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < rs->nfacts; i++) {
			const struct rs_fact *f = &rs->facts[i];
			char *k;
			int32_t key;
			if ((f->origin == FACT_ASSUMED) != (pass == 0))
				continue;
			k = caller_key(fn, f->key, args, nargs);
			if (!k)
				continue;
			key = key_intern(fn, k);
			free(k);
			if (pass)
				state_put_fact(fn, st, key, &f->v,
					       FACT_WRITTEN);
			else
				state_refine_fact(fn, st, key, &f->v);
		}
	if (!value_is_any(&rs->ret)) {
		state_keep_value(fn, result_key);
		state_put_fact(fn, st, result_key, &rs->ret, FACT_WRITTEN);
	}
}

void apply_summary_call(struct walk *w, CXCursor call, struct fn_summary *sum,
			CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	int32_t call_site = -1, key;
	size_t i;

	if (!sum->neffects && !sum->ndeferred && !sum->nhandlers &&
	    !sum->nreturns && !sum->clobbers.n)
		return;
	{
		char *label = callee_label(sum->name);
		char *text = xasprintf(CALL_SITE_PREFIX "%s", label);
		call_site = engine_add_site(fn->tu, call, text, fn->name);
		free(text);
		free(label);
	}
	resolve_callee_deferred(w, sum, args, nargs, NULL, false);
	key = key_of_cursor(fn, call);
	state_settle_for_key(fn, st, key);
	if (sum->nreturns) {
		apply_return_state(
		    w, sum, args, nargs, call_site, key,
		    !clang_Cursor_isNull(w->stmt) &&
			clang_equalCursors(ast_strip(w->stmt), call));
		return;
	}
	forget_clobbered(w, sum, NULL);
	/* frees before the releases, as teardown does; attached handlers
	 * after the effects, whose pending results come first */
	apply_summary_handlers(w, sum, args, nargs, call_site, key, 0);
	for (i = 0; i < sum->neffects; i++) {
		const struct summary_effect *se = &sum->effects[i];
		struct effect ok = se->on_success, fail = se->on_failure;
		int dev = effect_device(fn, st, se, args, nargs);

		if (dev < 0)
			continue;
		ok.via = fail.via = call_site;
		add_callee_steps(fn, st, sum, &ok, call_site);
		if (!memcmp(&ok, &fail, sizeof(ok)) ||
		    sum->success == SUCCESS_NONE)
			state_apply_effect(fn, st, dev, &ok, sum->name,
					   call_site);
		else
			state_add_pending(fn, st, key, sum->success, dev,
					  sum->name, call_site, &ok, &fail);
	}
	apply_summary_handlers(w, sum, args, nargs, call_site, key, 1);
}

/* A callee's handler key rewritten in terms of the call's arguments. */
char *apply_substitute_handler_key(struct fn_ctx *fn, const char *key,
				   CXCursor *args, size_t nargs)
{
	const char *hash = strrchr(key, '#');
	char *devpart, *dev, *result;

	if (!hash)
		return NULL;
	devpart = xstrndup(key, (size_t)(hash - key));
	dev = canon_substitute(fn, devpart, args, nargs);
	result = dev ? xasprintf("%s%s", dev, hash) : NULL;
	free(dev);
	free(devpart);
	return result;
}

/* A callee's handlers, applied at the call: pass 0 the ones it freed,
 * pass 1 the ones it leaves attached (on success, or kept on failure). */
static void apply_summary_handlers(struct walk *w, struct fn_summary *sum,
				   CXCursor *args, size_t nargs,
				   int32_t call_site, int32_t result_key,
				   int pass)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < sum->nhandlers; i++) {
		const struct summary_handler *sh = &sum->handlers[i];
		int dev;
		int32_t key;

		if ((sh->state == H_FREED) != (pass == 0))
			continue;
		key = handlers_intern_key(
		    w, apply_substitute_handler_key(fn, sh->key, args, nargs),
		    &dev);
		if (key < 0)
			continue;
		if (sh->state == H_FREED) {
			apply_freed_handler(w, sum, sh, dev, key, call_site);
		} else if (sum->success == SUCCESS_NONE) {
			state_set_handler(fn, w->st, dev, key, H_ATTACHED,
					  sh->devm, true, call_site, 0);
		} else if (w->st->c.npend < MAX_PENDING) {
			/* (when the table is full the handler is not tracked:
			 * settling another result early would be a guess) */
			struct pending *p;
			handlers_add_pending(w, result_key, sum->success, dev,
					     sum->name, call_site, key, 0,
					     sh->devm, sh->outcomes);
			/* kept on the callee's failure: the callee's leak,
			 * at its return, as with a way of its own */
			p = &w->st->c.pend[w->st->c.npend - 1];
			p->handler_leak_site = sh->exit_site;
			if (sh->site >= 0 &&
			    event_key_is_object(engine_key(fn, key)))
				p->handler_site = sh->site;
		}
	}
}

struct fn_summary *engine_find_summary(struct tu_ctx *tu, const char *name)
{
	const struct portable_summary *p;
	size_t i;

	for (i = 0; i < tu->nsummaries; i++)
		if (!strcmp(tu->summaries[i]->name, name))
			return tu->summaries[i];
	p = module_find(tu->module, name);
	return p ? module_import(tu, p) : NULL;
}

char *apply_devres_data_key(struct walk *w, CXCursor data_arg)
{
	char *key = canon_device(w->fn, ast_strip(data_arg));

	/* an argument spelled inside a macro's expansion
	 * (devm_add_action_or_reset() is one in 6.12) reads as the macro's
	 * name: no device of the path */
	if (state_find_dev(w->st, key_intern(w->fn, key)) < 0) {
		free(key);
		key = xstrdup(DRIVER_DEVICE_KEY);
	}
	return key;
}

void apply_devres_action_deferred(struct walk *w, struct fn_summary *sum,
				  CXCursor *data_arg)
{
	resolve_callee_deferred(w, sum, data_arg, 1, "hybrid-double-free", true);
}

/* Findings a callee left to its callers' context, decided in this one:
 * all of them, or only_rule's. */
static void resolve_callee_deferred(struct walk *w, struct fn_summary *sum,
				    CXCursor *args, size_t nargs,
				    const char *only_rule, bool data_is_device)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < sum->ndeferred; i++) {
		struct deferred *d = &sum->deferred[i];
		char *key;
		struct dev_track local;
		struct finding f;
		unsigned rest;
		int dev;

		if (only_rule && strcmp(d->finding.rule, only_rule))
			continue;
		/* a devres action's "void *data" is the driver's device: the
		 * one its argument names here (see handle_devaction()) */
		key = data_is_device && !strcmp(d->dev_key, DRIVER_DEVICE_KEY)
			  ? apply_devres_data_key(w, args[0])
			  : canon_substitute(fn, d->dev_key, args, nargs);
		if (!key)
			continue;
		dev = state_get_dev(fn, w->st, key_intern(fn, key));
		if (dev < 0) {
			free(key);
			continue;
		}
		local = w->st->c.dev[dev];
		if (!key_is_param_rooted(key)) {
			report_entry_as_untouched(&local);
			report_adopt_driver_management(fn, w->st, &local);
		}
		if (engine_requirement_check(&local, d->req, &rest)) {
			if ((rest & REQ_SETUP_ROOT) && fn->is_root) {
				/* decided here: the chain ends in fn */
				if (!engine_is_setup_entry(fn)) {
					free(key);
					continue;
				}
				rest &= ~REQ_SETUP_ROOT;
			}
			finding_copy(&f, &d->finding);
			if (!f.unproven)
				f.unproven =
				    report_unproven(fn->tu, w->st, d->reliance);
			if (!rest)
				engine_emit(fn->tu, &f);
			else if (key_is_param_rooted(key))
				report_defer(fn->summary, &f, key, rest,
					     d->reliance);
			else
				finding_release(&f);
		}
		free(key);
	}
}
