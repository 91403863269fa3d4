/* Helpers the rules share: how a message names another place, the site a
 * finding about a call goes to, and the report of acquired objects still
 * held. Built on engine/events.h only. */
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

/* "irq-resource 0", "taskqgroup-task admin_task": an acquired object
 * (event_key_is_object()) as messages name it. Caller frees. */
static char *object_label(const struct event *ev, int32_t key)
{
	const char *k = event_key(ev, key), *at = strstr(k, "#@");
	char *label = xstrdup(at ? at + 2 : k), *colon = strchr(label, ':');

	if (colon)
		*colon = ' ';
	return label;
}

/* Whether object h is one check_report_objects() reports, and where. */
static bool object_reported(const struct event *ev, int h, bool local,
			    int32_t *at)
{
	const struct handler_track *t = event_handler(ev, h);
	/* a callee that failed with it still held is where the give back
	 * is missing: reported at that callee's return, as a failed
	 * helper's vectors are */
	bool kept = local && !t->local && t->leak_site >= 0;

	*at = kept ? t->leak_site : ev->site;
	return t->state == H_ATTACHED && ((bool)t->local == local || kept) &&
	       event_key_is_object(event_key(ev, t->key));
}

/* Whether object a was acquired at a place before object b's. */
static bool acquired_before(const struct event *ev, int a, int b)
{
	const struct site *x = event_site(ev, event_handler(ev, a)->site);
	const struct site *y = event_site(ev, event_handler(ev, b)->site);
	int c;

	if (!x || !y)
		return x != NULL;
	c = strcmp(x->file, y->file);
	return c ? c < 0 : x->line < y->line;
}

void check_report_objects(const struct event *ev, const struct check *rule,
			  bool local, const char *what, const char *who)
{
	int n = event_nhandlers(ev), h, o;
	bool *done = xcalloc((size_t)n + 1, sizeof(*done));
	char **items = xcalloc((size_t)n + 1, sizeof(*items));

	/* one finding per place: it names every object still held there
	 * (a failure path that keeps a task and an IRQ resource), in the
	 * order they were acquired */
	for (h = 0; h < n; h++) {
		struct strbuf sb;
		int32_t at, other_at;
		int nitems = 0, i, dev = -1;
		char *msg;

		if (done[h] || !object_reported(ev, h, local, &at))
			continue;
		for (;;) {
			const struct handler_track *t = NULL;
			char *where, *label;
			int first = -1;
			for (o = h; o < n; o++)
				if (!done[o] &&
				    object_reported(ev, o, local, &other_at) &&
				    other_at == at &&
				    (first < 0 ||
				     acquired_before(ev, o, first)))
					first = o;
			if (first < 0)
				break;
			done[first] = true;
			t = event_handler(ev, first);
			if (dev < 0)
				dev = t->dev;
			where = check_where(ev, t->site, at);
			label = object_label(ev, t->key);
			items[nitems++] = xasprintf("the %s%s acquired at %s",
						    label, who, where);
			free(label);
			free(where);
		}
		sb_init(&sb);
		sb_addf(&sb, "%s without giving back ", what);
		for (i = 0; i < nitems; i++) {
			sb_adds(&sb, i == 0	       ? ""
				     : i == nitems - 1 ? " and "
						       : ", ");
			sb_adds(&sb, items[i]);
			free(items[i]);
		}
		msg = sb_detach(&sb);
		event_report(ev, rule, dev, REQ_NONE, at, msg);
		free(msg);
	}
	free(items);
	free(done);
}

char *check_where(const struct event *ev, int32_t site, int32_t reported)
{
	const struct site *s = event_site(ev, site);
	const struct site *r = event_site(ev, reported);
	const char *base;

	if (!s)
		return xstrdup("an earlier call");
	if (r && !strcmp(r->file, s->file))
		return xasprintf("line %u", s->line);
	base = strrchr(s->file, '/');
	return xasprintf("%s:%u", base ? base + 1 : s->file, s->line);
}

const char *check_handler_doubt(const struct event *ev,
				const struct handler_track *t)
{
	if (t->maybe_freed)
		return "a function the analysis cannot see into was handed the "
		       "driver's data after the handler was requested, and may "
		       "have freed it";
	return event_handler_index_known(ev, t)
		   ? NULL
		   : "the handler is on a vector named by a variable, which "
		     "other names of the same vector (a loop that frees, a "
		     "stored irq number) cannot be matched with";
}

int32_t check_call_site(const struct event *ev)
{
	return ev->via_summary && ev->callee_site >= 0 ? ev->callee_site
						       : ev->site;
}
