/* Summaries shared between the files of one module (see module.h). */
#include "engine/module.h"
#include "engine/returns.h"

#include <stdlib.h>
#include <string.h>

/* ---- export: from a translation unit's sites to owned places ---------- */

struct site_map {
	int32_t *from; /* the unit's site index of each portable site */
};

static int32_t export_site(struct tu_ctx *tu, struct portable_summary *p,
			   struct site_map *m, int32_t site)
{
	struct portable_site ps;
	const struct site *s;
	size_t i;

	if (site < 0)
		return site;
	for (i = 0; i < p->nsites; i++)
		if (m->from[i] == site)
			return (int32_t)i;
	s = &tu->sites[site];
	ps.file = xstrdup(s->file ? s->file : "");
	ps.text = xstrdup(s->text ? s->text : "");
	ps.function = s->function ? xstrdup(s->function) : NULL;
	ps.line = s->line;
	ps.col = s->col;
	m->from = xrealloc(m->from, (p->nsites + 1) * sizeof(*m->from));
	m->from[p->nsites] = site;
	ARRAY_PUSH(p->sites, p->nsites, p->cap_sites, ps);
	return (int32_t)p->nsites - 1;
}

static void export_effect(struct tu_ctx *tu, struct portable_summary *p,
			  struct site_map *m, struct effect *e)
{
	e->site = export_site(tu, p, m, e->site);
	e->enable_site = export_site(tu, p, m, e->enable_site);
	e->exit_site = export_site(tu, p, m, e->exit_site);
	e->via = export_site(tu, p, m, e->via);
}

struct export_ctx {
	struct tu_ctx *tu;
	struct portable_summary *p;
	struct site_map *m;
};

static int32_t export_mapped(void *data, int32_t site)
{
	struct export_ctx *x = data;

	return export_site(x->tu, x->p, x->m, site);
}

static struct portable_summary *export_summary(struct tu_ctx *tu,
					       const struct fn_summary *s)
{
	struct portable_summary *p = xcalloc(1, sizeof(*p));
	struct site_map m = { NULL };
	size_t i;

	p->sum.name = xstrdup(s->name);
	p->sum.analysed = true;
	p->sum.success = s->success;
	for (i = 0; i < s->neffects; i++) {
		struct summary_effect e = s->effects[i];
		e.dev_key = xstrdup(e.dev_key);
		export_effect(tu, p, &m, &e.on_success);
		export_effect(tu, p, &m, &e.on_failure);
		ARRAY_PUSH(p->sum.effects, p->sum.neffects, p->sum.cap_effects,
			   e);
	}
	for (i = 0; i < s->nhandlers; i++) {
		struct summary_handler h = s->handlers[i];
		h.key = xstrdup(h.key);
		h.site = export_site(tu, p, &m, h.site);
		h.exit_site = export_site(tu, p, &m, h.exit_site);
		ARRAY_PUSH(p->sum.handlers, p->sum.nhandlers,
			   p->sum.cap_handlers, h);
	}
	for (i = 0; i < s->ndeferred; i++) {
		struct deferred d = {.req = s->deferred[i].req,
				     .reliance = s->deferred[i].reliance};
		d.dev_key = xstrdup(s->deferred[i].dev_key);
		finding_copy(&d.finding, &s->deferred[i].finding);
		ARRAY_PUSH(p->sum.deferred, p->sum.ndeferred,
			   p->sum.cap_deferred, d);
	}
	{
		struct export_ctx x = {tu, p, &m};
		returns_copy(&p->sum, s, export_mapped, &x);
	}
	for (i = 0; i < s->clobbers.n; i++)
		strvec_push(&p->sum.clobbers, s->clobbers.v[i]);
	free(m.from);
	p->text = module_summary_json(p);
	return p;
}

void module_summary_free(struct portable_summary *p)
{
	size_t i;

	for (i = 0; i < p->nsites; i++) {
		free(p->sites[i].file);
		free(p->sites[i].text);
		free(p->sites[i].function);
	}
	free(p->sites);
	summary_release(&p->sum);
	free(p->text);
	free(p);
}

bool module_exports_equal(const struct module_exports *a,
			  const struct module_exports *b)
{
	char *la, *lb;
	bool same;
	size_t i;

	if (a->nsummaries != b->nsummaries)
		return false;
	for (i = 0; i < a->nsummaries; i++)
		if (strcmp(a->summaries[i]->text, b->summaries[i]->text))
			return false;
	la = module_links_json(a);
	lb = module_links_json(b);
	same = !strcmp(la, lb);
	free(la);
	free(lb);
	return same;
}

