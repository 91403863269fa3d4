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

/* Whether a value returned is a success or a failure, by the function's
 * convention. */
static enum outcome outcome_of(struct fn_ctx *fn, const struct value *v)
{
	uint8_t m = v->signs;

	if (fn->returns_void)
		return OUTCOME_SUCCESS;
	if (fn->returns_pointer)
		return m == SIGN_ZERO || m == SIGN_NEG ? OUTCOME_FAILURE
		       : !(m & (SIGN_ZERO | SIGN_NEG)) ? OUTCOME_SUCCESS
						       : OUTCOME_UNKNOWN;
	if (m == SIGN_ANY && !v->has_eq)
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

/* The value of an error code by the pack's convention. */
static struct value failure_value(const struct fn_ctx *fn)
{
	return value_of_signs(fn->tu->rules->errors_positive ? SIGN_POS
							    : SIGN_NEG);
}

/* What a return statement returns, and whether that is a success; a
 * pending call result returned as it is gives its key in *pending_key
 * (both outcomes). */
static enum outcome classify_return(struct fn_ctx *fn, struct state *st,
				    CXCursor ret_stmt, int32_t *pending_key,
				    struct value *val)
{
	CXCursor e = ast_only_child(ret_stmt), s;
	long long v;
	char *t;
	int32_t key;
	int i;

