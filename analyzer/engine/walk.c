/* The path walk. A worklist of (node, state) pairs; states equal in
 * everything but their trail are merged per node, so the walk stays
 * polynomial; a per-node and per-function budget bounds loops and large
 * functions, and hitting it is reported, never hidden. Also the returns:
 * whether each one succeeds or fails, and the exits a summary is built
 * from. Fires EV_EXIT. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/report.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>

static enum outcome classify_return(struct fn_ctx *fn, struct state *st,
				    CXCursor ret_stmt, int32_t *pending_key)
{
	CXCursor e = ast_only_child(ret_stmt), s;
	long long v;
	uint8_t m;
	char *t;
	int32_t key;
	int i;

	*pending_key = -1;
	if (clang_Cursor_isNull(e) || fn->returns_void)
		return OUTCOME_SUCCESS;
	s = ast_strip(e);
	if (ast_eval_int(s, &v)) {
		if (fn->returns_pointer)
			return v == 0 ? OUTCOME_FAILURE : OUTCOME_UNKNOWN;
		if (fn->tu->rules->errors_positive)
			return v != 0 ? OUTCOME_FAILURE : OUTCOME_SUCCESS;
		return v < 0 ? OUTCOME_FAILURE : OUTCOME_SUCCESS;
	}
	if (clang_getCursorKind(s) == CXCursor_CallExpr &&
	    canon_is_error_call(fn, s))
		return OUTCOME_FAILURE;
	t = canon_text(fn, s);
	{
		/* an errno name the pack knows, resolved or not */
		const struct strvec *names = &fn->tu->rules->error_names;
		const char *b = t;
		size_t len;
		while (*b == '(')
			b++;
		len = strcspn(b, ")");
		for (i = 0; i < (int)names->n; i++)
			if (strlen(names->v[i]) == len &&
			    !strncmp(names->v[i], b, len)) {
				free(t);
				return OUTCOME_FAILURE;
			}
	}
	key = key_intern(fn, t);
	free(t);
	for (i = 0; i < st->c.npend; i++)
		if (st->c.pend[i].result_key == key) {
			*pending_key = key;
			return OUTCOME_UNKNOWN;
		}
	m = state_fact_signs(st, key);
	if (m == SIGN_ANY)
		return OUTCOME_UNKNOWN;
	if (fn->tu->rules->errors_positive)
		return !(m & SIGN_ZERO) ? OUTCOME_FAILURE
		       : m == SIGN_ZERO ? OUTCOME_SUCCESS
					: OUTCOME_UNKNOWN;
	if ((m & SIGN_NEG) && !(m & SIGN_ZERO))
		return OUTCOME_FAILURE;
	if (!(m & SIGN_NEG))
		return OUTCOME_SUCCESS;
	return OUTCOME_UNKNOWN;
}

static void record_exit(struct fn_ctx *fn, struct state *st,
			enum outcome outcome, int32_t site)
{
	struct event ev = {.kind = EV_EXIT,
			   .fn = fn,
			   .st = st,
			   .dev = -1,
			   .site = site,
			   .outcome = outcome};

	report_fire(&ev);
	grow_array((void **)&fn->exits, &fn->cap_exits, fn->nexits + 1,
		   sizeof(*fn->exits));
	fn->exits[fn->nexits] = st;
	fn->exit_outcomes = xrealloc(
	    fn->exit_outcomes, fn->cap_exits * sizeof(*fn->exit_outcomes));
	fn->exit_sites =
	    xrealloc(fn->exit_sites, fn->cap_exits * sizeof(*fn->exit_sites));
	fn->exit_sites[fn->nexits] = site;
	fn->exit_outcomes[fn->nexits++] = outcome;
}

static void handle_return(struct fn_ctx *fn, struct state *st, CXCursor ret)
{
	int32_t pkey, site;
	enum outcome o;

	o = classify_return(fn, st, ret, &pkey);
	if (pkey >= 0) {
		/* "return pci_alloc_irq_vectors(...)": both outcomes. */
		struct state *ok = state_clone(fn, st),
			     *bad = state_clone(fn, st);
		int i;
		for (i = ok->c.npend - 1; i >= 0; i--)
			if (ok->c.pend[i].result_key == pkey)
				state_resolve_pending(fn, ok, i, true, true);
		for (i = bad->c.npend - 1; i >= 0; i--)
			if (bad->c.pend[i].result_key == pkey)
				state_resolve_pending(fn, bad, i, false, true);
		site = engine_add_site(fn->tu, ret,
				       "returning the call's result", fn->name);
		trace_add_step(fn, ok, site);
		trace_add_step(fn, bad, site);
		record_exit(fn, ok, OUTCOME_SUCCESS, site);
		record_exit(fn, bad, OUTCOME_FAILURE, site);
		return;
	}
	site = engine_add_site(fn->tu, ret,
			       o == OUTCOME_FAILURE   ? "returning an error"
			       : o == OUTCOME_SUCCESS ? "returning success"
						      : "returning",
			       fn->name);
	trace_add_step(fn, st, site);
	record_exit(fn, st, o, site);
}

struct node_states {
	struct state **items;
	size_t n, cap;
};

struct work_item {
	int node;
	struct state *st;
};

