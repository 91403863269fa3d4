/* Function summaries (see summary.h): walks the functions of a file in
 * the order driver.c gives, builds each one's summary from the exits of
 * its walk, and settles at the roots what waited for a caller. */
#include "engine/summary.h"
#include "engine/driver.h"
#include "engine/fields.h"
#include "ast.h"
#include "engine/canon.h"
#include "engine/module.h"
#include "engine/returns.h"
#include "engine/state.h"
#include "engine/walk.h"

#include <stdlib.h>
#include <string.h>

static bool spans_error(CXCursor c, const struct error_lines *errors)
{
	unsigned first, last;
	size_t i;

	clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)),
				   NULL, &first, NULL, NULL);
	clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(c)),
				   NULL, &last, NULL, NULL);
	for (i = 0; i < errors->n; i++)
		if (errors->lines[i] >= first && errors->lines[i] <= last)
			return true;
	return false;
}

/* ---- summaries ---------------------------------------------------------- */

static struct summary_effect *effect_for(struct fn_summary *sum,
					 const char *key)
{
	size_t i;
	struct summary_effect e = { 0 };

	for (i = 0; i < sum->neffects; i++)
		if (!strcmp(sum->effects[i].dev_key, key))
			return &sum->effects[i];
	e.dev_key = xstrdup(key);
	e.on_success.site = e.on_failure.site = -1;
	e.on_success.enable_site = e.on_failure.enable_site = -1;
	e.on_success.exit_site = e.on_failure.exit_site = -1;
	e.on_success.via = e.on_failure.via = -1;
	ARRAY_PUSH(sum->effects, sum->neffects, sum->cap_effects, e);
	return &sum->effects[sum->neffects - 1];
}

/* exit_site: for a failure, the return that left it attached (the
 * first one walked) */
static void add_summary_handler(struct fn_summary *sum, const char *key,
				const struct handler_track *h, uint8_t outcome,
				int32_t exit_site)
{
	struct summary_handler sh;
	size_t i;

	for (i = 0; i < sum->nhandlers; i++)
		if (!strcmp(sum->handlers[i].key, key) &&
		    sum->handlers[i].state == h->state) {
			sum->handlers[i].outcomes |= outcome;
			if (sum->handlers[i].exit_site < 0)
				sum->handlers[i].exit_site = exit_site;
			return;
		}
	sh.key = xstrdup(key);
	sh.devm = h->devm;
	sh.state = h->state;
	sh.outcomes = outcome;
	sh.site = h->site;
	sh.exit_site = exit_site;
	ARRAY_PUSH(sum->handlers, sum->nhandlers, sum->cap_handlers, sh);
}

/* Handlers of parameter devices left attached, or freed, and on which
 * outcome: a helper that fails with a handler still attached passes it
 * on. Frees count on paths that do not fail. */
static void summarize_handlers(struct fn_ctx *fn)
{
	size_t i;
	int h;

	for (i = 0; i < fn->nexits; i++) {
		const struct state *st = fn->exits[i].st;
		bool failed = fn->exits[i].outcome == OUTCOME_FAILURE;
		for (h = 0; h < st->c.nhandler; h++) {
			const char *key = fn->keys[st->c.handler[h].key];
			if (key[0] != '$' ||
			    (failed && st->c.handler[h].state != H_ATTACHED))
				continue;
			/* where a failed helper left it attached: that
			 * helper's return, else this failing one */
			add_summary_handler(fn->summary, key, &st->c.handler[h],
					    failed ? 2 : 1,
					    !failed ? -1
					    : st->c.handler[h].leak_site >= 0
						? st->c.handler[h].leak_site
						: fn->exits[i].site);
		}
	}
}

/* remove(): the families of vectors it releases, on some path, of a
 * device it reaches by a name that is not its parameter's (through the
 * driver data: the one device the driver is bound to). Some path, not
 * every one: what decides the others is the driver's state under a name
 * the analysis does not follow either (sp-pci frees by msix_count and
 * psp_irq, which probe's success leaves non-zero), and taking the
 * device for the driver's own is a guess that must only ever keep a
 * finding back. */
