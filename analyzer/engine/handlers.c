/* Interrupt handlers: which irq numbers are tied to which vector of which
 * device ("device#index" keys, from pci_irq_vector(), dev->irq,
 * msix_entry arrays and the variables and fields that hold them), requests
 * and frees along a path, irq reads after a release, and the unwind loops
 * a function runs (learned before the walk). Fires EV_HANDLER_FREE and
 * EV_IRQ_USE. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/report.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>

bool event_handler_unwound(const struct event *ev,
			   const struct handler_track *h, unsigned line)
{
	const struct fn_ctx *fn = ev->fn;
	const char *key = fn->keys[h->key];
	char *dev;
	size_t i;
	bool yes = false;

	if (key_index_is_constant(key))
		return false;
	dev = xstrndup(key, (size_t)(strrchr(key, '#') - key));
	for (i = 0; i < fn->unwound_devices.n; i++)
		if (!strcmp(fn->unwound_devices.v[i], dev) &&
		    fn->unwound_lines[i] < line)
			yes = true;
	free(dev);
	return yes;
}

void handlers_remember_entry_array(struct fn_ctx *fn, CXCursor entries,
				   CXCursor device)
{
	char *arr = canon_text(fn, entries);
	char *dk = canon_device(fn, device);
	CXCursor a = ast_strip(entries);

	alias_remember(&fn->entry_arrays, &fn->nentry_arrays,
		       &fn->cap_entry_arrays, arr, dk);
	if (clang_getCursorKind(a) == CXCursor_MemberRefExpr &&
	    !strcmp(dk, DRIVER_DEVICE_KEY)) {
		char *f = ast_spelling(a);
		if (!strvec_has(&fn->tu->entry_fields, f))
			strvec_push(&fn->tu->entry_fields, f);
		free(f);
	}
	free(arr);
	free(dk);
}

/* "&X[I]" (the canonical text of a pointer to an element) becomes "X" in
 * text, with *index "I"; false, and text untouched, for anything else. */
static bool split_element_address(char *text, char **index)
{
	size_t len = strlen(text), i;
	int depth = 0;

	if (len < 5 || text[0] != '&' || text[len - 1] != ']')
		return false;
	for (i = len; i-- > 1;) {
		if (text[i] == ']')
			depth++;
		else if (text[i] == '[' && --depth == 0)
			break;
	}
	if (i == 0 || depth != 0)
		return false;
	*index = xstrndup(text + i + 1, len - i - 2);
	memmove(text, text + 1, i - 1);
	text[i - 1] = '\0';
	return true;
}

char *handlers_typed_field(CXCursor member)
{
	CXCursor *kids = NULL;
	CXType t;
	CXString ts;
	char *field, *r = NULL;

	if (clang_getCursorKind(member) != CXCursor_MemberRefExpr ||
	    ast_children(member, &kids) != 1) {
		free(kids);
		return NULL;
	}
	t = clang_getCanonicalType(clang_getCursorType(ast_strip(kids[0])));
	if (t.kind == CXType_Pointer)
		t = clang_getCanonicalType(clang_getPointeeType(t));
	free(kids);
	if (t.kind != CXType_Record)
		return NULL;
	ts = clang_getTypeSpelling(t);
	field = ast_spelling(member);
	r = xasprintf("%s::%s", clang_getCString(ts), field);
	free(field);
	clang_disposeString(ts);
	return r;
}

/* "device#index" for an irq number tied to a vector of a device: NAME(dev,
 * i) of an irqvec line, dev->IRQFIELD, entries[i].ENTRYFIELD of an array an
 * allocation filled, or a variable holding one of those. Caller frees. */
