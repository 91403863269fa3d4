/* Sites and trails (trace.c). A site is a place in the source with what
 * happened there, interned per translation unit so that paths through the
 * same calls carry equal states and merge; a trail is the list of sites a
 * path went through, which becomes a finding's steps. */
#ifndef IRQCHECK_TRACE_H
#define IRQCHECK_TRACE_H

#include "engine/engine.h"

int32_t trace_intern_site(struct tu_ctx *tu, const struct site *s);
/* The site `from` with another text. */
int32_t trace_copy_site(struct tu_ctx *tu, int32_t from, const char *text);
void trace_add_step(struct fn_ctx *fn, struct state *st, int32_t site);
/* A finding's steps, oldest first, from a trail. */
void trace_fill_steps(struct tu_ctx *tu, const struct step *trail,
		      struct finding *f);

#endif
