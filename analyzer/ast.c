/* Implementation of the libclang cursor helpers declared in ast.h. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

struct child_list {
	CXCursor *items;
	size_t len, cap;
};

static enum CXChildVisitResult collect_child(CXCursor c, CXCursor parent,
					     CXClientData data)
{
	struct child_list *l = data;
	ARRAY_PUSH(l->items, l->len, l->cap, c);
	return CXChildVisit_Continue;
}

size_t ast_children(CXCursor c, CXCursor **out)
{
	struct child_list l = { 0 };

	clang_visitChildren(c, collect_child, &l);
	*out = l.items;
	return l.len;
}

struct only_child {
	CXCursor child;
	int count;
};

static enum CXChildVisitResult count_child(CXCursor c, CXCursor parent,
					   CXClientData data)
{
	struct only_child *o = data;
	if (++o->count > 1)
		return CXChildVisit_Break;
	o->child = c;
	return CXChildVisit_Continue;
}

CXCursor ast_only_child(CXCursor c)
{
	struct only_child o = { .count = 0 };

	clang_visitChildren(c, count_child, &o);
	return o.count == 1 ? o.child : clang_getNullCursor();
}

CXCursor ast_strip(CXCursor c)
{
	for (;;) {
		enum CXCursorKind k = clang_getCursorKind(c);
		CXCursor inner;

		if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr &&
		    k != CXCursor_CStyleCastExpr)
			return c;
		inner = ast_only_child(c);
		if (clang_Cursor_isNull(inner))
			return c;
		/* A cast's only child may be the type reference. */
		if (clang_getCursorKind(inner) == CXCursor_TypeRef) {
			CXCursor *kids;
			size_t n = ast_children(c, &kids);
			inner = n ? kids[n - 1] : inner;
			free(kids);
			if (clang_getCursorKind(inner) == CXCursor_TypeRef)
				return c;
		}
		c = inner;
	}
}

static const char *const binary_ops[] = {
	"<<=", ">>=", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "+=",
	"-=", "*=", "/=", "%=", "&=", "|=", "^=", "<", ">", "=", "+", "-",
	"*", "/", "%", "&", "|", "^", ",", NULL,
};
static const char *const unary_ops[] = {
	"++", "--", "!", "~", "-", "+", "&", "*", NULL,
};

static const char *intern_op(const char *text, const char *const *table)
{
	size_t i;

	for (i = 0; table[i]; i++)
		if (!strcmp(text, table[i]))
			return table[i];
	return "";
}

/* The binary operator in range: the first token at or after the end of
 * the left operand lhs, when it is punctuation. False when there is no
 * such token or it is not punctuation. */
static bool operator_after(CXTranslationUnit tu, CXSourceRange range,
			   CXSourceRange lhs, const char **op)
{
	CXToken *toks = NULL;
	unsigned n = 0, i, lhs_end;
	bool found = false;

	clang_getFileLocation(clang_getRangeEnd(lhs), NULL, NULL, NULL,
			      &lhs_end);
	clang_tokenize(tu, range, &toks, &n);
	for (i = 0; i < n; i++) {
		unsigned off;
		CXString s;
		clang_getFileLocation(clang_getTokenLocation(tu, toks[i]), NULL,
				      NULL, NULL, &off);
		if (off < lhs_end)
			continue;
		if (clang_getTokenKind(toks[i]) == CXToken_Punctuation) {
			s = clang_getTokenSpelling(tu, toks[i]);
			*op = intern_op(clang_getCString(s), binary_ops);
			clang_disposeString(s);
			found = true;
		}
		break;
	}
	if (toks)
		clang_disposeTokens(tu, toks, n);
	return found;
}

const char *ast_operator(CXTranslationUnit tu, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXToken *toks = NULL;
	unsigned n = 0;
	const char *op = "";

	if (k == CXCursor_BinaryOperator || k == CXCursor_CompoundAssignOperator) {
		CXCursor *kids;
		size_t nk = ast_children(c, &kids);
		CXSourceRange lhs, rhs;
		if (nk != 2) {
			free(kids);
			return "";
		}
		lhs = clang_getCursorExtent(kids[0]);
		rhs = clang_getCursorExtent(kids[1]);
		free(kids);
		/* the operator lies between the operands: tokenize only that
		 * gap, since the whole extent of a large constant expression
		 * (qib's register masks) made this quadratic; the whole
		 * extent when the gap gives nothing usable (macros) */
		if (!operator_after(tu, clang_getRange(clang_getRangeEnd(lhs),
							clang_getRangeStart(rhs)),
				    lhs, &op))
			operator_after(tu, clang_getCursorExtent(c), lhs, &op);
	} else if (k == CXCursor_UnaryOperator) {
		clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
		if (n) {
			CXString s = clang_getTokenSpelling(tu, toks[0]);
			if (clang_getTokenKind(toks[0]) == CXToken_Punctuation)
				op = intern_op(clang_getCString(s), unary_ops);
			clang_disposeString(s);
			if (!*op && n > 1 &&
			    clang_getTokenKind(toks[n - 1]) == CXToken_Punctuation) {
				s = clang_getTokenSpelling(tu, toks[n - 1]);
				op = intern_op(clang_getCString(s), unary_ops);
				clang_disposeString(s);
			}
		}
	}
	if (toks)
		clang_disposeTokens(tu, toks, n);
	return op;
}

bool ast_eval_int(CXCursor c, long long *value)
{
	CXEvalResult r;
	bool ok = false;
	enum CXCursorKind k = clang_getCursorKind(c);

	if (!clang_isExpression(k))
		return false;
	r = clang_Cursor_Evaluate(c);
	if (!r)
		return false;
	if (clang_EvalResult_getKind(r) == CXEval_Int) {
		*value = clang_EvalResult_getAsLongLong(r);
		ok = true;
	}
	clang_EvalResult_dispose(r);
	return ok;
}

