/* The ways a function returns: its exits grouped into return states by
 * what each leaves its caller (the devices of its parameters, the
 * handlers, the facts of the driver's state and of what the parameters
 * reach, and the conditions at entry the way needs), each with the value
 * it returns. A caller follows each way that agrees with what it knows
 * (apply.c). Also the merge of exits that the per-outcome effects and the
 * return states share. */
#include "engine/returns.h"
#include "engine/canon.h"
#include "engine/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In a function seeded with probe's state, a device still as probe left
 * it is not something this function did. */
static bool unchanged_from_seed(struct fn_ctx *fn, const struct dev_track *d)
{
	size_t k;
	int i;

	for (k = 0; k < fn->ninitial; k++)
		for (i = 0; i < fn->initial[k]->c.ndev; i++) {
			const struct dev_track *s = &fn->initial[k]->c.dev[i];
			if (s->key == d->key && s->vec == d->vec &&
			    s->enable == d->enable &&
			    s->alloc_site == d->alloc_site &&
			    s->released == d->released)
				return true;
		}
	return false;
}

/* Vectors released on this path that this function itself allocated
 * (not probe's, for a function seeded with its state). */
static bool allocated_here(struct fn_ctx *fn, const struct dev_track *d)
{
	size_t k;
	int i;

	if (d->alloc_site < 0)
		return false;
	for (k = 0; k < fn->ninitial; k++)
		for (i = 0; i < fn->initial[k]->c.ndev; i++)
			if (fn->initial[k]->c.dev[i].key == d->key &&
			    fn->initial[k]->c.dev[i].alloc_site ==
				d->alloc_site)
				return false;
	return true;
}

void returns_merge(struct fn_ctx *fn, int32_t key, const size_t *idx,
		   size_t nidx, bool failure, struct effect *out)
{
	size_t i, total = 0, held = 0, released = 0, managed = 0, unmanaged = 0;
	size_t fresh = 0, disabled = 0;
	bool any_confirmed = false, all_managed = true;
	const struct dev_track *first_held = NULL, *first_rel = NULL;

	int32_t enable_site = -1;
	unsigned released_families = 0, held_families = 0, any_family = 0;
	bool uncertain = false;

	int32_t exit_site = -1;

	memset(out, 0, sizeof(*out));
	out->site = out->via = out->enable_site = out->exit_site = -1;
	for (i = 0; i < (idx ? nidx : fn->nexits); i++) {
		const struct fn_exit *x = &fn->exits[idx ? idx[i] : i];
		const struct state *st = x->st;
		bool is_fail = x->outcome == OUTCOME_FAILURE;
		int d;
		if (is_fail != failure)
			continue;
		total++;
		for (d = 0; d < st->c.ndev; d++)
			if (st->c.dev[d].key == key)
				break;
		if (d == st->c.ndev) {
			/* remove() on a way of probe's that never touched
			 * the device: nothing to release there either */
			if (fn->ninitial)
				total--;
			continue;
		}
		disabled += st->c.dev[d].disabled;
		if (unchanged_from_seed(fn, &st->c.dev[d])) {
			/* a way of probe's that left nothing to release
			 * asks no release of this path */
			if (st->c.dev[d].vec != VEC_HELD &&
			    st->c.dev[d].vec != VEC_ENTRY)
				total--;
			continue;
		}
		if (st->c.dev[d].vec == VEC_HELD &&
		    !dev_vectors_released_by_choice(&st->c.dev[d])) {
			held++;
			any_confirmed |= st->c.dev[d].confirmed;
			if (!held_families)
				any_family = st->c.dev[d].family;
			held_families |= st->c.dev[d].family;
			uncertain |= st->c.dev[d].family_uncertain;
			all_managed &= st->c.dev[d].managed_api != 0;
			if (!first_held)
				first_held = &st->c.dev[d];
			if (exit_site < 0 && st->c.dev[d].confirmed)
				exit_site = st->c.dev[d].leak_site >= 0
						? st->c.dev[d].leak_site
						: x->site;
		} else if (st->c.dev[d].vec == VEC_RELEASED ||
			   (st->c.dev[d].released &
			    (FAMILY_MSI | FAMILY_MSIX))) {
			/* (includes vectors released by choice) */
			released++;
			released_families |= st->c.dev[d].released;
			if (st->c.dev[d].trusted)
				out->if_held = 1;
			if (allocated_here(fn, &st->c.dev[d]) ||
			    st->c.dev[d].void_release)
				fresh++;
			/* prefer a path with a real release to name */
			if (!first_rel || (first_rel->release_site < 0 &&
					   st->c.dev[d].release_site >= 0))
				first_rel = &st->c.dev[d];
		}
		if (st->c.dev[d].enable == EN_MANAGED)
			managed++;
		else if (st->c.dev[d].enable == EN_UNMANAGED)
			unmanaged++;
		if (enable_site < 0)
			enable_site = st->c.dev[d].enable_site;
	}
	if (first_held) {
		out->vec = VEC_HELD;
		out->family = (uint8_t)held_families;
		/* MSI on one path and MSI-X on another: which one is held
		 * is decided at run time (any_family is each exit's own) */
		out->family_uncertain =
		    held_families != any_family || uncertain;
		out->managed_api = all_managed;
		/* Some path of the callee keeps them: its callers must
		 * release them on that outcome. */
		out->confirmed = any_confirmed;
		if (failure)
			out->exit_site = exit_site;
		out->site = first_held->alloc_site;
	} else if (total && released == total) {
		out->vec = VEC_RELEASED;
		out->family = (uint8_t)released_families;
		out->site = first_rel->release_site;
	}
	if (out->vec != VEC_RELEASED)
		out->if_held = 0;
	/* disabled on every exit of the outcome that saw the device */
	out->disables = total && disabled == total;
	out->fresh = out->vec == VEC_RELEASED && fresh == released;
	if (managed)
		out->enable = EN_MANAGED;
	else if (unmanaged)
		out->enable = EN_UNMANAGED;
	if (out->enable)
		out->enable_site = enable_site;
}

