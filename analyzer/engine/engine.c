/* The path walk (see engine.h). A worklist of (node, state) pairs; states
 * equal in everything but their trail are merged per node, so the walk
 * stays polynomial; a per-node and per-function budget bounds loops and
 * large functions, and hitting it is reported, never hidden. */
#include "engine.h"
#include "ast.h"
#include "checks/check_list.h"
#include "engine/canon.h"
#include "engine/module.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sites, keys and trails ------------------------------------------ */

/* One index per place and text, so that paths through the same calls
 * carry equal states and merge. */
static int32_t intern_site(struct tu_ctx *tu, const struct site *s)
{
	char *key;
	ENTRY item, *found = NULL;

	if (!tu->site_index_cap) {
		tu->site_index_cap = 1 << 16;
		if (!hcreate_r(tu->site_index_cap, &tu->site_index))
			tu->site_index_cap = (size_t)-1;
	}
	key = xasprintf("%s:%u:%u:%s", s->file, s->line, s->col, s->text);
	item.key = key;
	if (tu->site_index_cap != (size_t)-1 &&
	    hsearch_r(item, FIND, &found, &tu->site_index)) {
		free(key);
		return (int32_t)(intptr_t)found->data - 1;
	}
	{
		/* sites outlive the function being walked: own the name */
		struct site copy = *s;
		copy.function = s->function ? arena_strdup(&tu->arena, s->function)
					    : NULL;
		ARRAY_PUSH(tu->sites, tu->nsites, tu->cap_sites, copy);
	}
	if (tu->site_index_cap != (size_t)-1 &&
	    tu->site_index_used < tu->site_index_cap * 3 / 4) {
		item.key = arena_strdup(&tu->arena, key);
		item.data = (void *)(intptr_t)tu->nsites;
		if (hsearch_r(item, ENTER, &found, &tu->site_index))
			tu->site_index_used++;
	}
	free(key);
	return (int32_t)tu->nsites - 1;
}

void engine_release_sites(struct tu_ctx *tu)
{
	if (tu->site_index_cap && tu->site_index_cap != (size_t)-1)
		hdestroy_r(&tu->site_index);
	tu->site_index_cap = 0;
	free(tu->sites);
	tu->sites = NULL;
	tu->nsites = tu->cap_sites = 0;
}

int32_t engine_add_site(struct tu_ctx *tu, CXCursor c, const char *text,
			const char *function)
{
	struct ast_loc loc;
	struct site s;
	int32_t idx;

	ast_location(c, false, &loc);
	s.file = arena_strdup(&tu->arena, loc.file);
	s.line = loc.line;
	s.col = loc.col;
	s.text = arena_strdup(&tu->arena, text ? text : "");
	s.function = function;
	ast_loc_release(&loc);
	idx = intern_site(tu, &s);
	return idx;
}

int32_t engine_intern_site(struct tu_ctx *tu, const char *file, unsigned line,
			   unsigned col, const char *text, const char *function)
{
	struct site s;

	s.file = arena_strdup(&tu->arena, file);
	s.line = line;
	s.col = col;
	s.text = arena_strdup(&tu->arena, text ? text : "");
	s.function = function;
	return intern_site(tu, &s);
}

static int32_t copy_site(struct tu_ctx *tu, int32_t from, const char *text)
{
	struct site s = tu->sites[from];

	s.text = arena_strdup(&tu->arena, text);
	return intern_site(tu, &s);
}

const char *engine_site_line_text(struct tu_ctx *tu, int32_t site)
{
	return site >= 0 ? tu->sites[site].text : "";
}

static int32_t intern_key(struct fn_ctx *fn, const char *text)
{
	size_t i;

	for (i = 0; i < fn->nkeys; i++)
		if (!strcmp(fn->keys[i], text))
			return (int32_t)i;
	ARRAY_PUSH(fn->keys, fn->nkeys, fn->cap_keys, xstrdup(text));
	return (int32_t)fn->nkeys - 1;
}

bool engine_vectors_released_by_choice(const struct dev_track *d)
{
	return d->vec == VEC_HELD && d->family_uncertain &&
	       (d->released & (FAMILY_MSI | FAMILY_MSIX));
}

bool engine_is_setup_entry(const struct fn_ctx *fn)
{
	if (!fn->is_root)
		return false;
	if (fn->role == ROLE_PROBE)
		return true;
	return !fn->tu->ndrivers && !fn->is_static;
}

static int32_t key_of(struct fn_ctx *fn, CXCursor c)
{
	char *t = canon_text(fn, c);
	int32_t key = intern_key(fn, t);

	free(t);
	return key;
}

static const char *lookup_alias(struct alias *list, size_t n, const char *from)
{
	size_t i;

	for (i = n; i-- > 0;)
		if (!strcmp(list[i].from, from))
			return list[i].to;
	return NULL;
}