void module_exports_collect(struct tu_ctx *tu, struct module_exports *out)
{
	size_t i;

	for (i = 0; i < tu->nsummaries; i++) {
		const struct fn_summary *s = tu->summaries[i];
		if (!s->exported || s->imported || !s->analysed ||
		    (!s->neffects && !s->nhandlers && !s->ndeferred))
			continue;
		ARRAY_PUSH(out->summaries, out->nsummaries, out->cap_summaries,
			   export_summary(tu, s));
	}
	if (tu->external_calls.n)
		qsort(tu->external_calls.v, tu->external_calls.n,
		      sizeof(char *), compare_string_ptrs);
	for (i = 0; i < tu->external_calls.n; i++)
		if (!i || strcmp(tu->external_calls.v[i],
				 tu->external_calls.v[i - 1]))
			strvec_push(&out->external_calls,
				    tu->external_calls.v[i]);
	for (i = 0; i < tu->nsummaries; i++)
		if (tu->summaries[i]->exported && !tu->summaries[i]->imported)
			strvec_push(&out->globals, tu->summaries[i]->name);
	out->allocators = tu->allocators;
	for (i = 0; i < tu->nlocal_drivers; i++) {
		struct driver_callbacks c =
		    driver_callbacks_copy(&tu->drivers[i]);
		ARRAY_PUSH(out->drivers, out->ndrivers, out->cap_drivers, c);
	}
}

struct driver_callbacks driver_callbacks_copy(const struct driver_callbacks *d)
{
	struct driver_callbacks c = {
	    d->probe ? xstrdup(d->probe) : NULL,
	    d->remove ? xstrdup(d->remove) : NULL,
	    d->shutdown ? xstrdup(d->shutdown) : NULL,
	    d->management,
	};

	return c;
}

void module_exports_release(struct module_exports *ex)
{
	size_t i;

	for (i = 0; i < ex->nsummaries; i++)
		module_summary_free(ex->summaries[i]);
	free(ex->summaries);
	strvec_free(&ex->external_calls);
	strvec_free(&ex->globals);
	for (i = 0; i < ex->ndrivers; i++) {
		free(ex->drivers[i].probe);
		free(ex->drivers[i].remove);
		free(ex->drivers[i].shutdown);
	}
	free(ex->drivers);
	memset(ex, 0, sizeof(*ex));
}

/* ---- the table -------------------------------------------------------- */

static int compare_module_files(const void *a, const void *b)
{
	const struct module_file *x = a, *y = b;
	int c = strcmp(x->module, y->module);

	return c ? c : strcmp(x->path, y->path);
}

void module_table_build(struct module_table *t, const struct module_file *files,
			size_t n)
{
	t->nfiles = n;
	t->files = xcalloc(n ? n : 1, sizeof(*t->files));
	if (n)
		memcpy(t->files, files, n * sizeof(*files));
	qsort(t->files, n, sizeof(*t->files), compare_module_files);
}

void module_table_release(struct module_table *t)
{
	free(t->files);
	memset(t, 0, sizeof(*t));
}

/* The other files of l's module: [*begin, *end) of the table, skipping
 * l's own file when walking it. */
static void module_range(const struct module_link *l, size_t *begin,
			 size_t *end)
{
	const struct module_table *t = l->table;
	size_t lo = 0, hi = t->nfiles;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(t->files[mid].module, l->module) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*begin = lo;
	while (hi < t->nfiles && !strcmp(t->files[hi].module, l->module))
		hi++;
	*end = hi;
}

static const struct portable_summary *
exported_by(const struct module_exports *ex, const char *name)
{
	size_t j;

	for (j = 0; ex && j < ex->nsummaries; j++)
		if (!strcmp(ex->summaries[j]->sum.name, name))
			return ex->summaries[j];
	return NULL;
}

const struct module_file *module_find_file(const struct module_link *l,
					   const char *name)
{
	size_t b, e, i;

	if (!l || !l->table)
		return NULL;
	module_range(l, &b, &e);
	for (i = b; i < e; i++)
		if (strcmp(l->table->files[i].path, l->path) &&
		    exported_by(l->table->files[i].exports, name))
			return &l->table->files[i];
	return NULL;
}

const struct portable_summary *module_find(const struct module_link *l,
					   const char *name)
{
	const struct module_file *f = module_find_file(l, name);

	return f ? exported_by(f->exports, name) : NULL;
}

bool module_called_elsewhere(const struct module_link *l, const char *name)
{
	size_t b, e, i;

	if (!l || !l->table)
		return false;
	module_range(l, &b, &e);
	for (i = b; i < e; i++) {
		const struct module_exports *ex = l->table->files[i].exports;
		if (!strcmp(l->table->files[i].path, l->path) || !ex)
			continue;
		if (ex->external_calls.n &&
		    bsearch(&name, ex->external_calls.v, ex->external_calls.n,
			    sizeof(char *), compare_string_ptrs))
			return true;
	}
	return false;
}

static bool offers(const struct module_exports *ex, const char *name)
{
	return ex && exported_by(ex, name);
}

static bool calls(const struct module_exports *ex, const char *name)
{
	return ex && ex->external_calls.n &&
	       bsearch(&name, ex->external_calls.v, ex->external_calls.n,
		       sizeof(char *), compare_string_ptrs);
}

