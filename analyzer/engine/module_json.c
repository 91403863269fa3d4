/* The stored form of what a file offers its module (see module.h): an
 * exported summary, and the file's links (the functions it calls but does
 * not define, its non-static functions, its driver structures), as JSON
 * with sorted keys, so that equal summaries have equal texts. */
#include "engine/module.h"
#include "engine/returns.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *effect_json(const struct effect *e)
{
	return json_pack("[iiiiiiiiiiiii]", e->enable, e->vec, e->family,
			 e->managed_api, e->confirmed, e->family_uncertain,
			 e->if_held, e->fresh, e->disables, e->site,
			 e->enable_site, e->exit_site, e->via);
}

static bool effect_from(json_t *a, struct effect *e)
{
	int v[13];

	if (json_unpack(a, "[iiiiiiiiiiiii]", &v[0], &v[1], &v[2], &v[3], &v[4],
			&v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
			&v[12]))
		return false;
	memset(e, 0, sizeof(*e));
	e->enable = (uint8_t)v[0];
	e->vec = (uint8_t)v[1];
	e->family = (uint8_t)v[2];
	e->managed_api = (uint8_t)v[3];
	e->confirmed = (uint8_t)v[4];
	e->family_uncertain = (uint8_t)v[5];
	e->if_held = (uint8_t)v[6];
	e->fresh = (uint8_t)v[7];
	e->disables = (uint8_t)v[8];
	e->site = v[9];
	e->enable_site = v[10];
	e->exit_site = v[11];
	e->via = v[12];
	return true;
}

static json_t *strings_json(const struct strvec *v);
static void strings_from(json_t *a, struct strvec *v);

static json_t *value_json(const struct value *v)
{
	return json_pack("[iiiiiii]", v->signs, v->has_eq, v->eq, v->nne,
			 v->ne[0], v->ne[1], v->lo);
}

static bool value_from(json_t *a, struct value *v)
{
	int x[7] = {0};

	/* a store written before the bound was kept has six numbers */
	if ((json_unpack(a, "[iiiiiii]", &x[0], &x[1], &x[2], &x[3], &x[4],
			 &x[5], &x[6]) &&
	     json_unpack(a, "[iiiiii]", &x[0], &x[1], &x[2], &x[3], &x[4],
			 &x[5])) ||
	    x[3] < 0 || x[3] > VALUE_MAX_NE || x[6] < 0)
		return false;
	memset(v, 0, sizeof(*v));
	v->signs = (uint8_t)(x[0] & SIGN_ANY);
	v->has_eq = x[1] != 0;
	v->eq = x[2];
	v->nne = (uint8_t)x[3];
	v->ne[0] = x[4];
	v->ne[1] = x[5];
	v->lo = x[6] >= 2 ? x[6] : 0;
	return true;
}

static json_t *handler_json(const struct summary_handler *h)
{
	return json_pack("[siiiii]", h->key, h->devm, h->state, h->outcomes,
			 h->site, h->exit_site);
}

static bool handler_from(json_t *v, struct summary_handler *h)
{
	const char *key;
	int devm, state, outcomes, site, exit_site;

	/* (a summary is only read by the binary that wrote it: the run's
	 * rules hash includes the binary's own) */
	if (json_unpack(v, "[siiiii]", &key, &devm, &state, &outcomes, &site,
			&exit_site))
		return false;
	memset(h, 0, sizeof(*h));
	h->key = xstrdup(key);
	h->devm = (uint8_t)devm;
	h->state = (uint8_t)state;
	h->outcomes = (uint8_t)outcomes;
	h->site = site;
	h->exit_site = exit_site;
	return true;
}

static json_t *returns_json(const struct fn_summary *s)
{
	json_t *all = json_array();
	size_t r, i;

	for (r = 0; r < s->nreturns; r++) {
		const struct return_state *rs = &s->returns[r];
		json_t *effects = json_array(), *handlers = json_array(),
		       *facts = json_array();
		for (i = 0; i < rs->neffects; i++)
			json_array_append_new(
			    effects,
			    json_pack("[so]", rs->effects[i].dev_key,
				      effect_json(&rs->effects[i].on_success)));
		for (i = 0; i < rs->nhandlers; i++)
			json_array_append_new(handlers,
					      handler_json(&rs->handlers[i]));
		for (i = 0; i < rs->nfacts; i++)
			json_array_append_new(
			    facts, json_pack("[sio]", rs->facts[i].key,
					     rs->facts[i].origin,
					     value_json(&rs->facts[i].v)));
		json_array_append_new(
		    all,
		    json_pack("{sisosososo}", "outcome", rs->outcome, "ret",
			      value_json(&rs->ret), "effects", effects,
			      "handlers", handlers, "facts", facts));
	}
	return all;
}

