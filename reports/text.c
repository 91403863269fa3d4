/* gcc-style text report (see text.h). */
#include "reports/text.h"
#include "checks/check_list.h"

#include <stdlib.h>
#include <string.h>

void report_text_path(FILE *out, const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			break;
	if (!*p) {
		fputs(path, out);
		return;
	}
	/* as git quotes such names: in double quotes, C escapes */
	fputc('"', out);
	for (p = (const unsigned char *)path; *p; p++) {
		switch (*p) {
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\%03o", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* "FILE:LINE:COL: " with FILE quoted when it must be */
static void print_place(FILE *out, const char *file, unsigned line,
			unsigned col)
{
	report_text_path(out, file ? file : "?");
	fprintf(out, ":%u:%u: ", line, col);
}

void report_text_finding(FILE *out, const struct finding *f)
{
	size_t i;

	print_place(out, f->file, f->line, f->col);
	fprintf(out, "%s: %s [%s]\n", severity_name(f->severity), f->message,
		f->rule);
	for (i = 0; i < f->nsteps; i++) {
		print_place(out, f->steps[i].file, f->steps[i].line,
			    f->steps[i].col);
		fprintf(out, "note: %s\n", f->steps[i].text);
	}
	if (f->unproven) {
		print_place(out, f->file, f->line, f->col);
		fprintf(out, "note: unproven: %s\n", f->unproven);
	}
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
		for (j = 0; j < f->notes.n; j++) {
			const struct finding *x = &f->notes.items[j];
			print_place(out, x->file, x->line, x->col);
			fprintf(out, "note: %s [irqcheck]\n", x->message);
		}
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

static size_t count_faults(const struct scan_result *res,
			   enum file_fault_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < res->nfiles; i++)
		n += res->files[i].fault == kind;
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
		if (!scan_file_failed(f))
			continue;
		fputs("irqcheck: ", out);
		report_text_path(out, f->display);
		if (f->fault) {
			fprintf(out, ": %s\n", f->first_error);
			continue;
		}
		if (f->parse_failed) {
			fprintf(out, ": not parsed: %s\n",
				f->first_error ? f->first_error : "");
			continue;
		}
		fprintf(out, ": %s (%u error%s): %s\n",
			f->not_built ? "not built by this configuration "
				       "and does not parse with it"
				     : "did not parse cleanly",
			f->nerrors, f->nerrors == 1 ? "" : "s",
			f->first_error ? f->first_error : "");
	}
	size_t crashed = count_faults(res, FAULT_CRASHED),
	       timed_out = count_faults(res, FAULT_TIMED_OUT);

	fprintf(out,
		"irqcheck: %zu files parsed (of %zu C files looked at), "
		"%zu with parse errors",
		res->nfiles - res->nreused - crashed - timed_out,
		res->nconsidered, failed - crashed - timed_out);
	if (crashed)
		fprintf(out,
			", %zu not analysed because the analyser crashed "
			"on them",
			crashed);
	if (timed_out)
		fprintf(out, ", %zu not analysed because they took too long",
			timed_out);
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

/* How many files were parsed on the shared headers, and each one that
 * was parsed alone with why. */
static void report_text_shared_headers(FILE *out, const struct scan_result *res)
{
	size_t i, shared = 0, alone = 0;

	for (i = 0; i < res->nfiles; i++) {
		shared += res->files[i].on_shared_headers;
		alone += res->files[i].parse_alone != NULL;
	}
	if (!res->shared_header_sets && !alone)
		return;
	fprintf(
	    out,
	    "irqcheck: shared headers: %u set%s built in %.1f s; %zu "
	    "file%s parsed on them, %zu alone\n",
	    res->shared_header_sets, res->shared_header_sets == 1 ? "" : "s",
	    res->shared_headers_seconds, shared, shared == 1 ? "" : "s", alone);
	for (i = 0; i < res->nfiles; i++)
		if (res->files[i].parse_alone)
			fprintf(out, "irqcheck:   %s: parsed alone: %s\n",
				res->files[i].display,
				res->files[i].parse_alone);
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
	report_text_shared_headers(out, res);
	report_text_slowest(out, res);
}
