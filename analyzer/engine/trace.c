/* Sites and trails (see trace.h). Owns the translation unit's site table
 * and its index; knows nothing of states beyond their trail. */
#include "engine/trace.h"
#include "ast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One index per place and text, so that paths through the same calls
 * carry equal states and merge. */
int32_t trace_intern_site(struct tu_ctx *tu, const struct site *s)
{
	char *key;
	ENTRY item, *found = NULL;

	if (!tu->site_index_cap) {
		tu->site_index_cap = 1 << 16;
		if (!hcreate_r(tu->site_index_cap, &tu->site_index))
			tu->site_index_cap = (size_t)-1;
	}
	{
		char *text = xasprintf("%s:%u:%u:%s", s->file, s->line, s->col,
				       s->text);
		key = hsearch_key(text);
		free(text);
	}
	item.key = key;
	if (tu->site_index_cap != (size_t)-1 &&
	    hsearch_r(item, FIND, &found, &tu->site_index)) {
		free(key);
		return (int32_t)(intptr_t)found->data - 1;
	}
	{
		/* sites outlive the function being walked: own the name */
		struct site copy = *s;
		copy.function =
		    s->function ? arena_strdup(&tu->arena, s->function) : NULL;
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
	idx = trace_intern_site(tu, &s);
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
	return trace_intern_site(tu, &s);
}

int32_t trace_copy_site(struct tu_ctx *tu, int32_t from, const char *text)
{
	struct site s = tu->sites[from];

	s.text = arena_strdup(&tu->arena, text);
	return trace_intern_site(tu, &s);
}

const char *engine_site_line_text(struct tu_ctx *tu, int32_t site)
{
	return site >= 0 ? tu->sites[site].text : "";
}

void trace_add_step(struct fn_ctx *fn, struct state *st, int32_t site)
{
	struct step *s = arena_alloc(&fn->tu->arena, sizeof(*s));

	s->site = site;
	s->prev = st->trail;
	st->trail = s;
}

void trace_fill_steps(struct tu_ctx *tu, const struct step *trail,
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