/* The return states of a stored summary; false when they do not read. */
static bool returns_from(json_t *all, struct fn_summary *s)
{
	size_t r, i, n = json_array_size(all);
	json_t *v, *ret, *effects, *handlers, *facts, *x;
	int outcome;

	if (!n)
		return true;
	if (n > MAX_RETURN_STATES)
		return false;
	s->returns = xcalloc(n, sizeof(*s->returns));
	s->nreturns = n;
	json_array_foreach(all, r, v)
	{
		struct return_state *rs = &s->returns[r];
		if (json_unpack(v, "{sisosososo}", "outcome", &outcome, "ret",
				&ret, "effects", &effects, "handlers",
				&handlers, "facts", &facts) ||
		    !value_from(ret, &rs->ret))
			return false;
		rs->outcome = (uint8_t)outcome;
		rs->effects =
		    xcalloc(json_array_size(effects) + 1, sizeof(*rs->effects));
		json_array_foreach(effects, i, x)
		{
			struct summary_effect *e = &rs->effects[rs->neffects];
			const char *dev;
			json_t *eff;
			if (json_unpack(x, "[so]", &dev, &eff) ||
			    !effect_from(eff, &e->on_success))
				return false;
			e->on_failure = e->on_success;
			e->dev_key = xstrdup(dev);
			rs->neffects++;
		}
		rs->handlers = xcalloc(json_array_size(handlers) + 1,
				       sizeof(*rs->handlers));
		json_array_foreach(handlers, i, x)
		{
			if (!handler_from(x, &rs->handlers[rs->nhandlers]))
				return false;
			rs->nhandlers++;
		}
		rs->facts =
		    xcalloc(json_array_size(facts) + 1, sizeof(*rs->facts));
		json_array_foreach(facts, i, x)
		{
			struct rs_fact *f = &rs->facts[rs->nfacts];
			const char *key;
			int origin;
			json_t *val;
			if (json_unpack(x, "[sio]", &key, &origin, &val) ||
			    !value_from(val, &f->v))
				return false;
			f->key = xstrdup(key);
			f->origin = (uint8_t)(origin != 0);
			rs->nfacts++;
		}
	}
	return true;
}

static json_t *finding_json(const struct finding *f)
{
	json_t *steps = json_array();
	size_t i;

	for (i = 0; i < f->nsteps; i++)
		json_array_append_new(steps, json_pack("[siis]", f->steps[i].file,
						       f->steps[i].line,
						       f->steps[i].col,
						       f->steps[i].text));
	return json_pack("{sssisssisisssssoss*}", "rule", f->rule, "severity",
			 (int)f->severity, "file", f->file, "line", f->line,
			 "col", f->col, "function",
			 f->function ? f->function : "", "message", f->message,
			 "steps", steps, "unproven", f->unproven);
}

static bool finding_from(json_t *o, struct finding *f, rule_id_fn rule_id)
{
	const char *rule, *file, *function, *message;
	int sev, line, col;
	json_t *steps, *s;
	size_t i;

	if (json_unpack(o, "{sssisssisissssso}", "rule", &rule, "severity",
			&sev, "file", &file, "line", &line, "col", &col,
			"function", &function, "message", &message, "steps",
			&steps))
		return false;
	memset(f, 0, sizeof(*f));
	f->rule = rule_id(rule);
	f->severity = (enum severity)sev;
	f->file = xstrdup(file);
	f->line = (unsigned)line;
	f->col = (unsigned)col;
	f->function = xstrdup(function);
	f->message = xstrdup(message);
	{
		json_t *u = json_object_get(o, "unproven");
		if (json_is_string(u))
			f->unproven = xstrdup(json_string_value(u));
	}
	f->nsteps = json_array_size(steps);
	f->steps = f->nsteps ? xcalloc(f->nsteps, sizeof(*f->steps)) : NULL;
	json_array_foreach(steps, i, s) {
		const char *sf = "", *st = "";
		int sl = 0, sc = 0;
		json_unpack(s, "[siis]", &sf, &sl, &sc, &st);
		f->steps[i].file = xstrdup(sf);
		f->steps[i].line = (unsigned)sl;
		f->steps[i].col = (unsigned)sc;
		f->steps[i].text = xstrdup(st);
	}
	return true;
}

static char *dump(json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(v);
	return text ? text : xstrdup("null");
}