char *ast_spelling(CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	char *name = xstrdup(clang_getCString(s));

	clang_disposeString(s);
	return name;
}

char *ast_call_name(CXCursor call)
{
	CXCursor ref = clang_getCursorReferenced(call);

	if (clang_Cursor_isNull(ref) ||
	    clang_getCursorKind(ref) != CXCursor_FunctionDecl)
		return xstrdup("");
	return ast_spelling(ref);
}

/* The cursor's extent in the file where it is written: an expression that
 * ends in a macro ("flags |= USING_MSI") has an extent running from the
 * macro's definition to its use; both ends are moved to where the macro
 * is used, and a macro at the end keeps its name token. */
static CXSourceRange expansion_extent(CXTranslationUnit tu, CXCursor c)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXSourceLocation b = clang_getRangeStart(r), e = clang_getRangeEnd(r);
	CXFile fb, fe, ff;
	unsigned ob, oe, of;

	clang_getExpansionLocation(b, &fb, NULL, NULL, &ob);
	clang_getExpansionLocation(e, &fe, NULL, NULL, &oe);
	clang_getFileLocation(e, &ff, NULL, NULL, &of);
	if (!fb || !fe || !clang_File_isEqual(fb, fe) || oe < ob)
		return r;
	if (!clang_File_isEqual(ff, fe) || of != oe)
		oe++; /* the end is a macro name: include it */
	return clang_getRange(clang_getLocationForOffset(tu, fb, ob),
			      clang_getLocationForOffset(tu, fe, oe));
}

size_t ast_tokens(CXTranslationUnit tu, CXCursor c, struct ast_token **out)
{
	CXToken *toks = NULL;
	unsigned n = 0, i;
	struct ast_token *res;

	clang_tokenize(tu, expansion_extent(tu, c), &toks, &n);
	res = xcalloc(n ? n : 1, sizeof(*res));
	for (i = 0; i < n; i++) {
		CXString s = clang_getTokenSpelling(tu, toks[i]);
		res[i].text = xstrdup(clang_getCString(s));
		res[i].kind = clang_getTokenKind(toks[i]);
		clang_disposeString(s);
	}
	if (toks)
		clang_disposeTokens(tu, toks, n);
	*out = res;
	return n;
}

void ast_tokens_free(struct ast_token *toks, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(toks[i].text);
	free(toks);
}

void ast_location(CXCursor c, bool at_end, struct ast_loc *loc)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXSourceLocation l = at_end ? clang_getRangeEnd(r) : clang_getRangeStart(r);
	CXFile file = NULL;
	CXString name;

	clang_getExpansionLocation(l, &file, &loc->line, &loc->col,
				   &loc->offset);
	name = clang_getFileName(file);
	loc->file = xstrdup(clang_getCString(name) ? clang_getCString(name) : "");
	clang_disposeString(name);
}

void ast_loc_release(struct ast_loc *loc)
{
	free(loc->file);
	loc->file = NULL;
}

/* True when text has a noreturn attribute's spelling (not a name such as
 * foo_noreturn()). */
static bool spells_noreturn(const char *text)
{
	static const char *const forms[] = { "noreturn))", "noreturn__))",
					     "_Noreturn", "noreturn]]" };
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strstr(text, forms[i]))
			return true;
	return false;
}

bool ast_decl_is_noreturn(CXCursor decl)
{
	CXPrintingPolicy policy;
	CXString text;
	bool found;

	if (clang_Cursor_isNull(decl) ||
	    !clang_isDeclaration(clang_getCursorKind(decl)))
		return false;
	/* GNU noreturn (the kernel's __noreturn) is part of the function's
	 * type; _Noreturn and [[noreturn]] show in the declaration as clang
	 * prints it without a body. Reading the attributes' tokens instead
	 * cost a third of the analysis (each needs its macro expansion
	 * mapped back to the file). */
	text = clang_getTypeSpelling(clang_getCursorType(decl));
	found = spells_noreturn(clang_getCString(text));
	clang_disposeString(text);
	if (found)
		return true;
	policy = clang_getCursorPrintingPolicy(decl);
	clang_PrintingPolicy_setProperty(policy, CXPrintingPolicy_TerseOutput,
					 1);
	text = clang_getCursorPrettyPrinted(decl, policy);
	found = spells_noreturn(clang_getCString(text));
	clang_disposeString(text);
	clang_PrintingPolicy_dispose(policy);
	return found;
}

bool ast_same_node(CXCursor a, CXCursor b)
{
	CXSourceLocation la = clang_getCursorLocation(a),
			 lb = clang_getCursorLocation(b);
	CXFile fa, fb;
	unsigned oa, ob, sa, sb;

	if (clang_getCursorKind(a) != clang_getCursorKind(b))
		return false;
	clang_getExpansionLocation(la, &fa, NULL, NULL, &oa);
	clang_getExpansionLocation(lb, &fb, NULL, NULL, &ob);
	if (oa != ob || !clang_File_isEqual(fa, fb))
		return false;
	clang_getSpellingLocation(la, &fa, NULL, NULL, &sa);
	clang_getSpellingLocation(lb, &fb, NULL, NULL, &sb);
	return sa == sb && clang_File_isEqual(fa, fb);
}

bool ast_tu_has_errors(CXTranslationUnit tu)
{
	unsigned i, n = clang_getNumDiagnostics(tu);
	bool any = false;

	for (i = 0; i < n && !any; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		any = clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;
		clang_disposeDiagnostic(d);
	}
	return any;
}