static void note_unnamed_release(struct fn_ctx *fn, int32_t k)
{
	size_t i;
	int d;

	if (fn->role != ROLE_REMOVE)
		return;
	for (i = 0; i < fn->nexits; i++)
		for (d = 0; d < fn->exits[i].st->c.ndev; d++) {
			const struct dev_track *t = &fn->exits[i].st->c.dev[d];
			if (t->key == k && t->vec == VEC_RELEASED)
				fn->summary->unnamed_released |=
				    t->family & (FAMILY_MSI | FAMILY_MSIX);
		}
}

static void build_summary(struct fn_ctx *fn)
{
	struct fn_summary *sum = fn->summary;
	size_t i;
	int32_t k;
	bool any_failure = false;

	for (i = 0; i < fn->nexits; i++)
		any_failure |= fn->exits[i].outcome == OUTCOME_FAILURE;
	sum->success = fn->returns_void || fn->returns_pointer ? SUCCESS_NONE
		       : fn->tu->rules->errors_positive	       ? SUCCESS_ZERO
							       : SUCCESS_ERRNO;
	for (k = 0; (size_t)k < fn->nkeys; k++) {
		struct effect ok, bad;
		bool used = false;
		if (fn->keys[k][0] != '$') {
			note_unnamed_release(fn, k);
			continue;
		}
		for (i = 0; i < fn->nexits && !used; i++) {
			int d;
			for (d = 0; d < fn->exits[i].st->c.ndev; d++)
				used |= fn->exits[i].st->c.dev[d].key == k;
		}
		if (!used)
			continue;
		returns_merge(fn, k, NULL, 0, false, &ok);
		if (any_failure)
			returns_merge(fn, k, NULL, 0, true, &bad);
		else
			bad = ok;
		if (!ok.vec && !ok.enable && !bad.vec && !bad.enable &&
		    !ok.disables && !bad.disables)
			continue;
		{
			struct summary_effect *e = effect_for(sum, fn->keys[k]);
			e->on_success = ok;
			e->on_failure = bad;
		}
	}
	summarize_handlers(fn);
	returns_build(fn);
	sum->analysed = true;
	{
		/* a developer's view of what each function leaves its
		 * callers (docs/architecture.md) */
		const char *debug = getenv("IRQCHECK_DEBUG");
		if (debug && strstr(debug, "summaries"))
			returns_dump(sum, stderr);
	}
}

static void fn_ctx_release(struct fn_ctx *fn)
{
	size_t i;

	for (i = 0; i < fn->nparams; i++)
		free(fn->params[i]);
	free(fn->params);
	for (i = 0; i < fn->nkeys; i++)
		free(fn->keys[i]);
	free(fn->keys);
	for (i = 0; i < fn->naliases; i++) {
		free(fn->aliases[i].from);
		free(fn->aliases[i].to);
	}
	free(fn->aliases);
	for (i = 0; i < fn->nirq_vars; i++) {
		free(fn->irq_vars[i].from);
		free(fn->irq_vars[i].to);
	}
	free(fn->irq_vars);
	for (i = 0; i < fn->nentry_arrays; i++) {
		free(fn->entry_arrays[i].from);
		free(fn->entry_arrays[i].to);
	}
	free(fn->entry_arrays);
	strvec_free(&fn->unwound_devices);
	free(fn->unwound_lines);
	misindex_release(fn);
	free(fn->returned);
	free(fn->exits);
	free(fn->initial);
	free(fn->outcome_keys);
	free(fn->flag_vars);
	free(fn->flag_params);
	free(fn->name);
}

static void add_note(struct tu_ctx *tu, CXCursor c, const char *function,
		     const char *message)
{
	struct ast_loc loc;
	struct finding f = { 0 };

	ast_location(c, false, &loc);
	f.rule = "irqcheck";
	f.severity = SEV_NOTE;
	f.file = loc.file;
	f.line = loc.line;
	f.col = loc.col;
	f.function = xstrdup(function);
	f.message = xstrdup(message);
	finding_list_push(&tu->notes, &f);
}

/* A state for remove(): the devices, attached handlers and facts of the
 * driver's fields that one way of probe's success leaves. */