char *module_summary_json(const struct portable_summary *p)
{
	const struct fn_summary *s = &p->sum;
	json_t *sites = json_array(), *effects = json_array(),
	       *handlers = json_array(), *deferred = json_array();
	size_t i;

	for (i = 0; i < p->nsites; i++) {
		const struct portable_site *ps = &p->sites[i];
		json_array_append_new(sites, json_pack("[siiss?]", ps->file,
						       ps->line, ps->col, ps->text,
						       ps->function));
	}
	for (i = 0; i < s->neffects; i++)
		json_array_append_new(
			effects, json_pack("{sssoso}", "dev", s->effects[i].dev_key,
					   "ok", effect_json(&s->effects[i].on_success),
					   "fail", effect_json(&s->effects[i].on_failure)));
	for (i = 0; i < s->nhandlers; i++)
		json_array_append_new(handlers, handler_json(&s->handlers[i]));
	for (i = 0; i < s->ndeferred; i++)
		json_array_append_new(
		    deferred,
		    json_pack("{sssisosi}", "dev", s->deferred[i].dev_key,
			      "req", s->deferred[i].req, "finding",
			      finding_json(&s->deferred[i].finding), "reliance",
			      s->deferred[i].reliance));
	return dump(json_pack("{sssisosososososo}", "name", s->name, "success",
			      (int)s->success, "sites", sites, "effects",
			      effects, "handlers", handlers, "deferred",
			      deferred, "returns", returns_json(s), "clobbers",
			      strings_json(&s->clobbers)));
}

/* Every place a summary names is one of its own sites (or none, -1):
 * an index past them would read outside the table when the summary is
 * imported. */
static bool site_in(const struct portable_summary *p, int32_t site)
{
	return site < 0 || (size_t)site < p->nsites;
}

static bool effect_sites_in(const struct portable_summary *p,
			    const struct effect *e)
{
	return site_in(p, e->site) && site_in(p, e->enable_site) &&
	       site_in(p, e->exit_site) && site_in(p, e->via);
}

static bool handler_sites_in(const struct portable_summary *p,
			     const struct summary_handler *h)
{
	return site_in(p, h->site) && site_in(p, h->exit_site);
}

static bool sites_valid(const struct portable_summary *p)
{
	const struct fn_summary *s = &p->sum;
	size_t r, i;

	for (i = 0; i < s->neffects; i++)
		if (!effect_sites_in(p, &s->effects[i].on_success) ||
		    !effect_sites_in(p, &s->effects[i].on_failure))
			return false;
	for (i = 0; i < s->nhandlers; i++)
		if (!handler_sites_in(p, &s->handlers[i]))
			return false;
	for (r = 0; r < s->nreturns; r++) {
		const struct return_state *rs = &s->returns[r];
		for (i = 0; i < rs->neffects; i++)
			if (!effect_sites_in(p, &rs->effects[i].on_success))
				return false;
		for (i = 0; i < rs->nhandlers; i++)
			if (!handler_sites_in(p, &rs->handlers[i]))
				return false;
	}
	return true;
}

struct portable_summary *module_summary_from_json(const char *text,
						  rule_id_fn rule_id)
{
	json_t *root = json_loads(text, 0, NULL), *sites, *effects, *handlers,
	       *deferred, *v;
	struct portable_summary *p;
	const char *name;
	int success;
	size_t i;

	if (!root)
		return NULL;
	if (json_unpack(root, "{sssisosososo}", "name", &name, "success",
			&success, "sites", &sites, "effects", &effects,
			"handlers", &handlers, "deferred", &deferred)) {
		json_decref(root);
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->sum.name = xstrdup(name);
	p->sum.analysed = true;
	p->sum.success = (enum success_kind)success;
	json_array_foreach(sites, i, v) {
		struct portable_site ps = { 0 };
		const char *f = "", *t = "", *fn = NULL;
		int line = 0, col = 0;
		json_unpack(v, "[siiss?]", &f, &line, &col, &t, &fn);
		ps.file = xstrdup(f);
		ps.text = xstrdup(t);
		ps.function = fn ? xstrdup(fn) : NULL;
		ps.line = (unsigned)line;
		ps.col = (unsigned)col;
		ARRAY_PUSH(p->sites, p->nsites, p->cap_sites, ps);
	}
	json_array_foreach(effects, i, v) {
		struct summary_effect e = { 0 };
		json_t *ok, *fail;
		const char *dev;
		if (json_unpack(v, "{sssoso}", "dev", &dev, "ok", &ok, "fail",
				&fail) ||
		    !effect_from(ok, &e.on_success) ||
		    !effect_from(fail, &e.on_failure))
			continue;
		e.dev_key = xstrdup(dev);
		ARRAY_PUSH(p->sum.effects, p->sum.neffects, p->sum.cap_effects,
			   e);
	}
	json_array_foreach(handlers, i, v) {
		struct summary_handler h;
		if (!handler_from(v, &h))
			continue;
		ARRAY_PUSH(p->sum.handlers, p->sum.nhandlers,
			   p->sum.cap_handlers, h);
	}
	json_array_foreach(deferred, i, v) {
		struct deferred d = { 0 };
		const char *dev;
		int req;
		json_t *f;
		if (json_unpack(v, "{sssiso}", "dev", &dev, "req", &req,
				"finding", &f) ||
		    !finding_from(f, &d.finding, rule_id))
			continue;
		d.dev_key = xstrdup(dev);
		d.req = (unsigned)req;
		{
			json_t *r = json_object_get(v, "reliance");
			d.reliance = json_is_integer(r)
					 ? (uint8_t)json_integer_value(r)
					 : RELIES_ON_PATH;
		}
		ARRAY_PUSH(p->sum.deferred, p->sum.ndeferred,
			   p->sum.cap_deferred, d);
	}
	if (!returns_from(json_object_get(root, "returns"), &p->sum))
		returns_release(&p->sum); /* unreadable: merged effects only */
	strings_from(json_object_get(root, "clobbers"), &p->sum.clobbers);
	json_decref(root);
	if (!sites_valid(p)) {
		module_summary_free(p);
		return NULL;
	}
	p->text = module_summary_json(p);
	return p;
}

static json_t *strings_json(const struct strvec *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < v->n; i++)
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}

