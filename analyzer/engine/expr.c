/* Expressions along a path: evaluation order, assignments and what they
 * do to pending call results, value facts and flag tests, and the irq
 * numbers variables come to hold. Calls go to calls.c. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/callees.h"
#include "engine/canon.h"
#include "engine/fields.h"
#include "engine/state.h"

#include <stdlib.h>
#include <string.h>

/* "flags = 0" makes every tracked "flags&BIT" test false; any other value
 * leaves them unknown. */
static void set_flag_tests(struct fn_ctx *fn, struct state *st, const char *lhs,
			   bool zero, bool keep_bit_tests)
{
	size_t i, n = strlen(lhs);

	for (i = 0; i < fn->nreturned; i++) {
		const char *k = engine_key(fn, fn->returned[i]);
		char next;
		if (strncmp(k, lhs, n))
			continue;
		next = k[n];
		if (!next || next == '_' || next == '-' || next == '.' ||
		    next == '[' || (next >= '0' && next <= '9') ||
		    (next >= 'a' && next <= 'z') ||
		    (next >= 'A' && next <= 'Z'))
			continue;
		/* "lhs&BIT", "lhs>1": tests of the value just assigned */
		if (keep_bit_tests && next == '&')
			continue;
		if (zero && next == '&')
			state_set_fact(fn, st, fn->returned[i], SIGN_ZERO);
		else
			state_drop_fact(st, fn->returned[i]);
	}
}

/* The field of the driver's state an lvalue is ("@USR"), or NULL. */
static char *field_written(struct fn_ctx *fn, CXCursor lhs)
{
	if (clang_Cursor_isNull(lhs) || !fn->tu->tested_fields.n)
		return NULL;
	return canon_field_key(fn->tu, lhs);
}

struct zalloc_search {
	const struct ruleset *rules;
	bool found;
};

static enum CXChildVisitResult find_zalloc(CXCursor c, CXCursor parent,
					   CXClientData data)
{
	struct zalloc_search *z = data;

	if (clang_getCursorKind(c) == CXCursor_CallExpr) {
		char *name = ast_call_name(c);
		const struct api_entry *api = ruleset_lookup(z->rules, name);
		free(name);
		if (api && api->role == ROLE_ZALLOC) {
			z->found = true;
			return CXChildVisit_Break;
		}
	}
	return CXChildVisit_Recurse;
}

/* "p = kzalloc(...)": the structure p points to starts zeroed. The
 * allocator may be wrapped in a statement expression (6.12's kzalloc()
 * is alloc_hooks(kzalloc_noprof(...))). */
static void note_zeroed(struct walk *w, CXType lhs_type, CXCursor rhs)
{
	struct zalloc_search z = {w->fn->tu->rules, false};

	find_zalloc(rhs, rhs, &z);
	if (!z.found)
		clang_visitChildren(rhs, find_zalloc, &z);
	if (z.found)
		fields_zero_struct(w->fn, w->st, lhs_type);
}

/* "pci_irq_vector(pdev, i)" of a device whose vectors are held (or held
 * by whoever called): an irq number, never an error. */
static bool irq_of_held_vector(struct walk *w, CXCursor call)
{
	char *name = ast_call_name(call), *dk;
	const struct api_entry *api = ruleset_lookup(w->fn->tu->rules, name);
	int dev;

	free(name);
	if (!api || api->role != ROLE_IRQVEC || api->names_only ||
	    api->dev_arg >= clang_Cursor_getNumArguments(call))
		return false;
	dk = canon_device(
	    w->fn, clang_Cursor_getArgument(call, (unsigned)api->dev_arg));
	dev = state_find_dev(w->st, key_intern(w->fn, dk));
	free(dk);
	return dev >= 0 && (w->st->c.dev[dev].vec == VEC_HELD ||
			    w->st->c.dev[dev].vec == VEC_ENTRY);
}

struct value expr_known_value(struct fn_ctx *fn, const struct state *st,
			      int32_t key, CXCursor e)
{
	char *field = canon_field_key(fn->tu, e);
	struct value v = canon_field_tested(fn->tu, field)
			     ? state_value(st, key_intern(fn, field))
			     : state_value(st, key);

	free(field);
	return v;
}

