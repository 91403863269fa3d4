/* The functions and driver structures of a translation unit: the
 * functions defined in the main file and who calls whom (so callees are
 * walked first), the driver structures and method tables that name
 * probe(), remove() and shutdown() (also those of other files of the
 * module), and the fields that hold the driver's device. It reads the
 * AST only; it walks no path. */
#include "engine/driver.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/fields.h"
#include "engine/module.h"
#include "engine/walk.h"

#include <stdlib.h>
#include <string.h>

static enum CXChildVisitResult collect_functions(CXCursor c, CXCursor parent,
						 CXClientData data)
{
	struct tu_functions *fs = data;

	if (clang_getCursorKind(c) == CXCursor_FunctionDecl &&
	    clang_isCursorDefinition(c) &&
	    clang_Location_isFromMainFile(clang_getCursorLocation(c))) {
		struct function f = {.cursor = c};
		CXString s = clang_getCursorSpelling(c);
		f.name = xstrdup(clang_getCString(s));
		clang_disposeString(s);
		ARRAY_PUSH(fs->items, fs->n, fs->cap, f);
	}
	return CXChildVisit_Continue;
}

struct function *driver_find_function(struct tu_functions *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (!strcmp(fs->items[i].name, name))
			return &fs->items[i];
	return NULL;
}

struct callee_walk {
	struct tu_ctx *tu;
	struct tu_functions *fs;
	struct function *f;
};

static enum CXChildVisitResult collect_callees(CXCursor c, CXCursor parent,
					       CXClientData data)
{
	struct callee_walk *w = data;
	struct function *callee;
	char *name;
	size_t i;

	bool is_call = clang_getCursorKind(c) == CXCursor_CallExpr;

	if (is_call) {
		name = ast_call_name(c);
	} else if (clang_getCursorKind(c) == CXCursor_DeclRefExpr &&
		   clang_getCursorKind(clang_getCursorReferenced(c)) ==
		       CXCursor_FunctionDecl) {
		/* A function passed as a value (a devres action): walk it
		 * first so its summary is ready, but it stays a root. */
		CXString s = clang_getCursorSpelling(c);
		name = xstrdup(clang_getCString(s));
		clang_disposeString(s);
	} else {
		return CXChildVisit_Recurse;
	}
	callee = *name ? driver_find_function(w->fs, name) : NULL;
	if (is_call && *name) {
		const struct api_entry *api =
		    ruleset_lookup(w->tu->rules, name);
		if (api && api->role == ROLE_ALLOC)
			w->tu->allocators |= api->managed ? ALLOCATES_MANAGED
							  : ALLOCATES_UNMANAGED;
	}
	if (!callee && is_call && *name &&
	    clang_getCursorKind(clang_getCursorReferenced(c)) ==
		CXCursor_FunctionDecl &&
	    !ruleset_lookup(w->tu->rules, name))
		strvec_push(&w->tu->external_calls, name);
	if (callee && callee != w->f) {
		for (i = 0; i < w->f->ncallees; i++)
			if (!strcmp(w->f->callees[i], name))
				break;
		if (i == w->f->ncallees)
			ARRAY_PUSH(w->f->callees, w->f->ncallees,
				   w->f->cap_callees, xstrdup(name));
		if (is_call)
			callee->has_caller = true;
	}
	free(name);
	return CXChildVisit_Recurse;
}

static void post_order(struct tu_functions *fs, struct function *f)
{
	size_t i;

	if (f->mark)
		return; /* done, or a cycle: the callee stays opaque */
	f->mark = 1;
	for (i = 0; i < f->ncallees; i++) {
		struct function *c = driver_find_function(fs, f->callees[i]);
		if (c)
			post_order(fs, c);
	}
	f->mark = 2;
	ARRAY_PUSH(fs->order, fs->norder, fs->cap_order, f);
}

