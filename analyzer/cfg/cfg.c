/* Builds a function's control-flow graph backwards from its last statement:
 * each statement is built knowing the node that follows it. Labels are
 * placeholders so that gotos in either direction resolve. */
#include "cfg.h"
#include "ast.h"

#include <stdlib.h>
#include <string.h>

struct label {
	char *name;
	int node;
};

struct switch_ctx {
	int *cases;
	long long *values;
	uint8_t *kinds; /* enum cfg_case_kind of each case */
	size_t ncases, cap, nvalues, cap_values, nkinds, cap_kinds;
	bool has_default;
};

struct builder {
	struct cfg_env *env;
	struct cfg *cfg;
	struct label *labels;
	size_t nlabels, cap_labels;
	struct switch_ctx *sw; /* innermost switch, or NULL */
};

static int new_node(struct builder *b, enum cfg_kind kind, CXCursor expr)
{
	struct cfg_node n = { .kind = kind, .expr = expr };
	ARRAY_PUSH(b->cfg->nodes, b->cfg->n, b->cfg->cap, n);
	return (int)b->cfg->n - 1;
}

static void add_succ(struct builder *b, int from, int to)
{
	struct cfg_node *n = &b->cfg->nodes[from];
	ARRAY_PUSH(n->succ, n->nsucc, n->cap_succ, to);
}

static int label_node(struct builder *b, const char *name)
{
	size_t i;
	struct label l;

	for (i = 0; i < b->nlabels; i++)
		if (!strcmp(b->labels[i].name, name))
			return b->labels[i].node;
	l.name = xstrdup(name);
	l.node = new_node(b, CFG_NOP, clang_getNullCursor());
	b->cfg->nodes[l.node].is_label = true;
	ARRAY_PUSH(b->labels, b->nlabels, b->cap_labels, l);
	return l.node;
}

void cfg_env_init(struct cfg_env *env, CXTranslationUnit tu,
		  const struct ruleset *rules, struct arena *arena)
{
	memset(env, 0, sizeof(*env));
	env->tu = tu;
	env->rules = rules;
	env->arena = arena;
	env->cache_cap = 4096;
	if (!hcreate_r(env->cache_cap, &env->noreturn_cache))
		env->cache_cap = 0;
}

void cfg_env_release(struct cfg_env *env)
{
	if (env->cache_cap)
		hdestroy_r(&env->noreturn_cache);
	env->cache_cap = 0;
	free(env->operators);
	env->operators = NULL;
	env->noperators = env->cap_operators = 0;
}

static struct cached_operator *operator_slot(struct cached_operator *table,
					     size_t cap, CXCursor c)
{
	size_t i = clang_hashCursor(c) & (cap - 1);

	while (table[i].op && !clang_equalCursors(table[i].cursor, c))
		i = (i + 1) & (cap - 1);
	return &table[i];
}

const char *cfg_operator(struct cfg_env *env, CXCursor c)
{
	struct cached_operator *slot;
	size_t i;

	if (env->noperators * 2 >= env->cap_operators) {
		size_t cap = env->cap_operators ? env->cap_operators * 2 : 1024;
		struct cached_operator *table = xcalloc(cap, sizeof(*table));
		for (i = 0; i < env->cap_operators; i++)
			if (env->operators[i].op)
				*operator_slot(table, cap,
					       env->operators[i].cursor) =
					env->operators[i];
		free(env->operators);
		env->operators = table;
		env->cap_operators = cap;
	}
	slot = operator_slot(env->operators, env->cap_operators, c);
	if (!slot->op) {
		slot->cursor = c;
		slot->op = ast_operator(env->tu, c);
		env->noperators++;
	}
	return slot->op;
}