/* Records what an assignment does to the value facts and results. */
static void assign_to(struct walk *w, char *lt, CXCursor lhs, CXCursor rhs)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	int32_t lkey = key_intern(fn, lt);
	CXCursor r = ast_strip(rhs);
	char *irq = handlers_irq_key_text(fn, r), *field;
	long long v;
	int i;

	state_forget_equal(st, lkey);
	if (irq) {
		/* "irq = pci_irq_vector(pdev, i)": the variable names it */
		const char *arrow = strrchr(lt, '>'), *dot = strrchr(lt, '.');
		const char *field = arrow && (!dot || arrow > dot) ? arrow + 1
				    : dot			   ? dot + 1
								   : NULL;
		char *member = NULL;
		/* the field as written: its canonical text may be what it
		 * was set from ("sc->irq_res" set from the call) */
		if (!clang_Cursor_isNull(lhs) &&
		    clang_getCursorKind(ast_strip(lhs)) ==
			CXCursor_MemberRefExpr &&
		    (member = handlers_typed_field(ast_strip(lhs))))
			field = member;
		alias_remember(&fn->irq_vars, &fn->nirq_vars, &fn->cap_irq_vars,
			       lt, irq);
		/* "map[i] = pci_irq_vector(pdev, i)" outside locals: the
		 * same text names it in other functions of the file (a
		 * field of a structure goes by its type, below) */
		if (!member &&
		    (strchr(lt, '[') || strchr(lt, '>') || strchr(lt, '.')) &&
		    !strncmp(irq, DRIVER_DEVICE_KEY "#",
			     strlen(DRIVER_DEVICE_KEY) + 1))
			alias_remember(&fn->tu->irq_exprs, &fn->tu->nirq_exprs,
				       &fn->tu->cap_irq_exprs,
				       key_field_part(lt), irq);
		/* "pmu->irq = irq": other functions read it from the field */
		if (field && key_index_is_constant(irq) &&
		    !strncmp(irq, DRIVER_DEVICE_KEY "#",
			     strlen(DRIVER_DEVICE_KEY) + 1))
			alias_remember(&fn->tu->irq_fields,
				       &fn->tu->nirq_fields,
				       &fn->tu->cap_irq_fields, field, irq);
		free(member);
		free(irq);
	}

	field = field_written(fn, lhs);
	if (clang_getCursorKind(r) == CXCursor_CallExpr) {
		/* the call's pending result now lives in the variable (whose
		 * canonical text may be the call's own: "sc->irq_res" set
		 * from it) */
		int32_t ckey = key_of_cursor(fn, r);
		struct value cv = state_value(st, ckey);
		/* (a data-only callee's result is no outcome: "n =
		 * sscanf(...); if (n != 1)" tests data) */
		if (!cond_is_outcome_key(fn, lkey) &&
		    callee_is_operation(fn, r))
			ARRAY_PUSH(fn->outcome_keys, fn->noutcome_keys,
				   fn->cap_outcome_keys, lkey);
		if (lkey != ckey)
			state_settle_for_key(fn, st, lkey);
		for (i = 0; i < st->c.npend; i++)
			if (st->c.pend[i].result_key == ckey)
				st->c.pend[i].result_key = lkey;
		state_drop_fact(st, lkey);
		/* "err < 0" tested before said nothing of the new value */
		set_flag_tests(fn, st, lt, false, false);
		if (canon_is_error_call(fn, r))
			cv = value_of_signs(SIGN_NEG);
		else if (irq_of_held_vector(w, r))
			cv = value_of_signs(SIGN_ZERO | SIGN_POS);
		if (!value_is_any(&cv)) {
			state_keep_value(fn, lkey);
			state_put_fact(fn, st, lkey, &cv, FACT_WRITTEN);
		}
		if (field)
			fields_write(fn, st, field, &cv);
		free(field);
		return;
	}
	state_settle_for_key(fn, st, lkey);
	set_flag_tests(fn, st, lt, ast_eval_int(r, &v) && v == 0, false);
	if (ast_eval_int(r, &v)) {
		struct value cv = value_of(v);
		if (key_in(fn->flag_vars, fn->nflag_vars, lkey))
			state_put_fact(fn, st, lkey, &cv, FACT_WRITTEN);
		else
			state_set_fact(fn, st, lkey,
				       v < 0	? SIGN_NEG
				       : v == 0 ? SIGN_ZERO
						: SIGN_POS);
		if (field)
			fields_write(fn, st, field, &cv);
		free(field);
		return;
	}
	{
		char *rt = canon_text(fn, r);
		struct value rv =
		    expr_known_value(fn, st, key_intern(fn, rt), r);
		free(rt);
		state_set_fact(fn, st, lkey, rv.signs);
		if (field)
			fields_write(fn, st, field, &rv);
		free(field);
	}
}

