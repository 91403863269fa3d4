/* Expression canonicalization over tokens (see canon.h). Tokens rather
 * than cursors because device casts such as to_pci_dev() are macros whose
 * expansion (a statement expression) no longer shows the argument. */
#include "engine/canon.h"
#include "ast.h"
#include "engine/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_word(const char *t)
{
	return (t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z') ||
	       (t[0] >= '0' && t[0] <= '9') || t[0] == '_' || t[0] == '$';
}

static size_t match_paren(struct ast_token *t, size_t i, size_t hi)
{
	int depth = 0;

	for (; i < hi; i++) {
		if (!strcmp(t[i].text, "("))
			depth++;
		else if (!strcmp(t[i].text, ")") && --depth == 0)
			return i;
	}
	return hi;
}

static int param_index(struct fn_ctx *fn, const char *name)
{
	size_t i;

	for (i = 0; i < fn->nparams; i++)
		if (fn->params[i] && !strcmp(fn->params[i], name))
			return (int)i;
	return -1;
}

static void append_token(struct strbuf *sb, const char *t)
{
	if (sb->len && is_word(t) && is_word(&sb->buf[sb->len - 1]))
		sb_adds(sb, " ");
	sb_adds(sb, t);
}

/* "&X->dev" or "&X.dev" -> "X" (the embedded struct device). */
static char *strip_embedded_dev(char *s)
{
	size_t n = strlen(s);

	if (s[0] == '&' && n > 6 && !strcmp(s + n - 5, "->dev")) {
		char *r = xstrndup(s + 1, n - 6);
		free(s);
		return r;
	}
	if (s[0] == '&' && n > 5 && !strcmp(s + n - 4, ".dev")) {
		char *r = xstrndup(s + 1, n - 5);
		free(s);
		return r;
	}
	return s;
}

static void emit_tokens(struct fn_ctx *fn, struct ast_token *t, size_t lo,
			size_t hi, bool params, struct strbuf *sb);

static void emit_call_like(struct fn_ctx *fn, struct ast_token *t, size_t lo,
			   size_t hi, const struct api_entry *api,
			   bool params, struct strbuf *sb)
{
	size_t start = lo + 2, i, argno = 0;
	int depth = 0;

	for (i = start; i <= hi - 1; i++) {
		bool end = i == hi - 1;
		if (!end && (!strcmp(t[i].text, "(") || !strcmp(t[i].text, "[")))
			depth++;
		else if (!end &&
			 (!strcmp(t[i].text, ")") || !strcmp(t[i].text, "]")))
			depth--;
		if (end || (depth == 0 && !strcmp(t[i].text, ","))) {
			if ((int)argno == api->inner_arg) {
				struct strbuf inner;
				char *s;
				sb_init(&inner);
				emit_tokens(fn, t, start, i, params, &inner);
				s = strip_embedded_dev(sb_detach(&inner));
				if (api->role == ROLE_DRVDATA) {
					sb_adds(sb, "drvdata(");
					sb_adds(sb, s);
					sb_adds(sb, ")");
				} else {
					append_token(sb, s);
				}
				free(s);
				return;
			}
			argno++;
			start = i + 1;
		}
	}
	for (i = lo; i < hi; i++)
		append_token(sb, t[i].text);
}

static void emit_tokens(struct fn_ctx *fn, struct ast_token *t, size_t lo,
			size_t hi, bool params, struct strbuf *sb)
{
	size_t i;

	while (lo + 1 < hi && !strcmp(t[lo].text, "(")) {
		size_t m = match_paren(t, lo, hi);
		if (m == hi - 1) {
			lo++, hi--; /* (expr) */
		} else if (m + 1 < hi && t[lo + 1].kind == CXToken_Keyword) {
			lo = m + 1; /* (struct foo *)expr */
		} else {
			break;
		}
	}
	if (lo + 2 < hi && t[lo].kind == CXToken_Identifier &&
	    !strcmp(t[lo + 1].text, "(") && match_paren(t, lo + 1, hi) == hi - 1) {
		const struct api_entry *api =
			ruleset_lookup(fn->tu->rules, t[lo].text);
		if (api && (api->role == ROLE_DEVCAST ||
			    api->role == ROLE_DRVDATA)) {
			emit_call_like(fn, t, lo, hi, api, params, sb);
			return;
		}
	}
	for (i = lo; i < hi; i++) {
		int p = params && t[i].kind == CXToken_Identifier &&
				(i == lo || (strcmp(t[i - 1].text, "->") &&
					     strcmp(t[i - 1].text, ".")))
			? param_index(fn, t[i].text)
			: -1;
		if (p >= 0) {
			char buf[16];
			snprintf(buf, sizeof(buf), "$%d", p);
			append_token(sb, buf);
		} else {
			append_token(sb, t[i].text);
		}
	}
}

static char *raw_text(struct fn_ctx *fn, CXCursor c, bool params)
{
	struct ast_token *toks;
	size_t n;
	struct strbuf sb;

	if (clang_getCursorKind(c) == CXCursor_DeclRefExpr) {
		/* a name is its spelling, also where its tokens are a
		 * macro's ("unlikely(err)" holds "err") */
		char *name = ast_spelling(c);
		int p = params ? param_index(fn, name) : -1;
		if (p >= 0) {
			free(name);
			return xasprintf("$%d", p);
		}
		if (*name)
			return name;
		free(name);
	}
	n = ast_tokens(fn->tu->tu, c, &toks);

	sb_init(&sb);
	emit_tokens(fn, toks, 0, n, params, &sb);
	ast_tokens_free(toks, n);
	return sb_detach(&sb);
}

static bool prefix_at_boundary(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	char next;

	if (strncmp(s, prefix, n))
		return false;
	next = s[n];
	return !next || next == '-' || next == '.' || next == '[';
}

static char *resolve(struct fn_ctx *fn, char *s)
{
	int round;

	for (round = 0; round < 8; round++) {
		size_t i, best = (size_t)-1, best_len = 0;
		char *r;
		for (i = 0; i < fn->naliases; i++) {
			size_t len = strlen(fn->aliases[i].from);
			if (len > best_len &&
			    prefix_at_boundary(s, fn->aliases[i].from)) {
				best = i;
				best_len = len;
			}
		}
		if (best == (size_t)-1)
			break;
		r = xasprintf("%s%s", fn->aliases[best].to, s + best_len);
		free(s);
		s = r;
	}
	return s;
}

char *canon_text(struct fn_ctx *fn, CXCursor c)
{
	return resolve(fn, raw_text(fn, c, true));
}

/* In a driver, the one device parameter, a device reached through the
 * driver's private data, and a field that holds the device all name the
 * device the driver is bound to. */
static char *map_driver_device(struct fn_ctx *fn, char *s)
{
	const struct strvec *fields = &fn->tu->device_fields;
	size_t i, n = strlen(s);

	if (s[0] == '$' && s[1] >= '0' && s[1] <= '9') {
		char *end;
		long p = strtol(s + 1, &end, 10);
		if (!*end && (fn->ndev_params == 0 ||
			      (fn->ndev_params == 1 && fn->dev_param == p))) {
			free(s);
			return xstrdup(DRIVER_DEVICE_KEY);
		}
		if (!*end)
			return s;
	}
	for (i = 0; i < fields->n; i++) {
		size_t f = strlen(fields->v[i]);
		const char *tail = s + n - f;
		if (n > f + 1 && !strcmp(tail, fields->v[i]) &&
		    (tail[-1] == '.' || (n > f + 2 && tail[-1] == '>' &&
					 tail[-2] == '-'))) {
			free(s);
			return xstrdup(DRIVER_DEVICE_KEY);
		}
	}
	return s;
}

char *canon_device(struct fn_ctx *fn, CXCursor c)
{
	return map_driver_device(fn, canon_text(fn, c));
}

char *canon_display(struct fn_ctx *fn, CXCursor c)
{
	struct ast_token *toks;
	size_t n = ast_tokens(fn->tu->tu, c, &toks), i;
	struct strbuf sb;

	sb_init(&sb);
	for (i = 0; i < n; i++)
		append_token(&sb, toks[i].text);
	ast_tokens_free(toks, n);
	return sb_detach(&sb);
}

char *canon_substitute(struct fn_ctx *fn, const char *key, CXCursor *args,
		       size_t nargs)
{
	char *end, *arg, *joined;
	long idx;

	if (key[0] != '$' || key[1] < '0' || key[1] > '9')
		return xstrdup(key);
	idx = strtol(key + 1, &end, 10);
	if (idx < 0 || (size_t)idx >= nargs)
		return NULL;
	arg = raw_text(fn, args[idx], true);
	if (*end && arg[0] == '&') {
		/* (&x)->f is x.f */
		if (!strncmp(end, "->", 2))
			joined = xasprintf("%s.%s", arg + 1, end + 2);
		else
			joined = xasprintf("(%s)%s", arg, end);
	} else {
		joined = xasprintf("%s%s", arg, end);
	}
	free(arg);
	return map_driver_device(fn, resolve(fn, joined));
}

bool canon_is_error_call(struct fn_ctx *fn, CXCursor call)
{
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);

	free(name);
	return api && api->role == ROLE_ERRORRET;
}