static void remember_alias(struct alias **list, size_t *n, size_t *cap,
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

static bool index_is_constant(const char *key)
{
	const char *hash = strrchr(key, '#');
	char *end;

	if (!hash || !hash[1])
		return false;
	strtol(hash + 1, &end, 0);
	return !*end;
}

static bool in_strvec(const struct strvec *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

bool engine_handler_unwound(const struct fn_ctx *fn,
			    const struct handler_track *h, unsigned line)
{
	const char *key = fn->keys[h->key];
	char *dev;
	size_t i;
	bool yes = false;

	if (index_is_constant(key))
		return false;
	dev = xstrndup(key, (size_t)(strrchr(key, '#') - key));
	for (i = 0; i < fn->unwound_devices.n; i++)
		if (!strcmp(fn->unwound_devices.v[i], dev) &&
		    fn->unwound_lines[i] < line)
			yes = true;
	free(dev);
	return yes;
}

/* The text of a vector index: its value when it is a constant (an
 * enumerator or a macro names one vector), else its canonical text. */
static char *index_text(struct fn_ctx *fn, CXCursor idx)
{
	long long v;

	if (ast_eval_int(ast_strip(idx), &v))
		return xasprintf("%lld", v);
	return canon_text(fn, idx);
}

/* The part of an lvalue text that other functions write the same way:
 * "irqs[i]" of "priv->irqs[i]" (the base differs between functions),
 * the whole text for a global. */
static const char *field_part(const char *text)
{
	const char *arrow = strrchr(text, '>'), *dot = strrchr(text, '.');
	const char *cut = arrow && (!dot || arrow > dot) ? arrow : dot;

	return cut ? cut + 1 : text;
}

static char *member_name(CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	char *name = xstrdup(clang_getCString(s));

	clang_disposeString(s);
	return name;
}

const char *engine_key(struct fn_ctx *fn, int32_t key)
{
	return key >= 0 && (size_t)key < fn->nkeys ? fn->keys[key] : "?";
}

static void add_step(struct fn_ctx *fn, struct state *st, int32_t site)
{
	struct step *s = arena_alloc(&fn->tu->arena, sizeof(*s));

	s->site = site;
	s->prev = st->trail;
	st->trail = s;
}

static struct state *clone_state(struct fn_ctx *fn, const struct state *st)
{
	struct state *n = arena_alloc(&fn->tu->arena, sizeof(*n));

	memcpy(n, st, sizeof(*n));
	return n;
}

/* ---- devices, pending results, facts ---------------------------------- */

static bool key_is_param_rooted(const char *k)
{
	return k[0] == '$';
}

static int find_dev(struct state *st, int32_t key)
{
	int i;

	for (i = 0; i < st->c.ndev; i++)
		if (st->c.dev[i].key == key)
			return i;
	return -1;
}

static int get_dev(struct fn_ctx *fn, struct state *st, int32_t key)
{
	int i = find_dev(st, key);
	struct dev_track *d;
	bool param;

	if (i >= 0)
		return i;
	if (st->c.ndev >= MAX_DEVS) {
		fn->incomplete = true;
		fn->incomplete_why = "too many devices";
		return -1;
	}
	param = key_is_param_rooted(engine_key(fn, key));
	d = &st->c.dev[st->c.ndev];
	memset(d, 0, sizeof(*d));
	d->key = key;
	d->enable = param ? EN_ENTRY : EN_NONE;
	d->vec = param ? VEC_ENTRY : VEC_NONE;
	d->family = FAMILY_ANY;
	d->alloc_site = d->release_site = d->enable_site = -1;
	d->leak_site = d->disable_site = -1;
	return st->c.ndev++;
}

static int find_fact(struct state *st, int32_t key)
{
	int i;

	for (i = 0; i < st->c.nfact; i++)
		if (st->c.fact[i].key == key)
			return i;
	return -1;
}

static bool is_returned(struct fn_ctx *fn, int32_t key)
{
	size_t i;

	for (i = 0; i < fn->nreturned; i++)
		if (fn->returned[i] == key)
			return true;
	return false;
}

static void drop_fact(struct state *st, int32_t key)
{
	int i = find_fact(st, key);

	if (i < 0)
		return;
	st->c.fact[i] = st->c.fact[--st->c.nfact];
	memset(&st->c.fact[st->c.nfact], 0, sizeof(st->c.fact[0]));
}

static void set_fact(struct fn_ctx *fn, struct state *st, int32_t key,
		     uint8_t signs)
{
	int i;

	if (!is_returned(fn, key) || signs == SIGN_ANY) {
		drop_fact(st, key);
		return;
	}
	i = find_fact(st, key);
	if (i < 0) {
		if (st->c.nfact >= MAX_FACTS) {
			fn->incomplete = true;
			fn->incomplete_why = "too many tracked values";
			return;
		}
		i = st->c.nfact++;
		st->c.fact[i].key = key;
	}
	st->c.fact[i].signs = signs;
}

static uint8_t fact_signs(struct state *st, int32_t key)
{
	int i = find_fact(st, key);
	return i < 0 ? SIGN_ANY : st->c.fact[i].signs;
}

static void remove_pending(struct state *st, int i)
{
	st->c.pend[i] = st->c.pend[--st->c.npend];
	memset(&st->c.pend[st->c.npend], 0, sizeof(st->c.pend[0]));
}

static void fire(struct event *ev);

/* Applies an effect to a device, firing the events checks listen to. */
static void apply_effect(struct fn_ctx *fn, struct state *st, int dev,
			 const struct effect *e, const char *api,
			 int32_t call_site)
{
	struct dev_track *d = &st->c.dev[dev];
	struct event ev = { .fn = fn, .st = st, .dev = dev,
			    .api = api ? api : "the call",
			    .via_summary = e->via >= 0, .site = call_site,
			    .callee_site = e->site };

	if (e->enable) {
		ev.kind = EV_ENABLE;
		fire(&ev);
		d = &st->c.dev[dev];
		if (e->enable == EN_MANAGED || d->enable != EN_MANAGED)
			d->enable = e->enable;
		d->enable_site = e->enable_site;
	}
	if (e->disables) {
		d = &st->c.dev[dev];
		d->disabled = 1;
		d->disable_site = call_site;
	}
	if (e->vec == VEC_HELD) {
		ev.kind = EV_ALLOC;
		ev.family = e->family;
		fire(&ev);
		d = &st->c.dev[dev];
		d->vec = VEC_HELD;
		d->released = 0;
		d->family_uncertain = e->family_uncertain;
		d->leak_site = e->exit_site;
		d->family = e->family;
		d->managed_api = e->managed_api;
		d->confirmed = e->confirmed;
		d->alloc_site = e->site;
	} else if (e->vec == VEC_RELEASED) {
		unsigned left;
		if (e->if_held && (d->vec == VEC_RELEASED || d->vec == VEC_NONE))
			return; /* the callee sees nothing is held */
		if (e->fresh && d->vec != VEC_HELD) {
			/* allocated and released inside the callee */
			d->vec = VEC_RELEASED;
			d->family = e->family;
			d->released |= e->family;
			d->release_site = e->site;
			d->leak_site = -1;
			return;
		}
		ev.kind = EV_RELEASE;
		ev.family = e->family;
		fire(&ev);
		d = &st->c.dev[dev];
		d->released |= e->family;
		if (e->if_held) /* passes on to this function's summary */
			d->trusted |= e->family;
		d->release_site = e->site;
		d->leak_site = -1;
		/* pci_disable_msix() leaves MSI vectors alone: only when no
		 * family the vectors may belong to is left are they gone. */
		left = d->vec == VEC_HELD || d->vec == VEC_ENTRY
			       ? d->family & ~e->family &
					 (FAMILY_MSI | FAMILY_MSIX)
			       : 0;
		if (left) {
			d->family = (uint8_t)(left | (d->family & FAMILY_INTX));
		} else {
			d->vec = VEC_RELEASED;
			d->family = e->family;
			d->release_site = e->site;
		}
	}
}

static int find_handler(struct state *st, int32_t key)
{
	int i;

	for (i = 0; i < st->c.nhandler; i++)
		if (st->c.handler[i].key == key)
			return i;
	return -1;
}

static void remove_handler(struct state *st, int i)
{
	st->c.handler[i] = st->c.handler[--st->c.nhandler];
	memset(&st->c.handler[st->c.nhandler], 0, sizeof(st->c.handler[0]));
}

static void set_handler(struct fn_ctx *fn, struct state *st, int dev,
			int32_t key, uint8_t state, bool devm, bool local,
			int32_t site)
{
	int i = find_handler(st, key);
	struct handler_track *h;

	if (i < 0) {
		if (st->c.nhandler >= MAX_HANDLERS) {
			fn->incomplete = true;
			fn->incomplete_why = "too many interrupt handlers";
			return;
		}
		i = st->c.nhandler++;
	}
	h = &st->c.handler[i];
	memset(h, 0, sizeof(*h));
	h->key = key;
	h->dev = (uint8_t)dev;
	h->devm = devm;
	h->state = state;
	h->local = local;
	h->site = site;
}

/* Settles pending result i as success or failure of the call. */
static void resolve_pending(struct fn_ctx *fn, struct state *st, int i,
			    bool success, bool confirmed)
{
	struct pending p = st->c.pend[i];

	remove_pending(st, i);
	if (!confirmed)
		p.on_success.confirmed = 0;
	apply_effect(fn, st, p.dev, success ? &p.on_success : &p.on_failure,
		     p.api, p.call_site);
	if (p.handler_key >= 0 && (p.handler_on & (success ? 1 : 2)))
		set_handler(fn, st, p.dev, p.handler_key, H_ATTACHED,
			    p.handler_devm,
			    (p.handler_local & (success ? 1 : 2)) != 0,
			    p.call_site);
}

/* A pending result nobody tested: assume the call did what it does on
 * success, but do not count that as proven. */
static void settle_pending_unconfirmed(struct fn_ctx *fn, struct state *st,
				       int i)
{
	resolve_pending(fn, st, i, true, false);
}

static void settle_pending_for_key(struct fn_ctx *fn, struct state *st,
				   int32_t key)
{
	int i;

	for (i = st->c.npend - 1; i >= 0; i--)
		if (st->c.pend[i].result_key == key)
			settle_pending_unconfirmed(fn, st, i);
}

static void settle_pending_for_dev(struct fn_ctx *fn, struct state *st,
				   int dev)
{
	int i;

	for (i = st->c.npend - 1; i >= 0; i--)
		if (st->c.pend[i].dev == dev)
			settle_pending_unconfirmed(fn, st, i);
}

static void add_pending(struct fn_ctx *fn, struct state *st, int32_t key,
			enum success_kind success, int dev, const char *api,
			int32_t call_site, const struct effect *ok,
			const struct effect *fail)
{
	struct pending *p;

	if (st->c.npend >= MAX_PENDING)
		settle_pending_unconfirmed(fn, st, 0);
	p = &st->c.pend[st->c.npend++];
	memset(p, 0, sizeof(*p));
	p->result_key = key;
	p->success = (uint8_t)success;
	p->dev = (uint8_t)dev;
	p->api = api;
	p->call_site = call_site;
	p->handler_key = -1;
	p->on_success = *ok;
	p->on_failure = *fail;
}

/* ---- calls ----------------------------------------------------------- */

static void remember_entry_array(struct fn_ctx *fn, CXCursor entries,
				 CXCursor device)
{
	char *arr = canon_text(fn, entries);
	char *dk = canon_device(fn, device);
	CXCursor a = ast_strip(entries);

	remember_alias(&fn->entry_arrays, &fn->nentry_arrays,
		       &fn->cap_entry_arrays, arr, dk);
	if (clang_getCursorKind(a) == CXCursor_MemberRefExpr &&
	    !strcmp(dk, DRIVER_DEVICE_KEY)) {
		char *f = member_name(a);
		if (!in_strvec(&fn->tu->entry_fields, f))
			strvec_push(&fn->tu->entry_fields, f);
		free(f);
	}
	free(arr);
	free(dk);
}

struct walk {
	struct fn_ctx *fn;
	struct state *st;
};

static char *callee_label(const char *name)
{
	return xasprintf("%s()", name);
}

static void handle_api_call(struct walk *w, CXCursor call,
			    const struct api_entry *api, CXCursor *args,
			    size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	char *dev_key, *dev_text, *text = NULL;
	int32_t site, key;
	int dev;
	struct effect e = { .via = -1, .site = -1, .enable_site = -1,
			    .exit_site = -1 };

	if (api->dev_arg < 0 || (size_t)api->dev_arg >= nargs)
		return;
	dev_key = canon_device(fn, args[api->dev_arg]);
	dev = get_dev(fn, st, intern_key(fn, dev_key));
	free(dev_key);
	if (dev < 0)
		return;
	dev_text = canon_display(fn, args[api->dev_arg]);
	switch (api->role) {
	case ROLE_ENABLE:
		text = xasprintf("%s() enables %s (%s)", api->name, dev_text,
				 api->managed ? "managed" : "unmanaged");
		site = engine_add_site(fn->tu, call, text, fn->name);
		e.enable = api->managed ? EN_MANAGED : EN_UNMANAGED;
		e.site = e.enable_site = site;
		add_step(fn, st, site);
		apply_effect(fn, st, dev, &e, api->name, site);
		break;
	case ROLE_DISABLE:
		text = xasprintf("%s() disables %s", api->name, dev_text);
		site = engine_add_site(fn->tu, call, text, fn->name);
		e.disables = 1;
		add_step(fn, st, site);
		apply_effect(fn, st, dev, &e, api->name, site);
		break;
	case ROLE_ALLOC: {
		struct effect none = { .via = -1, .site = -1,
				       .enable_site = -1, .exit_site = -1 };
		long long flags;
		e.family = (uint8_t)api->family;
		if (api->family_arg >= 0 && (size_t)api->family_arg < nargs &&
		    ast_eval_int(args[api->family_arg], &flags))
			e.family = (uint8_t)ruleset_family_of_flags(fn->tu->rules,
								    flags);
		if (!(e.family & (FAMILY_MSI | FAMILY_MSIX))) {
			/* INTx only: nothing to release, but vectors released
			 * before are in use again (pci_irq_vector() works) */
			if (st->c.dev[dev].vec == VEC_RELEASED)
				st->c.dev[dev].vec = VEC_NONE;
			break;
		}
		text = xasprintf("%s() allocates interrupt vectors of %s",
				 api->name, dev_text);
		site = engine_add_site(fn->tu, call, text, fn->name);
		e.vec = VEC_HELD;
		e.managed_api = api->managed;
		e.confirmed = 1;
		e.site = site;
		add_step(fn, st, site);
		if (api->entries_arg >= 0 && (size_t)api->entries_arg < nargs)
			remember_entry_array(fn, args[api->entries_arg],
					     args[api->dev_arg]);
		key = key_of(fn, call);
		settle_pending_for_key(fn, st, key);
		if (api->success == SUCCESS_NONE)
			apply_effect(fn, st, dev, &e, api->name, site);
		else
			add_pending(fn, st, key, api->success, dev, api->name,
				    site, &e, &none);
		break;
	}
	case ROLE_RELEASE:
		text = xasprintf("%s() releases the vectors of %s", api->name,
				 dev_text);
		site = engine_add_site(fn->tu, call, text, fn->name);
		settle_pending_for_dev(fn, st, dev);
		e.vec = VEC_RELEASED;
		e.family = (uint8_t)api->family;
		e.site = site;
		add_step(fn, st, site);
		apply_effect(fn, st, dev, &e, api->name, site);
		break;
	default:
		break;
	}
	free(text);
	free(dev_text);
}

/* Findings a callee left for its callers, decided by the device state at
 * this call (or passed on when that state too comes from a parameter). */
static void resolve_callee_deferred(struct walk *w, struct fn_summary *sum,
				    CXCursor *args, size_t nargs);

static void apply_summary_handlers(struct walk *w, struct fn_summary *sum,
				   CXCursor *args, size_t nargs,
				   int32_t call_site, int32_t result_key);

static void handle_summary_call(struct walk *w, CXCursor call,
				struct fn_summary *sum, CXCursor *args,
				size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	int32_t call_site = -1, key;
	size_t i;

	if (!sum->neffects && !sum->ndeferred && !sum->nhandlers)
		return;
	{
		char *label = callee_label(sum->name);
		char *text = xasprintf(CALL_SITE_PREFIX "%s", label);
		call_site = engine_add_site(fn->tu, call, text, fn->name);
		free(text);
		free(label);
	}
	resolve_callee_deferred(w, sum, args, nargs);
	key = key_of(fn, call);
	settle_pending_for_key(fn, st, key);
	apply_summary_handlers(w, sum, args, nargs, call_site, key);
	for (i = 0; i < sum->neffects; i++) {
		const struct summary_effect *se = &sum->effects[i];
		char *dev_text = canon_substitute(fn, se->dev_key, args, nargs);
		struct effect ok = se->on_success, fail = se->on_failure;
		int dev;

		if (!dev_text)
			continue;
		dev = get_dev(fn, st, intern_key(fn, dev_text));
		free(dev_text);
		if (dev < 0)
			continue;
		ok.via = fail.via = call_site;
		{
			int32_t what = ok.vec && ok.site >= 0 ? ok.site
				       : ok.enable	       ? ok.enable_site
							       : -1;
			if (what >= 0) {
				/* the step into the callee, at the place
				 * inside it, and the step back */
				const struct site *in = &fn->tu->sites[what];
				char *text = xasprintf(
					"in %s(): %s",
					in->function ? in->function : sum->name,
					in->text);
				add_step(fn, st, copy_site(fn->tu, what, text));
				free(text);
				text = xasprintf("%s() returns to %s()",
						 sum->name, fn->name);
				add_step(fn, st, copy_site(fn->tu, call_site, text));
				free(text);
			}
		}
		if (!memcmp(&ok, &fail, sizeof(ok)) ||
		    sum->success == SUCCESS_NONE)
			apply_effect(fn, st, dev, &ok, sum->name, call_site);
		else
			add_pending(fn, st, key, sum->success, dev, sum->name,
				    call_site, &ok, &fail);
	}
}

/* devm_add_action_or_reset(dev, fn, data): when fn's summary releases the
 * vectors of its argument, the driver has made the release its own
 * devres action, as the managed allocator would. */
static void handle_devaction(struct walk *w, CXCursor call,
			     const struct api_entry *api, CXCursor *args,
			     size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	CXCursor target;
	CXString name;
	struct fn_summary *sum;
	size_t i;

	if ((size_t)api->fn_arg >= nargs || (size_t)api->inner_arg >= nargs)
		return;
	target = clang_getCursorReferenced(ast_strip(args[api->fn_arg]));
	if (clang_getCursorKind(target) != CXCursor_FunctionDecl)
		return;
	name = clang_getCursorSpelling(target);
	sum = engine_find_summary(fn->tu, clang_getCString(name));
	clang_disposeString(name);
	if (!sum || !sum->analysed)
		return;
	for (i = 0; i < sum->neffects; i++) {
		const struct summary_effect *se = &sum->effects[i];
		char *key;
		int dev;
		if (se->on_success.vec != VEC_RELEASED)
			continue;
		key = canon_substitute(fn, se->dev_key, &args[api->inner_arg], 1);
		if (!key)
			continue;
		dev = get_dev(fn, w->st, intern_key(fn, key));
		free(key);
		if (dev < 0)
			continue;
		settle_pending_for_dev(fn, w->st, dev);
		if (w->st->c.dev[dev].vec == VEC_HELD) {
			char *text = xasprintf("%s() registers %s() to release "
					       "the vectors at detach",
					       api->name, sum->name);
			int32_t site = engine_add_site(fn->tu, call, text,
						       fn->name);
			struct event ev = { .kind = EV_DEVRES_RELEASE, .fn = fn,
					    .st = w->st, .dev = dev,
					    .api = sum->name, .site = site,
					    .callee_site = -1 };
			free(text);
			fire(&ev);
			w->st->c.dev[dev].managed_api = 1;
			add_step(fn, w->st, site);
		}
	}
}

/* ---- interrupt handlers ------------------------------------------------- */

/* "device#index" for an irq number tied to a vector of a device: NAME(dev,
 * i) of an irqvec line, dev->IRQFIELD, entries[i].ENTRYFIELD of an array an
 * allocation filled, or a variable holding one of those. Caller frees. */
static char *irq_key_text(struct fn_ctx *fn, CXCursor irq)
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
			char *dev = canon_device(fn, clang_Cursor_getArgument(
							     c, (unsigned)api->dev_arg));
			char *idx = index_text(fn, clang_Cursor_getArgument(
							   c, (unsigned)api->vec_arg));
			if (api->names_only && !index_is_constant(idx)) {
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
		char *field = member_name(c);
		CXCursor base = ast_strip(kids[0]);
		const char *stored = lookup_alias(fn->tu->irq_fields,
						  fn->tu->nirq_fields, field);
		if (rs->irq_field && !strcmp(field, rs->irq_field) &&
		    canon_is_device_pointer(fn->tu, clang_getCursorType(base))) {
			char *dev = canon_device(fn, base);
			result = xasprintf("%s#0", dev);
			free(dev);
		} else if (stored) {
			result = xstrdup(stored);
		} else if (rs->entry_field && !strcmp(field, rs->entry_field)) {
			CXCursor *sub = NULL;
			char *arr = NULL, *idx = NULL;
			const char *dev;
			if (clang_getCursorKind(base) == CXCursor_ArraySubscriptExpr &&
			    ast_children(base, &sub) == 2) {
				arr = canon_text(fn, sub[0]);
				idx = index_text(fn, sub[1]);
			} else {
				arr = canon_text(fn, base);
				idx = xstrdup("0");
			}
			dev = lookup_alias(fn->entry_arrays, fn->nentry_arrays, arr);
			if (!dev) {
				/* X->msix[i].vector, filled in another function */
				CXCursor a = ast_strip(clang_getCursorKind(base) ==
								       CXCursor_ArraySubscriptExpr
							       ? sub[0]
							       : base);
				if (clang_getCursorKind(a) == CXCursor_MemberRefExpr) {
					char *f = member_name(a);
					if (in_strvec(&fn->tu->entry_fields, f))
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
	if (!result && (k == CXCursor_DeclRefExpr ||
			k == CXCursor_ArraySubscriptExpr ||
			k == CXCursor_MemberRefExpr)) {
		/* a variable, array element or field that was given one */
		char *var = canon_text(fn, c);
		const char *key = lookup_alias(fn->irq_vars, fn->nirq_vars, var);
		if (!key)
			key = lookup_alias(fn->tu->irq_exprs, fn->tu->nirq_exprs,
					   field_part(var));
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
		text = irq_key_text(fn, args[api->irq_arg]);
		shown = args[api->irq_arg];
	} else if (api->irq_arg < 0 && (size_t)api->dev_arg < nargs &&
		   (size_t)api->vec_arg < nargs) {
		char *d = canon_device(fn, args[api->dev_arg]);
		char *i = index_text(fn, args[api->vec_arg]);
		text = xasprintf("%s#%s", d, i);
		free(d);
		free(i);
		shown = args[api->vec_arg];
	}
	if (display)
		*display = clang_Cursor_isNull(shown) ? NULL
						      : canon_display(fn, shown);
	return text;
}

/* A callee's handler key rewritten in terms of the call's arguments. */
static char *substitute_handler_key(struct fn_ctx *fn, const char *key,
				    CXCursor *args, size_t nargs)
{
	const char *hash = strrchr(key, '#');
	char *devpart, *dev, *result;

	if (!hash)
		return NULL;
	devpart = xstrndup(key, (size_t)(hash - key));
	dev = canon_substitute(fn, devpart, args, nargs);
	result = dev ? xasprintf("%s%s", dev, hash) : NULL;
	free(dev);
	free(devpart);
	return result;
}

/* Interns a handler key and finds its device in st: the key's id, or -1
 * (the text is consumed). */
static int32_t intern_handler_key(struct walk *w, char *text, int *dev)
{
	struct fn_ctx *fn = w->fn;
	char *hash;
	int32_t key;

	*dev = -1;
	if (!text)
		return -1;
	hash = strrchr(text, '#');
	*hash = '\0';
	*dev = get_dev(fn, w->st, intern_key(fn, text));
	*hash = '#';
	key = intern_key(fn, text);
	free(text);
	return *dev >= 0 ? key : -1;
}

static int32_t handler_key_of(struct walk *w, const struct api_entry *api,
			      CXCursor *args, size_t nargs, int *dev,
			      char **display)
{
	return intern_handler_key(
		w, handler_key_text(w->fn, api, args, nargs, display), dev);
}

/* A pending call result that attaches a handler when the call ends as
 * `on` says (1: success, 2: failure). */
static void add_handler_pending(struct walk *w, int32_t result_key,
				enum success_kind success, int dev,
				const char *api, int32_t site, int32_t key,
				bool devm, uint8_t on)
{
	struct effect none = { .via = -1, .site = -1, .enable_site = -1,
			       .exit_site = -1 };
	struct pending *p;

	add_pending(w->fn, w->st, result_key, success, dev, api, site, &none,
		    &none);
	p = &w->st->c.pend[w->st->c.npend - 1];
	p->handler_key = key;
	p->handler_devm = devm;
	p->handler_on = on;
	/* local on success only: kept on a callee's failure, it is the
	 * callee's leak, not the caller's */
	p->handler_local = 1;
}

static void handle_handler_request(struct walk *w, CXCursor call,
				   const struct api_entry *api, CXCursor *args,
				   size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	char *display = NULL, *text;
	int dev;
	int32_t key = handler_key_of(w, api, args, nargs, &dev, &display);
	int32_t site, rkey;

	if (key < 0) {
		free(display);
		return;
	}
	text = xasprintf("%s() attaches a handler to irq %s", api->name,
			 display ? display : "?");
	site = engine_add_site(fn->tu, call, text, fn->name);
	free(text);
	free(display);
	add_step(fn, w->st, site);
	if (api->success == SUCCESS_NONE) {
		set_handler(fn, w->st, dev, key, H_ATTACHED, api->managed, true,
			    site);
		return;
	}
	rkey = key_of(fn, call);
	settle_pending_for_key(fn, w->st, rkey);
	add_handler_pending(w, rkey, api->success, dev, api->name, site, key,
			    api->managed, 1);
}

static void free_handler_at(struct walk *w, int dev, int32_t key, bool devm,
			    const char *api, int32_t site, bool via,
			    int32_t callee_site)
{
	struct fn_ctx *fn = w->fn;
	int h;

	/* a handler requested earlier on this path whose result was not
	 * tested yet is taken as attached */
	for (h = w->st->c.npend - 1; h >= 0; h--)
		if (w->st->c.pend[h].handler_key == key)
			settle_pending_unconfirmed(fn, w->st, h);
	h = find_handler(w->st, key);
	if (h < 0) {
		/* free_irq(pci_irq_vector(pdev, i)) in a loop frees the
		 * device's handlers whatever index requested them, and a
		 * constant index frees one a loop requested */
		bool variable = !index_is_constant(fn->keys[key]);
		int j;
		for (j = 0; j < w->st->c.nhandler; j++) {
			const struct handler_track *t = &w->st->c.handler[j];
			bool loop_handler = !index_is_constant(fn->keys[t->key]);
			if (t->dev != dev || t->state != H_ATTACHED ||
			    engine_is_object_key(fn->keys[t->key]))
				continue;
			/* a loop's bounds are unknown: it may skip a devres
			 * handler on a fixed vector (for (i = 1; ...)) */
			if (variable && !loop_handler && t->devm)
				continue;
			if (variable || loop_handler) {
				struct event ev = { .kind = EV_HANDLER_FREE,
						    .fn = fn, .st = w->st,
						    .dev = dev, .api = api,
						    .site = site, .handler = j,
						    .free_is_devm = devm,
						    .via_summary = via,
						    .callee_site = callee_site };
				fire(&ev);
				remove_handler(w->st, j);
				if (!variable)
					return;
				j--;
				h = -2; /* something was freed */
			}
		}
	}
	if (h >= 0 && w->st->c.handler[h].state == H_ATTACHED) {
		struct event ev = { .kind = EV_HANDLER_FREE, .fn = fn,
				    .st = w->st, .dev = dev, .api = api,
				    .site = site, .handler = h,
				    .free_is_devm = devm, .via_summary = via,
				    .callee_site = callee_site };
		fire(&ev);
		remove_handler(w->st, find_handler(w->st, key));
	} else if (h == -1) {
		/* not requested on this path: freed for a caller */
		set_handler(fn, w->st, dev, key, H_FREED, devm, false, site);
	}
}

static void handle_handler_free(struct walk *w, CXCursor call,
				const struct api_entry *api, CXCursor *args,
				size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	char *display = NULL, *text;
	int dev;
	int32_t key = handler_key_of(w, api, args, nargs, &dev, &display);
	int32_t site;

	if (key < 0) {
		free(display);
		return;
	}
	text = xasprintf("%s() frees the handler on irq %s", api->name,
			 display ? display : "?");
	site = engine_add_site(fn->tu, call, text, fn->name);
	free(text);
	free(display);
	add_step(fn, w->st, site);
	free_handler_at(w, dev, key, api->managed, api->name, site, false, -1);
}

static void handle_irq_use(struct walk *w, CXCursor call,
			   const struct api_entry *api, CXCursor *args,
			   size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	struct event ev = { .kind = EV_IRQ_USE, .fn = fn, .st = w->st,
			    .api = api->name, .any_index = api->any_vec };
	char *key;
	long long idx;

	if ((size_t)api->dev_arg >= nargs || (size_t)api->vec_arg >= nargs ||
	    api->names_only)
		return;
	key = canon_device(fn, args[api->dev_arg]);
	ev.dev = get_dev(fn, w->st, intern_key(fn, key));
	free(key);
	/* released here, or maybe by a caller (decided at its call) */
	if (ev.dev < 0 || (w->st->c.dev[ev.dev].vec != VEC_RELEASED &&
			   w->st->c.dev[ev.dev].vec != VEC_ENTRY))
		return;
	ev.index_constant = ast_eval_int(args[api->vec_arg], &idx);
	ev.index_is_zero = ev.index_constant && idx == 0;
	ev.site = engine_add_site(fn->tu, call, "", fn->name);
	fire(&ev);
}

/* ---- acquired objects ------------------------------------------------ */

/* Objects a driver acquires on its device and must give back (FreeBSD's
 * IRQ resources and taskqgroup attachments) ride in the handler table
 * under keys "DEVICE#@KIND:NAME": NAME is the irq index of an
 * irq-named object, else the field that holds it. They share the
 * handler bookkeeping (summaries, seeding remove() from probe) but none of
 * the handler rules. */
bool engine_is_object_key(const char *key)
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
		irq = irq_key_text(fn, call);
	else if (api->irq_arg >= 0 && (size_t)api->irq_arg < nargs)
		irq = irq_key_text(fn, args[api->irq_arg]);
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
	if (api->dev_arg >= 0 && (size_t)api->dev_arg < nargs)
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
	add_step(fn, w->st, site);
	return site;
}

static void handle_object_acquire(struct walk *w, CXCursor call,
				  const struct api_entry *api, CXCursor *args,
				  size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	char *text = object_key_of_call(fn, call, api, args, nargs);
	int dev;
	int32_t key, site, rkey;

	if (!text)
		return;
	key = intern_handler_key(w, text, &dev);
	if (key < 0)
		return;
	site = add_object_step(w, call, api, key, "acquires");
	if (api->success == SUCCESS_NONE) {
		set_handler(fn, w->st, dev, key, H_ATTACHED, false, true, site);
		return;
	}
	rkey = key_of(fn, call);
	settle_pending_for_key(fn, w->st, rkey);
	add_handler_pending(w, rkey, api->success, dev, api->name, site, key,
			    false, 1);
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
static void undo_object_at(struct walk *w, int dev, int32_t key,
			   const char *api, int32_t site, bool via,
			   int32_t callee_site)
{
	struct fn_ctx *fn = w->fn;
	int i, h;

	for (i = w->st->c.npend - 1; i >= 0; i--)
		if (w->st->c.pend[i].handler_key == key)
			settle_pending_unconfirmed(fn, w->st, i);
	h = handler_on_object_irq(w, key);
	if (h >= 0) {
		struct event ev = { .kind = EV_OBJECT_UNDO, .fn = fn,
				    .st = w->st, .dev = dev, .api = api,
				    .site = site, .handler = h,
				    .via_summary = via,
				    .callee_site = callee_site };
		fire(&ev);
	}
	h = find_handler(w->st, key);
	if (h >= 0 && w->st->c.handler[h].state == H_ATTACHED)
		remove_handler(w->st, h);
	else if (h < 0)
		set_handler(fn, w->st, dev, key, H_FREED, false, false, site);
}

static void handle_object_undo(struct walk *w, CXCursor call,
			       const struct api_entry *api, CXCursor *args,
			       size_t nargs)
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
		key = intern_handler_key(w, text, &dev);
	else
		free(text);
	if (key < 0)
		return;
	site = add_object_step(w, call, api, key, "gives back");
	undo_object_at(w, dev, key, api->name, site, false, -1);
}

/* A call the analysis cannot see into that is handed the driver's data
 * (the softc) may give the objects it holds back: stop tracking them,
 * rather than report a leak that may not be one. Calls handed only the
 * device (device_printf()) keep them. */
static void forget_objects_passed(struct walk *w, CXCursor *args,
				  size_t nargs)
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
		if (engine_is_object_key(fn->keys[w->st->c.handler[i].key]))
			remove_handler(w->st, i);
}

/* A callee's handlers, applied at the call: attached on success, or freed. */
static void apply_summary_handlers(struct walk *w, struct fn_summary *sum,
				   CXCursor *args, size_t nargs,
				   int32_t call_site, int32_t result_key)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < sum->nhandlers; i++) {
		const struct summary_handler *sh = &sum->handlers[i];
		int dev;
		int32_t key = intern_handler_key(
			w, substitute_handler_key(fn, sh->key, args, nargs), &dev);

		if (key < 0)
			continue;
		if (sh->state == H_FREED && engine_is_object_key(fn->keys[key])) {
			undo_object_at(w, dev, key, sum->name, call_site, true,
				       sh->site);
		} else if (sh->state == H_FREED) {
			free_handler_at(w, dev, key, sh->devm, sum->name,
					call_site, true, sh->site);
		} else if (sum->success == SUCCESS_NONE) {
			set_handler(fn, w->st, dev, key, H_ATTACHED, sh->devm,
				    true, call_site);
		} else if (w->st->c.npend < MAX_PENDING) {
			/* (when the table is full the handler is not tracked:
			 * settling another result early would be a guess) */
			add_handler_pending(w, result_key, sum->success, dev,
					    sum->name, call_site, key, sh->devm,
					    sh->outcomes);
		}
	}
}

static void handle_call(struct walk *w, CXCursor call)
{
	char *name = ast_call_name(call);
	const struct api_entry *api;
	struct fn_summary *sum = NULL;
	CXCursor *args = NULL;
	size_t nargs;
	int i, n;

	if (!*name) {
		free(name);
		return;
	}
	n = clang_Cursor_getNumArguments(call);
	nargs = n > 0 ? (size_t)n : 0;
	if (nargs) {
		args = xcalloc(nargs, sizeof(*args));
		for (i = 0; i < n; i++)
			args[i] = clang_Cursor_getArgument(call, (unsigned)i);
	}
	api = ruleset_lookup(w->fn->tu->rules, name);
	if (api && (api->role == ROLE_ENABLE || api->role == ROLE_ALLOC ||
		    api->role == ROLE_RELEASE || api->role == ROLE_DISABLE))
		handle_api_call(w, call, api, args, nargs);
	else if (api && api->role == ROLE_DEVACTION)
		handle_devaction(w, call, api, args, nargs);
	else if (api && api->role == ROLE_HANDLER)
		handle_handler_request(w, call, api, args, nargs);
	else if (api && api->role == ROLE_HANDLERFREE)
		handle_handler_free(w, call, api, args, nargs);
	else if (api && api->role == ROLE_IRQVEC && api->kind[0])
		handle_object_acquire(w, call, api, args, nargs);
	else if (api && api->role == ROLE_IRQVEC)
		handle_irq_use(w, call, api, args, nargs);
	else if (api && api->role == ROLE_ACQUIRE)
		handle_object_acquire(w, call, api, args, nargs);
	else if (api && api->role == ROLE_UNDO)
		handle_object_undo(w, call, api, args, nargs);
	else if (!api && (sum = engine_find_summary(w->fn->tu, name)) &&
		 sum->analysed)
		handle_summary_call(w, call, sum, args, nargs);
	else if (!api && !sum)
		forget_objects_passed(w, args, nargs);
	free(args);
	free(name);
}

/* ---- expressions ------------------------------------------------------ */

static void eval_expr(struct walk *w, CXCursor c);

/* "flags = 0" makes every tracked "flags&BIT" test false; any other value
 * leaves them unknown. */
static void set_flag_tests(struct fn_ctx *fn, struct state *st,
			   const char *lhs, bool zero, bool keep_bit_tests)
{
	size_t i, n = strlen(lhs);

	for (i = 0; i < fn->nreturned; i++) {
		const char *k = engine_key(fn, fn->returned[i]);
		char next;
		if (strncmp(k, lhs, n))
			continue;
		next = k[n];
		if (!next || next == '_' || next == '-' ||
		    next == '.' || next == '[' || (next >= '0' && next <= '9') ||
		    (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z'))
			continue;
		/* "lhs&BIT", "lhs>1": tests of the value just assigned */
		if (keep_bit_tests && next == '&')
			continue;
		if (zero && next == '&')
			set_fact(fn, st, fn->returned[i], SIGN_ZERO);
		else
			drop_fact(st, fn->returned[i]);
	}
}

/* Records what an assignment does to the value facts and results. */
static void assign_to(struct walk *w, char *lt, CXCursor lhs, CXCursor rhs)
{
	struct fn_ctx *fn = w->fn;
	struct state *st = w->st;
	int32_t lkey = intern_key(fn, lt);
	CXCursor r = ast_strip(rhs);
	char *irq = irq_key_text(fn, r);
	long long v;
	int i;

	if (irq) {
		/* "irq = pci_irq_vector(pdev, i)": the variable names it */
		const char *arrow = strrchr(lt, '>'), *dot = strrchr(lt, '.');
		const char *field = arrow && (!dot || arrow > dot) ? arrow + 1
				    : dot ? dot + 1 : NULL;
		char *member = NULL;
		/* the field as written: its canonical text may be what it
		 * was set from ("sc->irq_res" set from the call) */
		if (!clang_Cursor_isNull(lhs) &&
		    clang_getCursorKind(ast_strip(lhs)) == CXCursor_MemberRefExpr)
			field = member = member_name(ast_strip(lhs));
		remember_alias(&fn->irq_vars, &fn->nirq_vars, &fn->cap_irq_vars,
			       lt, irq);
		/* "map[i] = pci_irq_vector(pdev, i)" outside locals: the
		 * same text names it in other functions of the file */
		if ((strchr(lt, '[') || strchr(lt, '>') || strchr(lt, '.')) &&
		    !strncmp(irq, DRIVER_DEVICE_KEY "#",
			     strlen(DRIVER_DEVICE_KEY) + 1))
			remember_alias(&fn->tu->irq_exprs, &fn->tu->nirq_exprs,
				       &fn->tu->cap_irq_exprs, field_part(lt), irq);
		/* "pmu->irq = irq": other functions read it from the field */
		if (field && index_is_constant(irq) &&
		    !strncmp(irq, DRIVER_DEVICE_KEY "#",
			     strlen(DRIVER_DEVICE_KEY) + 1))
			remember_alias(&fn->tu->irq_fields, &fn->tu->nirq_fields,
				       &fn->tu->cap_irq_fields, field, irq);
		free(member);
		free(irq);
	}

	if (clang_getCursorKind(r) == CXCursor_CallExpr) {
		/* the call's pending result now lives in the variable (whose
		 * canonical text may be the call's own: "sc->irq_res" set
		 * from it) */
		int32_t ckey = key_of(fn, r);
		if (lkey != ckey)
			settle_pending_for_key(fn, st, lkey);
		for (i = 0; i < st->c.npend; i++)
			if (st->c.pend[i].result_key == ckey)
				st->c.pend[i].result_key = lkey;
		drop_fact(st, lkey);
		if (canon_is_error_call(fn, r))
			set_fact(fn, st, lkey, SIGN_NEG);
		return;
	}
	settle_pending_for_key(fn, st, lkey);
	set_flag_tests(fn, st, lt, ast_eval_int(r, &v) && v == 0, false);
	if (ast_eval_int(r, &v)) {
		set_fact(fn, st, lkey,
			 v < 0 ? SIGN_NEG : v == 0 ? SIGN_ZERO : SIGN_POS);
		return;
	}
	{
		char *rt = canon_text(fn, r);
		int32_t rkey = intern_key(fn, rt);
		free(rt);
		set_fact(fn, st, lkey, fact_signs(st, rkey));
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
static int32_t flag_test_key(struct fn_ctx *fn, CXCursor op, CXCursor lhs,
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
	key = intern_key(fn, text);
	free(text);
	free(l);
	free(r);
	return key;
}

static void assign_flag_bits(struct walk *w, CXCursor op, CXCursor lhs,
			     CXCursor rhs)
{
	uint8_t signs;
	int32_t key = flag_test_key(w->fn, op, lhs, rhs, &signs);

	if (key >= 0)
		set_fact(w->fn, w->st, key, signs);
}

static void eval_children(struct walk *w, CXCursor c)
{
	CXCursor *kids;
	size_t n = ast_children(c, &kids), i;

	for (i = 0; i < n; i++)
		eval_expr(w, kids[i]);
	free(kids);
}

static void eval_expr(struct walk *w, CXCursor c)
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
			eval_expr(w, kids[1]);
			assign(w, kids[0], kids[1]);
		} else if (n == 2 && (!strcmp(op, "&&") || !strcmp(op, "||"))) {
			eval_expr(w, kids[0]); /* the right side may not run */
		} else {
			size_t i;
			for (i = 0; i < n; i++)
				eval_expr(w, kids[i]);
		}
		free(kids);
		return;
	}
	case CXCursor_ConditionalOperator:
		n = ast_children(c, &kids);
		if (n)
			eval_expr(w, kids[0]); /* the arms may not run */
		free(kids);
		return;
	case CXCursor_CompoundAssignOperator:
	case CXCursor_UnaryOperator:
		eval_children(w, c);
		n = ast_children(c, &kids);
		if (n) {
			char *t = canon_text(w->fn, kids[0]);
			drop_fact(w->st, intern_key(w->fn, t));
			/* i++ also changes what "i < n" said; flags |= BIT
			 * leaves the other bits' tests as they were */
			const char *op = k == CXCursor_CompoundAssignOperator
						 ? cfg_operator(&w->fn->tu->cfg_env, c)
						 : "";
			set_flag_tests(w->fn, w->st, t, false,
				       !strcmp(op, "|=") || !strcmp(op, "&="));
			free(t);
		}
		if (n == 2 && k == CXCursor_CompoundAssignOperator)
			assign_flag_bits(w, c, kids[0], kids[1]);
		free(kids);
		return;
	case CXCursor_VarDecl:
		/* "int ret = x" is "ret = x" */
		n = ast_children(c, &kids);
		if (n && clang_isExpression(clang_getCursorKind(kids[n - 1]))) {
			CXString name = clang_getCursorSpelling(c);
			char *lt = xstrdup(clang_getCString(name));
			clang_disposeString(name);
			eval_expr(w, kids[n - 1]);
			assign_to(w, lt, clang_getNullCursor(), kids[n - 1]);
			free(lt);
		}
		free(kids);
		return;
	case CXCursor_CallExpr:
		eval_children(w, c);
		handle_call(w, c);
		return;
	default:
		eval_children(w, c);
		return;
	}
}

/* ---- conditions ------------------------------------------------------- */

static bool sign_class_satisfies(int cls, const char *op, long long k)
{
	long long lo, hi;

	switch (cls) {
	case SIGN_NEG:
		lo = LLONG_MIN, hi = -1;
		break;
	case SIGN_ZERO:
		lo = hi = 0;
		break;
	default:
		lo = 1, hi = LLONG_MAX;
		break;
	}
	if (!strcmp(op, "<"))
		return lo < k;
	if (!strcmp(op, "<="))
		return lo <= k;
	if (!strcmp(op, ">"))
		return hi > k;
	if (!strcmp(op, ">="))
		return hi >= k;
	if (!strcmp(op, "=="))
		return lo <= k && k <= hi;
	if (!strcmp(op, "!="))
		return !(lo == k && hi == k);
	return true;
}

static const char *negate_op(const char *op)
{
	static const char *const pairs[][2] = {
		{ "<", ">=" }, { "<=", ">" }, { ">", "<=" },
		{ ">=", "<" }, { "==", "!=" }, { "!=", "==" },
	};
	size_t i;

	for (i = 0; i < 6; i++)
		if (!strcmp(op, pairs[i][0]))
			return pairs[i][1];
	return "";
}

static const char *swap_op(const char *op)
{
	if (!strcmp(op, "<"))
		return ">";
	if (!strcmp(op, ">"))
		return "<";
	if (!strcmp(op, "<="))
		return ">=";
	if (!strcmp(op, ">="))
		return "<=";
	return op;
}

/* Signs a value can have on this branch of "value op k". */
static uint8_t signs_for(const char *op, long long k)
{
	uint8_t m = 0;

	if (sign_class_satisfies(SIGN_NEG, op, k))
		m |= SIGN_NEG;
	if (sign_class_satisfies(SIGN_ZERO, op, k))
		m |= SIGN_ZERO;
	if (sign_class_satisfies(SIGN_POS, op, k))
		m |= SIGN_POS;
	return m;
}

enum verdict { V_UNKNOWN, V_SUCCESS, V_FAILURE };

static enum verdict verdict_of_signs(enum success_kind kind, uint8_t m)
{
	if (kind == SUCCESS_POINTER) {
		if (m == SIGN_ZERO)
			return V_FAILURE;
		if (!(m & SIGN_ZERO))
			return V_SUCCESS;
		return V_UNKNOWN;
	}
	if (kind == SUCCESS_ZERO) {
		if (m == SIGN_ZERO)
			return V_SUCCESS;
		if (!(m & SIGN_ZERO))
			return V_FAILURE;
		return V_UNKNOWN;
	}
	if (kind == SUCCESS_ERRNO) {
		/* 0 (or a count) on success, -errno on failure. */
		if (!(m & SIGN_NEG))
			return V_SUCCESS;
		if (!(m & SIGN_ZERO))
			return V_FAILURE;
		return V_UNKNOWN;
	}
	if ((m & SIGN_POS) && !(m & SIGN_NEG))
		return V_SUCCESS;
	if ((m & SIGN_NEG) && !(m & SIGN_POS))
		return V_FAILURE;
	return V_UNKNOWN;
}

/* "ret != nvec" and friends for count results: a shortfall is failure. */
static enum verdict verdict_of_count_compare(const char *op)
{
	if (!strcmp(op, "!=") || !strcmp(op, "<"))
		return V_FAILURE;
	if (!strcmp(op, "==") || !strcmp(op, ">="))
		return V_SUCCESS;
	return V_UNKNOWN;
}

struct comparison {
	int32_t key;
	const char *op; /* "" for plain truth value */
	bool constant;
	long long k;
};

static void read_comparison(struct fn_ctx *fn, CXCursor cond,
			    struct comparison *cmp)
{
	CXCursor s = ast_strip(cond), *kids;
	size_t n;
	char *t;

	cmp->op = "!=";
	cmp->constant = true;
	cmp->k = 0;
	if (clang_getCursorKind(s) == CXCursor_BinaryOperator &&
	    (n = ast_children(s, &kids)) == 2) {
		const char *op = cfg_operator(&fn->tu->cfg_env, s);
		long long v;
		if (!strcmp(op, "=")) {
			s = ast_strip(kids[0]);
		} else if (*negate_op(op)) {
			CXCursor a = ast_strip(kids[0]), b = ast_strip(kids[1]);
			if (ast_eval_int(a, &v) && !ast_eval_int(b, &v)) {
				ast_eval_int(a, &cmp->k);
				a = b;
				op = swap_op(op);
			} else {
				cmp->constant = ast_eval_int(b, &cmp->k);
			}
			if (clang_getCursorKind(a) == CXCursor_BinaryOperator &&
			    !strcmp(cfg_operator(&fn->tu->cfg_env, a), "=")) {
				CXCursor *inner;
				if (ast_children(a, &inner) == 2)
					a = ast_strip(inner[0]);
				free(inner);
			}
			cmp->op = op;
			s = a;
		}
		free(kids);
	} else if (clang_getCursorKind(s) == CXCursor_BinaryOperator) {
		free(kids);
	}
	t = canon_text(fn, s);
	cmp->key = intern_key(fn, t);
	free(t);
}

static char *condition_text(struct fn_ctx *fn, CXCursor cond)
{
	struct ast_token *toks;
	size_t n = ast_tokens(fn->tu->tu, cond, &toks), i;
	struct strbuf sb;

	sb_init(&sb);
	for (i = 0; i < n && sb.len < 60; i++) {
		if (i)
			sb_adds(&sb, " ");
		sb_adds(&sb, toks[i].text);
	}
	if (i < n)
		sb_adds(&sb, " ...");
	ast_tokens_free(toks, n);
	return sb_detach(&sb);
}

/* "if (pci_dev_msi_enabled(pdev))": the device state answers it. */
static bool query_branch_feasible(struct fn_ctx *fn, struct state *st,
				  CXCursor cond, bool branch)
{
	CXCursor s = ast_strip(cond);
	const struct api_entry *api;
	char *name, *key;
	unsigned fam, q;
	int dev;

	if (clang_getCursorKind(s) != CXCursor_CallExpr)
		return true;
	name = ast_call_name(s);
	api = ruleset_lookup(fn->tu->rules, name);
	free(name);
	if (!api || api->role != ROLE_QUERY || api->dev_arg < 0 ||
	    api->dev_arg >= clang_Cursor_getNumArguments(s))
		return true;
	key = canon_device(fn, clang_Cursor_getArgument(s, (unsigned)api->dev_arg));
	dev = get_dev(fn, st, intern_key(fn, key));
	free(key);
	if (dev < 0)
		return true;
	fam = st->c.dev[dev].family & (FAMILY_MSI | FAMILY_MSIX);
	q = api->family & (FAMILY_MSI | FAMILY_MSIX);
	switch (st->c.dev[dev].vec) {
	case VEC_NONE:
	case VEC_RELEASED:
		return !branch;
	case VEC_HELD:
		if (branch)
			return (fam & q) != 0;
		return !(st->c.dev[dev].confirmed && fam && !(fam & ~q));
	default:
		return true;
	}
}

/* "drvdata(X)" itself, not a field read through it. */
static bool is_driver_data(const char *key)
{
	size_t n = strlen(key), depth = 0, i;

	if (strncmp(key, "drvdata(", 8) || key[n - 1] != ')')
		return false;
	for (i = 7; i < n; i++) {
		if (key[i] == '(')
			depth++;
		else if (key[i] == ')' && --depth == 0)
			return i == n - 1;
	}
	return false;
}

/* Refines st for one branch of cond; false when the branch is infeasible. */
/* What a condition node tests, worked out once per function: reading it
 * takes tokens, and every state reaching the node needs it. */
struct cond_info {
	struct comparison cmp;
	int32_t whole; /* the whole condition's key */
};

static void describe_condition(struct fn_ctx *fn, CXCursor cond,
			       struct cond_info *ci)
{
	ci->whole = key_of(fn, ast_strip(cond));
	read_comparison(fn, cond, &ci->cmp);
}

static bool eval_cond(struct fn_ctx *fn, struct state *st, CXCursor cond,
		      const struct cond_info *ci, bool branch,
		      bool note_anyway)
{
	struct comparison cmp = ci->cmp;
	const char *op;
	const char *what = NULL;
	uint8_t branch_signs = SIGN_ANY;
	bool decided = false;
	int i;

	if (!query_branch_feasible(fn, st, cond, branch))
		return false;
	{
		/* the same whole condition tested again takes the same way */
		int32_t whole = ci->whole;
		if (is_returned(fn, whole)) {
			uint8_t want = branch ? (SIGN_NEG | SIGN_POS) : SIGN_ZERO;
			uint8_t have = fact_signs(st, whole);
			if (!(have & want))
				return false;
			set_fact(fn, st, whole, want);
		}
	}
	op = branch ? cmp.op : negate_op(cmp.op);
	if (fn->initial && cmp.constant && cmp.k == 0 &&
	    is_driver_data(engine_key(fn, cmp.key)) &&
	    !(signs_for(op, 0) & (SIGN_NEG | SIGN_POS)))
		return false; /* probe set the driver data on success */
	if (cmp.constant)
		branch_signs = signs_for(op, cmp.k);

	for (i = st->c.npend - 1; i >= 0; i--) {
		struct pending p = st->c.pend[i];
		enum verdict v;
		if (p.result_key != cmp.key)
			continue;
		if (p.success == SUCCESS_COUNT &&
		    (!cmp.constant || cmp.k > 0))
			/* "ret != nvec", "ret < MIN": a shortfall is failure */
			v = verdict_of_count_compare(op);
		else if (cmp.constant)
			v = verdict_of_signs(p.success, branch_signs);
		else
			v = V_UNKNOWN;
		if (v == V_UNKNOWN)
			continue;
		resolve_pending(fn, st, i, v == V_SUCCESS, true);
		what = v == V_SUCCESS ? "succeeded" : "failed";
		decided = true;
		set_fact(fn, st, cmp.key, cmp.constant ? branch_signs : SIGN_ANY);
	}
	if (!decided && cmp.constant && is_returned(fn, cmp.key)) {
		uint8_t old = fact_signs(st, cmp.key);
		uint8_t now = old & branch_signs;
		if (!now)
			return false;
		if (now != old || old != SIGN_ANY) {
			set_fact(fn, st, cmp.key, now);
			decided = true;
		}
	}
	if (decided || note_anyway) {
		char *ct = condition_text(fn, cond);
		char *text = what ? xasprintf("taking the %s branch of '%s' "
					      "(the call %s)",
					      branch ? "true" : "false", ct, what)
				  : xasprintf("taking the %s branch of '%s'",
					      branch ? "true" : "false", ct);
		add_step(fn, st, engine_add_site(fn->tu, cond, text, fn->name));
		free(text);
		free(ct);
	}
	return true;
}

/* ---- returns ---------------------------------------------------------- */

static enum outcome classify_return(struct fn_ctx *fn, struct state *st,
				    CXCursor ret_stmt, int32_t *pending_key)
{
	CXCursor e = ast_only_child(ret_stmt), s;
	long long v;
	uint8_t m;
	char *t;
	int32_t key;
	int i;

	*pending_key = -1;
	if (clang_Cursor_isNull(e) || fn->returns_void)
		return OUTCOME_SUCCESS;
	s = ast_strip(e);
	if (ast_eval_int(s, &v)) {
		if (fn->returns_pointer)
			return v == 0 ? OUTCOME_FAILURE : OUTCOME_UNKNOWN;
		if (fn->tu->rules->errors_positive)
			return v != 0 ? OUTCOME_FAILURE : OUTCOME_SUCCESS;
		return v < 0 ? OUTCOME_FAILURE : OUTCOME_SUCCESS;
	}
	if (clang_getCursorKind(s) == CXCursor_CallExpr &&
	    canon_is_error_call(fn, s))
		return OUTCOME_FAILURE;
	t = canon_text(fn, s);
	{
		/* an errno name the pack knows, resolved or not */
		const struct strvec *names = &fn->tu->rules->error_names;
		const char *b = t;
		size_t len;
		while (*b == '(')
			b++;
		len = strcspn(b, ")");
		for (i = 0; i < (int)names->n; i++)
			if (strlen(names->v[i]) == len &&
			    !strncmp(names->v[i], b, len)) {
				free(t);
				return OUTCOME_FAILURE;
			}
	}
	key = intern_key(fn, t);
	free(t);
	for (i = 0; i < st->c.npend; i++)
		if (st->c.pend[i].result_key == key) {
			*pending_key = key;
			return OUTCOME_UNKNOWN;
		}
	m = fact_signs(st, key);
	if (m == SIGN_ANY)
		return OUTCOME_UNKNOWN;
	if (fn->tu->rules->errors_positive)
		return !(m & SIGN_ZERO) ? OUTCOME_FAILURE
		       : m == SIGN_ZERO ? OUTCOME_SUCCESS
					: OUTCOME_UNKNOWN;
	if ((m & SIGN_NEG) && !(m & SIGN_ZERO))
		return OUTCOME_FAILURE;
	if (!(m & SIGN_NEG))
		return OUTCOME_SUCCESS;
	return OUTCOME_UNKNOWN;
}

static void record_exit(struct fn_ctx *fn, struct state *st,
			enum outcome outcome, int32_t site)
{
	struct event ev = { .kind = EV_EXIT, .fn = fn, .st = st, .dev = -1,
			    .site = site, .outcome = outcome };

	fire(&ev);
	grow_array((void **)&fn->exits, &fn->cap_exits, fn->nexits + 1,
		   sizeof(*fn->exits));
	fn->exits[fn->nexits] = st;
	fn->exit_outcomes = xrealloc(fn->exit_outcomes,
				     fn->cap_exits * sizeof(*fn->exit_outcomes));
	fn->exit_sites = xrealloc(fn->exit_sites,
				  fn->cap_exits * sizeof(*fn->exit_sites));
	fn->exit_sites[fn->nexits] = site;
	fn->exit_outcomes[fn->nexits++] = outcome;
}

static void handle_return(struct fn_ctx *fn, struct state *st, CXCursor ret)
{
	int32_t pkey, site;
	enum outcome o;

	o = classify_return(fn, st, ret, &pkey);
	if (pkey >= 0) {
		/* "return pci_alloc_irq_vectors(...)": both outcomes. */
		struct state *ok = clone_state(fn, st), *bad = clone_state(fn, st);
		int i;
		for (i = ok->c.npend - 1; i >= 0; i--)
			if (ok->c.pend[i].result_key == pkey)
				resolve_pending(fn, ok, i, true, true);
		for (i = bad->c.npend - 1; i >= 0; i--)
			if (bad->c.pend[i].result_key == pkey)
				resolve_pending(fn, bad, i, false, true);
		site = engine_add_site(fn->tu, ret, "returning the call's result",
				       fn->name);
		add_step(fn, ok, site);
		add_step(fn, bad, site);
		record_exit(fn, ok, OUTCOME_SUCCESS, site);
		record_exit(fn, bad, OUTCOME_FAILURE, site);
		return;
	}
	site = engine_add_site(fn->tu, ret,
			       o == OUTCOME_FAILURE ? "returning an error"
			       : o == OUTCOME_SUCCESS ? "returning success"
						      : "returning",
			       fn->name);
	add_step(fn, st, site);
	record_exit(fn, st, o, site);
}

void engine_seed_device(struct fn_ctx *fn, struct state *st, const char *key,
			const struct effect *e)
{
	int dev = get_dev(fn, st, intern_key(fn, key));
	struct dev_track *d;

	if (dev < 0)
		return;
	d = &st->c.dev[dev];
	if (e->enable)
		d->enable = e->enable;
	else if (d->enable == EN_ENTRY)
		d->enable = EN_NONE;
	if (e->vec) {
		d->vec = e->vec;
		d->family = e->family;
		d->family_uncertain = e->family_uncertain;
		d->managed_api = e->managed_api;
		d->confirmed = e->confirmed;
		d->alloc_site = e->site;
	} else if (d->vec == VEC_ENTRY) {
		d->vec = VEC_NONE;
	}
}

void engine_seed_handler(struct fn_ctx *fn, struct state *st, const char *key,
			 bool devm, int32_t site)
{
	char *dev_text = xstrdup(key), *hash = strrchr(dev_text, '#');
	int dev;

	if (hash) {
		*hash = '\0';
		dev = get_dev(fn, st, intern_key(fn, dev_text));
		if (dev >= 0)
			set_handler(fn, st, dev, intern_key(fn, key), H_ATTACHED,
				    devm, false, site);
	}
	free(dev_text);
}

/* ---- the walk ----------------------------------------------------------- */

struct node_states {
	struct state **items;
	size_t n, cap;
};

struct work_item {
	int node;
	struct state *st;
};

static struct state *forget_condition_values(struct fn_ctx *fn,
					     const struct state *st)
{
	struct state *n = clone_state(fn, st);
	size_t i;

	for (i = fn->nreturned_vars; i < fn->nreturned; i++)
		drop_fact(n, fn->returned[i]);
	return n;
}

static bool seen_before(struct node_states *ns, const struct state *st)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (!memcmp(&ns->items[i]->c, &st->c, sizeof(st->c)))
			return true;
	return false;
}