char *handlers_irq_key_text(struct fn_ctx *fn, CXCursor irq)
{
	const struct ruleset *rs = fn->tu->rules;
	CXCursor c = ast_strip(irq), *kids = NULL;
	enum CXCursorKind k = clang_getCursorKind(c);
	char *result = NULL;

	if (k == CXCursor_CallExpr) {
		char *name = ast_call_name(c);
		const struct api_entry *api = ruleset_lookup(rs, name);
		int n = clang_Cursor_getNumArguments(c);
		free(name);
		if (api && api->role == ROLE_IRQVEC && api->dev_arg < n &&
		    api->vec_arg < n) {
			char *dev =
			    canon_device(fn, clang_Cursor_getArgument(
						 c, (unsigned)api->dev_arg));
			char *idx =
			    key_index_text(fn, clang_Cursor_getArgument(
						   c, (unsigned)api->vec_arg));
			if (api->names_only && !key_index_is_constant(idx)) {
				/* a resource id in a variable (FreeBSD's
				 * &sc->irq_rid): one key per device, so that
				 * other functions find it through the field
				 * that holds the resource */
				free(idx);
				idx = xstrdup("0");
			}
			result = xasprintf("%s#%s", dev, idx);
			free(dev);
			free(idx);
		}
	} else if (k == CXCursor_MemberRefExpr && ast_children(c, &kids) == 1) {
		char *field = ast_spelling(c), *typed = handlers_typed_field(c);
		CXCursor base = ast_strip(kids[0]);
		const char *stored =
		    alias_lookup(fn->tu->irq_fields, fn->tu->nirq_fields,
				 typed ? typed : field);
		free(typed);
		if (rs->irq_field && !strcmp(field, rs->irq_field) &&
		    canon_is_device_pointer(fn->tu,
					    clang_getCursorType(base))) {
			char *dev = canon_device(fn, base);
			result = xasprintf("%s#0", dev);
			free(dev);
		} else if (stored) {
			result = xstrdup(stored);
		} else if (rs->entry_field && !strcmp(field, rs->entry_field)) {
			CXCursor *sub = NULL;
			char *arr = NULL, *idx = NULL;
			const char *dev;
			if (clang_getCursorKind(base) ==
				CXCursor_ArraySubscriptExpr &&
			    ast_children(base, &sub) == 2) {
				arr = canon_text(fn, sub[0]);
				idx = key_index_text(fn, sub[1]);
			} else {
				arr = canon_text(fn, base);
				idx = NULL;
				/* a pointer to an element, "e = &X[i]; ...
				 * e->vector" */
				if (!split_element_address(arr, &idx)) {
					idx = xstrdup("0");
				}
			}
			dev = alias_lookup(fn->entry_arrays, fn->nentry_arrays,
					   arr);
			if (!dev && !strchr(arr, '&')) {
				/* X->msix[i].vector through a pointer to it */
				const char *f = key_field_part(arr);
				if (f != arr &&
				    strvec_has(&fn->tu->entry_fields, f))
					dev = DRIVER_DEVICE_KEY;
			}
			if (!dev) {
				/* X->msix[i].vector, filled in another function
				 */
				CXCursor a = ast_strip(
				    clang_getCursorKind(base) ==
					    CXCursor_ArraySubscriptExpr
					? sub[0]
					: base);
				if (clang_getCursorKind(a) ==
				    CXCursor_MemberRefExpr) {
					char *f = ast_spelling(a);
					if (strvec_has(&fn->tu->entry_fields,
						       f))
						dev = DRIVER_DEVICE_KEY;
					free(f);
				}
			}
			if (dev)
				result = xasprintf("%s#%s", dev, idx);
			free(sub);
			free(arr);
			free(idx);
		}
		free(field);
	}
	if (!result &&
	    (k == CXCursor_DeclRefExpr || k == CXCursor_ArraySubscriptExpr ||
	     k == CXCursor_MemberRefExpr)) {
		/* a variable, array element or field that was given one */
		char *var = canon_text(fn, c);
		const char *key =
		    alias_lookup(fn->irq_vars, fn->nirq_vars, var);
		if (!key)
			key =
			    alias_lookup(fn->tu->irq_exprs, fn->tu->nirq_exprs,
					 key_field_part(var));
		if (key)
			result = xstrdup(key);
		free(var);
	}
	free(kids);
	return result;
}

/* "device#index" of a handler API call, from its irq= argument or from
 * dev= and vec= (pci_request_irq); NULL when not tied to a vector. With
 * display, also the argument's source text for messages. */
