/* The gate's reply to a patch series (see email.h). */
#include "reports/email.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The hunk of `diff` whose new side covers `line`, quoted with "> ";
 * false when none does. */
static bool quote_hunk(FILE *out, const char *diff, unsigned line)
{
	const char *p = diff, *hunk = NULL, *next;

	while (p && *p) {
		next = strchr(p, '\n');
		if (!strncmp(p, "@@ ", 3)) {
			unsigned start = 0, count = 1;
			const char *plus = strchr(p, '+');
			if (plus && sscanf(plus + 1, "%u,%u", &start, &count) >= 1 &&
			    line >= start && line < start + (count ? count : 1)) {
				hunk = p;
				break;
			}
		}
		p = next ? next + 1 : NULL;
	}
	if (!hunk)
		return false;
	if (!out)
		return true;
	for (p = hunk; p && *p;) {
		next = strchr(p, '\n');
		if (p != hunk && !strncmp(p, "@@ ", 3))
			break;
		fputs("> ", out);
		fwrite(p, 1, next ? (size_t)(next - p) : strlen(p), out);
		fputc('\n', out);
		p = next ? next + 1 : NULL;
	}
	return true;
}

void report_email(FILE *out, const struct stored_finding *const *added,
		  size_t nadded, size_t nfixed,
		  char *(*diff_of)(void *ctx, const char *path), void *ctx)
{
	size_t i, j;

	if (!nadded) {
		fprintf(out, "irqcheck found no new interrupt vector ownership "
			     "problem in this series");
		if (nfixed)
			fprintf(out, ", and it fixes %zu that were there "
				     "before", nfixed);
		fputs(".\n", out);
		return;
	}
	fprintf(out, "irqcheck found %zu new interrupt vector ownership "
		     "problem%s in this series.\n", nadded, nadded == 1 ? "" : "s");
	for (i = 0; i < nadded; i++) {
		const struct finding *f = &added[i]->f;
		size_t k;
		fputc('\n', out);
		/* the series' hunk on the path nearest the reported place */
		for (k = f->nsteps + 1; k-- > 0;) {
			const char *file = k == f->nsteps ? f->file
							  : f->steps[k].file;
			unsigned line = k == f->nsteps ? f->line
						       : f->steps[k].line;
			char *diff = diff_of(ctx, file);
			bool hit = diff && quote_hunk(NULL, diff, line);
			if (hit) {
				fprintf(out, "On %s:\n\n", file);
				quote_hunk(out, diff, line);
				fputc('\n', out);
			}
			free(diff);
			if (hit)
				break;
		}
		fprintf(out, "%s:%u: %s: %s [%s]\n", f->file, f->line,
			severity_name(f->severity), f->message, f->rule);
		if (f->nsteps)
			fputs("\nThe path:\n", out);
		for (j = 0; j < f->nsteps; j++)
			fprintf(out, "  %zu. %s:%u: %s\n", j + 1, f->steps[j].file,
				f->steps[j].line, f->steps[j].text);
		fprintf(out, "\nSee 'irqcheck explain %s' for the rule.\n",
			f->rule);
	}
	if (nfixed)
		fprintf(out, "\nThe series also fixes %zu problem%s that were "
			     "there before.\n", nfixed, nfixed == 1 ? "" : "s");
}