bool canon_points_to_struct(CXType t, const char *tag)
{
	CXType p = clang_getCanonicalType(t);
	CXString name;
	bool yes;

	if (p.kind != CXType_Pointer || !tag)
		return false;
	p = clang_getCanonicalType(clang_getPointeeType(p));
	if (p.kind != CXType_Record)
		return false;
	name = clang_getTypeSpelling(p);
	yes = !strncmp(clang_getCString(name), "struct ", 7) &&
	      !strcmp(clang_getCString(name) + 7, tag);
	clang_disposeString(name);
	return yes;
}

bool canon_is_device_pointer(struct tu_ctx *tu, CXType t)
{
	return canon_points_to_struct(t, tu->rules->device_type);
}

/* ---- per-function preparation ---------------------------------------- */

struct alias_candidate {
	char *from, *to;
	int count;
};

struct prep {
	struct fn_ctx *fn;
	struct alias_candidate *cands;
	size_t n, cap;
};

static void note_alias(struct prep *p, char *from, char *to)
{
	size_t i;

	bool assignment = *to != '\0';

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->cands[i].from, from)) {
			struct alias_candidate *c = &p->cands[i];
			if (assignment && !c->count) {
				free(c->to);
				c->to = to;
				to = NULL;
			}
			c->count += assignment;
			free(from);
			free(to);
			return;
		}
	{
		struct alias_candidate c = { from, to, assignment };
		ARRAY_PUSH(p->cands, p->n, p->cap, c);
	}
}

