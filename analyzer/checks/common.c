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

void check_report_objects(const struct event *ev, const struct check *rule,
			  bool local, const char *what, const char *who)
{
	int h;

	for (h = 0; h < event_nhandlers(ev); h++) {
		const struct handler_track *t = event_handler(ev, h);
		char *msg, *where, *label;
		/* a callee that failed with it still held is where the give
		 * back is missing: reported at that callee's return, as a
		 * failed helper's vectors are */
		bool kept = local && !t->local && t->leak_site >= 0;
		int32_t at = kept ? t->leak_site : ev->site;

		if (t->state != H_ATTACHED ||
		    ((bool)t->local != local && !kept) ||
		    !event_key_is_object(event_key(ev, t->key)))
			continue;
		where = check_where(ev, t->site, at);
		label = object_label(ev, t->key);
		msg = xasprintf("%s without giving back the %s%s acquired at "
				"%s",
				what, label, who, where);
		event_report(ev, rule, t->dev, REQ_NONE, at, msg);
		free(msg);
		free(label);
		free(where);
	}
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