static struct state *
seed_from(struct fn_ctx *fn, const struct summary_effect *effects,
	  size_t neffects, const struct summary_handler *handlers,
	  size_t nhandlers, const struct rs_fact *facts, size_t nfacts)
{
	struct state *st = arena_alloc(&fn->tu->arena, sizeof(*st));
	size_t i;

	for (i = 0; i < neffects; i++) {
		struct effect e = effects[i].on_success;
		/* vectors probe released on its way to success (a fallback
		 * to INTx) are not held: releasing them again in remove()
		 * is the usual unconditional teardown */
		if (e.vec == VEC_RELEASED)
			e.vec = 0;
		engine_seed_device(fn, st, effects[i].dev_key, &e);
	}
	for (i = 0; i < nhandlers; i++)
		if (handlers[i].state == H_ATTACHED &&
		    (handlers[i].outcomes & 1))
			engine_seed_handler(fn, st, handlers[i].key,
					    handlers[i].devm,
					    event_key_is_object(handlers[i].key)
						? handlers[i].site
						: -1);
	for (i = 0; i < nfacts; i++) {
		char base[512];
		if (facts[i].key[0] != '@' ||
		    !fields_base_of(facts[i].key, base, sizeof(base)) ||
		    strvec_has(&fn->tu->volatile_fields, base))
			continue;
		state_put_fact(fn, st, key_intern(fn, facts[i].key),
			       &facts[i].v, FACT_ASSUMED);
	}
	return st;
}

/* remove() and shutdown() run after probe() succeeded: they start from
 * each way probe's summary says it can succeed (or, when it does not
 * tell its ways apart, from what all its successes leave). */
static void seed_after_probe(struct fn_ctx *fn, const char *name)
{
	struct tu_ctx *tu = fn->tu;
	const struct driver_callbacks *drv = driver_with(tu, name, ROLE_REMOVE);
	struct fn_summary *probe;
	size_t r, k;

	if (!drv)
		drv = driver_with(tu, name, ROLE_SHUTDOWN);
	if (!drv || !drv->probe)
		return;
	probe = engine_find_summary(tu, drv->probe);
	if (!probe || !probe->analysed)
		return;
	fn->initial = xcalloc(probe->nreturns + 1, sizeof(*fn->initial));
	for (r = 0; r < probe->nreturns; r++) {
		const struct return_state *rs = &probe->returns[r];
		struct state *st;
		if (rs->outcome != OUTCOME_SUCCESS)
			continue;
		st = seed_from(fn, rs->effects, rs->neffects, rs->handlers,
			       rs->nhandlers, rs->facts, rs->nfacts);
		for (k = 0; k < fn->ninitial; k++)
			if (!memcmp(&fn->initial[k]->c, &st->c, sizeof(st->c)))
				break;
		if (k == fn->ninitial)
			fn->initial[fn->ninitial++] = st;
	}
	if (!fn->ninitial)
		fn->initial[fn->ninitial++] =
		    seed_from(fn, probe->effects, probe->neffects,
			      probe->handlers, probe->nhandlers, NULL, 0);
}

static void analyse_function(struct tu_ctx *tu, struct function *f)
{
	struct fn_ctx fn = { .tu = tu, .cursor = f->cursor };
	CXType rt = clang_getCanonicalType(clang_getCursorResultType(f->cursor));
	CXCursor *kids, body = clang_getNullCursor();
	size_t n = ast_children(f->cursor, &kids), i;
	struct cfg *cfg;

	for (i = 0; i < n; i++)
		if (clang_getCursorKind(kids[i]) == CXCursor_CompoundStmt)
			body = kids[i];
	free(kids);
	if (clang_Cursor_isNull(body))
		return;
	fn.name = xstrdup(f->name);
	fn.returns_void = rt.kind == CXType_Void;
	fn.returns_pointer = rt.kind == CXType_Pointer;
	fn.is_root = !f->has_caller;
	fn.is_static = clang_Cursor_getStorageClass(f->cursor) == CX_SC_Static;
	fn.summary = f->summary;
	fn.summary->exported = !fn.is_static;
	if (driver_with(tu, f->name, ROLE_PROBE))
		fn.role = ROLE_PROBE;
	else if (driver_with(tu, f->name, ROLE_REMOVE))
		fn.role = ROLE_REMOVE;
	else if (driver_with(tu, f->name, ROLE_SHUTDOWN))
		fn.role = ROLE_SHUTDOWN;
	canon_prepare_function(&fn);
	for (i = 0; i < f->writes.n; i++)
		if (!strvec_has(&fn.summary->clobbers, f->writes.v[i]))
			strvec_push(&fn.summary->clobbers, f->writes.v[i]);
	if (fn.role == ROLE_REMOVE || fn.role == ROLE_SHUTDOWN)
		seed_after_probe(&fn, f->name);
	cfg = cfg_build(&tu->cfg_env, body);
	engine_run_function(&fn, cfg);
	build_summary(&fn);
	if (fn.incomplete) {
		char *msg = xasprintf("analysis of %s() stopped early (%s): some "
				      "of its paths were not explored",
				      f->name, fn.incomplete_why);
		add_note(tu, f->cursor, f->name, msg);
		free(msg);
	}
	cfg_free(cfg);
	fn_ctx_release(&fn);
}