bool cfg_call_is_noreturn(struct cfg_env *env, CXCursor call)
{
	static char yes, no;
	char *name = ast_call_name(call);
	const struct api_entry *api;
	ENTRY item, *found = NULL;
	bool result;

	if (!*name) {
		free(name);
		return false;
	}
	api = ruleset_lookup(env->rules, name);
	if (api) {
		result = api->role == ROLE_NORETURN;
		free(name);
		return result;
	}
	item.key = hsearch_key(name);
	free(name);
	name = item.key;
	if (env->cache_cap &&
	    hsearch_r(item, FIND, &found, &env->noreturn_cache)) {
		free(name);
		return found->data == &yes;
	}
	result = ast_decl_is_noreturn(clang_getCursorReferenced(call));
	if (env->cache_cap && env->cache_used < env->cache_cap * 3 / 4) {
		item.key = arena_strdup(env->arena, name);
		item.data = result ? &yes : &no;
		if (hsearch_r(item, ENTER, &found, &env->noreturn_cache))
			env->cache_used++;
	}
	free(name);
	return result;
}

struct call_walk {
	cfg_call_cb cb;
	void *data;
	bool stop;
};

static enum CXChildVisitResult walk_calls(CXCursor c, CXCursor parent,
					  CXClientData data)
{
	struct call_walk *w = data;
	enum CXCursorKind k = clang_getCursorKind(c);

	if (w->stop)
		return CXChildVisit_Break;
	if (k == CXCursor_StmtExpr)
		return CXChildVisit_Continue;
	clang_visitChildren(c, walk_calls, w);
	if (w->stop)
		return CXChildVisit_Break;
	if (k == CXCursor_CallExpr && !w->cb(c, w->data))
		w->stop = true;
	return w->stop ? CXChildVisit_Break : CXChildVisit_Continue;
}

void cfg_visit_calls(CXCursor expr, cfg_call_cb cb, void *data)
{
	struct call_walk w = { cb, data, false };
	enum CXCursorKind k = clang_getCursorKind(expr);

	if (k == CXCursor_StmtExpr)
		return;
	clang_visitChildren(expr, walk_calls, &w);
	if (!w.stop && k == CXCursor_CallExpr)
		cb(expr, data);
}

struct stmt_expr_list {
	CXCursor *items;
	size_t len, cap;
};

static enum CXChildVisitResult find_stmt_exprs(CXCursor c, CXCursor parent,
					       CXClientData data)
{
	struct stmt_expr_list *l = data;

	if (clang_getCursorKind(c) == CXCursor_StmtExpr) {
		ARRAY_PUSH(l->items, l->len, l->cap, c);
		return CXChildVisit_Continue;
	}
	return CXChildVisit_Recurse;
}

static int build_stmt(struct builder *b, CXCursor s, int next, int brk,
		      int cont);

/* Lays out the statement expressions inside expr before node. */
static int prepend_stmt_exprs(struct builder *b, CXCursor expr, int node)
{
	struct stmt_expr_list l = { 0 };
	size_t i;

	if (clang_Cursor_isNull(expr))
		return node;
	if (clang_getCursorKind(expr) == CXCursor_StmtExpr)
		ARRAY_PUSH(l.items, l.len, l.cap, expr);
	else
		clang_visitChildren(expr, find_stmt_exprs, &l);
	for (i = l.len; i-- > 0;) {
		CXCursor body = ast_only_child(l.items[i]);
		if (!clang_Cursor_isNull(body))
			node = build_stmt(b, body, node, -1, -1);
	}
	free(l.items);
	return node;
}

static bool note_noreturn(CXCursor call, void *data)
{
	struct builder *b = ((void **)data)[0];
	bool *found = ((void **)data)[1];

	if (cfg_call_is_noreturn(b->env, call)) {
		*found = true;
		return false;
	}
	return true;
}

static int build_expr(struct builder *b, CXCursor e, int next)
{
	bool noreturn = false;
	void *args[2] = { b, &noreturn };
	int node;

	cfg_visit_calls(e, note_noreturn, args);
	if (noreturn) {
		node = new_node(b, CFG_NORETURN, e);
	} else {
		node = new_node(b, CFG_STMT, e);
		add_succ(b, node, next);
	}
	return prepend_stmt_exprs(b, e, node);
}

