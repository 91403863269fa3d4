/* Applying a callee's summary at a call: its effects on the devices of
 * the arguments (with the step into the callee and back), the handlers it
 * attaches or frees, and the findings it left for its callers to decide.
 * It does not walk the callee: summaries are built by summary.c. */
#include "engine/walk.h"
#include "engine/canon.h"
#include "engine/module.h"
#include "engine/report.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>

/* Findings a callee left for its callers, decided by the device state at
 * this call (or passed on when that state too comes from a parameter). */
static void resolve_callee_deferred(struct walk *w, struct fn_summary *sum,
				    CXCursor *args, size_t nargs);

/* A callee's handlers, applied at the call: attached on success, or freed. */
static void apply_summary_handlers(struct walk *w, struct fn_summary *sum,
				   CXCursor *args, size_t nargs,
				   int32_t call_site, int32_t result_key);

static char *callee_label(const char *name)
{
	return xasprintf("%s()", name);
}

void apply_summary_call(struct walk *w, CXCursor call, struct fn_summary *sum,
			CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	int32_t call_site = -1, key;
	size_t i;

	if (!sum->neffects && !sum->ndeferred && !sum->nhandlers)
		return;
	{
		char *label = callee_label(sum->name);
		char *text = xasprintf(CALL_SITE_PREFIX "%s", label);
		call_site = engine_add_site(fn->tu, call, text, fn->name);
		free(text);
		free(label);
	}
	resolve_callee_deferred(w, sum, args, nargs);
	key = key_of_cursor(fn, call);
	state_settle_for_key(fn, st, key);
	apply_summary_handlers(w, sum, args, nargs, call_site, key);
	for (i = 0; i < sum->neffects; i++) {
		const struct summary_effect *se = &sum->effects[i];
		char *dev_text = canon_substitute(fn, se->dev_key, args, nargs);
		struct effect ok = se->on_success, fail = se->on_failure;
		int dev;

		if (!dev_text)
			continue;
		dev = state_get_dev(fn, st, key_intern(fn, dev_text));
		free(dev_text);
		if (dev < 0)
			continue;
		ok.via = fail.via = call_site;
		{
			int32_t what = ok.vec && ok.site >= 0 ? ok.site
				       : ok.enable	      ? ok.enable_site
							      : -1;
			if (what >= 0) {
				/* the step into the callee, at the place
				 * inside it, and the step back */
				const struct site *in = &fn->tu->sites[what];
				char *text = xasprintf(
				    "in %s(): %s",
				    in->function ? in->function : sum->name,
				    in->text);
				trace_add_step(
				    fn, st,
				    trace_copy_site(fn->tu, what, text));
				free(text);
				text = xasprintf("%s() returns to %s()",
						 sum->name, fn->name);
				trace_add_step(
				    fn, st,
				    trace_copy_site(fn->tu, call_site, text));
				free(text);
			}
		}
		if (!memcmp(&ok, &fail, sizeof(ok)) ||
		    sum->success == SUCCESS_NONE)
			state_apply_effect(fn, st, dev, &ok, sum->name,
					   call_site);
		else
			state_add_pending(fn, st, key, sum->success, dev,
					  sum->name, call_site, &ok, &fail);
	}
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

/* A callee's handlers, applied at the call: attached on success, or freed. */
static void apply_summary_handlers(struct walk *w, struct fn_summary *sum,
				   CXCursor *args, size_t nargs,
				   int32_t call_site, int32_t result_key)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < sum->nhandlers; i++) {
		const struct summary_handler *sh = &sum->handlers[i];
		int dev;
		int32_t key = handlers_intern_key(
		    w, apply_substitute_handler_key(fn, sh->key, args, nargs),
		    &dev);

		if (key < 0)
			continue;
		if (sh->state == H_FREED &&
		    event_key_is_object(fn->keys[key])) {
			objects_undo_at(w, dev, key, sum->name, call_site, true,
					sh->site);
		} else if (sh->state == H_FREED) {
			handlers_free_at(w, dev, key, sh->devm, sum->name,
					 call_site, true, sh->site);
		} else if (sum->success == SUCCESS_NONE) {
			state_set_handler(fn, w->st, dev, key, H_ATTACHED,
					  sh->devm, true, call_site);
		} else if (w->st->c.npend < MAX_PENDING) {
			/* (when the table is full the handler is not tracked:
			 * settling another result early would be a guess) */
			handlers_add_pending(w, result_key, sum->success, dev,
					     sum->name, call_site, key,
					     sh->devm, sh->outcomes);
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

static void resolve_callee_deferred(struct walk *w, struct fn_summary *sum,
				    CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < sum->ndeferred; i++) {
		struct deferred *d = &sum->deferred[i];
		char *key = canon_substitute(fn, d->dev_key, args, nargs);
		struct dev_track local;
		struct finding f;
		unsigned rest;
		int dev;

		if (!key)
			continue;
		dev = state_get_dev(fn, w->st, key_intern(fn, key));
		if (dev < 0) {
			free(key);
			continue;
		}
		local = w->st->c.dev[dev];
		if (!key_is_param_rooted(key))
			report_entry_as_untouched(&local);
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
			if (!rest)
				engine_emit(fn->tu, &f);
			else if (key_is_param_rooted(key))
				report_defer(fn->summary, &f, key, rest);
			else
				finding_release(&f);
		}
		free(key);
	}
}
