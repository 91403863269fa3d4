/* Frees that cannot free what the function requested, found before the
 * walk, syntactically; the walk reports such a free on a path where a
 * handler is attached, or that went through the request (handlers.c).
 *
 * Unwind loops that free by the wrong index. A request loop names the irq
 * and the dev_id by one variable, "request_irq(pci_irq_vector(pdev, i),
 * h, 0, name, &q[i])"; its unwind runs over another variable and must
 * name both by that one. When the unwind names one of them by the loop's
 * variable and the other by a variable the loop never changes
 * ("for (j = i - 1; j >= 0; j--) free_irq(pci_irq_vector(pdev, i),
 * &q[j])"), every round frees the same irq, or passes a dev_id that no
 * handler on that irq was requested with: the handlers stay attached.
 *
 * A dev_id of another type. free_irq(irq_num, &vsi->q_vectors[v]) after
 * request_irq(irq_num, h, 0, name, q_vector): every request of the
 * function on an irq named the same way passed a pointer to another type
 * than the free does, so the free pairs none of them. This catches the
 * irqs the walk cannot tie to a vector (a number read from a field
 * another file filled). */
#include "engine/walk.h"
#include "ast.h"
#include "cfg/cfg.h"

#include <stdlib.h>
#include <string.h>

/* A loop around the place being visited: the variables it writes. */
struct loop_scope {
	const struct loop_scope *outer;
	struct strvec written;
};

/* A handler request of the function, read once: the variables its irq
 * and dev_id arguments index by, their shapes, its dev_id's type. */
struct request_info {
	CXCursor call;
	unsigned line;
	bool one_index;	  /* the irq and the dev_id share an index */
	char *irq_shape;  /* the irq, its own indexes as "$" */
	char *irq_both;	  /* the irq, both arguments' indexes as "$" */
	char *devid_both; /* the dev_id, likewise */
	char *devid_type; /* handlers_devid_type_text(), NULL unknown */
};

struct misindex_walk {
	struct fn_ctx *fn;
	const struct loop_scope *loop;
	struct request_info *requests;
	size_t nrequests, cap_requests;
};

static const struct api_entry *handler_api(struct fn_ctx *fn, CXCursor call,
					   enum api_role role)
{
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);

	free(name);
	if (!api || api->role != role || api->devid_arg < 0 ||
	    api->devid_arg >= clang_Cursor_getNumArguments(call))
		return NULL;
	return api;
}

/* The argument naming the irq: irq=, or vec= (pci_request_irq()). */
static CXCursor irq_argument(CXCursor call, const struct api_entry *api)
{
	int arg = api->irq_arg >= 0 ? api->irq_arg : api->vec_arg;

	if (arg < 0 || arg >= clang_Cursor_getNumArguments(call))
		return clang_getNullCursor();
	return clang_Cursor_getArgument(call, (unsigned)arg);
}

/* The variable a (stripped) expression names, or NULL. Caller frees. */
static char *variable_name(CXCursor c)
{
	CXCursor ref;

	c = ast_strip(c);
	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
		return NULL;
	ref = clang_getCursorReferenced(c);
	if (clang_getCursorKind(ref) != CXCursor_VarDecl &&
	    clang_getCursorKind(ref) != CXCursor_ParmDecl)
		return NULL;
	return ast_spelling(c);
}

static enum CXChildVisitResult collect_variables(CXCursor c, CXCursor parent,
						 CXClientData data)
{
	char *name = variable_name(c);

	(void)parent;
	if (name && !strvec_has(data, name))
		strvec_push(data, name);
	free(name);
	return CXChildVisit_Recurse;
}

struct index_search {
	struct fn_ctx *fn;
	struct strvec *out;
};

/* Variables in index places: a subscript's index, the vector argument of
 * an irqvec call (pci_irq_vector(pdev, i)). */
static enum CXChildVisitResult collect_indexes(CXCursor c, CXCursor parent,
					       CXClientData data)
{
	struct index_search *is = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor *kids = NULL;

	(void)parent;
	if (k == CXCursor_ArraySubscriptExpr && ast_children(c, &kids) == 2) {
		collect_variables(kids[1], c, is->out);
		clang_visitChildren(kids[1], collect_variables, is->out);
	} else if (k == CXCursor_CallExpr) {
		char *name = ast_call_name(c);
		const struct api_entry *api =
		    ruleset_lookup(is->fn->tu->rules, name);
		free(name);
		if (api && api->role == ROLE_IRQVEC && api->vec_arg >= 0 &&
		    api->vec_arg < clang_Cursor_getNumArguments(c)) {
			CXCursor v =
			    clang_Cursor_getArgument(c, (unsigned)api->vec_arg);
			collect_variables(v, c, is->out);
			clang_visitChildren(v, collect_variables, is->out);
		}
	}
	free(kids);
	return CXChildVisit_Recurse;
}