static char *handler_key_text(struct fn_ctx *fn, const struct api_entry *api,
			      CXCursor *args, size_t nargs, char **display)
{
	char *text = NULL;
	CXCursor shown = clang_getNullCursor();

	if (api->irq_arg >= 0 && (size_t)api->irq_arg < nargs) {
		text = handlers_irq_key_text(fn, args[api->irq_arg]);
		shown = args[api->irq_arg];
	} else if (api->irq_arg < 0 && (size_t)api->dev_arg < nargs &&
		   (size_t)api->vec_arg < nargs) {
		char *d = canon_device(fn, args[api->dev_arg]);
		char *i = key_index_text(fn, args[api->vec_arg]);
		text = xasprintf("%s#%s", d, i);
		free(d);
		free(i);
		shown = args[api->vec_arg];
	}
	if (display)
		*display = clang_Cursor_isNull(shown)
			       ? NULL
			       : canon_display(fn, shown);
	return text;
}

char *handlers_devid_type_text(CXCursor arg)
{
	CXType t, to;
	CXString sp;
	const char *text;
	char *result = NULL;

	t = clang_getCanonicalType(clang_getCursorType(ast_strip(arg)));
	if (t.kind == CXType_Pointer)
		to = clang_getPointeeType(t);
	else if (t.kind == CXType_ConstantArray ||
		 t.kind == CXType_IncompleteArray)
		to = clang_getArrayElementType(t);
	else
		return NULL;
	to = clang_getCanonicalType(to);
	if (to.kind == CXType_Void || to.kind == CXType_Invalid ||
	    to.kind == CXType_Unexposed)
		return NULL;
	sp = clang_getTypeSpelling(to);
	text = clang_getCString(sp);
	while (text &&
	       (!strncmp(text, "const ", 6) || !strncmp(text, "volatile ", 9)))
		text += text[0] == 'c' ? 6 : 9;
	if (text && *text)
		result = xstrdup(text);
	clang_disposeString(sp);
	return result;
}

/* What a dev_id points to, as the handler_track.devid of a request or a
 * free: the interned type + 1, or 0 when the argument is missing or its
 * type says nothing. free_irq() frees the action whose dev_id is the
 * same pointer; pointers to different types are not, whatever their
 * values. */
static int32_t handler_devid_of(struct fn_ctx *fn, const struct api_entry *api,
				CXCursor *args, size_t nargs)
{
	char *type, *key;
	int32_t id;

	if (api->devid_arg < 0 || (size_t)api->devid_arg >= nargs)
		return 0;
	type = handlers_devid_type_text(args[api->devid_arg]);
	if (!type)
		return 0;
	key = xasprintf("devid:%s", type);
	id = key_intern(fn, key) + 1;
	free(key);
	free(type);
	return id;
}

/* The dev_id of a free can be the one handler t was requested with. */
static bool devid_may_match(const struct handler_track *t, int32_t devid)
{
	return t->devid <= 0 || devid <= 0 || t->devid == devid;
}

/* The text of a dev_id type (handler_track.devid > 0). */
static const char *devid_text(const struct fn_ctx *fn, int32_t devid)
{
	return fn->keys[devid - 1] + strlen("devid:");
}

/* Interns a handler key and finds its device in st: the key's id, or -1
 * (the text is consumed). */
int32_t handlers_intern_key(struct walk *w, char *text, int *dev)
{
	struct fn_ctx *fn = w->fn;
	char *hash;
	int32_t key;

	*dev = -1;
	if (!text)
		return -1;
	hash = strrchr(text, '#');
	*hash = '\0';
	*dev = state_get_dev(fn, w->st, key_intern(fn, text));
	*hash = '#';
	key = key_intern(fn, text);
	free(text);
	return *dev >= 0 ? key : -1;
}

static int32_t handler_key_of(struct walk *w, const struct api_entry *api,
			      CXCursor *args, size_t nargs, int *dev,
			      char **display)
{
	return handlers_intern_key(
	    w, handler_key_text(w->fn, api, args, nargs, display), dev);
}

/* A pending call result that attaches a handler when the call ends as
 * `on` says (1: success, 2: failure). */
void handlers_add_pending(struct walk *w, int32_t result_key,
			  enum success_kind success, int dev, const char *api,
			  int32_t site, int32_t key, int32_t devid, bool devm,
			  uint8_t on)
{
	struct effect none = {
	    .via = -1, .site = -1, .enable_site = -1, .exit_site = -1};
	struct pending *p;

	state_add_pending(w->fn, w->st, result_key, success, dev, api, site,
			  &none, &none);
	p = &w->st->c.pend[w->st->c.npend - 1];
	p->handler_key = key;
	p->handler_devid = devid;
	p->handler_devm = devm;
	p->handler_on = on;
	/* local on success only: kept on a callee's failure, it is the
	 * callee's leak, not the caller's */
	p->handler_local = 1;
}