/* The tokens of a declaration up to its ';'. A tolerant parse drops an
 * initializer that names a function no header declared (iflib.c's
 * DEVMETHOD(device_attach, noop_attach)), and the variable's extent ends
 * before it: the declaration is then read from the file, at most 8 KiB. */
static size_t declaration_tokens(CXTranslationUnit tu, CXCursor var,
				 struct ast_token **out)
{
	size_t n = ast_tokens(tu, var, out), i, size = 0;
	CXFile file;
	unsigned start;
	int depth = 0;
	CXToken *toks = NULL;
	unsigned ntoks = 0, k;

	/* only "T name[]" with nothing after it: an array whose size its
	 * (dropped) initializer gave */
	if (n < 2 || strcmp((*out)[n - 1].text, "]") ||
	    strcmp((*out)[n - 2].text, "["))
		return n;
	for (i = 0; i < n; i++)
		if (!strcmp((*out)[i].text, "="))
			return n;
	clang_getExpansionLocation(
	    clang_getRangeStart(clang_getCursorExtent(var)), &file, NULL, NULL,
	    &start);
	if (!file || !clang_getFileContents(tu, file, &size) || start >= size)
		return n;
	clang_tokenize(
	    tu,
	    clang_getRange(
		clang_getLocationForOffset(tu, file, start),
		clang_getLocationForOffset(
		    tu, file,
		    (unsigned)(size - start > 8192 ? start + 8192 : size))),
	    &toks, &ntoks);
	ast_tokens_free(*out, n);
	*out = xcalloc(ntoks + 1, sizeof(**out));
	for (k = 0; k < ntoks; k++) {
		CXString s = clang_getTokenSpelling(tu, toks[k]);
		const char *t = clang_getCString(s);
		bool end = !depth && !strcmp(t, ";");
		depth += !strcmp(t, "{") - !strcmp(t, "}");
		if (!end) {
			(*out)[k].text = xstrdup(t);
			(*out)[k].kind = clang_getTokenKind(toks[k]);
		}
		clang_disposeString(s);
		if (end)
			break;
	}
	if (toks)
		clang_disposeTokens(tu, toks, ntoks);
	return k;
}

/* Reads a method table: MACRO(method, function) entries, as FreeBSD's
 * DEVMETHOD(device_attach, foo_attach), make one driver. */
static void read_method_table(struct tu_ctx *tu, CXCursor var)
{
	const struct driver_table *dt = &tu->rules->driver;
	struct driver_callbacks cb = {0};
	struct ast_token *toks;
	size_t n = declaration_tokens(tu->tu, var, &toks), i;

	for (i = 0; i + 5 < n; i++) {
		char **slot = NULL;
		if (strcmp(toks[i].text, dt->method_macro) ||
		    strcmp(toks[i + 1].text, "(") ||
		    strcmp(toks[i + 3].text, ",") ||
		    toks[i + 4].kind != CXToken_Identifier)
			continue;
		if (dt->probe_method &&
		    !strcmp(toks[i + 2].text, dt->probe_method))
			slot = &cb.probe;
		else if (dt->remove_method &&
			 !strcmp(toks[i + 2].text, dt->remove_method))
			slot = &cb.remove;
		else if (dt->shutdown_method &&
			 !strcmp(toks[i + 2].text, dt->shutdown_method))
			slot = &cb.shutdown;
		if (slot && !*slot)
			*slot = xstrdup(toks[i + 4].text);
	}
	ast_tokens_free(toks, n);
	if (cb.probe || cb.remove || cb.shutdown)
		ARRAY_PUSH(tu->drivers, tu->ndrivers, tu->cap_drivers, cb);
}