static void strings_from(json_t *a, struct strvec *v)
{
	json_t *s;
	size_t i;

	json_array_foreach(a, i, s)
		if (json_is_string(s))
			strvec_push(v, json_string_value(s));
}

static char *optional_string(json_t *v)
{
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

char *module_links_json(const struct module_exports *ex)
{
	json_t *drivers = json_array();
	size_t i;

	for (i = 0; i < ex->ndrivers; i++)
		json_array_append_new(
		    drivers,
		    json_pack("[s?s?s?i]", ex->drivers[i].probe,
			      ex->drivers[i].remove, ex->drivers[i].shutdown,
			      ex->drivers[i].management));
	return dump(json_pack("{sosososI}", "calls",
			      strings_json(&ex->external_calls), "globals",
			      strings_json(&ex->globals), "drivers", drivers,
			      "allocators", (json_int_t)ex->allocators));
}

bool module_links_from_json(const char *text, struct module_exports *ex)
{
	json_t *root = json_loads(text, 0, NULL), *calls, *globals, *drivers,
	       *d;
	size_t i;

	if (!root || json_unpack(root, "{sososo}", "calls", &calls, "globals",
				 &globals, "drivers", &drivers)) {
		json_decref(root);
		return false;
	}
	strings_from(calls, &ex->external_calls);
	strings_from(globals, &ex->globals);
	{
		/* absent in a store written before it was kept */
		json_t *a = json_object_get(root, "allocators");
		json_int_t bits =
		    json_is_integer(a) ? json_integer_value(a) : 0;
		ex->allocators = bits >= 0 && bits <= (ALLOCATES_UNMANAGED |
						       ALLOCATES_MANAGED)
				     ? (unsigned)bits
				     : 0;
	}
	json_array_foreach(drivers, i, d) {
		struct driver_callbacks c = {0};
		json_t *m = json_array_get(d, 3);
		/* names or nulls (jansson's unpack has no "s?"), then what
		 * probe() leaves, absent in a store written before it was
		 * kept */
		if (!json_is_array(d) || json_array_size(d) < 3)
			continue;
		c.probe = optional_string(json_array_get(d, 0));
		c.remove = optional_string(json_array_get(d, 1));
		c.shutdown = optional_string(json_array_get(d, 2));
		if (json_is_integer(m) &&
		    json_integer_value(m) > PROBE_MANAGEMENT_UNKNOWN &&
		    json_integer_value(m) <= PROBE_LEAVES_OTHER)
			c.management = (int)json_integer_value(m);
		ARRAY_PUSH(ex->drivers, ex->ndrivers, ex->cap_drivers, c);
	}
	json_decref(root);
	return true;
}

void module_exports_copy(struct module_exports *dst,
			 const struct module_exports *src,
			 const char *(*rule_id)(const char *id))
{
	char *links = module_links_json(src);
	size_t i;

	module_exports_release(dst);
	for (i = 0; i < src->nsummaries; i++) {
		struct portable_summary *p =
			module_summary_from_json(src->summaries[i]->text,
						 rule_id);
		if (p)
			ARRAY_PUSH(dst->summaries, dst->nsummaries,
				   dst->cap_summaries, p);
	}
	module_links_from_json(links, dst);
	free(links);
	dst->changed = src->changed;
	dst->differs = src->differs;
}