/* The variables an argument indexes by; the irq argument of
 * pci_request_irq()/pci_free_irq() is itself an index. */
static void argument_indexes(struct fn_ctx *fn, CXCursor arg, bool is_index,
			     struct strvec *out)
{
	struct index_search is = {fn, out};

	if (clang_Cursor_isNull(arg))
		return;
	if (is_index)
		collect_variables(arg, arg, out);
	collect_indexes(arg, arg, &is);
	clang_visitChildren(arg, collect_indexes, &is);
}

/* The argument's tokens, with the index variables `vars` as "$": the
 * same place named by another index reads the same. Caller frees. */
static char *argument_shape(struct fn_ctx *fn, CXCursor arg,
			    const struct strvec *vars)
{
	struct ast_token *toks = NULL;
	size_t n = ast_tokens(fn->tu->tu, arg, &toks), i;
	struct strbuf sb;

	sb_init(&sb);
	for (i = 0; i < n; i++) {
		bool index = toks[i].kind == CXToken_Identifier &&
			     strvec_has(vars, toks[i].text);
		sb_addf(&sb, "%s ", index ? "$" : toks[i].text);
	}
	ast_tokens_free(toks, n);
	return sb_detach(&sb);
}

/* Variables a loop writes: assigned, incremented or decremented anywhere
 * in it (its init, condition, step and body). */
static enum CXChildVisitResult collect_written(CXCursor c, CXCursor parent,
					       CXClientData data)
{
	struct misindex_walk *mw = ((void **)data)[0];
	struct strvec *out = ((void **)data)[1];
	enum CXCursorKind k = clang_getCursorKind(c);
	const char *op;
	CXCursor *kids = NULL;
	size_t n;

	(void)parent;
	if (k != CXCursor_BinaryOperator && k != CXCursor_UnaryOperator &&
	    k != CXCursor_CompoundAssignOperator)
		return CXChildVisit_Recurse;
	op = cfg_operator(&mw->fn->tu->cfg_env, c);
	n = ast_children(c, &kids);
	if (n >= 1 && (k == CXCursor_CompoundAssignOperator ||
		       (k == CXCursor_BinaryOperator && !strcmp(op, "=")) ||
		       (k == CXCursor_UnaryOperator &&
			(!strcmp(op, "++") || !strcmp(op, "--"))))) {
		char *name = variable_name(kids[0]);
		if (name && !strvec_has(out, name))
			strvec_push(out, name);
		free(name);
	}
	free(kids);
	return CXChildVisit_Recurse;
}

static bool written_in_loops(const struct loop_scope *loop, const char *var)
{
	for (; loop; loop = loop->outer)
		if (strvec_has(&loop->written, var))
			return true;
	return false;
}

/* A variable of `of` that the loops around never change and `not` does
 * not hold, or NULL. */
static const char *fixed_index(const struct loop_scope *loop,
			       const struct strvec *of,
			       const struct strvec * not )
{
	size_t i;

	for (i = 0; i < of->n; i++)
		if (!strvec_has(not, of->v[i]) &&
		    !written_in_loops(loop, of->v[i]))
			return of->v[i];
	return NULL;
}

/* A variable of `of` that the innermost loop changes and `not` does not
 * hold, or NULL. */
static const char *loop_index(const struct loop_scope *loop,
			      const struct strvec *of,
			      const struct strvec * not )
{
	size_t i;

	for (i = 0; i < of->n; i++)
		if (!strvec_has(not, of->v[i]) &&
		    strvec_has(&loop->written, of->v[i]))
			return of->v[i];
	return NULL;
}

static bool shares_variable(const struct strvec *a, const struct strvec *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strvec_has(b, a->v[i]))
			return true;
	return false;
}

/* A request of the function that names the same irq and dev_id as the
 * free's (shapes with the index variables as "$") by one variable; its
 * line, or 0. */
static unsigned matching_request(const struct misindex_walk *mw,
				 const char *irq, const char *devid)
{
	size_t r;

	for (r = 0; r < mw->nrequests; r++) {
		const struct request_info *ri = &mw->requests[r];
		if (ri->one_index && !strcmp(ri->irq_both, irq) &&
		    !strcmp(ri->devid_both, devid))
			return ri->line;
	}
	return 0;
}