/* Reads ".probe = foo_probe" and friends from each driver structure. */
static enum CXChildVisitResult find_driver(CXCursor c, CXCursor parent,
					   CXClientData data)
{
	struct tu_ctx *tu = data;
	const struct driver_table *dt = &tu->rules->driver;
	struct driver_callbacks cb = {0};
	CXString type;
	const char *ts;
	bool is_driver;
	struct ast_token *toks;
	size_t n, i;

	if (clang_getCursorKind(c) != CXCursor_VarDecl ||
	    !clang_Location_isFromMainFile(clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	if (dt->method_macro)
		read_method_table(tu, c);
	if (!dt->struct_name)
		return CXChildVisit_Continue;
	type = clang_getTypeSpelling(clang_getCursorType(c));
	ts = clang_getCString(type);
	is_driver =
	    !strncmp(ts, "struct ", 7) && !strcmp(ts + 7, dt->struct_name);
	if (!is_driver) {
		const char *p = strstr(ts, dt->struct_name);
		is_driver = p && !strcmp(p, dt->struct_name) &&
			    (p == ts || p[-1] == ' ');
	}
	clang_disposeString(type);
	if (!is_driver)
		return CXChildVisit_Continue;
	n = ast_tokens(tu->tu, c, &toks);
	for (i = 0; i + 3 < n; i++) {
		char **slot = NULL;
		if (strcmp(toks[i].text, ".") || strcmp(toks[i + 2].text, "="))
			continue;
		if (dt->probe_field &&
		    !strcmp(toks[i + 1].text, dt->probe_field))
			slot = &cb.probe;
		else if (dt->remove_field &&
			 !strcmp(toks[i + 1].text, dt->remove_field))
			slot = &cb.remove;
		else if (dt->shutdown_field &&
			 !strcmp(toks[i + 1].text, dt->shutdown_field))
			slot = &cb.shutdown;
		if (slot && !*slot && toks[i + 3].kind == CXToken_Identifier)
			*slot = xstrdup(toks[i + 3].text);
	}
	ast_tokens_free(toks, n);
	if (cb.probe || cb.remove || cb.shutdown)
		ARRAY_PUSH(tu->drivers, tu->ndrivers, tu->cap_drivers, cb);
	return CXChildVisit_Continue;
}

/* Sees through calls the rule pack says return their argument's device
 * (pci_dev_get(pdev) is pdev). */
static CXCursor through_devcast(struct tu_ctx *tu, CXCursor c)
{
	int guard;

	for (guard = 0; guard < 4; guard++) {
		const struct api_entry *api;
		char *name;
		c = ast_strip(c);
		if (clang_getCursorKind(c) != CXCursor_CallExpr)
			break;
		name = ast_call_name(c);
		api = ruleset_lookup(tu->rules, name);
		free(name);
		if (!api || api->role != ROLE_DEVCAST ||
		    api->inner_arg >= clang_Cursor_getNumArguments(c))
			break;
		c = clang_Cursor_getArgument(c, (unsigned)api->inner_arg);
	}
	return c;
}

/* "adapter->irq = pci_irq_vector(adapter->pdev, 0)": the field holds the
 * driver's vector 0 in every function of the file, also in those walked
 * before the one that assigns it (a reset task that frees before it
 * requests again). */
static void remember_irq_field(struct tu_ctx *tu, CXCursor lhs, CXCursor rhs)
{
	const struct api_entry *api;
	char *name, *typed;
	long long vec;
	int n;

	if (clang_getCursorKind(lhs) != CXCursor_MemberRefExpr ||
	    clang_getCursorKind(rhs) != CXCursor_CallExpr)
		return;
	name = ast_call_name(rhs);
	api = ruleset_lookup(tu->rules, name);
	free(name);
	n = clang_Cursor_getNumArguments(rhs);
	if (!api || api->role != ROLE_IRQVEC || api->kind[0] ||
	    api->dev_arg < 0 || api->dev_arg >= n || api->vec_arg < 0 ||
	    api->vec_arg >= n ||
	    !ast_eval_int(clang_Cursor_getArgument(rhs, (unsigned)api->vec_arg),
			  &vec) ||
	    !canon_is_device_pointer(
		tu, clang_getCursorType(
			clang_Cursor_getArgument(rhs, (unsigned)api->dev_arg))))
		return;
	typed = handlers_typed_field(lhs);
	if (typed) {
		char *key = xasprintf("%s#%lld", DRIVER_DEVICE_KEY, vec);
		alias_remember(&tu->irq_fields, &tu->nirq_fields,
			       &tu->cap_irq_fields, typed, key);
		free(key);
		free(typed);
	}
}

/* Fields assigned from a device parameter ("priv->pdev = pdev"), or from
 * a parameter of the generic device it embeds ("pt->dev = dev"), hold the
 * driver's device wherever they are read in this file. */
static enum CXChildVisitResult find_device_fields(CXCursor c, CXCursor parent,
						  CXClientData data)
{
	struct tu_ctx *tu = data;
	CXCursor *kids, lhs, rhs, ref, written;
	size_t n;

	/* only this file's code: the headers' inline functions are many and
	 * never the driver's */
	if (clang_getCursorKind(parent) == CXCursor_TranslationUnit &&
	    !clang_Location_isFromMainFile(clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	if (fields_written_by(tu, c, false, &written)) {
		/* a variable of the file its code sets ("msi_irq = true",
		 * "probed++", set_bit(0, &state)) */
		char *global = canon_state_global(written);
		if (global && !strvec_has(&tu->state_globals, global))
			strvec_push(&tu->state_globals, global);
		free(global);
	}
	if (clang_getCursorKind(c) == CXCursor_CallExpr) {
		/* pci_enable_msix_range(pdev, priv->msix, ...): priv->msix[i]
		 * .vector is the device's vector i in every function */
		char *name = ast_call_name(c);
		const struct api_entry *api = ruleset_lookup(tu->rules, name);
		free(name);
		if (api && api->role == ROLE_ALLOC && api->entries_arg >= 0 &&
		    api->entries_arg < clang_Cursor_getNumArguments(c)) {
			CXCursor a = ast_strip(clang_Cursor_getArgument(
			    c, (unsigned)api->entries_arg));
			if (clang_getCursorKind(a) == CXCursor_MemberRefExpr) {
				CXString f = clang_getCursorSpelling(a);
				const char *fs = clang_getCString(f);
				size_t i;
				for (i = 0; i < tu->entry_fields.n; i++)
					if (!strcmp(tu->entry_fields.v[i], fs))
						break;
				if (i == tu->entry_fields.n && *fs)
					strvec_push(&tu->entry_fields, fs);
				clang_disposeString(f);
			}
		}
		return CXChildVisit_Recurse;
	}
	if (clang_getCursorKind(c) != CXCursor_BinaryOperator ||
	    strcmp(cfg_operator(&tu->cfg_env, c), "="))
		return CXChildVisit_Recurse;
	n = ast_children(c, &kids);
	if (n == 2) {
		remember_irq_field(tu, ast_strip(kids[0]), ast_strip(kids[1]));
		lhs = ast_strip(kids[0]);
		rhs = through_devcast(tu, kids[1]);
		ref = clang_getCursorReferenced(rhs);
		if (clang_getCursorKind(lhs) == CXCursor_MemberRefExpr &&
		    clang_getCursorKind(rhs) == CXCursor_DeclRefExpr &&
		    clang_getCursorKind(ref) == CXCursor_ParmDecl &&
		    (canon_is_device_pointer(tu, clang_getCursorType(ref)) ||
		     /* the generic device it embeds, &pdev->dev given to
		      * a helper that stores it, read back as
		      * to_pci_dev(pt->dev) by the interrupt code */
		     canon_points_to_struct(clang_getCursorType(ref),
					    tu->rules->embedded_device_type))) {
			CXString f = clang_getCursorSpelling(lhs);
			const char *name = clang_getCString(f);
			size_t i;
			for (i = 0; i < tu->device_fields.n; i++)
				if (!strcmp(tu->device_fields.v[i], name))
					break;
			if (i == tu->device_fields.n && *name)
				strvec_push(&tu->device_fields, name);
			clang_disposeString(f);
		}
	}
	free(kids);
	return CXChildVisit_Recurse;
}

const struct driver_callbacks *driver_with(struct tu_ctx *tu, const char *name,
					   enum driver_role role)
{
	size_t i;

	for (i = 0; i < tu->ndrivers; i++) {
		const struct driver_callbacks *d = &tu->drivers[i];
		const char *cb = role == ROLE_PROBE    ? d->probe
				 : role == ROLE_REMOVE ? d->remove
						       : d->shutdown;
		if (cb && !strcmp(cb, name))
			return d;
	}
	return NULL;
}

/* A driver structure of another file of the module whose callbacks are
 * defined here: remove() in this file pairs with its probe(). */
struct foreign_drivers {
	struct tu_ctx *tu;
	struct tu_functions *fs;
};

static void adopt_foreign_driver(const struct driver_callbacks *d, void *data)
{
	struct foreign_drivers *fd = data;
	struct driver_callbacks c;

	if (!(d->probe && driver_find_function(fd->fs, d->probe)) &&
	    !(d->remove && driver_find_function(fd->fs, d->remove)) &&
	    !(d->shutdown && driver_find_function(fd->fs, d->shutdown)))
		return;
	c = driver_callbacks_copy(d);
	ARRAY_PUSH(fd->tu->drivers, fd->tu->ndrivers, fd->tu->cap_drivers, c);
}

/* ---- the fields conditions test --------------------------------- */

static enum CXChildVisitResult note_tested_field(CXCursor c, CXCursor parent,
						 CXClientData data)
{
	struct tu_ctx *tu = data;
	char *key = canon_field_key(tu, c);

	if (key && !strvec_has(&tu->tested_fields, key))
		strvec_push(&tu->tested_fields, key);
	free(key);
	return CXChildVisit_Recurse;
}

/* The condition of a branching statement or expression, if c is one. */
static CXCursor condition_of(CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor *kids, cond = clang_getNullCursor();
	size_t n;

	if (k != CXCursor_IfStmt && k != CXCursor_WhileStmt &&
	    k != CXCursor_DoStmt && k != CXCursor_SwitchStmt &&
	    k != CXCursor_ConditionalOperator && k != CXCursor_ForStmt)
		return cond;
	n = ast_children(c, &kids);
	if (n >= 2 && k != CXCursor_ForStmt)
		cond = k == CXCursor_DoStmt	  ? kids[n - 1]
		       : k == CXCursor_SwitchStmt ? kids[n - 2]
						  : kids[0];
	free(kids);
	return cond;
}

static enum CXChildVisitResult find_tested_fields(CXCursor c, CXCursor parent,
						  CXClientData data)
{
	struct tu_ctx *tu = data;
	CXCursor cond;

	cond = condition_of(c);
	if (!clang_Cursor_isNull(cond)) {
		note_tested_field(cond, c, tu);
		clang_visitChildren(cond, note_tested_field, tu);
	} else if (clang_getCursorKind(c) == CXCursor_ForStmt) {
		/* its parts may be missing: the condition is looked for in
		 * all of them but the body */
		CXCursor *kids;
		size_t n = ast_children(c, &kids), i;
		for (i = 0; i + 1 < n; i++) {
			note_tested_field(kids[i], c, tu);
			clang_visitChildren(kids[i], note_tested_field, tu);
		}
		free(kids);
	}
	return CXChildVisit_Recurse;
}

/* Whether a function calls an API of the pack that allocates, releases,
 * or requests or frees a handler; with names, also whether it calls one
 * of the functions named. */
struct interrupt_search {
	const struct ruleset *rules;
	const struct strvec *names;
	bool found;
};

static enum CXChildVisitResult find_interrupt_call(CXCursor c, CXCursor parent,
						   CXClientData data)
{
	struct interrupt_search *s = data;
	const struct api_entry *api;
	char *name;

	if (clang_getCursorKind(c) != CXCursor_CallExpr)
		return CXChildVisit_Recurse;
	name = ast_call_name(c);
	api = ruleset_lookup(s->rules, name);
	if (api ? api->role == ROLE_ALLOC || api->role == ROLE_RELEASE ||
		      api->role == ROLE_HANDLER ||
		      api->role == ROLE_HANDLERFREE ||
		      api->role == ROLE_ACQUIRE || api->role == ROLE_UNDO
		: s->names && strvec_has(s->names, name))
		s->found = true;
	free(name);
	return s->found ? CXChildVisit_Break : CXChildVisit_Recurse;
}

/* The fields worth their facts: the ones the conditions of the functions
 * that touch interrupts test (they call an allocator, a release, a
 * handler API, or a function that does). A driver's other state stays
 * out of the paths' facts. */
static void find_interrupt_fields(struct tu_ctx *tu, struct tu_functions *fs)
{
	struct strvec touching = {0};
	bool *in = xcalloc(fs->n + 1, sizeof(*in));
	size_t i;
	int round;

	for (round = 0; round < 2; round++)
		for (i = 0; i < fs->n; i++) {
			struct interrupt_search s = {
			    tu->rules, round ? &touching : NULL, false};
			if (in[i])
				continue;
			clang_visitChildren(fs->items[i].cursor,
					    find_interrupt_call, &s);
			in[i] = s.found;
			if (s.found && !round)
				strvec_push(&touching, fs->items[i].name);
		}
	for (i = 0; i < fs->n; i++)
		if (in[i])
			clang_visitChildren(fs->items[i].cursor,
					    find_tested_fields, tu);
	strvec_free(&touching);
	free(in);
}

/* ---- the fields each function writes ----------------------------- */

struct write_walk {
	struct tu_ctx *tu;
	struct function *f;
};

static void note_write(struct write_walk *w, CXCursor target)
{
	char *key = canon_field_key(w->tu, target), base[512];

	if (key && fields_base_of(key, base, sizeof(base)) &&
	    !strvec_has(&w->f->writes, base))
		strvec_push(&w->f->writes, base);
	free(key);
}

static enum CXChildVisitResult find_writes(CXCursor c, CXCursor parent,
					   CXClientData data)
{
	struct write_walk *w = data;
	CXCursor target;

	(void)parent;
	if (fields_written_by(w->tu, c, false, &target))
		note_write(w, target);
	return CXChildVisit_Recurse;
}

/* Marks f and everything it calls, transitively (calls only: a
 * function passed as a value, such as an interrupt handler, runs later
 * and on its own). */
struct chain_walk {
	struct tu_functions *fs;
	bool *in;
};

static void mark_chain(struct tu_functions *fs, struct function *f, bool *in);

static enum CXChildVisitResult mark_calls(CXCursor c, CXCursor parent,
					  CXClientData data)
{
	struct chain_walk *cw = data;

	if (clang_getCursorKind(c) == CXCursor_CallExpr) {
		char *name = ast_call_name(c);
		struct function *callee =
		    *name ? driver_find_function(cw->fs, name) : NULL;
		free(name);
		if (callee)
			mark_chain(cw->fs, callee, cw->in);
	}
	return CXChildVisit_Recurse;
}

static void mark_chain(struct tu_functions *fs, struct function *f, bool *in)
{
	struct chain_walk cw = {fs, in};

	if (in[f - fs->items])
		return;
	in[f - fs->items] = true;
	clang_visitChildren(f->cursor, mark_calls, &cw);
}

void driver_find_volatile_fields(struct tu_ctx *tu, struct tu_functions *fs)
{
	bool *in = xcalloc(fs->n + 1, sizeof(*in));
	size_t i, j;

	if (!tu->tested_fields.n)
		goto out;
	for (i = 0; i < fs->n; i++) {
		struct write_walk w = {tu, &fs->items[i]};
		clang_visitChildren(fs->items[i].cursor, find_writes, &w);
		for (j = 0; j < fs->items[i].writes.n; j++)
			if (!strvec_has(&tu->written_fields,
					fs->items[i].writes.v[j]))
				strvec_push(&tu->written_fields,
					    fs->items[i].writes.v[j]);
	}
	for (i = 0; i < tu->ndrivers; i++) {
		const struct driver_callbacks *d = &tu->drivers[i];
		const char *names[3] = {d->probe, d->remove, d->shutdown};
		for (j = 0; j < 3; j++) {
			struct function *f =
			    names[j] ? driver_find_function(fs, names[j])
				     : NULL;
			if (!f)
				continue;
			if (j == 0)
				mark_chain(fs, f, in);
			else
				in[f - fs->items] = true;
		}
	}
	for (i = 0; i < fs->n; i++)
		for (j = 0; !in[i] && j < fs->items[i].writes.n; j++)
			if (!strvec_has(&tu->volatile_fields,
					fs->items[i].writes.v[j]))
				strvec_push(&tu->volatile_fields,
					    fs->items[i].writes.v[j]);
out:
	free(in);
}

void driver_discover(struct tu_ctx *tu, struct tu_functions *fs)
{
	CXCursor root = clang_getTranslationUnitCursor(tu->tu);
	struct foreign_drivers fd = {tu, fs};

	size_t i;

	clang_visitChildren(root, collect_functions, fs);
	clang_visitChildren(root, find_driver, tu);
	tu->nlocal_drivers = tu->ndrivers;
	module_each_driver(tu->module, adopt_foreign_driver, &fd);
	tu->exports_are_setup = !tu->ndrivers || tu->nlocal_drivers;
	for (i = 0; i < tu->ndrivers && tu->exports_are_setup; i++)
		if (tu->drivers[i].probe &&
		    driver_find_function(fs, tu->drivers[i].probe))
			tu->exports_are_setup = false;
	clang_visitChildren(root, find_device_fields, tu);
	find_interrupt_fields(tu, fs);
}

void driver_order(struct tu_ctx *tu, struct tu_functions *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		struct callee_walk w = {tu, fs, &fs->items[i]};
		if (clang_Cursor_getStorageClass(fs->items[i].cursor) !=
			CX_SC_Static &&
		    module_called_elsewhere(tu->module, fs->items[i].name))
			fs->items[i].has_caller = true;
		clang_visitChildren(fs->items[i].cursor, collect_callees, &w);
	}
	/* remove() starts from what probe() leaves: walk probe first */
	for (i = 0; i < tu->ndrivers; i++) {
		const struct driver_callbacks *d = &tu->drivers[i];
		const char *after[2] = {d->remove, d->shutdown};
		size_t j;
		for (j = 0; j < 2; j++) {
			struct function *f =
			    after[j] ? driver_find_function(fs, after[j])
				     : NULL;
			if (f && d->probe && driver_find_function(fs, d->probe))
				ARRAY_PUSH(f->callees, f->ncallees,
					   f->cap_callees, xstrdup(d->probe));
		}
	}
	/* probe() and what it calls come first: the irq fields it sets
	 * ("sc->irq_res = bus_alloc_resource_any(...)") name vectors in
	 * every other function, helpers of remove() included */
	for (i = 0; i < tu->nlocal_drivers; i++) {
		struct function *f =
		    tu->drivers[i].probe
			? driver_find_function(fs, tu->drivers[i].probe)
			: NULL;
		if (f)
			post_order(fs, f);
	}
	for (i = 0; i < fs->n; i++)
		post_order(fs, &fs->items[i]);
}

void driver_functions_release(struct tu_functions *fs)
{
	size_t i, j;

	for (i = 0; i < fs->n; i++) {
		for (j = 0; j < fs->items[i].ncallees; j++)
			free(fs->items[i].callees[j]);
		free(fs->items[i].callees);
		free(fs->items[i].name);
		strvec_free(&fs->items[i].writes);
	}
	free(fs->items);
	free(fs->order);
}