void handlers_request(struct walk *w, CXCursor call,
		      const struct api_entry *api, CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	char *display = NULL, *text;
	int dev;
	int32_t key = handler_key_of(w, api, args, nargs, &dev, &display);
	int32_t site, rkey, devid;

	text = xasprintf("%s() attaches a handler to irq %s", api->name,
			 display ? display : "?");
	free(display);
	if (key < 0) {
		/* not tied to a vector: a step only for a free that cannot
		 * pair it (wrong-handler-free) */
		site = engine_add_site(fn->tu, call, text, fn->name);
		if (misindex_note_request(fn, w->st, call))
			trace_add_step(fn, w->st, site);

		free(text);
		return;
	}
	site = engine_add_site(fn->tu, call, text, fn->name);
	free(text);
	trace_add_step(fn, w->st, site);
	devid = handler_devid_of(fn, api, args, nargs);
	if (api->success == SUCCESS_NONE) {
		state_set_handler(fn, w->st, dev, key, H_ATTACHED, api->managed,
				  true, site, devid);
		return;
	}
	rkey = key_of_cursor(fn, call);
	state_settle_for_key(fn, w->st, rkey);
	handlers_add_pending(w, rkey, api->success, dev, api->name, site, key,
			     devid, api->managed, 1);
}

/* A handler just freed: one requested outside the function (probe's, for
 * remove()) stays in the table as freed, so that the summary tells the
 * callers; one requested here is gone. */
static void drop_freed(struct state *st, int h)
{
	if (h < 0)
		return;
	if (!st->c.handler[h].local)
		st->c.handler[h].state = H_FREED;
	else
		state_remove_handler(st, h);
}

/* Fires EV_HANDLER_MISFREE: the free at site cannot free handler h, for
 * the reason detail. The handler stays attached. */
static void fire_misfree(struct walk *w, int dev, int h, const char *api,
			 int32_t site, const char *detail)
{
	struct event ev = {.kind = EV_HANDLER_MISFREE,
			   .fn = w->fn,
			   .st = w->st,
			   .dev = dev,
			   .api = api,
			   .site = site,
			   .handler = h,
			   .callee_site = -1,
			   .detail = detail};

	report_fire(&ev);
}

/* The free's dev_id points to another type than handler h's did. */
static void fire_devid_mismatch(struct walk *w, int dev, int h, int32_t devid,
				const char *api, int32_t site)
{
	const struct fn_ctx *fn = w->fn;
	const struct handler_track *t = &w->st->c.handler[h];
	char *detail = xasprintf(
	    "its dev_id points to %s where the request's pointed to %s",
	    devid_text(fn, devid), devid_text(fn, t->devid));

	fire_misfree(w, dev, h, api, site, detail);
	free(detail);
}

