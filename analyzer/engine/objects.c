/* Objects a driver acquires on its device and must give back (FreeBSD's
 * IRQ resources and taskqgroup attachments) ride in the handler table
 * under keys "DEVICE#@KIND:NAME": NAME is the irq index of an irq-named
 * object, else the field that holds it. They share the handler
 * bookkeeping (summaries, seeding remove() from probe) but none of the
 * handler rules. Fires EV_OBJECT_UNDO. */
#include "engine/walk.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/report.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>

/* Objects a driver acquires on its device and must give back (FreeBSD's
 * IRQ resources and taskqgroup attachments) ride in the handler table
 * under keys "DEVICE#@KIND:NAME": NAME is the irq index of an
 * irq-named object, else the field that holds it. They share the
 * handler bookkeeping (summaries, seeding remove() from probe) but none of
 * the handler rules. */
bool event_key_is_object(const char *key)
{
	const char *hash = strrchr(key, '#');

	return hash && hash[1] == '@';
}

static char *object_key_text(const char *dev, const char *kind,
			     const char *name)
{
	return xasprintf("%s#@%s:%s", dev, kind, name);
}

/* True when the api's when= argument is spelled as the pack says (or it
 * has none). */
static bool call_applies(struct fn_ctx *fn, const struct api_entry *api,
			 CXCursor *args, size_t nargs)
{
	struct ast_token *toks = NULL;
	size_t n;
	bool same;

	if (api->when_arg < 0)
		return true;
	if ((size_t)api->when_arg >= nargs)
		return false;
	n = ast_tokens(fn->tu->tu, args[api->when_arg], &toks);
	same = n == 1 && !strcmp(toks[0].text, api->when_text);
	ast_tokens_free(toks, n);
	return same;
}

/* The last name in an object argument ("&sc->admin_task" gives
 * "admin_task"), read from its tokens so that it survives a field whose
 * type a tolerant parse could not complete; else its canonical text.
 * Caller frees. */
static char *object_name(struct fn_ctx *fn, CXCursor arg)
{
	struct ast_token *toks = NULL;
	size_t n = ast_tokens(fn->tu->tu, arg, &toks), i;
	char *name = NULL;

	for (i = n; i-- > 0 && !name;)
		if (toks[i].kind == CXToken_Identifier)
			name = xstrdup(toks[i].text);
	ast_tokens_free(toks, n);
	return name ? name : canon_text(fn, arg);
}

/* The object key of an acquire/undo call or of an irqvec call that holds
 * one; NULL when the call does not name one. Caller frees. */
static char *object_key_of_call(struct fn_ctx *fn, CXCursor call,
				const struct api_entry *api, CXCursor *args,
				size_t nargs)
{
	char *irq = NULL, *dev, *name, *key;
	CXCursor from;

	if (!call_applies(fn, api, args, nargs))
		return NULL;
	if (api->role == ROLE_IRQVEC)
		irq = handlers_irq_key_text(fn, call);
	else if (api->irq_arg >= 0 && (size_t)api->irq_arg < nargs)
		irq = handlers_irq_key_text(fn, args[api->irq_arg]);
	if (irq) {
		char *hash = strrchr(irq, '#');
		*hash = '\0';
		key = object_key_text(irq, api->kind, hash + 1);
		free(irq);
		return key;
	}
	if (api->role == ROLE_IRQVEC || api->obj_arg < 0 ||
	    (size_t)api->obj_arg >= nargs)
		return NULL;
	from = args[api->obj_arg];
	name = object_name(fn, from);
	/* an argument that is no device (FreeBSD 12's taskqgroup_attach()
	 * takes an irq number where 13's takes the device): the object is
	 * the driver's, as when the call names no device */
	if (api->dev_arg >= 0 && (size_t)api->dev_arg < nargs &&
	    canon_is_device_pointer(fn->tu,
				    clang_getCursorType(args[api->dev_arg])))
		dev = canon_device(fn, args[api->dev_arg]);
	else
		dev = xstrdup(DRIVER_DEVICE_KEY);
	key = object_key_text(dev, api->kind, name);
	free(dev);
	free(name);
	return key;
}

/* An undo names its object without the device (taskqgroup_detach()): the
 * tracked object of that kind and name on any device. */
static int32_t find_object_by_name(struct walk *w, const char *key, int *dev)
{
	const char *suffix = strrchr(key, '#');
	size_t sl = strlen(suffix);
	int i;

	for (i = 0; i < w->st->c.nhandler; i++) {
		const char *k = w->fn->keys[w->st->c.handler[i].key];
		size_t kl = strlen(k);
		if (kl > sl && !strcmp(k + kl - sl, suffix)) {
			*dev = w->st->c.handler[i].dev;
			return w->st->c.handler[i].key;
		}
	}
	return -1;
}