static void assign(struct walk *w, CXCursor lhs, CXCursor rhs)
{
	char *lt = canon_text(w->fn, lhs);

	assign_to(w, lt, lhs, rhs);
	free(lt);
}

/* "flags |= F" makes "flags & F" true, "flags &= ~F" makes it false; the
 * key is the text a condition "if (flags & F)" has. Returns -1 when the
 * operator is neither. */
int32_t expr_flag_test_key(struct fn_ctx *fn, CXCursor op, CXCursor lhs,
			   CXCursor rhs, uint8_t *signs)
{
	const char *o = cfg_operator(&fn->tu->cfg_env, op);
	char *l, *r, *text;
	const char *bits;
	int32_t key;

	if (!strcmp(o, "|="))
		*signs = SIGN_NEG | SIGN_POS;
	else if (!strcmp(o, "&="))
		*signs = SIGN_ZERO;
	else
		return -1;
	l = canon_text(fn, lhs);
	r = canon_text(fn, rhs);
	bits = r;
	if (*signs == SIGN_ZERO) {
		if (r[0] != '~') {
			free(l);
			free(r);
			return -1;
		}
		bits = r + 1;
	}
	text = xasprintf("%s&%s", l, bits);
	key = key_intern(fn, text);
	free(text);
	free(l);
	free(r);
	return key;
}

static void assign_flag_bits(struct walk *w, CXCursor op, CXCursor lhs,
			     CXCursor rhs)
{
	uint8_t signs;
	int32_t key = expr_flag_test_key(w->fn, op, lhs, rhs, &signs);

	if (key >= 0)
		state_set_fact(w->fn, w->st, key, signs);
}

/* "field |= M", "field &= ~M", "field++" and the like: the field of the
 * driver's state changes where it is. */
static void write_field_in_place(struct walk *w, CXCursor c,
				 enum CXCursorKind k, CXCursor *kids, size_t n)
{
	const char *op = cfg_operator(&w->fn->tu->cfg_env, c);
	bool compound = k == CXCursor_CompoundAssignOperator;
	char *field;
	long long m;

	if (!compound && strcmp(op, "++") && strcmp(op, "--"))
		return; /* !x, &x, *p, -x read it */
	field = field_written(w->fn, kids[0]);
	if (!field)
		return;
	if (compound && n == 2 && !strcmp(op, "|=") &&
	    ast_eval_int(kids[1], &m))
		fields_write_bits(w->fn, w->st, field, (unsigned long long)m,
				  true);
	else if (compound && n == 2 && !strcmp(op, "&=") &&
		 ast_eval_int(kids[1], &m))
		fields_write_bits(w->fn, w->st, field, ~(unsigned long long)m,
				  false);
	else {
		struct value any = value_any();
		fields_write(w->fn, w->st, field, &any);
	}
	free(field);
}

/* The value of "i++", "--i", "i += 2" and the like from the value i had:
 * exact while it stays within -1..1 (a loop's first rounds), then only
 * its signs; value_any() for other operators, and for "!i", "&i", "*p",
 * which do not change it (their caller drops nothing then: see below). */
static struct value stepped(struct state *st, int32_t key, CXCursor c,
			    enum CXCursorKind k, CXCursor *kids, size_t n,
			    struct cfg_env *env)
{
	const char *op = cfg_operator(env, c);
	struct value v = state_value(st, key), none = value_any();
	long long by, now;