/* ---- grouping exits ---------------------------------------------------- */

/* Which keys of a function a return state carries: devices, handlers and
 * facts of what its parameters reach, and facts of the driver's fields. */
static bool key_for_caller(const char *k)
{
	return k[0] == '$' || k[0] == '@';
}

static void describe_value(struct strbuf *sb, const struct value *v)
{
	int i;

	sb_addf(sb, "%u", v->signs);
	if (v->has_eq)
		sb_addf(sb, "=%d", v->eq);
	for (i = 0; i < v->nne; i++)
		sb_addf(sb, "!%d", v->ne[i]);
	if (v->lo)
		sb_addf(sb, ">=%d", v->lo);
}

/* Which facts go into the signature and the return state: 0 none, 1 the
 * values written, 2 also what the path needed at entry. */
static bool entry_wanted(const struct fact *f, int facts)
{
	return facts == 2 && f->has_entry;
}

static bool written_wanted(const struct fact *f, int facts)
{
	return facts >= 1 && f->written;
}

/* What exit i leaves its caller, as text: exits with equal texts are one
 * return state. */
static char *exit_signature(struct fn_ctx *fn, size_t i, int facts)
{
	const struct fn_exit *x = &fn->exits[i];
	struct strbuf sb;
	int32_t k;
	int h, f;

	sb_init(&sb);
	sb_addf(&sb, "o%d;", x->outcome);
	for (k = 0; (size_t)k < fn->nkeys; k++) {
		struct effect e;
		if (fn->keys[k][0] != '$' || state_find_dev(x->st, k) < 0)
			continue;
		returns_merge(fn, k, &i, 1, x->outcome == OUTCOME_FAILURE, &e);
		if (!e.vec && !e.enable && !e.disables)
			continue;
		sb_addf(&sb, "d%s:%u,%u,%u,%u,%u,%u,%u,%u,%u;", fn->keys[k],
			e.vec, e.enable, e.family, e.managed_api, e.confirmed,
			e.family_uncertain, e.if_held, e.fresh, e.disables);
	}
	for (h = 0; h < x->st->c.nhandler; h++) {
		const struct handler_track *t = &x->st->c.handler[h];
		if (fn->keys[t->key][0] != '$')
			continue;
		sb_addf(&sb, "h%s:%u,%u;", fn->keys[t->key], t->state, t->devm);
	}
	for (f = 0; f < x->st->c.nfact; f++) {
		const struct fact *ft = &x->st->c.fact[f];
		if (!key_for_caller(fn->keys[ft->key]))
			continue;
		if (entry_wanted(ft, facts)) {
			sb_addf(&sb, "e%s:", fn->keys[ft->key]);
			describe_value(&sb, &ft->entry);
			sb_adds(&sb, ";");
		}
		if (written_wanted(ft, facts)) {
			sb_addf(&sb, "w%s:", fn->keys[ft->key]);
			describe_value(&sb, &ft->v);
			sb_adds(&sb, ";");
		}
	}
	return sb_detach(&sb);
}