/* Judges a free inside mw->loop. */
static void judge_free(struct misindex_walk *mw, CXCursor call,
		       const struct api_entry *api)
{
	CXCursor ia = irq_argument(call, api),
		 da = clang_Cursor_getArgument(call, (unsigned)api->devid_arg);
	struct strvec ii = {0}, di = {0}, both = {0};
	const char *loop_var = NULL, *fixed = NULL, *what = NULL;
	char *is, *ds;
	unsigned line;

	argument_indexes(mw->fn, ia, api->irq_arg < 0, &ii);
	argument_indexes(mw->fn, da, false, &di);
	if ((loop_var = loop_index(mw->loop, &ii, &di)) &&
	    (fixed = fixed_index(mw->loop, &di, &ii)))
		what = "the dev_id";
	else if ((loop_var = loop_index(mw->loop, &di, &ii)) &&
		 (fixed = fixed_index(mw->loop, &ii, &di)))
		what = "the irq";
	if (what) {
		strvec_push(&both, loop_var);
		strvec_push(&both, fixed);
		is = argument_shape(mw->fn, ia, &both);
		ds = argument_shape(mw->fn, da, &both);
		line = matching_request(mw, is, ds);
		if (line) {
			struct misindexed_free m = {.call = call};
			m.why = xasprintf("the loop runs over %s but names %s "
					  "by %s, which it never changes (the "
					  "request at line %u names the irq "
					  "and the dev_id by one index)",
					  loop_var, what, fixed, line);
			ARRAY_PUSH(mw->fn->misindexed, mw->fn->nmisindexed,
				   mw->fn->cap_misindexed, m);
		}
		free(is);
		free(ds);
	}
	strvec_free(&ii);
	strvec_free(&di);
	strvec_free(&both);
}

/* Judges a free's dev_id against the requests of the function: wrong
 * when it can pair none of them and some request is on an irq named the
 * same way (the same tokens, index variables aside). */
static void judge_devid_type(struct misindex_walk *mw, CXCursor call,
			     const struct api_entry *api)
{
	CXCursor ia = irq_argument(call, api),
		 da = clang_Cursor_getArgument(call, (unsigned)api->devid_arg);
	char *free_type = handlers_devid_type_text(da), *free_shape;
	struct strvec idx = {0};
	struct misindexed_free m = {.call = call, .by_type = true};
	const struct request_info *first = NULL;
	size_t r, cap_requests = 0;

	if (!free_type)
		return;
	/* a request on an irq named another way may be the same irq
	 * ("entry->vector" for "entries[v].vector"): any request of the
	 * function it may pair clears it */
	for (r = 0; r < mw->nrequests; r++)
		if (!mw->requests[r].devid_type ||
		    !strcmp(mw->requests[r].devid_type, free_type)) {
			free(free_type);
			return;
		}
	argument_indexes(mw->fn, ia, api->irq_arg < 0, &idx);
	free_shape = argument_shape(mw->fn, ia, &idx);
	strvec_free(&idx);
	for (r = 0; r < mw->nrequests; r++) {
		const struct request_info *ri = &mw->requests[r];
		if (strcmp(ri->irq_shape, free_shape))
			continue;
		if (!first)
			first = ri;
		ARRAY_PUSH(m.requests, m.nrequests, cap_requests, ri->call);
	}
	/* (the path remembers MAX_UNPAIRED of them) */
	if (first && mw->fn->nmisindexed < MAX_UNPAIRED) {
		m.why = xasprintf("its dev_id points to %s where the request "
				  "at line %u passed a pointer to %s",
				  free_type, first->line, first->devid_type);
		ARRAY_PUSH(mw->fn->misindexed, mw->fn->nmisindexed,
			   mw->fn->cap_misindexed, m);
	} else {
		free(m.requests);
	}
	free(free_type);
	free(free_shape);
}