void handlers_free_at(struct walk *w, int dev, int32_t key, int32_t devid,
		      bool devm, const char *api, int32_t site, bool via,
		      int32_t callee_site)
{
	struct fn_ctx *fn = w->fn;
	bool variable = !key_index_is_constant(fn->keys[key]);
	int h, mismatched = -1;

	/* a handler requested earlier on this path whose result was not
	 * tested yet is taken as attached */
	for (h = w->st->c.npend - 1; h >= 0; h--)
		if (w->st->c.pend[h].handler_key == key)
			state_settle_unconfirmed(fn, w->st, h);
	/* an index that varies: every index it may take */
	h = variable ? -1 : state_find_handler(w->st, key);
	if (h >= 0 && w->st->c.handler[h].state == H_ATTACHED &&
	    !devid_may_match(&w->st->c.handler[h], devid)) {
		fire_devid_mismatch(w, dev, h, devid, api, site);
		return;
	}
	if (h < 0) {
		/* free_irq(pci_irq_vector(pdev, i)) in a loop frees the
		 * device's handlers whatever index requested them (the
		 * loop's own and those on fixed vectors below it: "while
		 * (--i >= 0)"), and a constant index frees one a loop
		 * requested */
		const char *hash = strrchr(fn->keys[key], '#');
		bool wildcard = hash && !strcmp(hash, "#*");
		int j;
		for (j = 0; j < w->st->c.nhandler; j++) {
			const struct handler_track *t = &w->st->c.handler[j];
			bool loop_handler =
			    !key_index_is_constant(fn->keys[t->key]);
			if (t->dev != dev || t->state != H_ATTACHED ||
			    event_key_is_object(fn->keys[t->key]))
				continue;
			/* a loop's bounds are unknown: it may skip a devres
			 * handler on a fixed vector (for (i = 1; ...)); a
			 * callee's teardown loop ("#*") frees with free_irq()
			 * what it requested so, not devres's handlers */
			if (variable && !loop_handler && t->devm)
				continue;
			if (wildcard && !t->devm != !devm)
				continue;
			if (!(variable || loop_handler))
				continue;
			/* another dev_id: not this handler (a loop over the
			 * queues does not free the handler of the misc
			 * vector); wrong when it frees none at all and names
			 * the irq as the request did */
			if (!devid_may_match(t, devid)) {
				if (variable && t->key == key && mismatched < 0)
					mismatched = j;
				continue;
			}
			{
				struct event ev = {.kind = EV_HANDLER_FREE,
						   .fn = fn,
						   .st = w->st,
						   .dev = dev,
						   .api = api,
						   .site = site,
						   .handler = j,
						   .free_is_devm = devm,
						   .via_summary = via,
						   .callee_site = callee_site};
				report_fire(&ev);
				drop_freed(w->st, j);
				if (!variable)
					return;
				j--;
				h = -2; /* something was freed */
				mismatched = -1;
			}
		}
	}
	if (h == -1 && mismatched >= 0) {
		fire_devid_mismatch(w, dev, mismatched, devid, api, site);
		return;
	}
	if (h >= 0 && w->st->c.handler[h].state == H_ATTACHED) {
		struct event ev = {.kind = EV_HANDLER_FREE,
				   .fn = fn,
				   .st = w->st,
				   .dev = dev,
				   .api = api,
				   .site = site,
				   .handler = h,
				   .free_is_devm = devm,
				   .via_summary = via,
				   .callee_site = callee_site};
		report_fire(&ev);
		drop_freed(w->st, state_find_handler(w->st, key));
	} else if (h == -1) {
		/* not requested on this path: freed for a caller */
		state_set_handler(fn, w->st, dev, key, H_FREED, devm, false,
				  site, 0);
	}
}

/* A free the function's requests cannot pair (misindex.c): it frees none
 * of the handlers it means to. A handler attached on the device (the
 * one on the free's own irq first) is reported and all stay attached;
 * on an irq not tied to a vector, the free is reported when its path
 * went through a request it cannot pair. True when the call was such a
 * free. */
static bool free_misindexed(struct walk *w, const struct misindexed_free *m,
			    int dev, int32_t key, const char *api, int32_t site)
{
	int j, pick = -1;

	for (j = 0; dev >= 0 && j < w->st->c.nhandler; j++) {
		const struct handler_track *t = &w->st->c.handler[j];
		if (t->dev != dev || t->state != H_ATTACHED ||
		    event_key_is_object(w->fn->keys[t->key]))
			continue;
		if (t->key == key) {
			pick = j;
			break;
		}
		if (pick < 0 && !key_index_is_constant(w->fn->keys[t->key]))
			pick = j;
	}
	if (pick >= 0) {
		fire_misfree(w, dev, pick, api, site, m->why);
		return true;
	}
	if (key < 0 && m->by_type &&
	    misindex_request_on_path(w->fn, m, w->st)) {
		fire_misfree(w, -1, -1, api, site, m->why);
		return true;
	}
	return false;
}

