/* The one list of checks the engine runs, in reporting order. */
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

static const struct check *const all_checks[] = {
	&check_hybrid_double_free,
	&check_implicit_devres_release,
	&check_error_path_leak,
	&check_double_free,
	&check_mismatched_release,
	&check_remove_leak,
	&check_free_with_handlers,
	&check_irq_handler_leak,
	&check_handler_double_free,
	&check_use_after_free,
	&check_shutdown_leak,
};

unsigned long check_default_mask(void)
{
	size_t i;
	unsigned long mask = 0;

	for (i = 0; i < sizeof(all_checks) / sizeof(all_checks[0]); i++)
		if (!all_checks[i]->off_by_default)
			mask |= 1UL << i;
	return mask;
}

unsigned long check_mask_of(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(all_checks) / sizeof(all_checks[0]); i++)
		if (!strcmp(all_checks[i]->id, id))
			return 1UL << i;
	return 0;
}

const struct check *const *check_registry(size_t *n)
{
	*n = sizeof(all_checks) / sizeof(all_checks[0]);
	return all_checks;
}

const struct check *check_find(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(all_checks) / sizeof(all_checks[0]); i++)
		if (!strcmp(all_checks[i]->id, id))
			return all_checks[i];
	return NULL;
}

const struct site *check_site(const struct event *ev, int32_t site)
{
	return site >= 0 ? &ev->fn->tu->sites[site] : NULL;
}

/* "irq-resource 0", "taskqgroup-task admin_task": an acquired object
 * (engine_is_object_key()) as messages name it. Caller frees. */
static char *check_object_label(const struct event *ev, int32_t key)
{
	const char *k = engine_key(ev->fn, key), *at = strstr(k, "#@");
	char *label = xstrdup(at ? at + 2 : k), *colon = strchr(label, ':');

	if (colon)
		*colon = ' ';
	return label;
}

void check_report_objects(const struct event *ev, const char *rule,
			  bool local, const char *what, const char *who)
{
	int h;

	for (h = 0; h < ev->st->c.nhandler; h++) {
		const struct handler_track *t = &ev->st->c.handler[h];
		char *msg, *where, *label;

		if (t->state != H_ATTACHED || (bool)t->local != local ||
		    !engine_is_object_key(engine_key(ev->fn, t->key)))
			continue;
		where = check_where(ev, t->site, ev->site);
		label = check_object_label(ev, t->key);
		msg = xasprintf("%s without giving back the %s%s acquired at "
				"%s",
				what, label, who, where);
		engine_report(ev, rule, t->dev, REQ_NONE, ev->site, msg);
		free(msg);
		free(label);
		free(where);
	}
}

char *check_where(const struct event *ev, int32_t site, int32_t reported)
{
	const struct site *s = check_site(ev, site);
	const struct site *r = check_site(ev, reported);
	const char *base;

	if (!s)
		return xstrdup("an earlier call");
	if (r && !strcmp(r->file, s->file))
		return xasprintf("line %u", s->line);
	base = strrchr(s->file, '/');
	return xasprintf("%s:%u", base ? base + 1 : s->file, s->line);
}