static bool is_pointer(CXCursor c)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(c));
	return t.kind == CXType_Pointer;
}

static enum CXChildVisitResult prepare_visit(CXCursor c, CXCursor parent,
					     CXClientData data)
{
	struct prep *p = data;
	struct fn_ctx *fn = p->fn;
	enum CXCursorKind k = clang_getCursorKind(c);

	if (k == CXCursor_BinaryOperator &&
	    !strcmp(cfg_operator(&fn->tu->cfg_env, c), "=")) {
		CXCursor *kids;
		if (ast_children(c, &kids) == 2 && is_pointer(kids[0])) {
			char *from = raw_text(fn, kids[0], true);
			if (from[0] != '$')
				note_alias(p, from, raw_text(fn, kids[1], true));
			else
				free(from);
		}
		free(kids);
	} else if (k == CXCursor_VarDecl && is_pointer(c)) {
		CXCursor *kids;
		size_t n = ast_children(c, &kids);
		CXString name = clang_getCursorSpelling(c);
		if (n && clang_isExpression(clang_getCursorKind(kids[n - 1])))
			note_alias(p, xstrdup(clang_getCString(name)),
				   raw_text(fn, kids[n - 1], true));
		else /* declared without a value: assigned later */
			note_alias(p, xstrdup(clang_getCString(name)), xstrdup(""));
		clang_disposeString(name);
		free(kids);
	} else if (k == CXCursor_ReturnStmt) {
		CXCursor e = ast_strip(ast_only_child(c));
		if (!clang_Cursor_isNull(e)) {
			char *t = raw_text(fn, e, true);
			size_t i;
			bool have = false;
			int32_t key;
			/* intern without aliases: result variables are ints */
			for (i = 0; i < fn->nkeys; i++)
				if (!strcmp(fn->keys[i], t))
					have = true;
			if (!have)
				ARRAY_PUSH(fn->keys, fn->nkeys, fn->cap_keys,
					   xstrdup(t));
			for (i = 0; i < fn->nkeys; i++)
				if (!strcmp(fn->keys[i], t))
					break;
			key = (int32_t)i;
			ARRAY_PUSH(fn->returned, fn->nreturned,
				   fn->cap_returned, key);
			free(t);
		}
	}
	return CXChildVisit_Recurse;
}

