/* Inline suppressions (see suppress.h). */
#include "suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MARKER "irqcheck: ignore"

static char *trimmed(const char *b, const char *e)
{
	while (b < e && isspace((unsigned char)*b))
		b++;
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	return xstrndup(b, (size_t)(e - b));
}

void suppress_parse(const char *text, struct suppression **out, size_t *n)
{
	size_t cap = 0;
	unsigned line = 1;
	const char *p = text, *hit;

	*out = NULL;
	*n = 0;
	while ((hit = strstr(p, MARKER))) {
		const char *q, *end, *rule_end, *dash;
		struct suppression s = { 0 };

		for (q = p; q < hit; q++)
			line += *q == '\n';
		p = hit + strlen(MARKER);
		/* the comment ends at its closer or at the end of the line */
		end = strstr(p, "*/");
		q = strchr(p, '\n');
		if (!end || (q && q < end))
			end = q ? q : p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		rule_end = p;
		while (rule_end < end && (isalnum((unsigned char)*rule_end) ||
					  *rule_end == '-' || *rule_end == '_'))
			rule_end++;
		if (rule_end == p) {
			p = end;
			continue;
		}
		s.line = line;
		s.rule = xstrndup(p, (size_t)(rule_end - p));
		dash = rule_end;
		while (dash < end && isspace((unsigned char)*dash))
			dash++;
		if (dash < end && *dash == '-') {
			char *why = trimmed(dash + 1, end);
			if (*why)
				s.reason = why;
			else
				free(why);
		}
		ARRAY_PUSH(*out, *n, cap, s);
		p = end;
	}
}

void suppressions_free(struct suppression *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(s[i].rule);
		free(s[i].reason);
	}
	free(s);
}

static const struct suppression *find_for(const struct scan_file *f,
					  const struct finding *x)
{
	size_t i;

	for (i = 0; i < f->nsuppressions; i++) {
		const struct suppression *s = &f->suppressions[i];
		if ((s->line == x->line || s->line + 1 == x->line) &&
		    !strcmp(s->rule, x->rule))
			return s;
	}
	return NULL;
}

static const struct scan_file *file_shown_as(const struct scan_result *res,
					     const char *display)
{
	size_t i;

	for (i = 0; i < res->nfiles; i++)
		if (!strcmp(res->files[i].display, display))
			return &res->files[i];
	return NULL;
}

void suppress_apply(struct scan_result *res)
{
	size_t i, j;

	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		size_t len;
		char *text;

		if (f->suppressions_read)
			continue;
		f->suppressions_read = true;
		text = read_file(f->path, &len);
		if (!text)
			continue;
		if (strstr(text, MARKER))
			suppress_parse(text, &f->suppressions,
				       &f->nsuppressions);
		free(text);
		for (j = 0; j < f->nsuppressions; j++) {
			const struct suppression *s = &f->suppressions[j];
			struct finding bad = { .rule = SUPPRESSION_RULE,
					       .severity = SEV_WARNING };
			if (s->reason)
				continue;
			bad.file = xstrdup(f->display);
			bad.line = s->line;
			bad.col = 1;
			bad.function = xstrdup("");
			bad.message = xasprintf(
				"suppression of %s without a reason: write "
				"'irqcheck: ignore %s - why it is fine'",
				s->rule, s->rule);
			finding_list_push(&f->findings, &bad);
		}
	}
	/* a finding may sit in the list of the file whose analysis made
	 * it: the suppressions are those of the file it is located in */
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		for (j = 0; j < f->findings.n; j++) {
			struct finding *x = &f->findings.items[j];
			const struct scan_file *home;
			const struct suppression *s;
			if (x->suppressed)
				continue;
			home = !strcmp(x->file, f->display)
				       ? f
				       : file_shown_as(res, x->file);
			s = home ? find_for(home, x) : NULL;
			if (s && s->reason)
				x->suppressed = xstrdup(s->reason);
		}
		finding_list_sort(&f->findings);
	}
}