/* ---- roots: settling what waited for a caller ----------------------- */

/* True when the remove() paired with probe releases the device's vectors
 * on every path. */
static bool remove_releases(struct tu_ctx *tu, const char *probe,
			    const char *key)
{
	const struct driver_callbacks *d = driver_with(tu, probe, ROLE_PROBE);
	struct fn_summary *rm, *pr = engine_find_summary(tu, probe);
	unsigned held = FAMILY_MSI | FAMILY_MSIX;
	bool known = false;
	size_t i;

	if (!d || !d->remove)
		return false;
	rm = engine_find_summary(tu, d->remove);
	if (!rm || !rm->analysed)
		return false;
	for (i = 0; pr && i < pr->neffects; i++)
		if (!strcmp(pr->effects[i].dev_key, key) &&
		    pr->effects[i].on_success.vec == VEC_HELD) {
			held = pr->effects[i].on_success.family &
			       (FAMILY_MSI | FAMILY_MSIX);
			known = true;
		}
	/* a device that probe() or remove() reaches by a name the analysis
	 * does not tie to the driver's own (to_pci_dev() of a pointer it
	 * does not follow) is still the one device the driver is bound to:
	 * remove()'s release of it is a release of the driver's device */
	if (rm->unnamed_released && (!known || !(held & ~rm->unnamed_released)))
		return true;
	for (i = 0; i < rm->neffects; i++)
		if ((!strcmp(rm->effects[i].dev_key, key) ||
		     !strcmp(rm->effects[i].dev_key, DRIVER_DEVICE_KEY)) &&
		    rm->effects[i].on_success.vec == VEC_RELEASED &&
		    !(held & ~rm->effects[i].on_success.family))
			return true;
	return false;
}

/* The device state a root function starts with, for what is still open
 * at its end: untouched. (remove() and shutdown() already started from
 * probe's state, so what probe did is never open there.) */
static void root_context(struct dev_track *d)
{
	memset(d, 0, sizeof(*d));
	d->enable = EN_NONE;
	d->vec = VEC_NONE;
}

/* engine_is_setup_entry() for a root function. */
static bool root_is_setup(struct tu_ctx *tu, struct function *f)
{
	if (driver_with(tu, f->name, ROLE_PROBE))
		return true;
	return tu->exports_are_setup &&
	       clang_Cursor_getStorageClass(f->cursor) != CX_SC_Static;
}

/* What probe() leaves on the driver's device when it succeeds. */
static enum probe_management probe_leaves(const struct fn_summary *probe)
{
	const struct summary_effect *e;
	bool succeeds = false;
	size_t r, i;