void canon_prepare_function(struct fn_ctx *fn)
{
	struct prep p = { .fn = fn };
	int n = clang_Cursor_getNumArguments(fn->cursor), i;
	size_t j, nret;

	fn->nparams = n > 0 ? (size_t)n : 0;
	fn->params = fn->nparams ? xcalloc(fn->nparams, sizeof(char *)) : NULL;
	fn->dev_param = -1;
	for (i = 0; i < n; i++) {
		CXCursor arg = clang_Cursor_getArgument(fn->cursor, (unsigned)i);
		CXString s = clang_getCursorSpelling(arg);
		fn->params[i] = xstrdup(clang_getCString(s));
		clang_disposeString(s);
		if (canon_is_device_pointer(fn->tu, clang_getCursorType(arg))) {
			fn->dev_param = i;
			fn->ndev_params++;
		}
	}
	clang_visitChildren(fn->cursor, prepare_visit, &p);
	for (j = 0; j < p.n; j++) {
		struct alias_candidate *c = &p.cands[j];
		/* Only a pointer given exactly one value stands for it. */
		if (c->count == 1 && strcmp(c->from, c->to)) {
			struct alias a = { c->from, c->to };
			ARRAY_PUSH(fn->aliases, fn->naliases, fn->cap_aliases, a);
			continue;
		}
		free(c->from);
		free(c->to);
	}
	free(p.cands);
	/* a returned variable that stands for its value ("foo" given
	 * "get_foo()") is tested and returned under that value's name:
	 * keep the facts of both */
	for (j = 0, nret = fn->nreturned; j < nret; j++) {
		char *t = resolve(fn, xstrdup(fn->keys[fn->returned[j]]));
		if (strcmp(t, fn->keys[fn->returned[j]])) {
			int32_t key = key_intern(fn, t);
			ARRAY_PUSH(fn->returned, fn->nreturned,
				   fn->cap_returned, key);
		}
		free(t);
	}
}

/* ---- interned keys ---------------------------------------------------- */

int32_t key_intern(struct fn_ctx *fn, const char *text)
{
	size_t i;

	for (i = 0; i < fn->nkeys; i++)
		if (!strcmp(fn->keys[i], text))
			return (int32_t)i;
	ARRAY_PUSH(fn->keys, fn->nkeys, fn->cap_keys, xstrdup(text));
	return (int32_t)fn->nkeys - 1;
}

bool key_in(const int32_t *keys, size_t n, int32_t key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (keys[i] == key)
			return true;
	return false;
}

int32_t key_of_cursor(struct fn_ctx *fn, CXCursor c)
{
	char *t = canon_text(fn, c);
	int32_t key = key_intern(fn, t);

	free(t);
	return key;
}

const char *alias_lookup(struct alias *list, size_t n, const char *from)
{
	size_t i;

	for (i = n; i-- > 0;)
		if (!strcmp(list[i].from, from))
			return list[i].to;
	return NULL;
}

void alias_remember(struct alias **list, size_t *n, size_t *cap,
		    const char *from, const char *to)
{
	size_t i;
	struct alias a;

	for (i = 0; i < *n; i++)
		if (!strcmp((*list)[i].from, from)) {
			free((*list)[i].to);
			(*list)[i].to = xstrdup(to);
			return;
		}
	a.from = xstrdup(from);
	a.to = xstrdup(to);
	ARRAY_PUSH(*list, *n, *cap, a);
}

bool key_index_is_constant(const char *key)
{
	const char *hash = strrchr(key, '#');
	char *end;

	if (!hash || !hash[1])
		return false;
	strtol(hash + 1, &end, 0);
	return !*end;
}

/* The text of a vector index: its value when it is a constant (an
 * enumerator or a macro names one vector), else its canonical text. */
char *key_index_text(struct fn_ctx *fn, CXCursor idx)
{
	long long v;

	if (ast_eval_int(ast_strip(idx), &v))
		return xasprintf("%lld", v);
	return canon_text(fn, idx);
}

/* The part of an lvalue text that other functions write the same way:
 * "irqs[i]" of "priv->irqs[i]" (the base differs between functions),
 * the whole text for a global. */
const char *key_field_part(const char *text)
{
	const char *arrow = strrchr(text, '>'), *dot = strrchr(text, '.');
	const char *cut = arrow && (!dot || arrow > dot) ? arrow : dot;

	return cut ? cut + 1 : text;
}

const char *engine_key(struct fn_ctx *fn, int32_t key)
{
	return key >= 0 && (size_t)key < fn->nkeys ? fn->keys[key] : "?";
}

bool key_is_param_rooted(const char *k)
{
	return k[0] == '$';
}

bool key_is_parameter(const char *k)
{
	size_t i;

	if (k[0] != '$' || !k[1])
		return false;
	for (i = 1; k[i]; i++)
		if (k[i] < '0' || k[i] > '9')
			return false;
	return true;
}

