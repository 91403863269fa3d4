/* Runs irqcheck's analysis on one fixture and compares its findings with
 * the expectations written in the fixture: a comment `expect: rule-id`
 * (several ids separated by commas) on the line where the finding must be
 * reported; `expect: unproven:rule-id` expects a finding the analysis
 * reports as unproven (its path rests on a value it could not establish),
 * and a plain id expects a proven one. Fails on a missing finding, an
 * unexpected one, a parse error or an analysis note, printing what differs. A
 * fixture may be a directory: its .c files are one module (a driver split over
 * files) and each file carries its own expectations.
 *
 * With a fifth argument "hybrid-gone" the analysis takes the PCI core's
 * hybrid rule as removed (scan --hybrid-rule gone).
 *
 * usage: fixture_check RULES INCLUDE_DIR FIXTURE(.c|DIR) [hybrid-gone] */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/text.h"
#include "scan.h"

struct expectation {
	char *file; /* base name */
	unsigned line;
	char *rule;
	bool unproven; /* expects an unproven finding */
	bool seen;
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void read_expectations(const char *path, struct expectation **out,
			      size_t *n, size_t *cap)
{
	size_t len;
	char *text = read_file(path, &len), *line, *next;
	unsigned lineno = 0;

	if (!text) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	for (line = text; line; line = next) {
		char *p = line;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		while ((p = strstr(p, "expect:"))) {
			char *end = strstr(p, "*/"), *ids, *save = NULL, *id;
			p += strlen("expect:");
			ids = end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
			for (id = strtok_r(ids, ", \t", &save); id;
			     id = strtok_r(NULL, ", \t", &save)) {
				bool unproven = !strncmp(id, "unproven:", 9);
				struct expectation e = {
				    xstrdup(base_name(path)), lineno,
				    xstrdup(unproven ? id + 9 : id), unproven,
				    false};
				ARRAY_PUSH(*out, *n, *cap, e);
			}
			free(ids);
		}
	}
	free(text);
}

int main(int argc, char **argv)
{
	struct ruleset *rules;
	struct flag_source flags;
	struct scan_options opt = { 0 };
	struct scan_result res;
	struct expectation *exp;
	size_t nexp = 0, capexp = 0, i, j;
	char *err = NULL;
	int failures = 0;

	if (argc != 4 && (argc != 5 || strcmp(argv[4], "hybrid-gone"))) {
		fprintf(stderr, "usage: fixture_check RULES INCLUDE_DIR "
				"FIXTURE.c [hybrid-gone]\n");
		return 2;
	}
	rules = ruleset_load(argv[1], &err);
	if (!rules) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return 2;
	}
	rules->hybrid_gone = argc == 5;
	exp = NULL;
	if (path_is_dir(argv[3])) {
		DIR *d = opendir(argv[3]);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			size_t len = strlen(e->d_name);
			if (len > 2 && !strcmp(e->d_name + len - 2, ".c")) {
				char *p = path_join(argv[3], e->d_name);
				read_expectations(p, &exp, &nexp, &capexp);
				free(p);
			}
		}
		if (d)
			closedir(d);
	} else {
		read_expectations(argv[3], &exp, &nexp, &capexp);
	}
	flags_open_plain(&flags);
	strvec_push(&flags.extra, "-nostdinc");
	strvec_push(&flags.extra, "-std=gnu11");
	strvec_pushf(&flags.extra, "-I%s", argv[2]);
	opt.flags = &flags;
	opt.rules = rules;
	opt.paths = (const char *const *)&argv[3];
	opt.npaths = 1;
	opt.jobs = 1;
	opt.extra_checks = ~0UL; /* the fixtures test every check */
	if (!scan_run(&opt, &res, &err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	report_text_findings(stdout, &res, true);
	for (i = 0; i < res.nfiles; i++) {
		struct scan_file *f = &res.files[i];
		if (f->parse_failed || f->nerrors) {
			printf("FAIL: %s does not parse: %s\n", f->display,
			       f->first_error ? f->first_error : "");
			failures++;
		}
		for (j = 0; j < f->notes.n; j++) {
			printf("FAIL: unexpected analysis note: %s\n",
			       f->notes.items[j].message);
			failures++;
		}
	}
	{
		const struct finding **all;
		size_t nall = scan_unique_findings(&res, &all);
		for (j = 0; j < nall; j++) {
			const struct finding *x = all[j];
			size_t k;
			bool matched = false;
			for (k = 0; k < nexp; k++)
				if (!exp[k].seen && exp[k].line == x->line &&
				    !strcmp(exp[k].rule, x->rule) &&
				    exp[k].unproven == (x->unproven != NULL) &&
				    !strcmp(exp[k].file, base_name(x->file))) {
					exp[k].seen = matched = true;
					break;
				}
			if (!matched) {
				printf("FAIL: unexpected %s%s at %s:%u: %s\n",
				       x->unproven ? "unproven:" : "", x->rule,
				       base_name(x->file), x->line, x->message);
				failures++;
			}
		}
		free(all);
	}
	for (i = 0; i < nexp; i++) {
		if (!exp[i].seen) {
			printf("FAIL: expected %s%s at %s:%u, not reported\n",
			       exp[i].unproven ? "unproven:" : "", exp[i].rule,
			       exp[i].file, exp[i].line);
			failures++;
		}
		free(exp[i].rule);
		free(exp[i].file);
	}
	free(exp);
	scan_result_release(&res);
	flags_close(&flags);
	ruleset_free(rules);
	if (failures)
		printf("%d mismatch%s in %s\n", failures,
		       failures == 1 ? "" : "es", argv[3]);
	return failures ? 1 : 0;
}