/* Keeps facts for the values that two or more conditions of the function
 * test, or that a condition tests and an assignment sets to a constant
 * or flag ("adapter->msix_enabled = 1" on the allocation's success
 * branch, "if (adapter->msix_enabled)" before the release). Optimistic:
 * a write through a call or another pointer is not seen; an assignment
 * to the same expression is. */
struct assigned_keys {
	struct fn_ctx *fn;
	int32_t *keys;
	size_t n, cap;
};

/* Keys that an assignment gives a constant or flag value somewhere. */
static enum CXChildVisitResult collect_assigned(CXCursor c, CXCursor parent,
						CXClientData data)
{
	struct assigned_keys *a = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor *kids;
	long long v;

	if (k != CXCursor_BinaryOperator && k != CXCursor_CompoundAssignOperator)
		return CXChildVisit_Recurse;
	if (ast_children(c, &kids) == 2) {
		uint8_t signs;
		int32_t key = -1;
		if (k == CXCursor_CompoundAssignOperator)
			key = flag_test_key(a->fn, c, kids[0], kids[1], &signs);
		else if (!strcmp(cfg_operator(&a->fn->tu->cfg_env, c), "=") &&
			 ast_eval_int(ast_strip(kids[1]), &v))
			key = key_of(a->fn, kids[0]);
		if (key >= 0)
			ARRAY_PUSH(a->keys, a->n, a->cap, key);
	}
	free(kids);
	return CXChildVisit_Recurse;
}

