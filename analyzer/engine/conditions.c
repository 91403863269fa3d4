/* Branch conditions: what a condition compares, which branch a pending
 * call result or a kept value fact allows, what a query of the device's
 * interrupt mode answers, and which values the walk keeps facts for. A
 * branch that cannot be taken is not walked. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static bool sign_class_satisfies(int cls, const char *op, long long k)
{
	long long lo, hi;

	switch (cls) {
	case SIGN_NEG:
		lo = LLONG_MIN, hi = -1;
		break;
	case SIGN_ZERO:
		lo = hi = 0;
		break;
	default:
		lo = 1, hi = LLONG_MAX;
		break;
	}
	if (!strcmp(op, "<"))
		return lo < k;
	if (!strcmp(op, "<="))
		return lo <= k;
	if (!strcmp(op, ">"))
		return hi > k;
	if (!strcmp(op, ">="))
		return hi >= k;
	if (!strcmp(op, "=="))
		return lo <= k && k <= hi;
	if (!strcmp(op, "!="))
		return !(lo == k && hi == k);
	return true;
}

static const char *negate_op(const char *op)
{
	static const char *const pairs[][2] = {
	    {"<", ">="}, {"<=", ">"},  {">", "<="},
	    {">=", "<"}, {"==", "!="}, {"!=", "=="},
	};
	size_t i;

	for (i = 0; i < 6; i++)
		if (!strcmp(op, pairs[i][0]))
			return pairs[i][1];
	return "";
}

static const char *swap_op(const char *op)
{
	if (!strcmp(op, "<"))
		return ">";
	if (!strcmp(op, ">"))
		return "<";
	if (!strcmp(op, "<="))
		return ">=";
	if (!strcmp(op, ">="))
		return "<=";
	return op;
}

/* Signs a value can have on this branch of "value op k". */
static uint8_t signs_for(const char *op, long long k)
{
	uint8_t m = 0;

	if (sign_class_satisfies(SIGN_NEG, op, k))
		m |= SIGN_NEG;
	if (sign_class_satisfies(SIGN_ZERO, op, k))
		m |= SIGN_ZERO;
	if (sign_class_satisfies(SIGN_POS, op, k))
		m |= SIGN_POS;
	return m;
}

enum verdict { V_UNKNOWN, V_SUCCESS, V_FAILURE };

static enum verdict verdict_of_signs(enum success_kind kind, uint8_t m)
{
	if (kind == SUCCESS_POINTER) {
		if (m == SIGN_ZERO)
			return V_FAILURE;
		if (!(m & SIGN_ZERO))
			return V_SUCCESS;
		return V_UNKNOWN;
	}
	if (kind == SUCCESS_ZERO) {
		if (m == SIGN_ZERO)
			return V_SUCCESS;
		if (!(m & SIGN_ZERO))
			return V_FAILURE;
		return V_UNKNOWN;
	}
	if (kind == SUCCESS_ERRNO) {
		/* 0 (or a count) on success, -errno on failure. */
		if (!(m & SIGN_NEG))
			return V_SUCCESS;
		if (!(m & SIGN_ZERO))
			return V_FAILURE;
		return V_UNKNOWN;
	}
	if ((m & SIGN_POS) && !(m & SIGN_NEG))
		return V_SUCCESS;
	if ((m & SIGN_NEG) && !(m & SIGN_POS))
		return V_FAILURE;
	return V_UNKNOWN;
}

/* "ret != nvec" and friends for count results: a shortfall is failure. */
static enum verdict verdict_of_count_compare(const char *op)
{
	if (!strcmp(op, "!=") || !strcmp(op, "<"))
		return V_FAILURE;
	if (!strcmp(op, "==") || !strcmp(op, ">="))
		return V_SUCCESS;
	return V_UNKNOWN;
}

static void read_comparison(struct fn_ctx *fn, CXCursor cond,
			    struct comparison *cmp)
{
	CXCursor s = ast_strip(cond), *kids;
	size_t n;
	char *t;

	cmp->op = "!=";
	cmp->constant = true;
	cmp->k = 0;
	if (clang_getCursorKind(s) == CXCursor_BinaryOperator &&
	    (n = ast_children(s, &kids)) == 2) {
		const char *op = cfg_operator(&fn->tu->cfg_env, s);
		long long v;
		if (!strcmp(op, "=")) {
			s = ast_strip(kids[0]);
		} else if (*negate_op(op)) {
			CXCursor a = ast_strip(kids[0]), b = ast_strip(kids[1]);
			if (ast_eval_int(a, &v) && !ast_eval_int(b, &v)) {
				ast_eval_int(a, &cmp->k);
				a = b;
				op = swap_op(op);
			} else {
				cmp->constant = ast_eval_int(b, &cmp->k);
			}
			if (clang_getCursorKind(a) == CXCursor_BinaryOperator &&
			    !strcmp(cfg_operator(&fn->tu->cfg_env, a), "=")) {
				CXCursor *inner;
				if (ast_children(a, &inner) == 2)
					a = ast_strip(inner[0]);
				free(inner);
			}
			cmp->op = op;
			s = a;
		}
		free(kids);
	} else if (clang_getCursorKind(s) == CXCursor_BinaryOperator) {
		free(kids);
	}
	t = canon_text(fn, s);
	cmp->key = key_intern(fn, t);
	free(t);
}