	if (k == CXCursor_UnaryOperator && !strcmp(op, "++"))
		by = 1;
	else if (k == CXCursor_UnaryOperator && !strcmp(op, "--"))
		by = -1;
	else if (k == CXCursor_CompoundAssignOperator && n == 2 &&
		 (!strcmp(op, "+=") || !strcmp(op, "-=")) &&
		 ast_eval_int(kids[1], &by))
		by = op[0] == '-' ? -by : by;
	else
		return none;
	if (v.has_eq || v.signs == SIGN_ZERO) {
		now = (v.has_eq ? v.eq : 0) + by;
		if (now >= -1 && now <= 1)
			return value_of(now);
		return value_of_signs(now > 0 ? SIGN_POS : SIGN_NEG);
	}
	if (by > 0 && !(v.signs & SIGN_NEG))
		return value_of_signs(SIGN_POS);
	if (by < 0 && !(v.signs & SIGN_POS))
		return value_of_signs(SIGN_NEG);
	/* one step towards zero cannot pass it: "--i >= 0" holds once more
	 * for an i known positive (an unwind loop after i requests) */
	if (by == -1 && v.signs == SIGN_POS)
		return value_of_signs(SIGN_ZERO | SIGN_POS);
	if (by == 1 && v.signs == SIGN_NEG)
		return value_of_signs(SIGN_NEG | SIGN_ZERO);
	return none;
}

static void eval_children(struct walk *w, CXCursor c)
{
	CXCursor *kids;
	size_t n = ast_children(c, &kids), i;

	for (i = 0; i < n; i++)
		expr_eval(w, kids[i]);
	free(kids);
}

void expr_eval(struct walk *w, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor *kids;
	size_t n;

	switch (k) {
	case CXCursor_StmtExpr:
		return; /* laid out by the CFG */
	case CXCursor_BinaryOperator: {
		const char *op = cfg_operator(&w->fn->tu->cfg_env, c);
		n = ast_children(c, &kids);
		if (n == 2 && !strcmp(op, "=")) {
			expr_eval(w, kids[1]);
			assign(w, kids[0], kids[1]);
			note_zeroed(w, clang_getCursorType(kids[0]), kids[1]);
		} else if (n == 2 && (!strcmp(op, "&&") || !strcmp(op, "||"))) {
			expr_eval(w, kids[0]); /* the right side may not run */
		} else {
			size_t i;
			for (i = 0; i < n; i++)
				expr_eval(w, kids[i]);
		}
		free(kids);
		return;
	}
	case CXCursor_ConditionalOperator: {
		long long v;
		n = ast_children(c, &kids);
		if (n == 3 && ast_eval_int(kids[0], &v))
			expr_eval(w,
				  kids[v ? 1 : 2]); /* folded at compile time */
		else if (n)
			expr_eval(w, kids[0]); /* the arms may not run */
		free(kids);
		return;
	}
	case CXCursor_CompoundAssignOperator:
	case CXCursor_UnaryOperator:
		eval_children(w, c);
		n = ast_children(c, &kids);
		if (n) {
			char *t = canon_text(w->fn, kids[0]);
			int32_t key = key_intern(w->fn, t);
			struct value after = stepped(w->st, key, c, k, kids, n,
						     &w->fn->tu->cfg_env);
			state_drop_fact(w->st, key);
			if (!value_is_any(&after))
				state_put_fact(w->fn, w->st, key, &after,
					       FACT_WRITTEN);
			/* i++ also changes what "i < n" said; flags |= BIT
			 * leaves the other bits' tests as they were */
			const char *op =
			    k == CXCursor_CompoundAssignOperator
				? cfg_operator(&w->fn->tu->cfg_env, c)
				: "";
			set_flag_tests(w->fn, w->st, t, false,
				       !strcmp(op, "|=") || !strcmp(op, "&="));
			free(t);
		}
		if (n == 2 && k == CXCursor_CompoundAssignOperator)
			assign_flag_bits(w, c, kids[0], kids[1]);
		if (n)
			write_field_in_place(w, c, k, kids, n);
		free(kids);
		return;
	case CXCursor_VarDecl:
		/* "int ret = x" is "ret = x" */
		n = ast_children(c, &kids);
		if (n && clang_isExpression(clang_getCursorKind(kids[n - 1]))) {
			CXString name = clang_getCursorSpelling(c);
			char *lt = xstrdup(clang_getCString(name));
			clang_disposeString(name);
			expr_eval(w, kids[n - 1]);
			assign_to(w, lt, clang_getNullCursor(), kids[n - 1]);
			note_zeroed(w, clang_getCursorType(c), kids[n - 1]);
			free(lt);
		}
		free(kids);
		return;
	case CXCursor_CallExpr:
		eval_children(w, c);
		calls_handle(w, c);
		return;
	default:
		eval_children(w, c);
		return;
	}
}