static bool note_vector_call(CXCursor call, void *data)
{
	struct fn_ctx *fn = ((void **)data)[0];
	bool *found = ((void **)data)[1];
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);
	struct fn_summary *sum = api ? NULL : engine_find_summary(fn->tu, name);

	if (api ? api->role == ROLE_ALLOC || api->role == ROLE_RELEASE
		: sum && sum->analysed && sum->neffects)
		*found = true;
	free(name);
	return !*found;
}

/* Whether the function allocates or releases vectors, itself or through
 * a callee: only then are condition values worth their states. */
static bool touches_vectors(struct fn_ctx *fn, struct cfg *cfg)
{
	bool found = false;
	void *args[2] = { fn, &found };
	size_t i;

	for (i = 0; i < cfg->n && !found; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr))
			cfg_visit_calls(cfg->nodes[i].expr, note_vector_call, args);
	return found;
}

static void track_condition_values(struct fn_ctx *fn, struct cfg *cfg,
				   const struct cond_info *conds)
{
	int32_t *keys = NULL, *wholes = NULL;
	size_t n = 0, cap = 0, i, j, nwhole = 0, capwhole = 0;
	struct assigned_keys assigned = { .fn = fn };

	fn->nreturned_vars = fn->nreturned;
	if (!touches_vectors(fn, cfg))
		return;
	clang_visitChildren(fn->cursor, collect_assigned, &assigned);

	for (i = 0; i < cfg->n; i++) {
		struct comparison cmp;
		bool tested_before = false, assigned_somewhere = false;

		if (cfg->nodes[i].kind != CFG_COND)
			continue;
		{
			int32_t whole = conds[i].whole;
			bool seen = false;
			for (j = 0; j < nwhole; j++)
				seen |= wholes[j] == whole;
			if (seen && !is_returned(fn, whole))
				ARRAY_PUSH(fn->returned, fn->nreturned,
					   fn->cap_returned, whole);
			if (!seen)
				ARRAY_PUSH(wholes, nwhole, capwhole, whole);
		}
		cmp = conds[i].cmp;
		if (!cmp.constant)
			continue;
		for (j = 0; j < n; j++)
			tested_before |= keys[j] == cmp.key;
		for (j = 0; j < assigned.n; j++)
			assigned_somewhere |= assigned.keys[j] == cmp.key;
		if ((tested_before || assigned_somewhere) &&
		    !is_returned(fn, cmp.key))
			ARRAY_PUSH(fn->returned, fn->nreturned, fn->cap_returned,
				   cmp.key);
		if (!tested_before)
			ARRAY_PUSH(keys, n, cap, cmp.key);
	}
	free(keys);
	free(wholes);
	free(assigned.keys);
}