/* "NAME() VERB KIND OBJECT" as a step of the path; returns its site. */
static int32_t add_object_step(struct walk *w, CXCursor call,
			       const struct api_entry *api, int32_t key,
			       const char *verb)
{
	struct fn_ctx *fn = w->fn;
	char *text = xasprintf("%s() %s %s %s", api->name, verb, api->kind,
			       strchr(fn->keys[key], ':') + 1);
	int32_t site = engine_add_site(fn->tu, call, text, fn->name);

	free(text);
	trace_add_step(fn, w->st, site);
	return site;
}

void objects_acquire(struct walk *w, CXCursor call, const struct api_entry *api,
		     CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	char *text = object_key_of_call(fn, call, api, args, nargs);
	int dev;
	int32_t key, site, rkey;

	if (!text)
		return;
	key = handlers_intern_key(w, text, &dev);
	if (key < 0)
		return;
	site = add_object_step(w, call, api, key, "acquires");
	if (api->success == SUCCESS_NONE) {
		state_set_handler(fn, w->st, dev, key, H_ATTACHED, false, true,
				  site, 0);
		return;
	}
	rkey = key_of_cursor(fn, call);
	state_settle_for_key(fn, w->st, rkey);
	handlers_add_pending(w, rkey, api->success, dev, api->name, site, key,
			     0, false, 1);
}

/* The handler attached on the irq an object is named by ("DEV#@KIND:IDX"
 * names irq "DEV#IDX"), or -1. */
static int handler_on_object_irq(struct walk *w, int32_t key)
{
	const char *k = w->fn->keys[key], *idx = strchr(k, ':') + 1;
	size_t dev_len = (size_t)(strrchr(k, '#') - k) + 1;
	int h;

	for (h = 0; h < w->st->c.nhandler; h++) {
		const char *t = w->fn->keys[w->st->c.handler[h].key];
		if (w->st->c.handler[h].state == H_ATTACHED &&
		    !strncmp(t, k, dev_len) && !strcmp(t + dev_len, idx))
			return h;
	}
	return -1;
}

/* Gives back object key of device dev: fires EV_OBJECT_UNDO with the
 * handler still attached to the irq it names, if any, and records a give
 * back of what this path did not acquire for the callers. */
void objects_undo_at(struct walk *w, int dev, int32_t key, const char *api,
		     int32_t site, bool via, int32_t callee_site)
{
	struct fn_ctx *fn = w->fn;
	int i, h;

	for (i = w->st->c.npend - 1; i >= 0; i--)
		if (w->st->c.pend[i].handler_key == key)
			state_settle_unconfirmed(fn, w->st, i);
	h = handler_on_object_irq(w, key);
	if (h >= 0) {
		struct event ev = {.kind = EV_OBJECT_UNDO,
				   .fn = fn,
				   .st = w->st,
				   .dev = dev,
				   .api = api,
				   .site = site,
				   .handler = h,
				   .via_summary = via,
				   .callee_site = callee_site};
		report_fire(&ev);
	}
	h = state_find_handler(w->st, key);
	if (h >= 0 && w->st->c.handler[h].state == H_ATTACHED)
		state_remove_handler(w->st, h);
	else if (h < 0)
		state_set_handler(fn, w->st, dev, key, H_FREED, false, false,
				  site, 0);
}

void objects_undo(struct walk *w, CXCursor call, const struct api_entry *api,
		  CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	char *text = object_key_of_call(fn, call, api, args, nargs);
	int dev = -1;
	int32_t key = -1, site;

	if (!text)
		return;
	if (api->dev_arg < 0 && api->irq_arg < 0)
		key = find_object_by_name(w, text, &dev);
	if (key < 0)
		key = handlers_intern_key(w, text, &dev);
	else
		free(text);
	if (key < 0)
		return;
	site = add_object_step(w, call, api, key, "gives back");
	objects_undo_at(w, dev, key, api->name, site, false, -1);
}

/* A call the analysis cannot see into that is handed the driver's data
 * (the softc, the drvdata) may give the objects it holds back: stop
 * tracking them, rather than report a leak that may not be one; and it
 * may free the handlers requested with that data (enetc_ptp's remove()
 * hands it to ptp_qoriq_free() in another module, which frees the
 * irq): what rests on them being attached is unproven. Calls handed only
 * the device (device_printf()) keep them. */
void objects_forget_passed(struct walk *w, CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	bool softc = false;
	size_t a;
	int i;

	for (a = 0; a < nargs && !softc; a++) {
		char *text = canon_text(fn, args[a]);
		softc = strstr(text, "drvdata(") != NULL;
		free(text);
	}
	for (i = w->st->c.nhandler - 1; softc && i >= 0; i--)
		if (event_key_is_object(fn->keys[w->st->c.handler[i].key]))
			state_remove_handler(w->st, i);
		else
			w->st->c.handler[i].maybe_freed = 1;
}