static char *condition_text(struct fn_ctx *fn, CXCursor cond)
{
	struct ast_token *toks;
	size_t n = ast_tokens(fn->tu->tu, cond, &toks), i;
	struct strbuf sb;

	sb_init(&sb);
	for (i = 0; i < n && sb.len < 60; i++) {
		if (i)
			sb_adds(&sb, " ");
		sb_adds(&sb, toks[i].text);
	}
	if (i < n)
		sb_adds(&sb, " ...");
	ast_tokens_free(toks, n);
	return sb_detach(&sb);
}

/* "if (pci_dev_msi_enabled(pdev))": the device state answers it. */
static bool query_branch_feasible(struct fn_ctx *fn, struct state *st,
				  CXCursor cond, bool branch)
{
	CXCursor s = ast_strip(cond);
	const struct api_entry *api;
	char *name, *key;
	unsigned fam, q;
	int dev;

	if (clang_getCursorKind(s) != CXCursor_CallExpr)
		return true;
	name = ast_call_name(s);
	api = ruleset_lookup(fn->tu->rules, name);
	free(name);
	if (!api || api->role != ROLE_QUERY || api->dev_arg < 0 ||
	    api->dev_arg >= clang_Cursor_getNumArguments(s))
		return true;
	key = canon_device(fn,
			   clang_Cursor_getArgument(s, (unsigned)api->dev_arg));
	dev = state_get_dev(fn, st, key_intern(fn, key));
	free(key);
	if (dev < 0)
		return true;
	fam = st->c.dev[dev].family & (FAMILY_MSI | FAMILY_MSIX);
	q = api->family & (FAMILY_MSI | FAMILY_MSIX);
	switch (st->c.dev[dev].vec) {
	case VEC_NONE:
	case VEC_RELEASED:
		return !branch;
	case VEC_HELD:
		if (branch)
			return (fam & q) != 0;
		return !(st->c.dev[dev].confirmed && fam && !(fam & ~q));
	default:
		return true;
	}
}

/* "drvdata(X)" itself, not a field read through it. */
static bool is_driver_data(const char *key)
{
	size_t n = strlen(key), depth = 0, i;

	if (strncmp(key, "drvdata(", 8) || key[n - 1] != ')')
		return false;
	for (i = 7; i < n; i++) {
		if (key[i] == '(')
			depth++;
		else if (key[i] == ')' && --depth == 0)
			return i == n - 1;
	}
	return false;
}

void cond_describe(struct fn_ctx *fn, CXCursor cond, struct cond_info *ci)
{
	ci->whole = key_of_cursor(fn, ast_strip(cond));
	read_comparison(fn, cond, &ci->cmp);
}

bool cond_eval(struct fn_ctx *fn, struct state *st, CXCursor cond,
	       const struct cond_info *ci, bool branch, bool note_anyway)
{
	struct comparison cmp = ci->cmp;
	const char *op;
	const char *what = NULL;
	uint8_t branch_signs = SIGN_ANY;
	bool decided = false;
	int i;

	if (!query_branch_feasible(fn, st, cond, branch))
		return false;
	{
		/* the same whole condition tested again takes the same way */
		int32_t whole = ci->whole;
		if (state_value_kept(fn, whole)) {
			uint8_t want =
			    branch ? (SIGN_NEG | SIGN_POS) : SIGN_ZERO;
			uint8_t have = state_fact_signs(st, whole);
			if (!(have & want))
				return false;
			state_set_fact(fn, st, whole, want);
		}
	}
	op = branch ? cmp.op : negate_op(cmp.op);
	if (fn->initial && cmp.constant && cmp.k == 0 &&
	    is_driver_data(engine_key(fn, cmp.key)) &&
	    !(signs_for(op, 0) & (SIGN_NEG | SIGN_POS)))
		return false; /* probe set the driver data on success */
	if (cmp.constant)
		branch_signs = signs_for(op, cmp.k);

	for (i = st->c.npend - 1; i >= 0; i--) {
		struct pending p = st->c.pend[i];
		enum verdict v;
		if (p.result_key != cmp.key)
			continue;
		if (p.success == SUCCESS_COUNT && (!cmp.constant || cmp.k > 0))
			/* "ret != nvec", "ret < MIN": a shortfall is failure */
			v = verdict_of_count_compare(op);
		else if (cmp.constant)
			v = verdict_of_signs(p.success, branch_signs);
		else
			v = V_UNKNOWN;
		if (v == V_UNKNOWN)
			continue;
		state_resolve_pending(fn, st, i, v == V_SUCCESS, true);
		what = v == V_SUCCESS ? "succeeded" : "failed";
		decided = true;
		state_set_fact(fn, st, cmp.key,
			       cmp.constant ? branch_signs : SIGN_ANY);
	}
	if (!decided && cmp.constant && state_value_kept(fn, cmp.key)) {
		uint8_t old = state_fact_signs(st, cmp.key);
		uint8_t now = old & branch_signs;
		if (!now)
			return false;
		if (now != old || old != SIGN_ANY) {
			state_set_fact(fn, st, cmp.key, now);
			decided = true;
		}
	}
	if (decided || note_anyway) {
		char *ct = condition_text(fn, cond);
		char *text =
		    what ? xasprintf("taking the %s branch of '%s' "
				     "(the call %s)",
				     branch ? "true" : "false", ct, what)
			 : xasprintf("taking the %s branch of '%s'",
				     branch ? "true" : "false", ct);
		trace_add_step(fn, st,
			       engine_add_site(fn->tu, cond, text, fn->name));
		free(text);
		free(ct);
	}
	return true;
}