static void note_unwound(struct fn_ctx *fn, const char *key, CXCursor call)
{
	struct ast_loc loc;
	char *dev;
	size_t i;

	if (index_is_constant(key) || !strrchr(key, '#'))
		return;
	ast_location(call, false, &loc);
	dev = xstrndup(key, (size_t)(strrchr(key, '#') - key));
	for (i = 0; i < fn->unwound_devices.n; i++)
		if (!strcmp(fn->unwound_devices.v[i], dev))
			break;
	if (i == fn->unwound_devices.n) {
		strvec_push(&fn->unwound_devices, dev);
		fn->unwound_lines = xrealloc(fn->unwound_lines,
					     fn->unwound_devices.cap *
						     sizeof(*fn->unwound_lines));
		fn->unwound_lines[i] = loc.line;
	} else if (loc.line < fn->unwound_lines[i]) {
		fn->unwound_lines[i] = loc.line;
	}
	ast_loc_release(&loc);
	free(dev);
}

static bool scan_unwind_call(CXCursor call, void *data)
{
	struct fn_ctx *fn = data;
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(fn->tu->rules, name);
	struct fn_summary *sum = api ? NULL : engine_find_summary(fn->tu, name);
	int n = clang_Cursor_getNumArguments(call), a;
	size_t nargs = n > 0 ? (size_t)n : 0, i;
	CXCursor *args = xcalloc(nargs + 1, sizeof(*args));

	for (a = 0; a < n; a++)
		args[a] = clang_Cursor_getArgument(call, (unsigned)a);
	if (api && api->role == ROLE_HANDLERFREE) {
		char *key = handler_key_text(fn, api, args, nargs, NULL);
		if (key)
			note_unwound(fn, key, call);
		free(key);
	} else if (sum && sum->analysed) {
		for (i = 0; i < sum->nhandlers; i++) {
			char *key;
			if (sum->handlers[i].state != H_FREED)
				continue;
			key = substitute_handler_key(fn, sum->handlers[i].key,
						     args, nargs);
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
static enum CXChildVisitResult scan_irq_assignments(CXCursor c,
						    CXCursor parent,
						    CXClientData data)
{
	struct fn_ctx *fn = data;
	CXCursor *kids;

	if (clang_getCursorKind(c) != CXCursor_BinaryOperator ||
	    strcmp(cfg_operator(&fn->tu->cfg_env, c), "="))
		return CXChildVisit_Recurse;
	if (ast_children(c, &kids) == 2) {
		char *irq = irq_key_text(fn, kids[1]);
		if (irq) {
			char *lt = canon_text(fn, kids[0]);
			remember_alias(&fn->irq_vars, &fn->nirq_vars,
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
		remember_entry_array(
			fn, clang_Cursor_getArgument(call, (unsigned)api->entries_arg),
			clang_Cursor_getArgument(call, (unsigned)api->dev_arg));
	free(name);
	return true;
}

/* Finds the devices whose handlers the function frees by a variable
 * index, itself or through a callee (after learning which msix_entry
 * arrays its allocations fill). */
static void scan_unwinds(struct fn_ctx *fn, struct cfg *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr))
			cfg_visit_calls(cfg->nodes[i].expr, scan_entry_arrays, fn);
	clang_visitChildren(fn->cursor, scan_irq_assignments, fn);
	for (i = 0; i < cfg->n; i++)
		if (!clang_Cursor_isNull(cfg->nodes[i].expr))
			cfg_visit_calls(cfg->nodes[i].expr, scan_unwind_call, fn);
}

/* ---- the driver's own bookkeeping ------------------------------------ */

/* "if (adapter->flags & FOO_MSIX_ENABLED) pci_disable_msix(pdev);": a
 * condition on a field of the driver's state with a release of one family
 * on one branch only. On the other branch the driver's bookkeeping says no
 * vectors of that family are held; when they were allocated outside the
 * function being walked (in probe, for remove(); in a helper), the walk
 * believes it, since whoever allocated them also set the field. */
struct release_guard {
	int32_t dev_key; /* -1: the condition guards no release */
	uint8_t family;
	uint8_t release_idx; /* successor index of the releasing branch */
};

struct release_search {
	struct fn_ctx *fn;
	int32_t dev_key;
	uint8_t family;
};

static bool find_release_call(CXCursor call, void *data)
{
	struct release_search *rs = data;
	char *name = ast_call_name(call);
	const struct api_entry *api = ruleset_lookup(rs->fn->tu->rules, name);

	free(name);
	if (api && api->role == ROLE_RELEASE && api->dev_arg >= 0 &&
	    api->dev_arg < clang_Cursor_getNumArguments(call)) {
		char *dk = canon_device(rs->fn, clang_Cursor_getArgument(
							call, (unsigned)api->dev_arg));
		rs->dev_key = intern_key(rs->fn, dk);
		rs->family = (uint8_t)api->family;
		free(dk);
		return false;
	}
	return true;
}

/* The first release on the straight-line code from node `at`. */
static bool branch_releases(struct fn_ctx *fn, struct cfg *cfg, int at,
			    struct release_search *rs)
{
	int hops;

	rs->fn = fn;
	rs->dev_key = -1;
	for (hops = 0; hops < 8 && at >= 0; hops++) {
		const struct cfg_node *n = &cfg->nodes[at];
		if (n->kind != CFG_STMT && n->kind != CFG_NOP)
			break;
		if (!clang_Cursor_isNull(n->expr))
			cfg_visit_calls(n->expr, find_release_call, rs);
		if (rs->dev_key >= 0)
			return true;
		at = n->nsucc == 1 ? n->succ[0] : -1;
	}
	return false;
}

/* Whether any release is reachable from `at` within a few dozen nodes,
 * without passing through the condition `cond` again. */
static bool reaches_release(struct fn_ctx *fn, struct cfg *cfg, int at,
			    size_t cond)
{
	int *queue = xcalloc(cfg->n + 1, sizeof(*queue));
	bool *seen = xcalloc(cfg->n + 1, sizeof(*seen));
	size_t head = 0, tail = 0, visited = 0, s;
	bool found = false;

	queue[tail++] = at;
	seen[at] = true;
	while (head < tail && !found && visited++ < 48) {
		const struct cfg_node *n = &cfg->nodes[queue[head++]];
		struct release_search rs = { fn, -1, 0 };
		if (!clang_Cursor_isNull(n->expr) && n->kind != CFG_RETURN)
			cfg_visit_calls(n->expr, find_release_call, &rs);
		found = rs.dev_key >= 0;
		for (s = 0; s < n->nsucc; s++) {
			int to = n->succ[s];
			if ((size_t)to != cond && !seen[to]) {
				seen[to] = true;
				queue[tail++] = to;
			}
		}
	}
	free(queue);
	free(seen);
	return found;
}

/* A field of the driver's state, or a copy of one, tested for being set
 * ("$0->flags&FOO_MSIX", "priv->msi", "cfg_flags&BNAD_CF_MSIX"): not a
 * call's result, not a comparison (a loop's bound). */
static bool is_bookkeeping_condition(const char *text)
{
	const char *p = strrchr(text, ')');

	/* a field of a structure a call returned (a private structure from
	 * devm_kzalloc() is named by that call) is still a field */
	if (p)
		text = p + 1;
	if (strpbrk(text, "(<="))
		return false;
	for (p = strchr(text, '>'); p; p = strchr(p + 1, '>'))
		if (p == text || p[-1] != '-')
			return false; /* a comparison, not a field */
	/* and one that records the interrupt mode ("msix_entries",
	 * "FLAG_MSI_ENABLED", "irq_vectors"), not the device's health
	 * ("if (priv->dead) return;" before a release is a skipped release) */
	return strcasestr(text, "msi") || strcasestr(text, "irq") ||
	       strcasestr(text, "vec") || strcasestr(text, "intr");
}

static void find_release_guards(struct fn_ctx *fn, struct cfg *cfg,
				const struct cond_info *conds,
				struct release_guard *guards)
{
	size_t i;

	for (i = 0; i < cfg->n; i++) {
		const struct cfg_node *n = &cfg->nodes[i];
		struct release_search on[2];
		bool found[2] = { false, false };
		int b;

		guards[i].dev_key = -1;
		if (n->kind != CFG_COND || n->nsucc != 2 ||
		    !is_bookkeeping_condition(engine_key(fn, conds[i].whole)))
			continue;
		for (b = 0; b < 2; b++)
			found[b] = branch_releases(fn, cfg, n->succ[b], &on[b]);
		if (found[0] == found[1])
			continue;
		b = found[0] ? 0 : 1;
		/* the other branch must not reach the release later (after
		 * an inner if that stopped the straight-line search) */
		if (reaches_release(fn, cfg, n->succ[!b], i))
			continue;
		if (!(on[b].family & (FAMILY_MSI | FAMILY_MSIX)))
			continue;
		guards[i].dev_key = on[b].dev_key;
		guards[i].family = on[b].family;
		guards[i].release_idx = (uint8_t)b;
	}
}

static void trust_release_guard(struct fn_ctx *fn, struct state *st,
				const struct release_guard *g, CXCursor cond)
{
	int dev = find_dev(st, g->dev_key);
	struct dev_track *d;
	bool local;
	unsigned fam = g->family & (FAMILY_MSI | FAMILY_MSIX);

	if (dev < 0) {
		if (!key_is_param_rooted(engine_key(fn, g->dev_key)))
			return;
		dev = get_dev(fn, st, g->dev_key);
		if (dev < 0)
			return;
	}
	d = &st->c.dev[dev];
	local = d->alloc_site >= 0 && fn->tu->sites[d->alloc_site].function &&
		!strcmp(fn->tu->sites[d->alloc_site].function, fn->name);
	if (d->vec == VEC_ENTRY) {
		d->released |= (uint8_t)fam;
		d->trusted |= (uint8_t)fam;
	} else if (d->vec == VEC_HELD && !local) {
		/* the family the driver says is not held is out; what is
		 * left is held for sure (no release "by choice") */
		d->family &= (uint8_t)~fam;
		d->trusted |= (uint8_t)fam;
		if (!((d->family & (FAMILY_MSI | FAMILY_MSIX)) &
		      ((d->family & (FAMILY_MSI | FAMILY_MSIX)) - 1)))
			d->family_uncertain = 0;
		if (!(d->family & (FAMILY_MSI | FAMILY_MSIX))) {
			char *text = xasprintf(
				"the driver's state says no %s vectors are "
				"held here",
				fam == FAMILY_MSIX ? "MSI-X"
				: fam == FAMILY_MSI ? "MSI"
						    : "MSI/MSI-X");
			d->vec = VEC_RELEASED;
			d->release_site = engine_add_site(fn->tu, cond, text,
							  fn->name);
			add_step(fn, st, d->release_site);
			free(text);
		}
	}
}

void engine_run_function(struct fn_ctx *fn, struct cfg *cfg)
{
	struct node_states *seen = xcalloc(cfg->n, sizeof(*seen));
	struct work_item *work = NULL;
	size_t nwork = 0, capwork = 0, steps = 0, i;
	struct state *init = fn->initial ? clone_state(fn, fn->initial)
				       : arena_alloc(&fn->tu->arena, sizeof(*init));
	struct work_item first = { cfg->entry, init };
	struct cond_info *conds;
	struct release_guard *guards;

	conds = xcalloc(cfg->n, sizeof(*conds));
	guards = xcalloc(cfg->n, sizeof(*guards));
	for (i = 0; i < cfg->n; i++)
		if (cfg->nodes[i].kind == CFG_COND)
			describe_condition(fn, cfg->nodes[i].expr, &conds[i]);
	track_condition_values(fn, cfg, conds);
	find_release_guards(fn, cfg, conds, guards);
	scan_unwinds(fn, cfg);
	ARRAY_PUSH(work, nwork, capwork, first);
	while (nwork) {
		struct work_item it = work[--nwork];
		struct cfg_node *node = &cfg->nodes[it.node];
		struct node_states *ns = &seen[it.node];
		struct walk w = { fn, it.st };
		struct state *st = it.st;
		size_t s;

		if (seen_before(ns, st))
			continue;
		if (ns->n >= MAX_STATES_PER_NODE / 2) {
			/* Widen: forget the values of conditions so that
			 * paths that differ only in them merge. */
			st = forget_condition_values(fn, st);
			w.st = st;
			if (seen_before(ns, st))
				continue;
		}
		if (ns->n >= MAX_STATES_PER_NODE ||
		    ++steps > MAX_STEPS_PER_FUNCTION) {
			fn->incomplete = true;
			fn->incomplete_why = ns->n >= MAX_STATES_PER_NODE
						     ? "too many distinct states at one point"
						     : "too many path steps";
			if (steps > MAX_STEPS_PER_FUNCTION)
				break;
			continue;
		}
		ARRAY_PUSH(ns->items, ns->n, ns->cap, st);

		switch (node->kind) {
		case CFG_NOP:
			for (s = 0; s < node->nsucc; s++) {
				struct work_item n = { node->succ[s], st };
				ARRAY_PUSH(work, nwork, capwork, n);
			}
			break;
		case CFG_STMT:
		case CFG_SWITCH:
			w.st = clone_state(fn, st);
			eval_expr(&w, node->expr);
			for (s = 0; s < node->nsucc; s++) {
				struct work_item n = { node->succ[s], w.st };
				ARRAY_PUSH(work, nwork, capwork, n);
			}
			break;
		case CFG_COND: {
			int b;
			w.st = clone_state(fn, st);
			eval_expr(&w, node->expr);
			for (b = 1; b >= 0; b--) {
				struct state *bs = clone_state(fn, w.st);
				size_t idx = b ? 0 : 1;
				if (idx >= node->nsucc)
					continue;
				int to = node->succ[idx];
				bool leaves = cfg->nodes[to].kind == CFG_RETURN ||
					      cfg->nodes[to].is_label;
				if (eval_cond(fn, bs, node->expr, &conds[it.node],
					      b, leaves)) {
					struct work_item n = { node->succ[idx], bs };
					const struct release_guard *g =
						&guards[it.node];
					if (g->dev_key >= 0 &&
					    g->release_idx != idx)
						trust_release_guard(fn, bs, g,
								    node->expr);
					ARRAY_PUSH(work, nwork, capwork, n);
				}
			}
			break;
		}
		case CFG_RETURN: {
			CXCursor e = ast_only_child(node->expr);
			w.st = clone_state(fn, st);
			if (!clang_Cursor_isNull(e))
				eval_expr(&w, e);
			handle_return(fn, w.st, node->expr);
			break;
		}
		case CFG_EXIT: {
			struct state *es = clone_state(fn, st);
			int32_t site;
			CXCursor body = clang_Cursor_isNull(node->expr)
						? fn->cursor
						: node->expr;
			struct ast_loc loc;
			struct site end;
			ast_location(body, true, &loc);
			end.file = arena_strdup(&fn->tu->arena, loc.file);
			end.line = loc.line;
			end.col = loc.col;
			end.text = "reaching the end of the function";
			end.function = fn->name;
			site = intern_site(fn->tu, &end);
			ast_loc_release(&loc);
			add_step(fn, es, site);
			record_exit(fn, es,
				    fn->returns_void ? OUTCOME_SUCCESS
						     : OUTCOME_UNKNOWN,
				    site);
			break;
		}
		case CFG_NORETURN:
			break;
		}
	}
	for (i = 0; i < cfg->n; i++)
		free(seen[i].items);
	free(seen);
	free(work);
	free(conds);
	free(guards);
}

/* ---- reporting ---------------------------------------------------------- */

static void fire(struct event *ev)
{
	size_t n, i;
	const struct check *const *checks = check_registry(&n);

	for (i = 0; i < n; i++)
		if (checks[i]->on_event &&
		    (ev->fn->tu->checks_on & (1UL << i)))
			checks[i]->on_event(ev);
}

static void fill_steps(struct tu_ctx *tu, const struct step *trail,
		       struct finding *f)
{
	const struct step *s;
	size_t n = 0, i;

	for (s = trail; s; s = s->prev)
		n++;
	f->nsteps = n;
	f->steps = n ? xcalloc(n, sizeof(*f->steps)) : NULL;
	i = n;
	for (s = trail; s; s = s->prev) {
		const struct site *site = &tu->sites[s->site];
		i--;
		f->steps[i].file = xstrdup(site->file);
		f->steps[i].line = site->line;
		f->steps[i].col = site->col;
		f->steps[i].text = xstrdup(site->text);
	}
}

/* Decides the parts of req that the device state can decide: returns
 * false when one fails, and leaves in *rest the parts still open (the
 * ones that depend on the state at the function's entry). */
bool engine_requirement_check(const struct dev_track *d, unsigned req,
			      unsigned *rest)
{
	*rest = req & (REQ_NO_REMOVE_RELEASE | REQ_SETUP_ROOT);
	if (req & (REQ_CTX_MANAGED | REQ_CTX_UNMANAGED)) {
		if (d->enable == EN_ENTRY)
			*rest |= req & (REQ_CTX_MANAGED | REQ_CTX_UNMANAGED);
		else if ((req & REQ_CTX_MANAGED) && d->enable != EN_MANAGED)
			return false;
		else if ((req & REQ_CTX_UNMANAGED) && d->enable == EN_MANAGED)
			return false;
	}
	if (req & REQ_CTX_HELD_UNMANAGED) {
		if (d->vec == VEC_ENTRY)
			*rest |= REQ_CTX_HELD_UNMANAGED;
		else if (d->vec != VEC_HELD || d->managed_api)
			return false;
	}
	if (req & REQ_CTX_RELEASED) {
		if (d->vec == VEC_ENTRY)
			*rest |= REQ_CTX_RELEASED;
		else if (d->vec != VEC_RELEASED)
			return false;
	}
	if (req & (REQ_CTX_HELD_NO_MSIX | REQ_CTX_HELD_NO_MSI)) {
		unsigned fam = d->family & (FAMILY_MSI | FAMILY_MSIX);
		unsigned lacking = req & REQ_CTX_HELD_NO_MSIX ? FAMILY_MSIX
							      : FAMILY_MSI;
		if (d->vec == VEC_ENTRY)
			*rest |= req & (REQ_CTX_HELD_NO_MSIX | REQ_CTX_HELD_NO_MSI);
		else if (d->vec != VEC_HELD || !fam || (fam & lacking))
			return false;
	}
	return true;
}

/* The state a device has when nothing before this function touched it. */
static void entry_as_untouched(struct dev_track *d)
{
	if (d->enable == EN_ENTRY)
		d->enable = EN_NONE;
	if (d->vec == VEC_ENTRY)
		d->vec = VEC_NONE;
}

void engine_emit(struct tu_ctx *tu, struct finding *f)
{
	size_t i;

	for (i = 0; i < tu->out->n; i++) {
		struct finding *o = &tu->out->items[i];
		if (o->line == f->line && o->col == f->col &&
		    !strcmp(o->rule, f->rule) && !strcmp(o->file, f->file)) {
			finding_release(f);
			return;
		}
	}
	finding_list_push(tu->out, f);
}

static void add_deferred(struct fn_summary *sum, struct finding *f,
			 const char *key, unsigned req)
{
	struct deferred d = { .dev_key = xstrdup(key), .req = req };
	size_t i;

	for (i = 0; i < sum->ndeferred; i++) {
		struct deferred *o = &sum->deferred[i];
		if (o->req == req && o->finding.line == f->line &&
		    o->finding.col == f->col && !strcmp(o->finding.rule, f->rule) &&
		    !strcmp(o->dev_key, key)) {
			free(d.dev_key);
			finding_release(f);
			return;
		}
	}
	d.finding = *f;
	memset(f, 0, sizeof(*f));
	ARRAY_PUSH(sum->deferred, sum->ndeferred, sum->cap_deferred, d);
}

void engine_report(const struct event *ev, const char *rule, int dev,
		   unsigned req, int32_t at_site, const char *message)
{
	struct fn_ctx *fn = ev->fn;
	struct tu_ctx *tu = fn->tu;
	const struct check *chk = check_find(rule);
	const struct site *site = &tu->sites[at_site];
	struct finding f = { 0 };
	unsigned rest = 0;
	const char *key = NULL;

	if (dev >= 0) {
		struct dev_track d = ev->st->c.dev[dev];
		key = engine_key(fn, d.key);
		if (!key_is_param_rooted(key))
			entry_as_untouched(&d);
		if (!engine_requirement_check(&d, req, &rest))
			return;
	}
	f.rule = chk ? chk->id : rule;
	f.severity = chk ? chk->severity : SEV_WARNING;
	f.file = xstrdup(site->file);
	f.line = site->line;
	f.col = site->col;
	f.function = xstrdup(site->function ? site->function : fn->name);
	f.message = xstrdup(message);
	fill_steps(tu, ev->st->trail, &f);
	if (rest)
		add_deferred(fn->summary, &f, key, rest);
	else
		engine_emit(tu, &f);
}

struct fn_summary *engine_find_summary(struct tu_ctx *tu, const char *name)
{
	const struct portable_summary *p;
	size_t i;

	for (i = 0; i < tu->nsummaries; i++)
		if (!strcmp(tu->summaries[i]->name, name))
			return tu->summaries[i];
	p = module_find(tu->module, name);
	return p ? module_import(tu, p) : NULL;
}

/* ---- deferred findings at a call ------------------------------------- */

static void resolve_callee_deferred(struct walk *w, struct fn_summary *sum,
				    CXCursor *args, size_t nargs)
{
	struct fn_ctx *fn = w->fn;
	size_t i;

	for (i = 0; i < sum->ndeferred; i++) {
		struct deferred *d = &sum->deferred[i];
		char *key = canon_substitute(fn, d->dev_key, args, nargs);
		struct dev_track local;
		struct finding f;
		unsigned rest;
		int dev;

		if (!key)
			continue;
		dev = get_dev(fn, w->st, intern_key(fn, key));
		if (dev < 0) {
			free(key);
			continue;
		}
		local = w->st->c.dev[dev];
		if (!key_is_param_rooted(key))
			entry_as_untouched(&local);
		if (engine_requirement_check(&local, d->req, &rest)) {
			if ((rest & REQ_SETUP_ROOT) && fn->is_root) {
				/* decided here: the chain ends in fn */
				if (!engine_is_setup_entry(fn)) {
					free(key);
					continue;
				}
				rest &= ~REQ_SETUP_ROOT;
			}
			finding_copy(&f, &d->finding);
			if (!rest)
				engine_emit(fn->tu, &f);
			else if (key_is_param_rooted(key))
				add_deferred(fn->summary, &f, key, rest);
			else
				finding_release(&f);
		}
		free(key);
	}
}
