/* Branch conditions: what a condition compares, which branch a pending
 * call result or a kept value fact allows, what a query of the device's
 * interrupt mode answers, and which values the walk keeps facts for. A
 * branch that cannot be taken is not walked. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/callees.h"
#include "engine/canon.h"
#include "engine/fields.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

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

/* "--i" rather than "i--": the operator comes first. */
static bool is_prefix(struct fn_ctx *fn, CXCursor op, const char *spelling)
{
	struct ast_token *toks;
	size_t n = ast_tokens(fn->tu->tu, op, &toks);
	bool yes = n && !strcmp(toks[0].text, spelling);

	ast_tokens_free(toks, n);
	return yes;
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
	cmp->rkey = cmp->rfkey = -1;
	if (clang_getCursorKind(s) == CXCursor_CallExpr) {
		/* IS_ERR(p) is "p < 0", IS_ERR_OR_NULL(p) "p <= 0": an error
		 * pointer is negative, NULL zero, a valid pointer positive */
		char *name = ast_call_name(s);
		const struct api_entry *api =
		    ruleset_lookup(fn->tu->rules, name);
		free(name);
		if (api && api->role == ROLE_ISERR &&
		    api->inner_arg < clang_Cursor_getNumArguments(s)) {
			s = ast_strip(clang_Cursor_getArgument(
			    s, (unsigned)api->inner_arg));
			cmp->op = api->null_ok ? "<=" : "<";
		}
	}
	cmp->pointer = clang_getCanonicalType(clang_getCursorType(s)).kind ==
		       CXType_Pointer;
	if (clang_getCursorKind(s) == CXCursor_BinaryOperator &&
	    (n = ast_children(s, &kids)) == 2) {
		const char *op = cfg_operator(&fn->tu->cfg_env, s);
		long long v;
		if (!strcmp(op, "=")) {
			s = ast_strip(kids[0]);
		} else if (*value_negate_op(op)) {
			CXCursor a = ast_strip(kids[0]), b = ast_strip(kids[1]);
			if (ast_eval_int(a, &v) && !ast_eval_int(b, &v)) {
				ast_eval_int(a, &cmp->k);
				a = b;
				op = value_swap_op(op);
			} else {
				cmp->constant = ast_eval_int(b, &cmp->k);
			}
			if (!cmp->constant) {
				char *rt = canon_text(fn, b);
				char *rf = canon_field_key(fn->tu, b);
				cmp->rkey = key_intern(fn, rt);
				if (canon_field_tested(fn->tu, rf))
					cmp->rfkey = key_intern(fn, rf);
				free(rt);
				free(rf);
			}
			if (clang_getCursorKind(a) == CXCursor_UnaryOperator) {
				/* "--i >= 0": i after the step */
				const char *uop =
				    cfg_operator(&fn->tu->cfg_env, a);
				CXCursor inner = ast_only_child(a);
				if ((!strcmp(uop, "++") ||
				     !strcmp(uop, "--")) &&
				    !clang_Cursor_isNull(inner) &&
				    is_prefix(fn, a, uop))
					a = ast_strip(inner);
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
	t = canon_field_key(fn->tu, s);
	cmp->fkey = canon_field_tested(fn->tu, t) ? key_intern(fn, t) : -1;
	free(t);
	cmp->post_op = 0;
	if (clang_getCursorKind(s) == CXCursor_CallExpr && cmp->fkey >= 0) {
		/* test_and_clear_bit(): the test sees the old value */
		char *name = ast_call_name(s);
		const struct api_entry *api =
		    ruleset_lookup(fn->tu->rules, name);
		free(name);
		if (api && api->role == ROLE_BITOP)
			cmp->post_op =
			    (uint8_t)(api->bit_op & (BITOP_SET | BITOP_CLEAR));
	}
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

/* "pdev->msi_enabled", "pdev->msix_enabled": the flags the PCI core
 * keeps on the device while MSI or MSI-X is on. The family the flag
 * stands for, with *base the device, or 0. */
static unsigned device_mode_flag(CXCursor s, CXCursor *base)
{
	char *member;
	CXString type;
	unsigned fam = 0;

	if (clang_getCursorKind(s) != CXCursor_MemberRefExpr)
		return 0;
	member = ast_spelling(s);
	if (!strcmp(member, "msi_enabled"))
		fam = FAMILY_MSI;
	else if (!strcmp(member, "msix_enabled"))
		fam = FAMILY_MSIX;
	free(member);
	*base = ast_only_child(s);
	if (!fam || clang_Cursor_isNull(*base))
		return 0;
	type = clang_getTypeSpelling(clang_getCursorType(*base));
	if (!strstr(clang_getCString(type), "struct pci_dev"))
		fam = 0;
	clang_disposeString(type);
	return fam;
}

/* "if (pci_dev_msi_enabled(pdev))", "if (pdev->msix_enabled)": the
 * device state answers it. */
static bool query_branch_feasible(struct fn_ctx *fn, struct state *st,
				  CXCursor cond, bool branch)
{
	CXCursor s = ast_strip(cond), dev_expr;
	const struct api_entry *api;
	char *name, *key;
	unsigned fam, q;
	int dev;

	if (clang_getCursorKind(s) == CXCursor_CallExpr) {
		name = ast_call_name(s);
		api = ruleset_lookup(fn->tu->rules, name);
		free(name);
		if (!api || api->role != ROLE_QUERY || api->dev_arg < 0 ||
		    api->dev_arg >= clang_Cursor_getNumArguments(s))
			return true;
		dev_expr = clang_Cursor_getArgument(s, (unsigned)api->dev_arg);
		q = api->family & (FAMILY_MSI | FAMILY_MSIX);
	} else if (!(q = device_mode_flag(s, &dev_expr))) {
		return true;
	}
	key = canon_device(fn, dev_expr);
	dev = state_get_dev(fn, st, key_intern(fn, key));
	free(key);
	if (dev < 0)
		return true;
	fam = st->c.dev[dev].family & (FAMILY_MSI | FAMILY_MSIX);
	switch (st->c.dev[dev].vec) {
	case VEC_NONE:
	case VEC_RELEASED:
		return !branch;
	case VEC_HELD:
		if (branch)
			return (fam & q) != 0;
		/* no: unless the allocation could fall back to INTx */
		return !(st->c.dev[dev].confirmed && fam && !(fam & ~q) &&
			 !(st->c.dev[dev].family & FAMILY_INTX));
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

bool cond_is_outcome_key(const struct fn_ctx *fn, int32_t key)
{
	return key_in(fn->outcome_keys, fn->noutcome_keys, key);
}

/* Whether a value is known exactly (a constant or zero); its value in
 * *k. */
static bool exactly(const struct value *v, long long *k)
{
	if (v->has_eq)
		*k = v->eq;
	else if (v->signs == SIGN_ZERO)
		*k = 0;
	else
		return false;
	return true;
}

/* "key OP k" on one branch: -1 when the branch cannot be taken, 1 when
 * the fact of key was refined, 0 when nothing was learnt. */
static int refine_by_constant(struct fn_ctx *fn, struct state *st,
			      int32_t key, const char *op, long long k,
			      bool branch)
{
	struct value v = state_value(st, key);
	struct value now = value_refine(&v, op, k, branch);

	if (value_is_empty(&now))
		return -1;
	if (value_equal(&now, &v))
		return 0;
	state_refine_fact(fn, st, key, &now);
	return 1;
}

/* "lkey OP rkey" on one branch, when one side is known exactly: refines
 * the other side (see refine_by_constant() for the result). */
static int compare_known(struct fn_ctx *fn, struct state *st, int32_t lkey,
			 const char *op, int32_t rkey, bool branch)
{
	struct value lv = state_value(st, lkey), rv = state_value(st, rkey);
	long long k;

	if (exactly(&lv, &k) && state_value_kept(fn, lkey))
		/* "k op r" is "r swap(op) k" */
		return refine_by_constant(fn, st, rkey, value_swap_op(op), k,
					  branch);
	if (exactly(&rv, &k) && state_value_kept(fn, rkey))
		return refine_by_constant(fn, st, lkey, op, k, branch);
	return 0;
}

/* Whether cond tests how a call went: the call itself ("if (f())",
 * "if (!f())", "if (f() < 0)") or a variable a call's result went to.
 * A call can fail on any path, so that branch needs no proof; a pointer
 * looked up in remove() and found NULL is no failure of an operation. */
static bool tests_call_outcome(struct fn_ctx *fn, CXCursor cond, int32_t key)
{
	CXCursor c = ast_strip(cond), *kids = NULL;
	size_t n, i;
	bool found = false;

	if (key >= 0 && cond_is_outcome_key(fn, key))
		return true;
	if (clang_getCursorKind(c) == CXCursor_CallExpr)
		return callee_is_operation(fn, c);
	if (clang_getCursorKind(c) != CXCursor_UnaryOperator &&
	    clang_getCursorKind(c) != CXCursor_BinaryOperator)
		return false;
	n = ast_children(c, &kids);
	for (i = 0; i < n && !found; i++)
		found = callee_is_operation(fn, ast_strip(kids[i]));
	free(kids);
	return found;
}

/* A branch of remove() that leads to other interrupt calls than its
 * sibling, on a test that nothing on the path decided and that is not a
 * call's outcome (state_core.bailout). */
static void note_undecided_in_remove(struct fn_ctx *fn, struct state *st,
				     CXCursor at, const struct cond_info *ci,
				     size_t side)
{
	if (fn->role == ROLE_REMOVE && !st->c.bailout &&
	    side < COND_MAX_SIDES && (ci->bailout_sides & (1u << side)) &&
	    (ci->cmp.pointer || !tests_call_outcome(fn, at, ci->cmp.key)))
		st->c.bailout = 1 + engine_add_site(fn->tu, at, "", fn->name);
}

/* Whether the condition is decided by such a call alone: "f()", "!f()",
 * "f() OP K". */
static bool constant_condition(struct fn_ctx *fn, CXCursor cond, bool *truth)
{
	CXCursor s = ast_strip(cond), *kids = NULL;
	long long v, k;
	size_t n;
	bool known = false;

	if (callee_constant_value(s, &v)) {
		*truth = v != 0;
		return true;
	}
	n = ast_children(s, &kids);
	if (clang_getCursorKind(s) == CXCursor_UnaryOperator && n == 1 &&
	    !strcmp(cfg_operator(&fn->tu->cfg_env, s), "!") &&
	    callee_constant_value(kids[0], &v)) {
		*truth = v == 0;
		known = true;
	} else if (clang_getCursorKind(s) == CXCursor_BinaryOperator &&
		   n == 2 && callee_constant_value(kids[0], &v) &&
		   ast_eval_int(kids[1], &k)) {
		const char *op = cfg_operator(&fn->tu->cfg_env, s);
		struct value val = value_of(v);
		struct value yes = value_refine(&val, op, k, true);
		if (*value_negate_op(op)) {
			*truth = !value_is_empty(&yes);
			known = true;
		}
	}
	free(kids);
	return known;
}

/* Whether what the path knows of a value lets "value OP k" go both
 * ways. */
static bool either_way(const struct value *v, const struct comparison *cmp)
{
	struct value yes = value_refine(v, cmp->op, cmp->k, true);
	struct value no = value_refine(v, cmp->op, cmp->k, false);

	return !value_is_empty(&yes) && !value_is_empty(&no);
}

bool cond_eval(struct fn_ctx *fn, struct state *st, CXCursor cond,
	       const struct cond_info *ci, bool branch, bool note_anyway)
{
	struct comparison cmp = ci->cmp;
	const char *op;
	const char *what = NULL;
	uint8_t branch_signs = SIGN_ANY;
	bool decided = false;
	int32_t fact_key = cmp.fkey >= 0 ? cmp.fkey : cmp.key;
	struct value entry_value;
	int i;

	if (!query_branch_feasible(fn, st, cond, branch))
		return false;
	{
		bool truth;
		if (constant_condition(fn, cond, &truth))
			return truth == branch;
	}
	entry_value = state_value(st, fact_key);
	if (state_value_kept(fn, ci->whole)) {
		/* the same whole condition tested again takes the same way */
		struct value want =
		    value_of_signs(branch ? (SIGN_NEG | SIGN_POS) : SIGN_ZERO);
		if (!state_refine_fact(fn, st, ci->whole, &want))
			return false;
	}
	op = branch ? cmp.op : value_negate_op(cmp.op);
	if (fn->ninitial && cmp.constant && cmp.k == 0 &&
	    is_driver_data(engine_key(fn, cmp.key)) &&
	    !(value_signs_for(op, 0) & (SIGN_NEG | SIGN_POS)))
		return false; /* probe set the driver data on success */
	if (cmp.constant)
		branch_signs = value_signs_for(op, cmp.k);

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
		/* the result stays known: "nvec" of "i < nvec" later */
		state_keep_value(fn, cmp.key);
		state_set_fact(fn, st, cmp.key,
			       !cmp.constant ? SIGN_ANY
			       : p.success == SUCCESS_COUNT && v == V_SUCCESS
				   ? branch_signs & SIGN_POS /* at least one */
				   : branch_signs);
		/* state_set_fact() replaced what resolving it said */
		if (v == V_SUCCESS)
			state_note_least(fn, st, cmp.key, p.least);
	}
	if (!decided && cmp.constant && state_value_kept(fn, fact_key)) {
		struct value old = state_value(st, fact_key);
		struct value now = value_refine(&old, cmp.op, cmp.k, branch);
		if (cmp.pointer && !strcmp(op, "!=") && cmp.k == 0 &&
		    strcmp(cmp.op, "<") && strcmp(cmp.op, "<=")) {
			/* a pointer found non-NULL is a valid one: the
			 * functions whose result is tested against NULL
			 * return NULL, not an error pointer, on failure */
			struct value valid = value_of_signs(SIGN_POS);
			now = value_meet(&now, &valid);
		}
		if (value_is_empty(&now))
			return false;
		if (!state_fact(st, fact_key) && !value_equal(&now, &old) &&
		    ci->relevant && cmp.fkey >= 0 && !cond_is_outcome_key(fn, cmp.key) &&
		    cond_is_bookkeeping(fn, cmp.fkey) && !st->c.assumed)
			/* the driver's own state decides the branch, and
			 * nothing on the path said what it holds */
			st->c.assumed =
			    1 + engine_add_site(fn->tu, cond, "", fn->name);
		if (!value_equal(&now, &old) || !value_is_any(&old)) {
			state_refine_fact(fn, st, fact_key, &now);
			decided = true;
		}
	}
	if (!decided && !cmp.constant && cmp.rkey >= 0 &&
	    state_known_equal(st, cmp.key, cmp.rkey)) {
		/* "n != nvec" after an allocation of exactly nvec vectors */
		if (strcmp(op, "==") && strcmp(op, "<=") && strcmp(op, ">="))
			return false;
		decided = true;
	}
	if (!decided && !cmp.constant && cmp.rkey >= 0) {
		int32_t rkey = cmp.rfkey >= 0 ? cmp.rfkey : cmp.rkey;
		int verdict =
		    compare_known(fn, st, fact_key, cmp.op, rkey, branch);
		if (verdict < 0)
			return false;
		decided = verdict > 0;
	}
	if (!decided || (cmp.constant && either_way(&entry_value, &cmp)))
		note_undecided_in_remove(fn, st, cond, ci, branch ? 0 : 1);
	if (cmp.post_op && cmp.fkey >= 0) {
		/* test_and_clear_bit(): tested, then changed */
		struct value v = value_of_signs(
		    cmp.post_op & BITOP_SET ? SIGN_POS : SIGN_ZERO);
		state_put_fact(fn, st, cmp.fkey, &v, FACT_WRITTEN);
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

bool cond_eval_case(struct fn_ctx *fn, struct state *st, CXCursor subject,
		    const struct cond_info *ci, size_t side,
		    const long long *values, size_t nvalues, bool is_default)
{
	int32_t key = ci->cmp.fkey >= 0 ? ci->cmp.fkey : ci->cmp.key;
	bool kept = state_value_kept(fn, key);
	struct value v;
	size_t i;

	v = kept ? state_value(st, key) : value_any();
	if (value_is_any(&v))
		note_undecided_in_remove(fn, st, subject, ci, side);
	if (!kept)
		return true;
	if (is_default) {
		/* none of the cases: each one excluded */
		for (i = 0; i < nvalues; i++) {
			v = value_refine(&v, "==", values[i], false);
			if (value_is_empty(&v))
				return false;
		}
	} else {
		/* one of this label's values (several labels may share a
		 * body only through fall-through, walked from each) */
		struct value any = value_any(), one;
		bool some = false;
		for (i = 0; i < nvalues; i++) {
			one = value_refine(&v, "==", values[i], true);
			if (!value_is_empty(&one)) {
				any = some ? value_join(&any, &one) : one;
				some = true;
			}
		}
		if (!some)
			return false;
		v = any;
	}
	if (!value_is_any(&v))
		return state_refine_fact(fn, st, key, &v);
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

/* Whether a call is an interrupt call: an allocation, a release, a
 * handler's request or free, an object's acquire or undo, a devres
 * action, or a callee whose summary does any of that. */
static bool note_interrupt_call(CXCursor call, void *data)
{
	struct fn_ctx *fn = ((void **)data)[0];
	bool *found = ((void **)data)[1];
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);
	struct fn_summary *sum = api ? NULL : engine_find_summary(fn->tu, name);

	if (api ? api->role == ROLE_ALLOC || api->role == ROLE_RELEASE ||
		      api->role == ROLE_HANDLER ||
		      api->role == ROLE_HANDLERFREE ||
		      api->role == ROLE_ACQUIRE || api->role == ROLE_UNDO ||
		      api->role == ROLE_DEVACTION
		: sum && sum->analysed &&
		      (sum->neffects || sum->nhandlers || sum->ndeferred))
		*found = true;
	free(name);
	return !*found;
}

#define RELEVANCE_REACH 64

/* The interrupt-call nodes reachable from `from` within
 * RELEVANCE_REACH nodes, not passing through `avoid`, into mark[].
 * Whether the walk came back to `avoid` (a loop's test). */
static bool reach_interrupt_calls(struct fn_ctx *fn, struct cfg *cfg,
				  const bool *is_call, int from, int avoid,
				  bool *mark)
{
	bool back = false;
	int *queue = xcalloc(cfg->n + 1, sizeof(*queue));
	bool *seen = xcalloc(cfg->n + 1, sizeof(*seen));
	size_t head = 0, tail = 0, s;

	queue[tail++] = from;
	seen[from] = true;
	while (head < tail && head < RELEVANCE_REACH) {
		int at = queue[head++];
		if (is_call[at])
			mark[at] = true;
		for (s = 0; s < cfg->nodes[at].nsucc; s++) {
			int to = cfg->nodes[at].succ[s];
			back |= to == avoid;
			if (to != avoid && !seen[to]) {
				seen[to] = true;
				queue[tail++] = to;
			}
		}
	}
	free(queue);
	free(seen);
	return back;
}

/* Whether every node marked in a is marked in b, and b has one more. */
static bool reach_is_strict_subset(const bool *a, const bool *b, size_t n)
{
	bool more = false;
	size_t k;

	for (k = 0; k < n; k++) {
		if (a[k] && !b[k])
			return false;
		more |= b[k] && !a[k];
	}
	return more;
}

void cond_find_relevant(struct fn_ctx *fn, struct cfg *cfg,
			struct cond_info *conds)
{
	bool *is_call = xcalloc(cfg->n + 1, sizeof(*is_call));
	/* one per side that may be a bail-out, and one for the sides past
	 * them, whose reach only says whether the test is relevant */
	bool *reach[COND_MAX_SIDES + 1];
	/* only remove()'s bail-outs are asked for: elsewhere the first side
	 * that differs from the first settles relevance */
	bool sides_wanted = fn->role == ROLE_REMOVE;
	size_t i, j, k;

	for (j = 0; j <= COND_MAX_SIDES; j++)
		reach[j] = xcalloc(cfg->n + 1, sizeof(bool));
	for (i = 0; i < cfg->n; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr)) {
			bool found = false;
			void *args[2] = {fn, &found};
			cfg_visit_calls(cfg->nodes[i].expr, note_interrupt_call,
					args);
			is_call[i] = found;
		}
	for (i = 0; i < cfg->n; i++) {
		const struct cfg_node *n = &cfg->nodes[i];
		size_t sides =
		    n->nsucc < COND_MAX_SIDES ? n->nsucc : COND_MAX_SIDES;
		bool loop = false;

		if ((n->kind != CFG_COND && n->kind != CFG_SWITCH) ||
		    n->nsucc < 2)
			continue;
		for (j = 0; j < n->nsucc; j++) {
			bool *r = reach[j < COND_MAX_SIDES ? j : COND_MAX_SIDES];
			memset(r, 0, (cfg->n + 1) * sizeof(bool));
			loop |= reach_interrupt_calls(fn, cfg, is_call,
						      n->succ[j], (int)i, r);
			if (j && memcmp(reach[0], r, cfg->n * sizeof(bool))) {
				conds[i].relevant = true;
				if (!sides_wanted)
					break;
			}
		}
		if (!sides_wanted || !conds[i].relevant || loop)
			continue;
		/* a side that reaches only some of the calls another side
		 * reaches skips teardown the other does: a bail-out (a
		 * loop's body comes back to its test: no bail-out) */
		for (j = 0; j < sides; j++)
			for (k = 0; k < sides; k++)
				if (k != j && reach_is_strict_subset(
						  reach[j], reach[k], cfg->n)) {
					conds[i].bailout_sides |= 1u << j;
					break;
				}
	}
	free(is_call);
	for (j = 0; j <= COND_MAX_SIDES; j++)
		free(reach[j]);
}

bool cond_is_bookkeeping(struct fn_ctx *fn, int32_t key)
{
	char base[512];

	return fields_base_of(engine_key(fn, key), base, sizeof(base)) &&
	       strvec_has(&fn->tu->written_fields, base);
}

/* "flags = PCI_IRQ_INTX; ... pci_alloc_irq_vectors(pdev, 1, 1, flags)":
 * the allocation's family comes from the variable's value on the path,
 * so that value is kept when the function assigns it a constant. */
static bool keep_family_variable(CXCursor call, void *data)
{
	struct fn_ctx *fn = ((void **)data)[0];
	const struct assigned_keys *assigned = ((void **)data)[1];
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);
	CXCursor arg;
	long long v;
	int32_t key;

	free(name);
	if (!api || api->role != ROLE_ALLOC || api->family_arg < 0 ||
	    api->family_arg >= clang_Cursor_getNumArguments(call))
		return true;
	arg = clang_Cursor_getArgument(call, (unsigned)api->family_arg);
	if (ast_eval_int(arg, &v))
		return true;
	key = key_of_cursor(fn, ast_strip(arg));
	if (key_in(assigned->keys, assigned->n, key)) {
		state_keep_value(fn, key);
		ARRAY_PUSH(fn->flag_vars, fn->nflag_vars, fn->cap_flag_vars,
			   key);
	}
	return true;
}

struct param_write {
	struct fn_ctx *fn;
	CXCursor decl;
	bool written;
};

static bool names_decl(CXCursor e, CXCursor decl)
{
	e = ast_strip(e);
	return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
	       clang_equalCursors(clang_getCursorReferenced(e), decl);
}

/* Finds a write of the parameter: an assignment to it, a step of it
 * ("n--"), its address taken. */
static enum CXChildVisitResult find_param_write(CXCursor c, CXCursor parent,
						CXClientData data)
{
	struct param_write *p = data;
	CXCursor target;

	(void)parent;
	if (fields_written_by(p->fn->tu, c, true, &target) &&
	    names_decl(target, p->decl))
		p->written = true;
	return p->written ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* A flag or count parameter ("bool reinit", "int nvfs") the function
 * never sets: a caller passing a constant tells the function's ways
 * apart by it. Not a pointer: an optional argument's NULL test ("if
 * (!sc) sc = alloc()") splits ways by what the function does with it. */
static bool is_flag_parameter(struct fn_ctx *fn, int32_t key)
{
	const char *k = engine_key(fn, key);
	struct param_write w = {.fn = fn};
	enum CXTypeKind t;
	long idx;

	if (!key_is_parameter(k))
		return false;
	idx = strtol(k + 1, NULL, 10);
	if (idx >= clang_Cursor_getNumArguments(fn->cursor))
		return false;
	w.decl = clang_Cursor_getArgument(fn->cursor, (unsigned)idx);
	t = clang_getCanonicalType(clang_getCursorType(w.decl)).kind;
	if (t < CXType_Bool || t > CXType_LongLong) /* the integer types */
		if (t != CXType_Enum)
			return false;
	clang_visitChildren(fn->cursor, find_param_write, &w);
	return !w.written;
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
	for (i = 0; i < cfg->n; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr)) {
			void *args[2] = {fn, &assigned};
			cfg_visit_calls(cfg->nodes[i].expr,
					keep_family_variable, args);
		}

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
		if (cmp.key >= 0 &&
		    !key_in(fn->flag_params, fn->nflag_params, cmp.key) &&
		    is_flag_parameter(fn, cmp.key)) {
			state_keep_value(fn, cmp.key);
			ARRAY_PUSH(fn->flag_params, fn->nflag_params,
				   fn->cap_flag_params, cmp.key);
		}
		if (!cmp.constant) {
			/* "i < n" with i (or n) given a constant: its value
			 * decides while it is known (a loop's first round) */
			int32_t sides[2] = {cmp.key, cmp.rkey};
			size_t s;
			for (s = 0; s < 2; s++)
				for (j = 0; j < assigned.n; j++)
					if (sides[s] >= 0 &&
					    assigned.keys[j] == sides[s])
						state_keep_value(fn, sides[s]);
			continue;
		}
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