/* ---- fields of the driver's state ------------------------------------ */

char *canon_state_global(CXCursor e)
{
	CXCursor ref;
	CXString usr;
	char *key;

	e = ast_strip(e);
	if (clang_getCursorKind(e) == CXCursor_UnaryOperator) /* &state */
		e = ast_strip(ast_only_child(e));
	if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
		return NULL;
	ref = clang_getCursorReferenced(e);
	if (clang_getCursorKind(ref) != CXCursor_VarDecl ||
	    clang_getCursorKind(clang_getCursorSemanticParent(ref)) !=
		CXCursor_TranslationUnit)
		return NULL;
	usr = clang_getCursorUSR(ref);
	key = *clang_getCString(usr) ? xstrdup(clang_getCString(usr)) : NULL;
	clang_disposeString(usr);
	return key;
}

/* The field a member expression reads, as "@USR": the same in every
 * function and file, whatever names the structure (or a variable of the
 * file its code sets, canon_state_global()). NULL when c is not a field
 * read, or an array element is on the way to it (the elements of an
 * array are not one value). */
static char *field_usr(struct tu_ctx *tu, CXCursor c)
{
	CXCursor m = ast_strip(c), ref, base;
	CXString usr;
	char *key;
	int depth;

	if (clang_getCursorKind(m) == CXCursor_UnaryOperator) {
		CXCursor inner = ast_only_child(m); /* &priv->flags */
		if (clang_Cursor_isNull(inner))
			return NULL;
		m = ast_strip(inner);
	}
	if (clang_getCursorKind(m) == CXCursor_DeclRefExpr) {
		/* a variable of the file its functions set: the driver's
		 * state as a field of its structure is */
		char *g = canon_state_global(m);
		key = g && strvec_has(&tu->state_globals, g)
			  ? xasprintf("@%s", g)
			  : NULL;
		free(g);
		return key;
	}
	if (clang_getCursorKind(m) != CXCursor_MemberRefExpr)
		return NULL;
	ref = clang_getCursorReferenced(m);
	if (clang_getCursorKind(ref) != CXCursor_FieldDecl)
		return NULL;
	for (base = m, depth = 0; depth < 16; depth++) {
		CXCursor inner = ast_only_child(base);
		enum CXCursorKind k;
		if (clang_Cursor_isNull(inner))
			break;
		inner = ast_strip(inner);
		k = clang_getCursorKind(inner);
		if (k == CXCursor_ArraySubscriptExpr)
			return NULL;
		if (k != CXCursor_MemberRefExpr)
			break;
		base = inner;
	}
	usr = clang_getCursorUSR(ref);
	key = *clang_getCString(usr) ? xasprintf("@%s", clang_getCString(usr))
				     : NULL;
	clang_disposeString(usr);
	return key;
}

char *canon_field_key(struct tu_ctx *tu, CXCursor c)
{
	CXCursor s = ast_strip(c), *kids = NULL;
	enum CXCursorKind k = clang_getCursorKind(s);
	char *key = NULL, *field;
	long long v;

	if (k == CXCursor_BinaryOperator && ast_children(s, &kids) == 2 &&
	    !strcmp(cfg_operator(&tu->cfg_env, s), "&")) {
		/* "flags & MASK", either way round */
		int i;
		for (i = 0; i < 2 && !key; i++)
			if (ast_eval_int(kids[1 - i], &v) &&
			    (field = field_usr(tu, kids[i]))) {
				key = xasprintf("%s^%llx", field,
						(unsigned long long)v);
				free(field);
			}
	} else if (k == CXCursor_CallExpr) {
		char *name = ast_call_name(s);
		const struct api_entry *api = ruleset_lookup(tu->rules, name);
		int n = clang_Cursor_getNumArguments(s);
		free(name);
		if (api && api->role == ROLE_BITOP && api->bit_arg < n &&
		    api->addr_arg < n &&
		    ast_eval_int(
			clang_Cursor_getArgument(s, (unsigned)api->bit_arg),
			&v) &&
		    (field = field_usr(tu, clang_Cursor_getArgument(
					       s, (unsigned)api->addr_arg)))) {
			key = xasprintf("%s~%lld", field, v);
			free(field);
		}
	} else {
		key = field_usr(tu, s);
	}
	free(kids);
	return key;
}

bool canon_field_tested(const struct tu_ctx *tu, const char *key)
{
	return key && strvec_has(&tu->tested_fields, key);
}