	if (!probe || !probe->analysed)
		return PROBE_MANAGEMENT_UNKNOWN;
	for (r = 0; r < probe->nreturns; r++) {
		const struct return_state *rs = &probe->returns[r];
		if (rs->outcome == OUTCOME_FAILURE)
			continue;
		for (i = 0; i < rs->neffects; i++)
			if (!strcmp(rs->effects[i].dev_key, DRIVER_DEVICE_KEY))
				break;
		/* a return whose value the analysis cannot read, before
		 * the device was enabled ("return pcibios_err_to_errno(ret)"),
		 * is taken for the failure it nearly always is */
		if (rs->outcome == OUTCOME_UNKNOWN && i == rs->neffects)
			continue;
		succeeds = true;
		if (i == rs->neffects ||
		    rs->effects[i].on_success.enable != EN_MANAGED)
			return PROBE_LEAVES_OTHER;
	}
	if (probe->nreturns)
		return succeeds ? PROBE_LEAVES_MANAGED : PROBE_LEAVES_OTHER;
	for (i = 0; i < probe->neffects; i++) {
		e = &probe->effects[i];
		if (!strcmp(e->dev_key, DRIVER_DEVICE_KEY))
			return e->on_success.enable == EN_MANAGED
				   ? PROBE_LEAVES_MANAGED
				   : PROBE_LEAVES_OTHER;
	}
	return PROBE_LEAVES_OTHER;
}

static void note_probe_management(struct tu_ctx *tu)
{
	size_t i;

	for (i = 0; i < tu->ndrivers; i++)
		if (tu->drivers[i].probe &&
		    tu->drivers[i].management == PROBE_MANAGEMENT_UNKNOWN)
			tu->drivers[i].management = probe_leaves(
			    engine_find_summary(tu, tu->drivers[i].probe));
}

struct module_management {
	bool any, all_managed;
};

static void count_management(const struct driver_callbacks *d, void *data)
{
	struct module_management *m = data;

	m->any = true;
	if (d->management != PROBE_LEAVES_MANAGED)
		m->all_managed = false;
}

/* True when a callback of the file (a function the driver registers in an
 * ops table, a PM or devres callback: a static root that is not probe(),
 * remove() or shutdown()) runs on a managed device holding vectors from an
 * unmanaged allocator: every probe() of the module leaves the device
 * managed, and the module allocates only with unmanaged allocators. Any PCI
 * device a callback releases vectors of is then taken as the one device
 * the driver is bound to, whatever the expression that names it (a
 * driver touching another function's vectors is not one seen so far). */
static bool callbacks_see_managed_device(struct tu_ctx *tu)
{
	struct module_management m = {false, true};
	size_t i;

	if ((tu->allocators | module_allocators(tu->module)) !=
		ALLOCATES_UNMANAGED ||
	    tu->rules->hybrid_gone)
		return false;
	/* a file's own driver structures say whose callbacks its functions
	 * are; a file without one (a chip's hooks) serves the module's (the
	 * ones it adopted among them) */
	for (i = 0; i < tu->nlocal_drivers; i++)
		count_management(&tu->drivers[i], &m);
	if (!tu->nlocal_drivers)
		module_each_driver(tu->module, count_management, &m);
	return m.any && m.all_managed;
}

static bool is_driver_callback(struct tu_ctx *tu, const char *name)
{
	return driver_with(tu, name, ROLE_PROBE) ||
	       driver_with(tu, name, ROLE_REMOVE) ||
	       driver_with(tu, name, ROLE_SHUTDOWN);
}

/* The state a callback root of a managed module starts with, for a
 * finding that the device's management decides: managed, holding
 * unmanaged vectors (what hybrid-double-free asks). */
static bool settle_in_managed_callback(const struct deferred *d)
{
	struct dev_track ctx;
	unsigned rest;

	if (strcmp(d->finding.rule, "hybrid-double-free"))
		return false;
	root_context(&ctx);
	ctx.enable = EN_MANAGED;
	ctx.vec = VEC_HELD;
	ctx.family = FAMILY_MSI | FAMILY_MSIX;
	return engine_requirement_check(
		   &ctx, d->req & ~(REQ_NO_REMOVE_RELEASE | REQ_SETUP_ROOT),
		   &rest) &&
	       !rest;
}

