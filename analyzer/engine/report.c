/* Events to the rules, and findings. Fires each event at the rules the
 * scan chose (tu->checks), answers what a rule may ask of an event
 * (events.h), and turns a rule's report into a finding of the file, or
 * keeps it in the summary when the state at the function's entry decides
 * it. It never includes a rule: the list comes from the scan. */
#include "engine/report.h"
#include "engine/canon.h"
#include "engine/state.h"
#include "engine/trace.h"

#include <stdlib.h>
#include <string.h>

void report_fire(struct event *ev)
{
	const struct tu_ctx *tu = ev->fn->tu;
	size_t i;

	for (i = 0; i < tu->nchecks; i++)
		if (tu->checks[i]->on_event)
			tu->checks[i]->on_event(ev);
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
		unsigned lacking =
		    req & REQ_CTX_HELD_NO_MSIX ? FAMILY_MSIX : FAMILY_MSI;
		if (d->vec == VEC_ENTRY)
			*rest |=
			    req & (REQ_CTX_HELD_NO_MSIX | REQ_CTX_HELD_NO_MSI);
		else if (d->vec != VEC_HELD || !fam || (fam & lacking))
			return false;
	}
	return true;
}

/* The state a device has when nothing before this function touched it. */
void report_entry_as_untouched(struct dev_track *d)
{
	if (d->enable == EN_ENTRY)
		d->enable = EN_NONE;
	if (d->vec == VEC_ENTRY)
		d->vec = VEC_NONE;
}

/* A device whose enabling the path never saw, in a function where the
 * driver's own device ("$drv") is enabled managed, is that device under
 * another name (a helper reaching it through to_pci_dev() of a pointer
 * the key does not follow): it takes the driver device's management. */
void report_adopt_driver_management(struct fn_ctx *fn, struct state *st,
				    struct dev_track *d)
{
	int own;

	if (d->enable != EN_NONE)
		return;
	own = state_find_dev(st, key_intern(fn, DRIVER_DEVICE_KEY));
	if (own >= 0 && st->c.dev[own].enable == EN_MANAGED)
		d->enable = EN_MANAGED;
}

/* A reason that names a place: before, "file.c:line" of site (+ 1, as
 * state_core keeps it), then after. */
static char *reason_at(const struct tu_ctx *tu, int32_t site_plus_one,
		       const char *before, const char *after)
{
	const struct site *s = &tu->sites[site_plus_one - 1];
	const char *base = strrchr(s->file, '/');

	return xasprintf("%s%s:%u%s", before, base ? base + 1 : s->file,
			 s->line, after);
}

char *report_unproven(struct tu_ctx *tu, const struct state *st,
		      uint8_t reliance)
{
	if (reliance == RELIES_NOT)
		return NULL;
	if (st->c.assumed && tu->sites[st->c.assumed - 1].text &&
	    !strncmp(tu->sites[st->c.assumed - 1].text, CALL_SITE_PREFIX,
		     strlen(CALL_SITE_PREFIX)))
		return reason_at(tu, st->c.assumed,
				 "the path follows one way the call at ",
				 " can return, and which way the callee takes "
				 "turns on the driver's state, which the "
				 "analysis could not establish there");
	if (st->c.assumed)
		return reason_at(tu, st->c.assumed,
				 "the path takes the branch at ",
				 " on the driver's own state, whose value "
				 "there the analysis could not establish");
	if (st->c.bailout)
		return reason_at(tu, st->c.bailout,
				 "remove() takes the branch at ",
				 ", on a test the analysis cannot decide and "
				 "that probe's success may rule out");
	if (st->c.widened)
		return reason_at(tu, st->c.widened,
				 "the analysis merged this path with others at ",
				 " (too many distinct states there) and no "
				 "longer knows what the branches before it "
				 "said");
	if (reliance == RELIES_ON_ORDER && st->c.alike)
		return reason_at(tu, st->c.alike,
				 "the path follows one of the ways the call "
				 "at ",
				 " can return that the caller cannot tell "
				 "apart");
	return NULL;
}

/* The second of two findings of one rule at one place: a proven path to it
 * wins over an unproven one. */
static void keep_better(struct finding *old, struct finding *f)
{
	if (old->unproven && !f->unproven) {
		finding_release(old);
		*old = *f;
		memset(f, 0, sizeof(*f));
		return;
	}
	finding_release(f);
}