void handlers_free_call(struct walk *w, CXCursor call,
			const struct api_entry *api, CXCursor *args,
			size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	const struct misindexed_free *m = misindex_lookup(fn, call);
	char *display = NULL, *text;
	int dev;
	int32_t key = handler_key_of(w, api, args, nargs, &dev, &display);
	int32_t site;

	if (key < 0 &&
	    !(m && m->by_type && misindex_request_on_path(fn, m, w->st))) {
		free(display);
		return;
	}
	text = xasprintf(!m ? "%s() frees the handler on irq %s"
			 : m->by_type
			     ? "%s() is called on irq %s with a dev_id of a "
			       "type no request passed"
			     : "%s() is called on irq %s, by an index the "
			       "loop never changes",
			 api->name, display ? display : "?");
	site = engine_add_site(fn->tu, call, text, fn->name);
	free(text);
	free(display);
	trace_add_step(fn, w->st, site);
	if (m && free_misindexed(w, m, dev, key, api->name, site))
		return;
	if (key >= 0)
		handlers_free_at(w, dev, key,
				 handler_devid_of(fn, api, args, nargs),
				 api->managed, api->name, site, false, -1);
}

void handlers_irq_use(struct walk *w, CXCursor call,
		      const struct api_entry *api, CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	struct event ev = {.kind = EV_IRQ_USE,
			   .fn = fn,
			   .st = w->st,
			   .api = api->name,
			   .any_index = api->any_vec};
	char *key;
	long long idx;

	if ((size_t)api->dev_arg >= nargs || (size_t)api->vec_arg >= nargs ||
	    api->names_only)
		return;
	key = canon_device(fn, args[api->dev_arg]);
	ev.dev = state_get_dev(fn, w->st, key_intern(fn, key));
	free(key);
	/* released here, or maybe by a caller (decided at its call) */
	if (ev.dev < 0 || (w->st->c.dev[ev.dev].vec != VEC_RELEASED &&
			   w->st->c.dev[ev.dev].vec != VEC_ENTRY))
		return;
	ev.index_constant = ast_eval_int(args[api->vec_arg], &idx);
	ev.index_is_zero = ev.index_constant && idx == 0;
	ev.site = engine_add_site(fn->tu, call, "", fn->name);
	report_fire(&ev);
}

static void note_unwound(struct fn_ctx *fn, const char *key, CXCursor call)
{
	struct ast_loc loc;
	char *dev;
	size_t i;

	if (key_index_is_constant(key) || !strrchr(key, '#'))
		return;
	ast_location(call, false, &loc);
	dev = xstrndup(key, (size_t)(strrchr(key, '#') - key));
	for (i = 0; i < fn->unwound_devices.n; i++)
		if (!strcmp(fn->unwound_devices.v[i], dev))
			break;
	if (i == fn->unwound_devices.n) {
		strvec_push(&fn->unwound_devices, dev);
		fn->unwound_lines =
		    xrealloc(fn->unwound_lines, fn->unwound_devices.cap *
						    sizeof(*fn->unwound_lines));
		fn->unwound_lines[i] = loc.line;
	} else if (loc.line < fn->unwound_lines[i]) {
		fn->unwound_lines[i] = loc.line;
	}
	ast_loc_release(&loc);
	free(dev);
}

/* What the unwind scan knows of the function's requests: each one's
 * handler key and dev_id type. */
struct unwind_scan {
	struct fn_ctx *fn;
	struct strvec request_keys;
	int32_t *request_devids;
	size_t cap_devids;
};

static bool scan_requests(CXCursor call, void *data)
{
	struct unwind_scan *us = data;
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(us->fn->tu->rules, name);
	int n = clang_Cursor_getNumArguments(call), a;
	size_t nargs = n > 0 ? (size_t)n : 0;
	CXCursor *args;
	char *key;

	free(name);
	if (!api || api->role != ROLE_HANDLER)
		return true;
	args = xcalloc(nargs + 1, sizeof(*args));
	for (a = 0; a < n; a++)
		args[a] = clang_Cursor_getArgument(call, (unsigned)a);
	key = handler_key_text(us->fn, api, args, nargs, NULL);
	if (key) {
		size_t at = us->request_keys.n;
		strvec_push(&us->request_keys, key);
		grow_array((void **)&us->request_devids, &us->cap_devids,
			   at + 1, sizeof(*us->request_devids));
		us->request_devids[at] =
		    handler_devid_of(us->fn, api, args, nargs);
	}
	free(key);
	free(args);
	return true;
}

/* A free of key with a dev_id of type devid that no request of the
 * function on that key could have paired (each passed a dev_id of
 * another known type): it unwinds nothing. */
