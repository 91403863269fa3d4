/* Thin helpers over libclang's cursor API: children, stripping implicit
 * nodes, operator spelling (libclang 14 does not expose it), constant
 * evaluation, token text and source locations. */
#ifndef IRQCHECK_AST_H
#define IRQCHECK_AST_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Children of a cursor, in order. *out is malloc'd; returns the count. */
size_t ast_children(CXCursor c, CXCursor **out);
/* The only child of c, or a null cursor when c has 0 or 2+ children. */
CXCursor ast_only_child(CXCursor c);
/* Strips parentheses, implicit conversions and casts. */
CXCursor ast_strip(CXCursor c);
/* Operator of a unary, binary or compound-assignment operator cursor, or ""
 * when it cannot be read (for example inside a macro expansion). */
const char *ast_operator(CXTranslationUnit tu, CXCursor c);
/* Evaluates an integer constant expression. */
bool ast_eval_int(CXCursor c, long long *value);
/* Whether a parse left an error anywhere (a header's too). */
bool ast_tu_has_errors(CXTranslationUnit tu);
/* The cursor's spelling (a name). Caller frees. */
char *ast_spelling(CXCursor c);
/* Name of the function a call expression calls ("" for indirect calls).
 * Caller frees. */
char *ast_call_name(CXCursor call);

struct ast_token {
	char *text;
	CXTokenKind kind;
};
/* Tokens of a cursor's extent; free with ast_tokens_free(). */
size_t ast_tokens(CXTranslationUnit tu, CXCursor c, struct ast_token **out);
void ast_tokens_free(struct ast_token *toks, size_t n);

struct ast_loc {
	char *file; /* malloc'd, may be "" */
	unsigned line, col;
	unsigned offset;
};
/* Expansion location of a cursor's start (or end with at_end). */
void ast_location(CXCursor c, bool at_end, struct ast_loc *loc);
void ast_loc_release(struct ast_loc *loc);

/* The same node of the AST: the same kind at the same place, both where
 * it is expanded and where it is spelled (clang_equalCursors() also
 * compares how the cursor was reached). */
bool ast_same_node(CXCursor a, CXCursor b);

/* True when the function declaration is marked as never returning. */
bool ast_decl_is_noreturn(CXCursor decl);

#endif