/* The exits grouped: group[i] of exit i; returns the number of groups,
 * or 0 when there are more than MAX_RETURN_STATES. */
static size_t group_exits(struct fn_ctx *fn, int facts, size_t *group)
{
	char **sigs = xcalloc(fn->nexits + 1, sizeof(*sigs));
	size_t *first = xcalloc(fn->nexits + 1, sizeof(*first));
	size_t i, j, n = 0;

	for (i = 0; i < fn->nexits; i++) {
		sigs[i] = exit_signature(fn, i, facts);
		for (j = 0; j < n; j++)
			if (!strcmp(sigs[first[j]], sigs[i]))
				break;
		if (j == n)
			first[n++] = i;
		group[i] = j;
		if (n > MAX_RETURN_STATES)
			break;
	}
	for (j = 0; j < fn->nexits; j++)
		free(sigs[j]);
	free(sigs);
	free(first);
	return n > MAX_RETURN_STATES ? 0 : n;
}

static void fill_return_state(struct fn_ctx *fn, struct return_state *rs,
			      const size_t *idx, size_t n, int facts)
{
	const struct fn_exit *x0 = &fn->exits[idx[0]];
	bool failure = x0->outcome == OUTCOME_FAILURE;
	size_t i;
	int32_t k;
	int h, f;

	rs->outcome = (uint8_t)x0->outcome;
	rs->ret = x0->ret;
	for (i = 1; i < n; i++)
		rs->ret = value_join(&rs->ret, &fn->exits[idx[i]].ret);
	for (k = 0; (size_t)k < fn->nkeys; k++) {
		struct summary_effect e = {0};
		if (fn->keys[k][0] != '$' || state_find_dev(x0->st, k) < 0)
			continue;
		returns_merge(fn, k, idx, n, failure, &e.on_success);
		if (!e.on_success.vec && !e.on_success.enable &&
		    !e.on_success.disables)
			continue;
		e.on_failure = e.on_success;
		e.dev_key = xstrdup(fn->keys[k]);
		rs->effects =
		    xrealloc(rs->effects, (rs->neffects + 1) * sizeof(e));
		rs->effects[rs->neffects++] = e;
	}
	for (h = 0; h < x0->st->c.nhandler; h++) {
		const struct handler_track *t = &x0->st->c.handler[h];
		struct summary_handler sh = {0};
		if (fn->keys[t->key][0] != '$')
			continue;
		sh.key = xstrdup(fn->keys[t->key]);
		sh.devm = t->devm;
		sh.state = t->state;
		sh.outcomes = failure ? 2 : 1;
		sh.site = t->site;
		/* where a failed helper left it attached: that helper's
		 * return, also when this function then returned success */
		sh.exit_site = t->leak_site >= 0 ? t->leak_site
			       : failure	 ? x0->site
						 : -1;
		rs->handlers =
		    xrealloc(rs->handlers, (rs->nhandlers + 1) * sizeof(sh));
		rs->handlers[rs->nhandlers++] = sh;
	}
	/* a teardown loop that frees a device's handlers by a variable
	 * index frees what was requested on it, however many rounds this
	 * way ran: the caller learns that they are freed */
	for (i = 0; i < fn->unwound_devices.n; i++) {
		struct summary_handler sh = {0};
		if (fn->unwound_devices.v[i][0] != '$')
			continue;
		sh.key = xasprintf("%s#*", fn->unwound_devices.v[i]);
		sh.state = H_FREED;
		sh.outcomes = failure ? 2 : 1;
		sh.site = sh.exit_site = -1;
		rs->handlers =
		    xrealloc(rs->handlers, (rs->nhandlers + 1) * sizeof(sh));
		rs->handlers[rs->nhandlers++] = sh;
	}
	/* what the way needed at entry and wrote: the values the grouping
	 * told the ways apart by (the same in every exit of the way), and,
	 * when the ways were too many for that (facts < 2), what all of the
	 * way's exits still agree on, the join of their values where each
	 * has one: a caller that knows otherwise does not follow a way that
	 * cannot happen for it, and one that wrote nothing of it learns what
	 * every exit of the way left (gve's table field, set on success) */
	for (f = 0; f < x0->st->c.nfact; f++) {
		const struct fact *ft = &x0->st->c.fact[f];
		int which;
		if (!key_for_caller(fn->keys[ft->key]))
			continue;
		for (which = 0; which < 2; which++) {
			bool entry = which == 0;
			bool grouped = entry ? entry_wanted(ft, facts)
					     : written_wanted(ft, facts);
			struct value v = entry ? ft->entry : ft->v;
			struct rs_fact rf;
			if (!(entry ? ft->has_entry : ft->written))
				continue;
			for (i = 1; !grouped && i < n && !value_is_any(&v);
			     i++) {
				const struct fact *o =
				    state_fact(fn->exits[idx[i]].st, ft->key);
				if (!o || !(entry ? o->has_entry : o->written))
					v = value_any();
				else
					v = value_join(&v, entry ? &o->entry
								 : &o->v);
			}
			if (!grouped && value_is_any(&v))
				continue;
			rf.key = xstrdup(fn->keys[ft->key]);
			rf.origin = entry ? FACT_ASSUMED : FACT_WRITTEN;
			rf.v = v;
			rs->facts =
			    xrealloc(rs->facts, (rs->nfacts + 1) * sizeof(rf));
			rs->facts[rs->nfacts++] = rf;
		}
	}
}