static void settle_root(struct tu_ctx *tu, struct function *f,
			bool managed_callbacks)
{
	struct fn_summary *sum = f->summary;
	bool callback =
	    managed_callbacks &&
	    clang_Cursor_getStorageClass(f->cursor) == CX_SC_Static &&
	    !sum->action_before_vectors && !is_driver_callback(tu, f->name);
	size_t i;

	for (i = 0; i < sum->ndeferred; i++) {
		struct deferred *d = &sum->deferred[i];
		struct dev_track ctx;
		unsigned rest;
		struct finding copy;

		if (callback && settle_in_managed_callback(d)) {
			finding_copy(&copy, &d->finding);
			engine_emit(tu, &copy);
			continue;
		}
		if ((d->req & REQ_NO_REMOVE_RELEASE) &&
		    remove_releases(tu, f->name, d->dev_key))
			continue;
		if ((d->req & REQ_SETUP_ROOT) && !root_is_setup(tu, f))
			continue;
		root_context(&ctx);
		if (!engine_requirement_check(&ctx,
					      d->req & ~(REQ_NO_REMOVE_RELEASE |
							 REQ_SETUP_ROOT),
					      &rest) ||
		    rest)
			continue;
		finding_copy(&copy, &d->finding);
		engine_emit(tu, &copy);
	}
}

void summary_analyze_tu(struct tu_ctx *tu, const struct error_lines *errors)
{
	struct tu_functions fs = { 0 };
	bool managed_callbacks;
	size_t i;

	driver_discover(tu, &fs);
	for (i = 0; i < fs.n; i++) {
		struct fn_summary *sum = xcalloc(1, sizeof(*sum));
		sum->name = xstrdup(fs.items[i].name);
		fs.items[i].summary = sum;
		ARRAY_PUSH(tu->summaries, tu->nsummaries, tu->cap_summaries, sum);
		fs.items[i].skipped = spans_error(fs.items[i].cursor, errors);
	}
	driver_order(tu, &fs);
	driver_find_volatile_fields(tu, &fs);
	for (i = 0; i < fs.norder; i++) {
		struct function *f = fs.order[i];
		if (f->skipped) {
			char *msg = xasprintf("%s() was not analysed: it contains "
					      "a parse error", f->name);
			add_note(tu, f->cursor, f->name, msg);
			free(msg);
			continue;
		}
		analyse_function(tu, f);
	}
	note_probe_management(tu);
	managed_callbacks = callbacks_see_managed_device(tu);
	for (i = 0; i < fs.n; i++)
		if (!fs.items[i].has_caller && !fs.items[i].skipped)
			settle_root(tu, &fs.items[i], managed_callbacks);
	driver_functions_release(&fs);
}

void summary_release(struct fn_summary *s)
{
	size_t j;

	for (j = 0; j < s->neffects; j++)
		free(s->effects[j].dev_key);
	free(s->effects);
	for (j = 0; j < s->ndeferred; j++) {
		free(s->deferred[j].dev_key);
		finding_release(&s->deferred[j].finding);
	}
	free(s->deferred);
	for (j = 0; j < s->nhandlers; j++)
		free(s->handlers[j].key);
	free(s->handlers);
	returns_release(s);
	strvec_free(&s->clobbers);
	free(s->name);
}

void summary_free_all(struct tu_ctx *tu)
{
	size_t i;

	for (i = 0; i < tu->nsummaries; i++) {
		summary_release(tu->summaries[i]);
		free(tu->summaries[i]);
	}
	free(tu->summaries);
	tu->summaries = NULL;
	tu->nsummaries = 0;
	for (i = 0; i < tu->ndrivers; i++) {
		free(tu->drivers[i].probe);
		free(tu->drivers[i].remove);
		free(tu->drivers[i].shutdown);
	}
	free(tu->drivers);
	tu->drivers = NULL;
	tu->ndrivers = tu->nlocal_drivers = 0;
	strvec_free(&tu->external_calls);
	tu->allocators = 0;
	strvec_free(&tu->device_fields);
	strvec_free(&tu->entry_fields);
	strvec_free(&tu->state_globals);
	strvec_free(&tu->tested_fields);
	strvec_free(&tu->volatile_fields);
	strvec_free(&tu->written_fields);
	for (i = 0; i < tu->nirq_fields; i++) {
		free(tu->irq_fields[i].from);
		free(tu->irq_fields[i].to);
	}
	free(tu->irq_fields);
	tu->irq_fields = NULL;
	tu->nirq_fields = 0;
	for (i = 0; i < tu->nirq_exprs; i++) {
		free(tu->irq_exprs[i].from);
		free(tu->irq_exprs[i].to);
	}
	free(tu->irq_exprs);
	tu->irq_exprs = NULL;
	tu->nirq_exprs = 0;
}