/* The value likely()/unlikely() test: the kernel's macros pass
 * "!!(x)" to __builtin_expect(). Written inside the macro's body, the
 * two operators cannot be read from the tokens of the macro's use, so a
 * double unary operator there whose operators do not show is taken for
 * the "!!" it always is, and x is tested. */
static CXCursor expected_truth(struct builder *b, CXCursor arg)
{
	CXCursor outer = ast_strip(arg), inner;

	if (clang_getCursorKind(outer) != CXCursor_UnaryOperator ||
	    *cfg_operator(b->env, outer))
		return arg;
	inner = ast_strip(ast_only_child(outer));
	if (clang_getCursorKind(inner) != CXCursor_UnaryOperator ||
	    *cfg_operator(b->env, inner))
		return arg;
	return ast_only_child(inner);
}

static int build_cond(struct builder *b, CXCursor e, int t, int f)
{
	CXCursor s = ast_strip(e), *kids = NULL;
	enum CXCursorKind k = clang_getCursorKind(s);
	size_t n;
	long long v;
	int node;

	if (ast_eval_int(s, &v))
		return v ? t : f;
	n = ast_children(s, &kids);
	if ((k == CXCursor_BinaryOperator) && n == 2) {
		const char *op = cfg_operator(b->env, s);
		if (!strcmp(op, "&&")) {
			node = build_cond(b, kids[0],
					  build_cond(b, kids[1], t, f), f);
			goto out;
		}
		if (!strcmp(op, "||")) {
			node = build_cond(b, kids[0], t,
					  build_cond(b, kids[1], t, f));
			goto out;
		}
		if (!strcmp(op, ",")) {
			node = build_expr(b, kids[0],
					  build_cond(b, kids[1], t, f));
			goto out;
		}
	} else if (k == CXCursor_UnaryOperator && n == 1 &&
		   !strcmp(cfg_operator(b->env, s), "!")) {
		node = build_cond(b, kids[0], f, t);
		goto out;
	} else if (k == CXCursor_ConditionalOperator && n == 3) {
		node = build_cond(b, kids[0], build_cond(b, kids[1], t, f),
				  build_cond(b, kids[2], t, f));
		goto out;
	} else if (k == CXCursor_CallExpr && n >= 2) {
		char *name = ast_call_name(s);
		bool expect = !strcmp(name, "__builtin_expect");
		free(name);
		if (expect) {
			node = build_cond(b, expected_truth(b, kids[1]), t, f);
			goto out;
		}
	}
	{
		bool noreturn = false;
		void *args[2] = { b, &noreturn };
		cfg_visit_calls(s, note_noreturn, args);
		if (noreturn) {
			node = new_node(b, CFG_NORETURN, s);
		} else {
			node = new_node(b, CFG_COND, s);
			add_succ(b, node, t);
			add_succ(b, node, f);
		}
		node = prepend_stmt_exprs(b, s, node);
	}
out:
	free(kids);
	return node;
}

static bool is_assignment(struct builder *b, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);

	if (k == CXCursor_DeclStmt || k == CXCursor_CompoundAssignOperator)
		return true;
	return k == CXCursor_BinaryOperator &&
	       !strcmp(cfg_operator(b->env, c), "=");
}

static bool is_increment(struct builder *b, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	const char *op;

	if (k == CXCursor_CompoundAssignOperator)
		return true;
	op = cfg_operator(b->env, c);
	if (k == CXCursor_UnaryOperator)
		return !strcmp(op, "++") || !strcmp(op, "--");
	return k == CXCursor_BinaryOperator &&
	       (!strcmp(op, "=") || !strcmp(op, ","));
}