/* Reads a request once (struct request_info). */
static void read_request(struct misindex_walk *mw, CXCursor call,
			 const struct api_entry *api)
{
	CXCursor ia = irq_argument(call, api),
		 da = clang_Cursor_getArgument(call, (unsigned)api->devid_arg);
	struct request_info ri = {.call = call};
	struct strvec ii = {0}, di = {0}, all = {0};
	struct ast_loc loc;
	size_t i;

	argument_indexes(mw->fn, ia, api->irq_arg < 0, &ii);
	argument_indexes(mw->fn, da, false, &di);
	for (i = 0; i < ii.n; i++)
		strvec_push(&all, ii.v[i]);
	for (i = 0; i < di.n; i++)
		if (!strvec_has(&all, di.v[i]))
			strvec_push(&all, di.v[i]);
	ri.one_index = shares_variable(&ii, &di);
	ri.irq_shape = argument_shape(mw->fn, ia, &ii);
	ri.irq_both = argument_shape(mw->fn, ia, &all);
	ri.devid_both = argument_shape(mw->fn, da, &all);
	ri.devid_type = handlers_devid_type_text(da);
	ast_location(call, false, &loc);
	ri.line = loc.line;
	ast_loc_release(&loc);
	strvec_free(&ii);
	strvec_free(&di);
	strvec_free(&all);
	ARRAY_PUSH(mw->requests, mw->nrequests, mw->cap_requests, ri);
}

static enum CXChildVisitResult visit_requests(CXCursor c, CXCursor parent,
					      CXClientData data)
{
	struct misindex_walk *mw = data;

	const struct api_entry *api;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_CallExpr)
		return CXChildVisit_Recurse;
	api = handler_api(mw->fn, c, ROLE_HANDLER);
	if (api && !clang_Cursor_isNull(irq_argument(c, api)))
		read_request(mw, c, api);
	return CXChildVisit_Recurse;
}

static enum CXChildVisitResult visit_frees(CXCursor c, CXCursor parent,
					   CXClientData data)
{
	struct misindex_walk *mw = data;
	enum CXCursorKind k = clang_getCursorKind(c);

	(void)parent;
	if (k == CXCursor_ForStmt || k == CXCursor_WhileStmt ||
	    k == CXCursor_DoStmt) {
		struct loop_scope scope = {mw->loop, {0}};
		void *pair[2] = {mw, &scope.written};
		clang_visitChildren(c, collect_written, pair);
		mw->loop = &scope;
		clang_visitChildren(c, visit_frees, mw);
		mw->loop = scope.outer;
		strvec_free(&scope.written);
		return CXChildVisit_Continue;
	}
	if (k == CXCursor_CallExpr) {
		const struct api_entry *api =
		    handler_api(mw->fn, c, ROLE_HANDLERFREE);
		size_t before = mw->fn->nmisindexed;
		if (api && !clang_Cursor_isNull(irq_argument(c, api))) {
			if (mw->loop)
				judge_free(mw, c, api);
			if (mw->fn->nmisindexed == before)
				judge_devid_type(mw, c, api);
		}
	}
	return CXChildVisit_Recurse;
}

void misindex_release(struct fn_ctx *fn)
{
	size_t i;

	for (i = 0; i < fn->nmisindexed; i++) {
		free(fn->misindexed[i].why);
		free(fn->misindexed[i].requests);
	}
	free(fn->misindexed);
	fn->misindexed = NULL;
	fn->nmisindexed = fn->cap_misindexed = 0;
}

void misindex_find(struct fn_ctx *fn)
{
	struct misindex_walk mw = {.fn = fn};
	size_t r;

	misindex_release(fn);
	clang_visitChildren(fn->cursor, visit_requests, &mw);
	if (mw.nrequests)
		clang_visitChildren(fn->cursor, visit_frees, &mw);
	for (r = 0; r < mw.nrequests; r++) {
		free(mw.requests[r].irq_shape);
		free(mw.requests[r].irq_both);
		free(mw.requests[r].devid_both);
		free(mw.requests[r].devid_type);
	}
	free(mw.requests);
}

struct misindexed_free *misindex_lookup(const struct fn_ctx *fn, CXCursor call)
{
	size_t i;

	for (i = 0; i < fn->nmisindexed; i++)
		if (ast_same_node(fn->misindexed[i].call, call))
			return &fn->misindexed[i];
	return NULL;
}

bool misindex_note_request(struct fn_ctx *fn, struct state *st, CXCursor call)
{
	size_t i, r;
	bool paired = false;

	for (i = 0; i < fn->nmisindexed && i < MAX_UNPAIRED; i++)
		for (r = 0; r < fn->misindexed[i].nrequests; r++)
			if (ast_same_node(fn->misindexed[i].requests[r],
					  call)) {
				st->c.unpaired_requests |= 1u << i;
				paired = true;
			}
	return paired;
}

bool misindex_request_on_path(const struct fn_ctx *fn,
			      const struct misindexed_free *m,
			      const struct state *st)
{
	size_t i = (size_t)(m - fn->misindexed);

	return i < MAX_UNPAIRED && (st->c.unpaired_requests & (1u << i));
}