void engine_emit(struct tu_ctx *tu, struct finding *f)
{
	size_t i;

	for (i = 0; i < tu->out->n; i++) {
		struct finding *o = &tu->out->items[i];
		if (o->line == f->line && o->col == f->col &&
		    !strcmp(o->rule, f->rule) && !strcmp(o->file, f->file)) {
			keep_better(o, f);
			return;
		}
	}
	finding_list_push(tu->out, f);
}

void report_defer(struct fn_summary *sum, struct finding *f, const char *key,
		  unsigned req, uint8_t reliance)
{
	struct deferred d = {
	    .dev_key = xstrdup(key), .req = req, .reliance = reliance};
	size_t i;

	for (i = 0; i < sum->ndeferred; i++) {
		struct deferred *o = &sum->deferred[i];
		if (o->req == req && o->finding.line == f->line &&
		    o->finding.col == f->col &&
		    !strcmp(o->finding.rule, f->rule) &&
		    !strcmp(o->dev_key, key)) {
			free(d.dev_key);
			keep_better(&o->finding, f);
			return;
		}
	}
	d.finding = *f;
	memset(f, 0, sizeof(*f));
	ARRAY_PUSH(sum->deferred, sum->ndeferred, sum->cap_deferred, d);
}

void event_report(const struct event *ev, const struct check *rule, int dev,
		  unsigned req, int32_t at_site, const char *message)
{
	event_report_doubted(ev, rule, dev, req, at_site, message, NULL);
}

void event_report_doubted(const struct event *ev, const struct check *rule,
			  int dev, unsigned req, int32_t at_site,
			  const char *message, const char *doubt)
{
	struct fn_ctx *fn = ev->fn;
	struct tu_ctx *tu = fn->tu;
	const struct site *site = &tu->sites[at_site];
	struct finding f = {0};
	unsigned rest = 0;
	const char *key = NULL;
	uint8_t reliance = rule->path_independent  ? RELIES_NOT
			   : rule->order_sensitive ? RELIES_ON_ORDER
						   : RELIES_ON_PATH;

	if (dev >= 0) {
		struct dev_track d = ev->st->c.dev[dev];
		key = engine_key(fn, d.key);
		if (!key_is_param_rooted(key)) {
			report_entry_as_untouched(&d);
			report_adopt_driver_management(fn, ev->st, &d);
		}
		if (!engine_requirement_check(&d, req, &rest))
			return;
	}
	f.rule = rule->id;
	f.severity = rule->severity;
	f.file = xstrdup(site->file);
	f.line = site->line;
	f.col = site->col;
	f.function = xstrdup(site->function ? site->function : fn->name);
	f.message = xstrdup(message);
	f.unproven =
	    doubt ? xstrdup(doubt) : report_unproven(tu, ev->st, reliance);
	trace_fill_steps(tu, ev->st->trail, &f);
	if (rest)
		report_defer(fn->summary, &f, key, rest, reliance);
	else
		engine_emit(tu, &f);
}

/* ---- what a rule may ask of an event (events.h) ---------------------- */

int event_ndevices(const struct event *ev)
{
	return ev->st->c.ndev;
}

const struct dev_track *event_device(const struct event *ev, int i)
{
	return &ev->st->c.dev[i];
}

int event_nhandlers(const struct event *ev)
{
	return ev->st->c.nhandler;
}

const struct handler_track *event_handler(const struct event *ev, int h)
{
	return &ev->st->c.handler[h];
}

const char *event_key(const struct event *ev, int32_t key)
{
	return engine_key(ev->fn, key);
}

const char *event_handler_irq(const struct event *ev,
			      const struct handler_track *h)
{
	return strchr(engine_key(ev->fn, h->key), '#') + 1;
}

const struct site *event_site(const struct event *ev, int32_t site)
{
	return site >= 0 ? &ev->fn->tu->sites[site] : NULL;
}

bool event_handler_index_known(const struct event *ev,
			       const struct handler_track *h)
{
	return key_index_is_constant(engine_key(ev->fn, h->key));
}

enum driver_role event_role(const struct event *ev)
{
	return ev->fn->role;
}

const struct ruleset *event_rules(const struct event *ev)
{
	return ev->fn->tu->rules;
}

bool event_in_root(const struct event *ev)
{
	return ev->fn->is_root;
}

bool engine_is_setup_entry(const struct fn_ctx *fn)
{
	if (!fn->is_root)
		return false;
	if (fn->role == ROLE_PROBE)
		return true;
	return fn->tu->exports_are_setup && !fn->is_static;
}

bool event_in_setup_entry(const struct event *ev)
{
	return engine_is_setup_entry(ev->fn);
}