static bool frees_no_request(const struct unwind_scan *us, const char *key,
			     int32_t devid)
{
	size_t i;
	bool seen = false;

	if (devid <= 0)
		return false;
	for (i = 0; i < us->request_keys.n; i++) {
		if (strcmp(us->request_keys.v[i], key))
			continue;
		if (us->request_devids[i] <= 0 ||
		    us->request_devids[i] == devid)
			return false;
		seen = true;
	}
	return seen;
}

static bool scan_unwind_call(CXCursor call, void *data)
{
	struct unwind_scan *us = data;
	struct fn_ctx *fn = us->fn;
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);
	struct fn_summary *sum = api ? NULL : engine_find_summary(fn->tu, name);
	int n = clang_Cursor_getNumArguments(call), a;
	size_t nargs = n > 0 ? (size_t)n : 0, i;
	CXCursor *args = xcalloc(nargs + 1, sizeof(*args));

	for (a = 0; a < n; a++)
		args[a] = clang_Cursor_getArgument(call, (unsigned)a);
	if (api && api->role == ROLE_HANDLERFREE &&
	    !misindex_lookup(fn, call)) {
		char *key = handler_key_text(fn, api, args, nargs, NULL);
		if (key && !frees_no_request(
			       us, key, handler_devid_of(fn, api, args, nargs)))
			note_unwound(fn, key, call);
		free(key);
	} else if (sum && sum->analysed) {
		for (i = 0; i < sum->nhandlers; i++) {
			char *key;
			if (sum->handlers[i].state != H_FREED)
				continue;
			key = apply_substitute_handler_key(
			    fn, sum->handlers[i].key, args, nargs);
			if (key)
				note_unwound(fn, key, call);
			free(key);
		}
	}
	free(args);
	free(name);
	return true;
}

/* "irqs[i] = pci_irq_vector(pdev, i)" anywhere in the function, learned
 * before the walk so that the unwind scan can read free_irq(irqs[i]). */
static enum CXChildVisitResult scan_irq_assignments(CXCursor c, CXCursor parent,
						    CXClientData data)
{
	struct fn_ctx *fn = data;
	CXCursor *kids;

	if (clang_getCursorKind(c) != CXCursor_BinaryOperator ||
	    strcmp(cfg_operator(&fn->tu->cfg_env, c), "="))
		return CXChildVisit_Recurse;
	if (ast_children(c, &kids) == 2) {
		char *irq = handlers_irq_key_text(fn, kids[1]);
		if (irq) {
			char *lt = canon_text(fn, kids[0]);
			alias_remember(&fn->irq_vars, &fn->nirq_vars,
				       &fn->cap_irq_vars, lt, irq);
			free(lt);
			free(irq);
		}
	}
	free(kids);
	return CXChildVisit_Recurse;
}

static bool scan_entry_arrays(CXCursor call, void *data)
{
	struct fn_ctx *fn = data;
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);
	int n = clang_Cursor_getNumArguments(call);

	if (api && api->role == ROLE_ALLOC && api->entries_arg >= 0 &&
	    api->entries_arg < n && api->dev_arg < n)
		handlers_remember_entry_array(
		    fn,
		    clang_Cursor_getArgument(call, (unsigned)api->entries_arg),
		    clang_Cursor_getArgument(call, (unsigned)api->dev_arg));
	free(name);
	return true;
}

/* Finds the devices whose handlers the function frees by a variable
 * index, itself or through a callee (after learning which msix_entry
 * arrays its allocations fill). */
void handlers_scan_unwinds(struct fn_ctx *fn, struct cfg *cfg)
{
	struct unwind_scan us = {.fn = fn};
	size_t i;

	misindex_find(fn);
	for (i = 0; i < cfg->n; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr))
			cfg_visit_calls(cfg->nodes[i].expr, scan_entry_arrays,
					fn);
	clang_visitChildren(fn->cursor, scan_irq_assignments, fn);
	for (i = 0; i < cfg->n; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr))
			cfg_visit_calls(cfg->nodes[i].expr, scan_requests, &us);
	for (i = 0; i < cfg->n; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr))
			cfg_visit_calls(cfg->nodes[i].expr, scan_unwind_call,
					&us);
	strvec_free(&us.request_keys);
	free(us.request_devids);
}