static int build_for(struct builder *b, CXCursor s, int next)
{
	CXCursor *kids, init, cond, inc, none = clang_getNullCursor();
	size_t n = ast_children(s, &kids);
	int head, inc_node, body, cond_entry;

	init = cond = inc = none;
	if (n == 4) {
		init = kids[0], cond = kids[1], inc = kids[2];
	} else if (n == 3) {
		if (is_assignment(b, kids[0])) {
			init = kids[0];
			if (is_increment(b, kids[1]))
				inc = kids[1];
			else
				cond = kids[1];
		} else {
			cond = kids[0], inc = kids[1];
		}
	} else if (n == 2) {
		if (is_increment(b, kids[0]) &&
		    clang_getCursorKind(kids[0]) != CXCursor_BinaryOperator)
			inc = kids[0];
		else if (is_assignment(b, kids[0]))
			init = kids[0];
		else
			cond = kids[0];
	}
	if (n == 0) {
		free(kids);
		return next;
	}
	head = new_node(b, CFG_NOP, none);
	inc_node = clang_Cursor_isNull(inc) ? head : build_expr(b, inc, head);
	body = build_stmt(b, kids[n - 1], inc_node, next, inc_node);
	cond_entry = clang_Cursor_isNull(cond) ? body
					       : build_cond(b, cond, body, next);
	add_succ(b, head, cond_entry);
	free(kids);
	return clang_Cursor_isNull(init) ? head : build_stmt(b, init, head, -1, -1);
}

static int build_switch(struct builder *b, CXCursor s, int next, int cont)
{
	CXCursor *kids;
	size_t n = ast_children(s, &kids), i;
	struct switch_ctx ctx = { 0 }, *outer = b->sw;
	int node;

	if (n < 2) {
		free(kids);
		return next;
	}
	b->sw = &ctx;
	build_stmt(b, kids[n - 1], next, next, cont);
	b->sw = outer;
	node = new_node(b, CFG_SWITCH, kids[n - 2]);
	for (i = 0; i < ctx.ncases; i++)
		add_succ(b, node, ctx.cases[i]);
	if (!ctx.has_default) {
		long long none = 0;
		uint8_t deflt = CFG_CASE_DEFAULT;
		add_succ(b, node, next);
		ARRAY_PUSH(ctx.values, ctx.nvalues, ctx.cap_values, none);
		ARRAY_PUSH(ctx.kinds, ctx.nkinds, ctx.cap_kinds, deflt);
	}
	/* the successors' values, in the order of succ[] */
	b->cfg->nodes[node].case_value = ctx.values;
	b->cfg->nodes[node].case_kind = ctx.kinds;
	free(ctx.cases);
	node = prepend_stmt_exprs(b, kids[n - 2], node);
	free(kids);
	return node;
}