static struct state *forget_condition_values(struct fn_ctx *fn,
					     const struct state *st)
{
	struct state *n = state_clone(fn, st);
	size_t i;

	for (i = fn->nreturned_vars; i < fn->nreturned; i++)
		state_drop_fact(n, fn->returned[i]);
	return n;
}

static bool seen_before(struct node_states *ns, const struct state *st)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (!memcmp(&ns->items[i]->c, &st->c, sizeof(st->c)))
			return true;
	return false;
}

void engine_run_function(struct fn_ctx *fn, struct cfg *cfg)
{
	struct node_states *seen = xcalloc(cfg->n, sizeof(*seen));
	struct work_item *work = NULL;
	size_t nwork = 0, capwork = 0, steps = 0, i;
	struct state *init = fn->initial
				 ? state_clone(fn, fn->initial)
				 : arena_alloc(&fn->tu->arena, sizeof(*init));
	struct work_item first = {cfg->entry, init};
	struct cond_info *conds;
	struct release_guard *guards;

	conds = xcalloc(cfg->n, sizeof(*conds));
	guards = xcalloc(cfg->n, sizeof(*guards));
	for (i = 0; i < cfg->n; i++)
		if (cfg->nodes[i].kind == CFG_COND)
			cond_describe(fn, cfg->nodes[i].expr, &conds[i]);
	cond_track_values(fn, cfg, conds);
	guards_find(fn, cfg, conds, guards);
	handlers_scan_unwinds(fn, cfg);
	ARRAY_PUSH(work, nwork, capwork, first);
	while (nwork) {
		struct work_item it = work[--nwork];
		struct cfg_node *node = &cfg->nodes[it.node];
		struct node_states *ns = &seen[it.node];
		struct walk w = {fn, it.st};
		struct state *st = it.st;
		size_t s;

		if (seen_before(ns, st))
			continue;
		if (ns->n >= MAX_STATES_PER_NODE / 2) {
			/* Widen: forget the values of conditions so that
			 * paths that differ only in them merge. */
			st = forget_condition_values(fn, st);
			w.st = st;
			if (seen_before(ns, st))
				continue;
		}
		if (ns->n >= MAX_STATES_PER_NODE ||
		    ++steps > MAX_STEPS_PER_FUNCTION) {
			fn->incomplete = true;
			fn->incomplete_why =
			    ns->n >= MAX_STATES_PER_NODE
				? "too many distinct states at one point"
				: "too many path steps";
			if (steps > MAX_STEPS_PER_FUNCTION)
				break;
			continue;
		}
		ARRAY_PUSH(ns->items, ns->n, ns->cap, st);

		switch (node->kind) {
		case CFG_NOP:
			for (s = 0; s < node->nsucc; s++) {
				struct work_item n = {node->succ[s], st};
				ARRAY_PUSH(work, nwork, capwork, n);
			}
			break;
		case CFG_STMT:
		case CFG_SWITCH:
			w.st = state_clone(fn, st);
			expr_eval(&w, node->expr);
			for (s = 0; s < node->nsucc; s++) {
				struct work_item n = {node->succ[s], w.st};
				ARRAY_PUSH(work, nwork, capwork, n);
			}
			break;
		case CFG_COND: {
			int b;
			w.st = state_clone(fn, st);
			expr_eval(&w, node->expr);
			for (b = 1; b >= 0; b--) {
				struct state *bs = state_clone(fn, w.st);
				size_t idx = b ? 0 : 1;
				if (idx >= node->nsucc)
					continue;
				int to = node->succ[idx];
				bool leaves =
				    cfg->nodes[to].kind == CFG_RETURN ||
				    cfg->nodes[to].is_label;
				if (cond_eval(fn, bs, node->expr,
					      &conds[it.node], b, leaves)) {
					struct work_item n = {node->succ[idx],
							      bs};
					const struct release_guard *g =
					    &guards[it.node];
					if (g->dev_key >= 0 &&
					    g->release_idx != idx)
						guards_trust(fn, bs, g,
							     node->expr);
					ARRAY_PUSH(work, nwork, capwork, n);
				}
			}
			break;
		}
		case CFG_RETURN: {
			CXCursor e = ast_only_child(node->expr);
			w.st = state_clone(fn, st);
			if (!clang_Cursor_isNull(e))
				expr_eval(&w, e);
			handle_return(fn, w.st, node->expr);
			break;
		}
		case CFG_EXIT: {
			struct state *es = state_clone(fn, st);
			int32_t site;
			CXCursor body = clang_Cursor_isNull(node->expr)
					    ? fn->cursor
					    : node->expr;
			struct ast_loc loc;
			struct site end;
			ast_location(body, true, &loc);
			end.file = arena_strdup(&fn->tu->arena, loc.file);
			end.line = loc.line;
			end.col = loc.col;
			end.text = "reaching the end of the function";
			end.function = fn->name;
			site = trace_intern_site(fn->tu, &end);
			ast_loc_release(&loc);
			trace_add_step(fn, es, site);
			record_exit(fn, es,
				    fn->returns_void ? OUTCOME_SUCCESS
						     : OUTCOME_UNKNOWN,
				    site);
			break;
		}
		case CFG_NORETURN:
			break;
		}
	}
	for (i = 0; i < cfg->n; i++)
		free(seen[i].items);
	free(seen);
	free(work);
	free(conds);
	free(guards);
}