void returns_build(struct fn_ctx *fn)
{
	struct fn_summary *sum = fn->summary;
	size_t *group = xcalloc(fn->nexits + 1, sizeof(*group));
	size_t *idx = xcalloc(fn->nexits + 1, sizeof(*idx));
	size_t ngroups = 0, g, i, n;
	int facts;

	/* the finest grouping that stays small enough */
	for (facts = 2; facts >= 0 && fn->nexits; facts--) {
		ngroups = group_exits(fn, facts, group);
		if (ngroups)
			break;
	}
	if (ngroups) {
		sum->returns = xcalloc(ngroups, sizeof(*sum->returns));
		sum->nreturns = ngroups;
	}
	for (g = 0; g < ngroups; g++) {
		for (i = n = 0; i < fn->nexits; i++)
			if (group[i] == g)
				idx[n++] = i;
		fill_return_state(fn, &sum->returns[g], idx, n, facts);
	}
	free(group);
	free(idx);
}

/* ---- copying and freeing ------------------------------------------------ */

void returns_copy(struct fn_summary *dst, const struct fn_summary *src,
		  int32_t (*map_site)(void *ctx, int32_t site), void *ctx)
{
	size_t r, i;

	if (!src->nreturns)
		return;
	dst->returns = xcalloc(src->nreturns, sizeof(*dst->returns));
	dst->nreturns = src->nreturns;
	for (r = 0; r < src->nreturns; r++) {
		const struct return_state *s = &src->returns[r];
		struct return_state *d = &dst->returns[r];
		d->outcome = s->outcome;
		d->ret = s->ret;
		d->neffects = s->neffects;
		d->effects = xcalloc(s->neffects + 1, sizeof(*d->effects));
		for (i = 0; i < s->neffects; i++) {
			struct effect *e;
			d->effects[i] = s->effects[i];
			d->effects[i].dev_key = xstrdup(s->effects[i].dev_key);
			e = &d->effects[i].on_success;
			e->site = map_site(ctx, e->site);
			e->enable_site = map_site(ctx, e->enable_site);
			e->exit_site = map_site(ctx, e->exit_site);
			e->via = map_site(ctx, e->via);
			d->effects[i].on_failure = *e;
		}
		d->nhandlers = s->nhandlers;
		d->handlers = xcalloc(s->nhandlers + 1, sizeof(*d->handlers));
		for (i = 0; i < s->nhandlers; i++) {
			d->handlers[i] = s->handlers[i];
			d->handlers[i].key = xstrdup(s->handlers[i].key);
			d->handlers[i].site =
			    map_site(ctx, s->handlers[i].site);
			d->handlers[i].exit_site =
			    map_site(ctx, s->handlers[i].exit_site);
		}
		d->nfacts = s->nfacts;
		d->facts = xcalloc(s->nfacts + 1, sizeof(*d->facts));
		for (i = 0; i < s->nfacts; i++) {
			d->facts[i] = s->facts[i];
			d->facts[i].key = xstrdup(s->facts[i].key);
		}
	}
}