static bool names_in_driver(const struct module_exports *ex, const char *name)
{
	size_t i;

	for (i = 0; ex && i < ex->ndrivers; i++) {
		const struct driver_callbacks *d = &ex->drivers[i];
		if ((d->probe && !strcmp(d->probe, name)) ||
		    (d->remove && !strcmp(d->remove, name)) ||
		    (d->shutdown && !strcmp(d->shutdown, name)))
			return true;
	}
	return false;
}

bool module_touches_difference(const struct module_link *l,
			       const struct module_exports *ex)
{
	size_t b, e, i, j;

	if (!l || !l->table)
		return false;
	module_range(l, &b, &e);
	for (i = b; i < e; i++) {
		const struct module_file *m = &l->table->files[i];
		if (!strcmp(m->path, l->path) || !m->exports ||
		    !m->exports->differs)
			continue;
		for (j = 0; j < ex->external_calls.n; j++)
			if (offers(m->exports, ex->external_calls.v[j]) ||
			    offers(m->last, ex->external_calls.v[j]))
				return true;
		for (j = 0; j < ex->globals.n; j++)
			if (calls(m->exports, ex->globals.v[j]) ||
			    calls(m->last, ex->globals.v[j]) ||
			    names_in_driver(m->exports, ex->globals.v[j]) ||
			    names_in_driver(m->last, ex->globals.v[j]))
				return true;
	}
	return false;
}

unsigned module_allocators(const struct module_link *l)
{
	unsigned bits = 0;
	size_t b, e, i;

	if (!l || !l->table)
		return 0;
	module_range(l, &b, &e);
	for (i = b; i < e; i++)
		if (strcmp(l->table->files[i].path, l->path) &&
		    l->table->files[i].exports)
			bits |= l->table->files[i].exports->allocators;
	return bits;
}

void module_each_driver(const struct module_link *l,
			void (*fn)(const struct driver_callbacks *d,
				   void *data),
			void *data)
{
	size_t b, e, i, j;

	if (!l || !l->table)
		return;
	module_range(l, &b, &e);
	for (i = b; i < e; i++) {
		const struct module_exports *ex = l->table->files[i].exports;
		if (!strcmp(l->table->files[i].path, l->path) || !ex)
			continue;
		for (j = 0; j < ex->ndrivers; j++)
			fn(&ex->drivers[j], data);
	}
}

/* ---- import: into a caller's translation unit ------------------------ */

static int32_t import_site(struct tu_ctx *tu, const struct portable_summary *p,
			   int32_t site)
{
	const struct portable_site *s;

	if (site < 0)
		return site;
	s = &p->sites[site];
	return engine_intern_site(tu, s->file, s->line, s->col, s->text,
				  s->function);
}

static void import_effect(struct tu_ctx *tu, const struct portable_summary *p,
			  struct effect *e)
{
	e->site = import_site(tu, p, e->site);
	e->enable_site = import_site(tu, p, e->enable_site);
	e->exit_site = import_site(tu, p, e->exit_site);
	e->via = import_site(tu, p, e->via);
}

struct import_ctx {
	struct tu_ctx *tu;
	const struct portable_summary *p;
};

static int32_t import_mapped(void *data, int32_t site)
{
	struct import_ctx *x = data;

	return import_site(x->tu, x->p, site);
}

struct fn_summary *module_import(struct tu_ctx *tu,
				 const struct portable_summary *p)
{
	struct fn_summary *s = xcalloc(1, sizeof(*s));
	size_t i;

	s->name = xstrdup(p->sum.name);
	s->analysed = true;
	s->imported = true;
	s->success = p->sum.success;
	for (i = 0; i < p->sum.neffects; i++) {
		struct summary_effect e = p->sum.effects[i];
		e.dev_key = xstrdup(e.dev_key);
		import_effect(tu, p, &e.on_success);
		import_effect(tu, p, &e.on_failure);
		ARRAY_PUSH(s->effects, s->neffects, s->cap_effects, e);
	}
	for (i = 0; i < p->sum.nhandlers; i++) {
		struct summary_handler h = p->sum.handlers[i];
		h.key = xstrdup(h.key);
		h.site = import_site(tu, p, h.site);
		h.exit_site = import_site(tu, p, h.exit_site);
		ARRAY_PUSH(s->handlers, s->nhandlers, s->cap_handlers, h);
	}
	for (i = 0; i < p->sum.ndeferred; i++) {
		struct deferred d = {.req = p->sum.deferred[i].req,
				     .reliance = p->sum.deferred[i].reliance};
		d.dev_key = xstrdup(p->sum.deferred[i].dev_key);
		finding_copy(&d.finding, &p->sum.deferred[i].finding);
		ARRAY_PUSH(s->deferred, s->ndeferred, s->cap_deferred, d);
	}
	{
		struct import_ctx x = {tu, p};
		returns_copy(s, &p->sum, import_mapped, &x);
	}
	for (i = 0; i < p->sum.clobbers.n; i++)
		strvec_push(&s->clobbers, p->sum.clobbers.v[i]);
	ARRAY_PUSH(tu->summaries, tu->nsummaries, tu->cap_summaries, s);
	return s;
}