/* Keeps facts for the values that two or more conditions of the function
 * test, or that a condition tests and an assignment sets to a constant
 * or flag ("adapter->msix_enabled = 1" on the allocation's success
 * branch, "if (adapter->msix_enabled)" before the release). Optimistic:
 * a write through a call or another pointer is not seen; an assignment
 * to the same expression is. */
struct assigned_keys {
	struct fn_ctx *fn;
	int32_t *keys;
	size_t n, cap;
};

/* Keys that an assignment gives a constant or flag value somewhere. */
static enum CXChildVisitResult collect_assigned(CXCursor c, CXCursor parent,
						CXClientData data)
{
	struct assigned_keys *a = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor *kids;
	long long v;

	if (k != CXCursor_BinaryOperator &&
	    k != CXCursor_CompoundAssignOperator)
		return CXChildVisit_Recurse;
	if (ast_children(c, &kids) == 2) {
		uint8_t signs;
		int32_t key = -1;
		if (k == CXCursor_CompoundAssignOperator)
			key = expr_flag_test_key(a->fn, c, kids[0], kids[1],
						 &signs);
		else if (!strcmp(cfg_operator(&a->fn->tu->cfg_env, c), "=") &&
			 ast_eval_int(ast_strip(kids[1]), &v))
			key = key_of_cursor(a->fn, kids[0]);
		if (key >= 0)
			ARRAY_PUSH(a->keys, a->n, a->cap, key);
	}
	free(kids);
	return CXChildVisit_Recurse;
}

static bool note_vector_call(CXCursor call, void *data)
{
	struct fn_ctx *fn = ((void **)data)[0];
	bool *found = ((void **)data)[1];
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);
	struct fn_summary *sum = api ? NULL : engine_find_summary(fn->tu, name);

	if (api ? api->role == ROLE_ALLOC || api->role == ROLE_RELEASE
		: sum && sum->analysed && sum->neffects)
		*found = true;
	free(name);
	return !*found;
}

/* Whether the function allocates or releases vectors, itself or through
 * a callee: only then are condition values worth their states. */
static bool touches_vectors(struct fn_ctx *fn, struct cfg *cfg)
{
	bool found = false;
	void *args[2] = {fn, &found};
	size_t i;

	for (i = 0; i < cfg->n && !found; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr))
			cfg_visit_calls(cfg->nodes[i].expr, note_vector_call,
					args);
	return found;
}

void cond_track_values(struct fn_ctx *fn, struct cfg *cfg,
		       const struct cond_info *conds)
{
	int32_t *keys = NULL, *wholes = NULL;
	size_t n = 0, cap = 0, i, j, nwhole = 0, capwhole = 0;
	struct assigned_keys assigned = {.fn = fn};

	fn->nreturned_vars = fn->nreturned;
	if (!touches_vectors(fn, cfg))
		return;
	clang_visitChildren(fn->cursor, collect_assigned, &assigned);

	for (i = 0; i < cfg->n; i++) {
		struct comparison cmp;
		bool tested_before = false, assigned_somewhere = false;

		if (cfg->nodes[i].kind != CFG_COND)
			continue;
		{
			int32_t whole = conds[i].whole;
			bool seen = false;
			for (j = 0; j < nwhole; j++)
				seen |= wholes[j] == whole;
			if (seen && !state_value_kept(fn, whole))
				ARRAY_PUSH(fn->returned, fn->nreturned,
					   fn->cap_returned, whole);
			if (!seen)
				ARRAY_PUSH(wholes, nwhole, capwhole, whole);
		}
		cmp = conds[i].cmp;
		if (!cmp.constant)
			continue;
		for (j = 0; j < n; j++)
			tested_before |= keys[j] == cmp.key;
		for (j = 0; j < assigned.n; j++)
			assigned_somewhere |= assigned.keys[j] == cmp.key;
		if ((tested_before || assigned_somewhere) &&
		    !state_value_kept(fn, cmp.key))
			ARRAY_PUSH(fn->returned, fn->nreturned,
				   fn->cap_returned, cmp.key);
		if (!tested_before)
			ARRAY_PUSH(keys, n, cap, cmp.key);
	}
	free(keys);
	free(wholes);
	free(assigned.keys);
}