/* brk/cont: targets of break and continue; -1 when not in a loop. */
static int build_stmt(struct builder *b, CXCursor s, int next, int brk,
		      int cont)
{
	enum CXCursorKind k = clang_getCursorKind(s);
	CXCursor *kids = NULL;
	size_t n;
	int node = next;

	switch (k) {
	case CXCursor_CompoundStmt:
		n = ast_children(s, &kids);
		while (n-- > 0)
			node = build_stmt(b, kids[n], node, brk, cont);
		break;
	case CXCursor_IfStmt:
		n = ast_children(s, &kids);
		if (n >= 2) {
			int t = build_stmt(b, kids[1], next, brk, cont);
			int f = n >= 3 ? build_stmt(b, kids[2], next, brk, cont)
				       : next;
			node = build_cond(b, kids[0], t, f);
		}
		break;
	case CXCursor_WhileStmt:
		n = ast_children(s, &kids);
		if (n == 2) {
			int head = new_node(b, CFG_NOP, clang_getNullCursor());
			int body = build_stmt(b, kids[1], head, next, head);
			add_succ(b, head, build_cond(b, kids[0], body, next));
			node = head;
		}
		break;
	case CXCursor_DoStmt:
		n = ast_children(s, &kids);
		if (n == 2) {
			int head = new_node(b, CFG_NOP, clang_getNullCursor());
			int body = build_stmt(b, kids[0], head, next, head);
			add_succ(b, head, build_cond(b, kids[1], body, next));
			node = body;
		}
		break;
	case CXCursor_ForStmt:
		node = build_for(b, s, next);
		break;
	case CXCursor_SwitchStmt: {
		struct switch_ctx *sw_saved = b->sw;
		node = build_switch(b, s, next, cont);
		b->sw = sw_saved;
		break;
	}
	case CXCursor_CaseStmt:
	case CXCursor_DefaultStmt:
		n = ast_children(s, &kids);
		node = n ? build_stmt(b, kids[n - 1], next, brk, cont) : next;
		if (b->sw) {
			struct switch_ctx *sw = b->sw;
			long long value = 0;
			uint8_t kind = CFG_CASE_DEFAULT;
			if (k == CXCursor_CaseStmt)
				kind = n == 2 && ast_eval_int(kids[0], &value)
					   ? CFG_CASE_VALUE
					   : CFG_CASE_UNKNOWN;
			ARRAY_PUSH(sw->values, sw->nvalues, sw->cap_values,
				   value);
			ARRAY_PUSH(sw->kinds, sw->nkinds, sw->cap_kinds, kind);
			ARRAY_PUSH(sw->cases, sw->ncases, sw->cap, node);
			if (k == CXCursor_DefaultStmt)
				sw->has_default = true;
		}
		break;
	case CXCursor_LabelStmt: {
		CXString name = clang_getCursorSpelling(s);
		int label = label_node(b, clang_getCString(name));
		clang_disposeString(name);
		n = ast_children(s, &kids);
		add_succ(b, label, n ? build_stmt(b, kids[n - 1], next, brk, cont)
				     : next);
		node = label;
		break;
	}
	case CXCursor_GotoStmt: {
		CXCursor target = clang_getCursorReferenced(s);
		CXString name = clang_getCursorSpelling(target);
		node = label_node(b, clang_getCString(name));
		clang_disposeString(name);
		break;
	}
	case CXCursor_IndirectGotoStmt:
		node = new_node(b, CFG_NORETURN, s);
		break;
	case CXCursor_BreakStmt:
		node = brk >= 0 ? brk : next;
		break;
	case CXCursor_ContinueStmt:
		node = cont >= 0 ? cont : next;
		break;
	case CXCursor_ReturnStmt:
		node = new_node(b, CFG_RETURN, s);
		node = prepend_stmt_exprs(b, ast_only_child(s), node);
		break;
	case CXCursor_NullStmt:
	case CXCursor_GCCAsmStmt:
		break;
	default:
		if (clang_isExpression(k) || k == CXCursor_DeclStmt)
			node = build_expr(b, s, next);
		break;
	}
	free(kids);
	return node;
}

struct cfg *cfg_build(struct cfg_env *env, CXCursor body)
{
	struct builder b = { .env = env };
	size_t i;

	b.cfg = xcalloc(1, sizeof(*b.cfg));
	b.cfg->exit = new_node(&b, CFG_EXIT, clang_getNullCursor());
	b.cfg->entry = build_stmt(&b, body, b.cfg->exit, -1, -1);
	for (i = 0; i < b.nlabels; i++) {
		/* A goto to a label that was never defined ends its path. */
		if (!b.cfg->nodes[b.labels[i].node].nsucc)
			b.cfg->nodes[b.labels[i].node].kind = CFG_NORETURN;
		free(b.labels[i].name);
	}
	free(b.labels);
	return b.cfg;
}

void cfg_free(struct cfg *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->n; i++) {
		free(cfg->nodes[i].succ);
		free(cfg->nodes[i].case_value);
		free(cfg->nodes[i].case_kind);
	}
	free(cfg->nodes);
	free(cfg);
}
