/* Ownership and ordering of findings (see findings.h). */
#include "findings.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void finding_copy(struct finding *dst, const struct finding *src)
{
	size_t i;

	*dst = *src;
	dst->file = dup_or_null(src->file);
	dst->function = dup_or_null(src->function);
	dst->message = dup_or_null(src->message);
	dst->suppressed = dup_or_null(src->suppressed);
	dst->unproven = dup_or_null(src->unproven);
	dst->steps = src->nsteps ? xcalloc(src->nsteps, sizeof(*dst->steps))
				 : NULL;
	for (i = 0; i < src->nsteps; i++) {
		dst->steps[i] = src->steps[i];
		dst->steps[i].file = dup_or_null(src->steps[i].file);
		dst->steps[i].text = dup_or_null(src->steps[i].text);
	}
}

void finding_release(struct finding *f)
{
	size_t i;

	for (i = 0; i < f->nsteps; i++) {
		free(f->steps[i].file);
		free(f->steps[i].text);
	}
	free(f->steps);
	free(f->file);
	free(f->function);
	free(f->message);
	free(f->suppressed);
	free(f->unproven);
	memset(f, 0, sizeof(*f));
}

void finding_list_push(struct finding_list *l, struct finding *f)
{
	ARRAY_PUSH(l->items, l->n, l->cap, *f);
	memset(f, 0, sizeof(*f));
}

void finding_list_release(struct finding_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		finding_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

static int compare_findings(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

void finding_list_sort(struct finding_list *l)
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof(*l->items), compare_findings);
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}
