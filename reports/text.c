/* gcc-style text report (see text.h). */
#include "reports/text.h"
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

void report_text_finding(FILE *out, const struct finding *f)
{
	size_t i;

	fprintf(out, "%s:%u:%u: %s: %s [%s]\n", f->file, f->line, f->col,
		severity_name(f->severity), f->message, f->rule);
	for (i = 0; i < f->nsteps; i++)
		fprintf(out, "%s:%u:%u: note: %s\n", f->steps[i].file,
			f->steps[i].line, f->steps[i].col, f->steps[i].text);
	if (f->unproven)
		fprintf(out, "%s:%u:%u: note: unproven: %s\n", f->file, f->line,
			f->col, f->unproven);
}

void report_text_findings(FILE *out, const struct scan_result *res,
			  bool with_unproven)
{
	const struct finding **all;
	size_t i, j, n = scan_unique_findings(res, &all);

	for (i = 0; i < n; i++)
		if (!all[i]->suppressed && (with_unproven || !all[i]->unproven))
			report_text_finding(out, all[i]);
	free(all);
	for (i = 0; i < res->nfiles; i++) {
		const struct scan_file *f = &res->files[i];
		for (j = 0; j < f->notes.n; j++)
			fprintf(out, "%s:%u:%u: note: %s [irqcheck]\n",
				f->notes.items[j].file, f->notes.items[j].line,
				f->notes.items[j].col, f->notes.items[j].message);
	}
}

/* Which unique findings count_unique() counts. */
enum finding_kind { COUNTED, SUPPRESSED, UNPROVEN };

static bool finding_is(const struct finding *f, enum finding_kind kind)
{
	switch (kind) {
	case COUNTED:
		return finding_counts(f);
	case SUPPRESSED:
		return f->suppressed != NULL;
	case UNPROVEN:
		return !f->suppressed && f->unproven;
	}
	return false;
}

/* Unique findings of a kind, of one rule or of any (NULL). */
static size_t count_unique(const struct scan_result *res, const char *rule,
			   enum finding_kind kind)
{
	const struct finding **all;
	size_t i, n = scan_unique_findings(res, &all), count = 0;

	for (i = 0; i < n; i++)
		count += (!rule || !strcmp(all[i]->rule, rule)) &&
			 finding_is(all[i], kind);
	free(all);
	return count;
}

size_t report_count_findings(const struct scan_result *res)
{
	return count_unique(res, NULL, COUNTED);
}

size_t report_count_suppressed(const struct scan_result *res)
{
	return count_unique(res, NULL, SUPPRESSED);
}

size_t report_count_unproven(const struct scan_result *res)
{
	return count_unique(res, NULL, UNPROVEN);
}

size_t report_count_parse_failures(const struct scan_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfiles; i++)
		n += scan_file_failed(&res->files[i]) && !res->files[i].not_built;
	return n;
}

static size_t count_unbuilt_failures(const struct scan_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfiles; i++)
		n += scan_file_failed(&res->files[i]) && res->files[i].not_built;
	return n;
}

void report_text_summary(FILE *out, const struct scan_result *res)
{
	size_t nchecks, c, i, failed = report_count_parse_failures(res);
	const struct check *const *checks = check_registry(&nchecks);
	bool first = true;

	for (i = 0; i < res->nfiles; i++) {
		const struct scan_file *f = &res->files[i];
		if (scan_file_failed(f))
			fprintf(out, "irqcheck: %s: %s (%u error%s): %s\n",
				f->display,
				f->not_built ? "not built by this configuration "
					       "and does not parse with it"
					     : "did not parse cleanly",
				f->nerrors, f->nerrors == 1 ? "" : "s",
				f->first_error ? f->first_error : "");
	}
	fprintf(out, "irqcheck: %zu files parsed (of %zu C files looked at), "
		     "%zu with parse errors",
		res->nfiles - res->nreused, res->nconsidered, failed);
	if (count_unbuilt_failures(res))
		fprintf(out, " (and %zu not built by this configuration)",
			count_unbuilt_failures(res));
	if (res->nreanalysed)
		fprintf(out, ", %zu analyses repeated with other files' "
			     "summaries (%u round%s%s)",
			res->nreanalysed, res->rounds,
			res->rounds == 1 ? "" : "s",
			res->unsettled ? ", stopped before they settled" : "");
	fprintf(out, ", %zu findings", report_count_findings(res));
	for (c = 0; c < nchecks; c++) {
		size_t n = count_unique(res, checks[c]->id, COUNTED);
		if (!n)
			continue;
		fprintf(out, "%s%s %zu", first ? " (" : ", ", checks[c]->id, n);
		first = false;
	}
	fprintf(out, "%s", first ? "" : ")");
	if (report_count_suppressed(res))
		fprintf(out, ", %zu suppressed inline",
			report_count_suppressed(res));
	if (report_count_unproven(res))
		fprintf(out,
			", %zu unproven (paths not shown feasible; "
			"--show-unproven)",
			report_count_unproven(res));
	if (res->nreused)
		fprintf(out, ", %zu unchanged files' results reused from the "
			     "last run", res->nreused);
	fprintf(out, ", %.1f s\n", res->seconds);
}

/* The files whose analysis took longest, slowest first. */
static void report_text_slowest(FILE *out, const struct scan_result *res)
{
	enum { SHOWN = 5 };
	size_t top[SHOWN], ntop = 0, i, j;

	for (i = 0; i < res->nfiles; i++) {
		double t = res->files[i].analyse_seconds;
		if (t <= 0)
			continue;
		for (j = ntop; j > 0 &&
			       res->files[top[j - 1]].analyse_seconds < t;
		     j--)
			if (j < SHOWN)
				top[j] = top[j - 1];
		if (j < SHOWN) {
			top[j] = i;
			if (ntop < SHOWN)
				ntop++;
		}
	}
	for (i = 0; i < ntop; i++)
		fprintf(out, "irqcheck:   analysing %s: %.2f s (parsing %.2f s)\n",
			res->files[top[i]].display,
			res->files[top[i]].analyse_seconds,
			res->files[top[i]].parse_seconds);
}

void report_text_timings(FILE *out, const struct scan_result *res)
{
	double parse = 0, analyse = 0, dispose = 0;
	size_t i;

	for (i = 0; i < res->nfiles; i++) {
		parse += res->files[i].parse_seconds;
		analyse += res->files[i].analyse_seconds;
		dispose += res->files[i].dispose_seconds;
	}
	fprintf(out, "irqcheck: worker time: %.1f s parsing (libclang), %.1f s "
		     "analysing, %.1f s disposing; %.1f s wall\n",
		parse, analyse, dispose, res->seconds);
	report_text_slowest(out, res);
}