void returns_release(struct fn_summary *s)
{
	size_t r, i;

	for (r = 0; r < s->nreturns; r++) {
		struct return_state *rs = &s->returns[r];
		for (i = 0; i < rs->neffects; i++)
			free(rs->effects[i].dev_key);
		free(rs->effects);
		for (i = 0; i < rs->nhandlers; i++)
			free(rs->handlers[i].key);
		free(rs->handlers);
		for (i = 0; i < rs->nfacts; i++)
			free(rs->facts[i].key);
		free(rs->facts);
	}
	free(s->returns);
	s->returns = NULL;
	s->nreturns = 0;
}

void returns_dump(const struct fn_summary *s, FILE *out)
{
	size_t r, i;
	int j;

	fprintf(out, "summary %s: %zu return states\n", s->name, s->nreturns);
	for (r = 0; r < s->nreturns; r++) {
		const struct return_state *rs = &s->returns[r];
		fprintf(out, "  [%zu] outcome %u ret signs %u%s", r,
			rs->outcome, rs->ret.signs, rs->ret.has_eq ? " =" : "");
		if (rs->ret.has_eq)
			fprintf(out, "%d", rs->ret.eq);
		fputc('\n', out);
		for (i = 0; i < rs->neffects; i++) {
			const struct effect *e = &rs->effects[i].on_success;
			fprintf(out,
				"    dev %s: vec %u enable %u family %u "
				"confirmed %u if_held %u fresh %u\n",
				rs->effects[i].dev_key, e->vec, e->enable,
				e->family, e->confirmed, e->if_held, e->fresh);
		}
		for (i = 0; i < rs->nhandlers; i++)
			fprintf(out, "    handler %s: state %u devm %u\n",
				rs->handlers[i].key, rs->handlers[i].state,
				rs->handlers[i].devm);
		for (i = 0; i < rs->nfacts; i++) {
			const struct value *v = &rs->facts[i].v;
			fprintf(out, "    fact %s (%s): signs %u",
				rs->facts[i].key,
				rs->facts[i].origin ? "assumed" : "written",
				v->signs);
			if (v->has_eq)
				fprintf(out, " = %d", v->eq);
			for (j = 0; j < v->nne; j++)
				fprintf(out, " != %d", v->ne[j]);
			if (v->lo)
				fprintf(out, " >= %d", v->lo);
			fputc('\n', out);
		}
	}
}