	*pending_key = -1;
	*val = value_any();
	if (clang_Cursor_isNull(e) || fn->returns_void)
		return OUTCOME_SUCCESS;
	s = ast_strip(e);
	if (ast_eval_int(s, &v)) {
		*val = value_of(v);
		if (fn->returns_pointer && v != 0)
			return OUTCOME_UNKNOWN;
		return outcome_of(fn, val);
	}
	if (clang_getCursorKind(s) == CXCursor_CallExpr &&
	    canon_is_error_call(fn, s)) {
		*val = failure_value(fn);
		return OUTCOME_FAILURE;
	}
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
				*val = failure_value(fn);
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
	*val = expr_known_value(fn, st, key, s);
	return outcome_of(fn, val);
}

static void record_exit(struct fn_ctx *fn, struct state *st,
			enum outcome outcome, int32_t site,
			const struct value *ret)
{
	struct event ev = {.kind = EV_EXIT,
			   .fn = fn,
			   .st = st,
			   .dev = -1,
			   .site = site,
			   .outcome = outcome};
	struct fn_exit x = {st, outcome, site, *ret};
	int i;

	/* a call whose result nothing tested ("pci_enable_msi(pdev);")
	 * may have succeeded: its effect holds, unconfirmed */
	for (i = st->c.npend - 1; i >= 0; i--)
		if (st->c.pend[i].on_success.vec == VEC_HELD)
			state_settle_unconfirmed(fn, st, i);
	report_fire(&ev);
	ARRAY_PUSH(fn->exits, fn->nexits, fn->cap_exits, x);
}

/* The value a pending call result has when the call ends as `success`. */
static struct value pending_result(const struct pending *p, bool success)
{
	switch (p->success) {
	case SUCCESS_ZERO:
		return value_of_signs(success ? SIGN_ZERO
					      : SIGN_NEG | SIGN_POS);
	case SUCCESS_COUNT:
		return value_of_signs(success ? SIGN_POS : SIGN_NEG);
	case SUCCESS_POINTER:
		return value_of_signs(success ? SIGN_POS : SIGN_ZERO);
	case SUCCESS_ERRNO:
		return value_of_signs(success ? SIGN_ZERO : SIGN_NEG);
	default:
		return value_any();
	}
}

static void handle_return(struct fn_ctx *fn, struct state *st, CXCursor ret)
{
	int32_t pkey, site;
	enum outcome o;
	struct value val;

	o = classify_return(fn, st, ret, &pkey, &val);
	if (pkey >= 0) {
		/* "return pci_alloc_irq_vectors(...)": both outcomes. */
		struct state *ok = state_clone(fn, st),
			     *bad = state_clone(fn, st);
		struct value okv = value_any(), badv = value_any();
		int i;
		for (i = ok->c.npend - 1; i >= 0; i--)
			if (ok->c.pend[i].result_key == pkey) {
				okv = pending_result(&ok->c.pend[i], true);
				state_resolve_pending(fn, ok, i, true, true);
			}
		for (i = bad->c.npend - 1; i >= 0; i--)
			if (bad->c.pend[i].result_key == pkey) {
				badv = pending_result(&bad->c.pend[i], false);
				state_resolve_pending(fn, bad, i, false, true);
			}
		site = engine_add_site(fn->tu, ret,
				       "returning the call's result", fn->name);
		trace_add_step(fn, ok, site);
		trace_add_step(fn, bad, site);
		record_exit(fn, ok, OUTCOME_SUCCESS, site, &okv);
		record_exit(fn, bad, OUTCOME_FAILURE, site, &badv);
		return;
	}
	site = engine_add_site(fn->tu, ret,
			       o == OUTCOME_FAILURE   ? "returning an error"
			       : o == OUTCOME_SUCCESS ? "returning success"
						      : "returning",
			       fn->name);
	trace_add_step(fn, st, site);
	record_exit(fn, st, o, site, &val);
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
					     const struct state *st,
					     CXCursor at)
{
	struct state *n = state_clone(fn, st);
	size_t i;
	int f, before = n->c.nfact;

	/* (a flag parameter's value stays: it tells the function's ways
	 * apart for a caller that passes a constant) */
	for (i = fn->nreturned_vars; i < fn->nreturned; i++)
		if (!key_in(fn->flag_params, fn->nflag_params, fn->returned[i]))
			state_drop_fact(n, fn->returned[i]);
	/* and what branches said of the driver's state at entry */
	for (f = n->c.nfact - 1; f >= 0; f--)
		if (!n->c.fact[f].written &&
		    engine_key(fn, n->c.fact[f].key)[0] == '@')
			state_drop_fact(n, n->c.fact[f].key);
	/* the branches after this point may contradict the ones before:
	 * what the path finds on is no longer shown feasible */
	if (n->c.nfact < before && !n->c.widened)
		n->c.widened = 1 + engine_add_site(fn->tu, at, "", fn->name);
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

int walk_choose(struct walk *w, int nalts)
{
	size_t at = w->npoints;
	int c;

	if (at >= MAX_CHOICE_POINTS || nalts <= 1)
		return 0;
	w->alts[w->npoints++] = nalts;
	c = at < w->nchoice ? w->choice[at] : 0;
	return c < nalts ? c : nalts - 1;
}

#define MAX_VARIANTS 16

/* Evaluates a node's expression from st once per combination of the ways
 * the calls in it can return; the resulting states go to out (at most
 * MAX_VARIANTS, the first combinations when there are more). */
static size_t eval_variants(struct fn_ctx *fn, const struct state *st,
			    CXCursor expr, CXCursor subject, bool statement,
			    struct state **out)
{
	struct prefix {
		int c[MAX_CHOICE_POINTS];
		size_t n;
	} *todo = xcalloc(MAX_VARIANTS, sizeof(*todo));
	size_t ntodo = 1, nout = 0, i;
	int j;

	while (ntodo && nout < MAX_VARIANTS) {
		struct prefix p = todo[--ntodo];
		struct walk w = {
		    .fn = fn,
		    .st = state_clone(fn, st),
		    .cond_subject = subject,
		    .choice = p.c,
		    .nchoice = p.n,
		    .stmt = statement ? expr : clang_getNullCursor(),
		};
		expr_eval(&w, expr);
		out[nout++] = w.st;
		/* the points past the prefix took their first way: the
		 * others are left to try */
		for (i = p.n; i < w.npoints; i++)
			for (j = 1; j < w.alts[i]; j++) {
				struct prefix q = p;
				if (ntodo + nout >= MAX_VARIANTS)
					break;
				while (q.n < i)
					q.c[q.n++] = 0;
				q.c[q.n++] = j;
				todo[ntodo++] = q;
			}
	}
	free(todo);
	return nout;
}

/* Refines st for successor s of a switch node: the case label's value,
 * or none of the case values for the default. */
static bool switch_case_feasible(struct fn_ctx *fn, struct state *st,
				 const struct cfg_node *node, size_t s,
				 const struct cond_info *ci)
{
	long long *values;
	size_t i, n = 0;
	bool ok;

	if (!node->case_kind || node->case_kind[s] == CFG_CASE_UNKNOWN)
		return true;
	if (node->case_kind[s] == CFG_CASE_VALUE)
		return cond_eval_case(fn, st, node->expr, ci, s,
				      &node->case_value[s], 1, false);
	values = xcalloc(node->nsucc, sizeof(*values));
	for (i = 0; i < node->nsucc; i++)
		if (node->case_kind[i] == CFG_CASE_VALUE)
			values[n++] = node->case_value[i];
	ok = cond_eval_case(fn, st, node->expr, ci, s, values, n, true);
	free(values);
	return ok;
}

void engine_run_function(struct fn_ctx *fn, struct cfg *cfg)
{
	struct node_states *seen = xcalloc(cfg->n, sizeof(*seen));
	struct work_item *work = NULL;
	size_t nwork = 0, capwork = 0, steps = 0, i;
	struct cond_info *conds;
	struct state *variants[MAX_VARIANTS];
	size_t nv, v;
	struct release_guard *guards;

	conds = xcalloc(cfg->n, sizeof(*conds));
	guards = xcalloc(cfg->n, sizeof(*guards));
	for (i = 0; i < cfg->n; i++)
		if (cfg->nodes[i].kind == CFG_COND ||
		    cfg->nodes[i].kind == CFG_SWITCH)
			cond_describe(fn, cfg->nodes[i].expr, &conds[i]);
	cond_track_values(fn, cfg, conds);
	cond_find_relevant(fn, cfg, conds);
	guards_find(fn, cfg, conds, guards);
	handlers_scan_unwinds(fn, cfg);
	if (!fn->ninitial) {
		struct work_item first = {
		    cfg->entry,
		    arena_alloc(&fn->tu->arena, sizeof(struct state))};
		ARRAY_PUSH(work, nwork, capwork, first);
	}
	for (i = fn->ninitial; i-- > 0;) {
		struct work_item first = {cfg->entry,
					  state_clone(fn, fn->initial[i])};
		ARRAY_PUSH(work, nwork, capwork, first);
	}
	while (nwork) {
		struct work_item it = work[--nwork];
		struct cfg_node *node = &cfg->nodes[it.node];
		struct node_states *ns = &seen[it.node];
		struct state *st = it.st;
		size_t s;

		if (seen_before(ns, st))
			continue;
		if (ns->n >= MAX_STATES_PER_NODE / 2) {
			/* Widen: forget the values of conditions so that
			 * paths that differ only in them merge. */
			st = forget_condition_values(
			    fn, st,
			    clang_Cursor_isNull(node->expr) ? fn->cursor
							    : node->expr);
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
			nv = eval_variants(fn, st, node->expr,
					   clang_getNullCursor(), true, variants);
			for (v = 0; v < nv; v++)
				for (s = 0; s < node->nsucc; s++) {
					struct work_item n = {node->succ[s],
							      variants[v]};
					ARRAY_PUSH(work, nwork, capwork, n);
				}
			break;
		case CFG_SWITCH:
			nv = eval_variants(fn, st, node->expr,
					   clang_getNullCursor(), false,
					   variants);
			for (v = 0; v < nv; v++)
				for (s = 0; s < node->nsucc; s++) {
					struct state *cs =
					    state_clone(fn, variants[v]);
					if (switch_case_feasible(
						fn, cs, node, s,
						&conds[it.node])) {
						struct work_item n = {
						    node->succ[s], cs};
						ARRAY_PUSH(work, nwork, capwork,
							   n);
					}
				}
			break;
		case CFG_COND: {
			int b;
			nv = eval_variants(fn, st, node->expr,
					   ast_strip(node->expr), false,
					   variants);
			for (v = 0; v < nv * 2; v++) {
				size_t idx = v % 2;
				struct state *bs;
				int to;
				b = idx == 0;
				if (idx >= node->nsucc)
					continue;
				bs = state_clone(fn, variants[v / 2]);
				to = node->succ[idx];
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
			if (clang_Cursor_isNull(e)) {
				handle_return(fn, state_clone(fn, st),
					      node->expr);
				break;
			}
			nv = eval_variants(fn, st, e, clang_getNullCursor(),
					   false, variants);
			for (v = 0; v < nv; v++)
				handle_return(fn, variants[v], node->expr);
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
			{
				struct value none = value_any();
				record_exit(fn, es,
					    fn->returns_void ? OUTCOME_SUCCESS
							     : OUTCOME_UNKNOWN,
					    site, &none);
			}
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
