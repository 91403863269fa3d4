/* One path's state and its transitions (see state.h). Owns the layout of
 * struct state_core; fires EV_ENABLE, EV_ALLOC and EV_RELEASE when an
 * effect is applied. It does not read the AST or decide findings. */
#include "engine/state.h"
#include "engine/canon.h"
#include "engine/report.h"

#include <stdlib.h>
#include <string.h>

bool dev_vectors_released_by_choice(const struct dev_track *d)
{
	return d->vec == VEC_HELD && d->family_uncertain &&
	       (d->released & (FAMILY_MSI | FAMILY_MSIX));
}

struct state *state_clone(struct fn_ctx *fn, const struct state *st)
{
	struct state *n = arena_alloc(&fn->tu->arena, sizeof(*n));

	memcpy(n, st, sizeof(*n));
	return n;
}

int state_find_dev(struct state *st, int32_t key)
{
	int i;

	for (i = 0; i < st->c.ndev; i++)
		if (st->c.dev[i].key == key)
			return i;
	return -1;
}

int state_get_dev(struct fn_ctx *fn, struct state *st, int32_t key)
{
	int i = state_find_dev(st, key);
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

/* A field of the driver's state ("@USR..."), not a value of the function. */
static bool is_field_key(struct fn_ctx *fn, int32_t key)
{
	return engine_key(fn, key)[0] == '@';
}

static int find_fact(const struct state *st, int32_t key)
{
	int i;

	for (i = 0; i < st->c.nfact; i++)
		if (st->c.fact[i].key == key)
			return i;
	return -1;
}

bool state_value_kept(struct fn_ctx *fn, int32_t key)
{
	if (is_field_key(fn, key))
		return true; /* a field of the driver's state */
	return key_in(fn->returned, fn->nreturned, key);
}

void state_keep_value(struct fn_ctx *fn, int32_t key)
{
	if (!state_value_kept(fn, key))
		ARRAY_PUSH(fn->returned, fn->nreturned, fn->cap_returned, key);
}

void state_add_equal(struct state *st, int32_t a, int32_t b)
{
	if (a == b || state_known_equal(st, a, b))
		return;
	if (st->c.nequal == MAX_EQUAL) { /* the oldest goes */
		memmove(st->c.equal[0], st->c.equal[1],
			sizeof(st->c.equal[0]) * (MAX_EQUAL - 1));
		st->c.nequal--;
	}
	st->c.equal[st->c.nequal][0] = a < b ? a : b;
	st->c.equal[st->c.nequal][1] = a < b ? b : a;
	st->c.nequal++;
}

bool state_known_equal(const struct state *st, int32_t a, int32_t b)
{
	int32_t i, lo = a < b ? a : b, hi = a < b ? b : a;

	for (i = 0; i < st->c.nequal; i++)
		if (st->c.equal[i][0] == lo && st->c.equal[i][1] == hi)
			return true;
	return false;
}

void state_forget_equal(struct state *st, int32_t key)
{
	int32_t i, kept = 0;

	for (i = 0; i < st->c.nequal; i++)
		if (st->c.equal[i][0] != key && st->c.equal[i][1] != key) {
			st->c.equal[kept][0] = st->c.equal[i][0];
			st->c.equal[kept][1] = st->c.equal[i][1];
			kept++;
		}
	for (i = kept; i < st->c.nequal; i++)
		st->c.equal[i][0] = st->c.equal[i][1] = 0;
	st->c.nequal = kept;
	for (i = 0; i < st->c.npend; i++)
		if (st->c.pend[i].exact_key == key)
			st->c.pend[i].exact_key = -1;
}

void state_drop_fact(struct state *st, int32_t key)
{
	int i = find_fact(st, key);

	if (i < 0)
		return;
	memmove(&st->c.fact[i], &st->c.fact[i + 1],
		(size_t)(st->c.nfact - i - 1) * sizeof(st->c.fact[0]));
	st->c.nfact--;
	memset(&st->c.fact[st->c.nfact], 0, sizeof(st->c.fact[0]));
}

const struct fact *state_fact(const struct state *st, int32_t key)
{
	int i = find_fact(st, key);

	return i < 0 ? NULL : &st->c.fact[i];
}

struct value state_value(const struct state *st, int32_t key)
{
	const struct fact *f = state_fact(st, key);

	return f ? f->v : value_any();
}

/* The slot of key, added in key order (so that equal knowledge is equal
 * memory); NULL when the table is full. */
static struct fact *fact_slot(struct fn_ctx *fn, struct state *st, int32_t key)
{
	int i = find_fact(st, key), at;

	if (i >= 0)
		return &st->c.fact[i];
	if (is_field_key(fn, key)) {
		/* the driver's fields take what the function's own values
		 * leave; one that finds no room is not known (never a
		 * guess) */
		int fields = 0;
		for (i = 0; i < st->c.nfact; i++)
			fields += is_field_key(fn, st->c.fact[i].key);
		if (fields >= MAX_FIELD_FACTS || st->c.nfact >= MAX_FACTS)
			return NULL;
	} else if (st->c.nfact >= MAX_FACTS) {
		/* make room by forgetting a field's value */
		for (i = st->c.nfact - 1; i >= 0; i--)
			if (is_field_key(fn, st->c.fact[i].key))
				break;
		if (i < 0) {
			fn->incomplete = true;
			fn->incomplete_why = "too many tracked values";
			return NULL;
		}
		state_drop_fact(st, st->c.fact[i].key);
	}
	for (at = 0; at < st->c.nfact && st->c.fact[at].key < key; at++)
		;
	memmove(&st->c.fact[at + 1], &st->c.fact[at],
		(size_t)(st->c.nfact - at) * sizeof(st->c.fact[0]));
	st->c.nfact++;
	memset(&st->c.fact[at], 0, sizeof(st->c.fact[at]));
	st->c.fact[at].key = key;
	return &st->c.fact[at];
}

void state_put_fact(struct fn_ctx *fn, struct state *st, int32_t key,
		    const struct value *v, uint8_t origin)
{
	const struct fact *old = state_fact(st, key);
	bool field = is_field_key(fn, key);
	struct fact *f;

	if (!state_value_kept(fn, key))
		return;
	if (origin == FACT_ASSUMED) {
		if (value_is_any(v))
			return;
		f = fact_slot(fn, st, key);
		if (!f)
			return;
		f->written = 0;
		f->has_entry = 1;
		f->v = f->entry = *v;
		return;
	}
	/* a value nobody knows: forget it, unless it is a field (what the
	 * function leaves its callers says the field changed) or what the
	 * path needed at entry is to be kept */
	if (value_is_any(v) && !field && !(old && old->has_entry)) {
		state_drop_fact(st, key);
		return;
	}
	f = fact_slot(fn, st, key);
	if (!f)
		return;
	f->written = 1;
	f->v = *v;
}

void state_set_fact(struct fn_ctx *fn, struct state *st, int32_t key,
		    uint8_t signs)
{
	struct value v = value_of_signs(signs);

	state_put_fact(fn, st, key, &v, FACT_WRITTEN);
}

bool state_refine_fact(struct fn_ctx *fn, struct state *st, int32_t key,
		       const struct value *v)
{
	const struct fact *old = state_fact(st, key);
	struct value now = old ? value_meet(&old->v, v) : *v;
	struct fact *f;

	if (value_is_empty(&now))
		return false;
	if (!state_value_kept(fn, key) || value_is_any(&now))
		return true;
	if (!old || (!old->written && !old->has_entry)) {
		state_put_fact(fn, st, key, &now, FACT_ASSUMED);
		return true;
	}
	f = fact_slot(fn, st, key);
	if (!f)
		return true;
	if (!f->written) /* still the entry value: so is what it must be */
		f->entry = value_meet(&f->entry, &now);
	f->v = now;
	return true;
}

uint8_t state_fact_signs(struct state *st, int32_t key)
{
	const struct fact *f = state_fact(st, key);

	return f ? f->v.signs : SIGN_ANY;
}

static void remove_pending(struct state *st, int i)
{
	st->c.pend[i] = st->c.pend[--st->c.npend];
	memset(&st->c.pend[st->c.npend], 0, sizeof(st->c.pend[0]));
}

/* Applies an effect to a device, firing the events checks listen to. */
void state_apply_effect(struct fn_ctx *fn, struct state *st, int dev,
			const struct effect *e, const char *api,
			int32_t call_site)
{
	struct dev_track *d = &st->c.dev[dev];
	struct event ev = {.fn = fn,
			   .st = st,
			   .dev = dev,
			   .api = api ? api : "the call",
			   .via_summary = e->via >= 0,
			   .site = call_site,
			   .callee_site = e->site};

	if (e->enable) {
		ev.kind = EV_ENABLE;
		report_fire(&ev);
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
		report_fire(&ev);
		d = &st->c.dev[dev];
		d->vec = VEC_HELD;
		d->void_release = 0;
		d->released = 0;
		d->family_uncertain = e->family_uncertain;
		d->leak_site = e->exit_site;
		d->family = e->family;
		d->managed_api = e->managed_api;
		d->confirmed = e->confirmed;
		d->alloc_site = e->site;
	} else if (e->vec == VEC_RELEASED) {
		unsigned left;
		bool nothing = d->vec == VEC_NONE;
		if (e->if_held &&
		    (d->vec == VEC_RELEASED || d->vec == VEC_NONE))
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
		report_fire(&ev);
		d = &st->c.dev[dev];
		d->released |= e->family;
		if (e->if_held) /* passes on to this function's summary */
			d->trusted |= e->family;
		d->release_site = e->site;
		d->leak_site = -1;
		/* pci_disable_msix() leaves MSI vectors alone: only when no
		 * family the vectors may belong to is left are they gone. */
		left = d->vec == VEC_HELD || d->vec == VEC_ENTRY
			   ? d->family & ~e->family & (FAMILY_MSI | FAMILY_MSIX)
			   : 0;
		if (left) {
			d->family = (uint8_t)(left | (d->family & FAMILY_INTX));
		} else {
			d->vec = VEC_RELEASED;
			d->family = e->family;
			d->release_site = e->site;
			d->void_release = nothing;
		}
	}
}

int state_find_handler(struct state *st, int32_t key)
{
	int i;

	for (i = 0; i < st->c.nhandler; i++)
		if (st->c.handler[i].key == key)
			return i;
	return -1;
}

void state_remove_handler(struct state *st, int i)
{
	st->c.handler[i] = st->c.handler[--st->c.nhandler];
	memset(&st->c.handler[st->c.nhandler], 0, sizeof(st->c.handler[0]));
}

void state_set_handler(struct fn_ctx *fn, struct state *st, int dev,
		       int32_t key, uint8_t state, bool devm, bool local,
		       int32_t site, int32_t devid)
{
	int i = state_find_handler(st, key);
	struct handler_track *h;

	/* a second handler on the same irq: free_irq() picks one of them by
	 * its dev_id, which the key cannot tell */
	if (i >= 0 && st->c.handler[i].state == H_ATTACHED &&
	    state == H_ATTACHED && st->c.handler[i].devid != devid)
		devid =
		    st->c.handler[i].devid && devid ? HANDLER_DEVID_MIXED : 0;
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
	h->leak_site = -1;
	h->devid = devid;
}

void state_note_least(struct fn_ctx *fn, struct state *st, int32_t key,
		      int32_t least)
{
	struct value at_least = value_of_signs(SIGN_POS);

	if (least < 2)
		return;
	at_least.lo = least;
	state_refine_fact(fn, st, key, &at_least);
}

/* Settles pending result i as success or failure of the call. */
void state_resolve_pending(struct fn_ctx *fn, struct state *st, int i,
			   bool success, bool confirmed)
{
	struct pending p = st->c.pend[i];

	remove_pending(st, i);
	if (success && p.exact_key >= 0)
		state_add_equal(st, p.result_key, p.exact_key);
	if (success)
		state_note_least(fn, st, p.result_key, p.least);
	if (!confirmed)
		p.on_success.confirmed = 0;
	/* an allocation tried here says nothing was held when the function
	 * was entered: when it fails, none are held */
	if (!success && p.on_success.vec == VEC_HELD && p.on_success.via < 0 &&
	    st->c.dev[p.dev].vec == VEC_ENTRY)
		st->c.dev[p.dev].vec = VEC_NONE;
	state_apply_effect(fn, st, p.dev,
			   success ? &p.on_success : &p.on_failure, p.api,
			   p.call_site);
	if (p.handler_key >= 0 && (p.handler_on & (success ? 1 : 2))) {
		int h;
		state_set_handler(
		    fn, st, p.dev, p.handler_key, H_ATTACHED, p.handler_devm,
		    (p.handler_local & (success ? 1 : 2)) != 0,
		    !success && p.handler_site >= 0 ? p.handler_site
						    : p.call_site,
		    p.handler_devid);
		h = state_find_handler(st, p.handler_key);
		if (!success && h >= 0)
			st->c.handler[h].leak_site = p.handler_leak_site;
	}
}

/* A pending result nobody tested: assume the call did what it does on
 * success, but do not count that as proven. */
void state_settle_unconfirmed(struct fn_ctx *fn, struct state *st, int i)
{
	state_resolve_pending(fn, st, i, true, false);
}

void state_settle_for_key(struct fn_ctx *fn, struct state *st, int32_t key)
{
	int i;

	for (i = st->c.npend - 1; i >= 0; i--)
		if (st->c.pend[i].result_key == key)
			state_settle_unconfirmed(fn, st, i);
}

void state_settle_for_dev(struct fn_ctx *fn, struct state *st, int dev)
{
	int i;

	for (i = st->c.npend - 1; i >= 0; i--)
		if (st->c.pend[i].dev == dev)
			state_settle_unconfirmed(fn, st, i);
}

void state_add_pending(struct fn_ctx *fn, struct state *st, int32_t key,
		       enum success_kind success, int dev, const char *api,
		       int32_t call_site, const struct effect *ok,
		       const struct effect *fail)
{
	struct pending *p;

	if (st->c.npend >= MAX_PENDING)
		state_settle_unconfirmed(fn, st, 0);
	p = &st->c.pend[st->c.npend++];
	memset(p, 0, sizeof(*p));
	p->result_key = key;
	p->success = (uint8_t)success;
	p->dev = (uint8_t)dev;
	p->api = api;
	p->call_site = call_site;
	p->handler_key = -1;
	p->handler_site = p->handler_leak_site = -1;
	p->exact_key = -1;
	p->on_success = *ok;
	p->on_failure = *fail;
}

void engine_seed_device(struct fn_ctx *fn, struct state *st, const char *key,
			const struct effect *e)
{
	int dev = state_get_dev(fn, st, key_intern(fn, key));
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
		dev = state_get_dev(fn, st, key_intern(fn, dev_text));
		if (dev >= 0)
			state_set_handler(fn, st, dev, key_intern(fn, key),
					  H_ATTACHED, devm, false, site, 0);
	}
	free(dev_text);
}
