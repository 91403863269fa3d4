/* What a callee defined in the translation unit is, read from its body:
 * a predicate that only reads data (its result is its arguments' data,
 * not an operation's outcome), or a stand-in that returns a constant. */
#include "engine/callees.h"
#include "ast.h"
#include "engine/fields.h"
#include "engine/walk.h"

#include <stdlib.h>
#include <string.h>

struct purity {
	struct fn_ctx *fn;
	CXCursor callee;
	bool pure;
};

/* Whether e names a local variable of the callee. */
static bool is_callee_local(CXCursor e, CXCursor callee)
{
	CXCursor ref;

	e = ast_strip(e);
	if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
		return false;
	ref = clang_getCursorReferenced(e);
	return clang_getCursorKind(ref) == CXCursor_VarDecl &&
	       clang_equalCursors(clang_getCursorSemanticParent(ref), callee);
}

/* Finds what makes a function body more than a reading of data: a call,
 * or a write to anything but its own locals. */
static enum CXChildVisitResult find_side_effect(CXCursor c, CXCursor parent,
					       CXClientData data)
{
	struct purity *p = data;
	CXCursor target;

	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_CallExpr ||
	    (fields_written_by(p->fn->tu, c, false, &target) &&
	     !is_callee_local(target, p->callee)))
		p->pure = false;
	return p->pure ? CXChildVisit_Recurse : CXChildVisit_Break;
}

bool callee_is_operation(struct fn_ctx *fn, CXCursor c)
{
	const struct api_entry *api;
	struct purity p = {.fn = fn, .pure = true};
	CXCursor def;
	char *name;

	if (clang_getCursorKind(c) != CXCursor_CallExpr)
		return false;
	name = ast_call_name(c);
	api = ruleset_lookup(fn->tu->rules, name);
	free(name);
	if (api)
		return api->role != ROLE_PURE;
	p.callee = clang_getCursorReferenced(c);
	def = clang_getCursorDefinition(p.callee);
	if (clang_Cursor_isNull(def) ||
	    clang_getCursorKind(def) != CXCursor_FunctionDecl)
		return true;
	p.callee = def;
	clang_visitChildren(def, find_side_effect, &p);
	return !p.pure;
}

bool callee_constant_value(CXCursor call, long long *v)
{
	CXCursor def, *kids = NULL, body = clang_getNullCursor(), ret;
	size_t n, i;
	bool known = false;

	call = ast_strip(call);
	if (clang_getCursorKind(call) != CXCursor_CallExpr)
		return false;
	def = clang_getCursorDefinition(clang_getCursorReferenced(call));
	if (clang_Cursor_isNull(def) ||
	    clang_getCursorKind(def) != CXCursor_FunctionDecl)
		return false;
	n = ast_children(def, &kids);
	for (i = 0; i < n; i++)
		if (clang_getCursorKind(kids[i]) == CXCursor_CompoundStmt)
			body = kids[i];
	free(kids);
	if (clang_Cursor_isNull(body))
		return false;
	ret = ast_only_child(body);
	if (!clang_Cursor_isNull(ret) &&
	    clang_getCursorKind(ret) == CXCursor_ReturnStmt) {
		CXCursor e = ast_only_child(ret);
		known = !clang_Cursor_isNull(e) && ast_eval_int(e, v);
	}
	return known;
}
