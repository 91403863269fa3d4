/* irqcheck show: the findings of a recorded run, filtered, as text or
 * JSON; with --diff, what changed between two runs by fingerprint. */
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check_list.h"
#include "commands.h"
#include "settle.h"
#include "reports/json.h"
#include "reports/text.h"
#include "store/store.h"

static const char show_usage[] =
	"usage: irqcheck show [options]\n"
	"       irqcheck show --diff RUN_A RUN_B [options]\n"
	"\n"
	"  --db FILE          the store (default: irqcheck.db here)\n"
	"  --run N            a run (default: the last finished one)\n"
	"  --rule R           only this rule\n"
	"  --file GLOB        only files matching GLOB (fnmatch)\n"
	"  --severity S       only error, warning or note\n"
	"  --suppressed       also findings suppressed inline\n"
	"  --unproven         also findings whose path is not shown feasible\n"
	"  --format text|json output format (default text)\n"
	"\n"
	"Exit status: 0 nothing shown (or nothing new in a diff), 1 findings\n"
	"shown (or new ones), 2 could not run, or some files of the run were\n"
	"not analysed (they are listed on standard error).\n";

struct show_filter {
	const char *rule, *file_glob, *severity;
	bool suppressed, unproven;
};

static bool keep(const void *filter, const struct stored_finding *x)
{
	const struct show_filter *flt = filter;

	if (x->suppressed && !flt->suppressed)
		return false;
	if (x->f.unproven && !flt->unproven)
		return false;
	if (flt->rule && strcmp(flt->rule, x->f.rule))
		return false;
	if (flt->severity && strcmp(flt->severity, severity_name(x->f.severity)))
		return false;
	if (flt->file_glob && fnmatch(flt->file_glob, x->f.file, 0))
		return false;
	return true;
}

static int show_diff(struct store *s, long long a, long long b,
		     const struct show_filter *flt, bool json, char **err)
{
	struct stored_findings ra, rb;
	const struct stored_finding **added, **fixed;
	size_t nadded, nfixed, unchanged = 0, i;

	if (!store_load_run(s, a, true, &ra, err))
		return 2;
	if (!store_load_run(s, b, true, &rb, err)) {
		stored_findings_release(&ra);
		return 2;
	}
	stored_findings_missing(&rb, &ra, keep, flt, &added, &nadded);
	stored_findings_missing(&ra, &rb, keep, flt, &fixed, &nfixed);
	for (i = 0; i < rb.n; i++)
		unchanged += keep(flt, &rb.items[i]) &&
			     stored_findings_has(&ra, rb.items[i].fingerprint);
	if (json) {
		json_t *root = json_object(), *na = json_array(),
		       *fa = json_array();
		for (i = 0; i < nadded; i++)
			json_array_append_new(na, report_json_finding(added[i]));
		for (i = 0; i < nfixed; i++)
			json_array_append_new(fa, report_json_finding(fixed[i]));
		json_object_set_new(root, "from_run", json_integer(a));
		json_object_set_new(root, "to_run", json_integer(b));
		json_object_set_new(root, "new", na);
		json_object_set_new(root, "fixed", fa);
		json_object_set_new(root, "unchanged", json_integer((json_int_t)unchanged));
		report_json_print(stdout, root);
	} else {
		for (i = 0; i < nadded; i++) {
			printf("new: ");
			report_text_finding(stdout, &added[i]->f);
		}
		for (i = 0; i < nfixed; i++)
			printf("fixed: %s:%u:%u: %s [%s]\n", fixed[i]->f.file,
			       fixed[i]->f.line, fixed[i]->f.col,
			       fixed[i]->f.message, fixed[i]->f.rule);
		printf("irqcheck: run %lld -> run %lld: %zu new, %zu fixed, %zu "
		       "unchanged\n", a, b, nadded, nfixed, unchanged);
	}
	free(added);
	free(fixed);
	stored_findings_release(&ra);
	stored_findings_release(&rb);
	return nadded ? 1 : 0;
}

static bool parse_run(const char *text, long long *out)
{
	return parse_count(text, LLONG_MAX, out);
}

int cmd_show(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_RUN, OPT_RULE, OPT_FILE, OPT_SEV, OPT_FORMAT,
	       OPT_DIFF, OPT_SUPP, OPT_UNPROVEN };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "run", required_argument, NULL, OPT_RUN },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "file", required_argument, NULL, OPT_FILE },
		{ "severity", required_argument, NULL, OPT_SEV },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "suppressed", no_argument, NULL, OPT_SUPP },
		{ "unproven", no_argument, NULL, OPT_UNPROVEN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = "irqcheck.db", *format = "text";
	struct show_filter flt = { 0 };
	struct stored_findings all;
	struct store *s;
	long long run = 0, a, b;
	bool diff = false, json;
	char *err = NULL;
	size_t i, shown = 0;
	int c, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db_path = optarg;
			break;
		case OPT_RUN:
			if (!parse_run(optarg, &run)) {
				fprintf(stderr,
					"irqcheck show: --run takes a run "
					"number, not '%s'.\n",
					optarg);
				return 2;
			}
			break;
		case OPT_RULE:
			/* "irqcheck" is the id of the analyser's own notes */
			if (!check_find(optarg) && strcmp(optarg, "irqcheck")) {
				fprintf(stderr,
					"irqcheck show: there is no rule "
					"'%s'; 'irqcheck explain' lists "
					"them.\n",
					optarg);
				return 2;
			}
			flt.rule = optarg;
			break;
		case OPT_FILE:
			flt.file_glob = optarg;
			break;
		case OPT_SEV:
			flt.severity = optarg;
			if (strcmp(optarg, "error") && strcmp(optarg, "warning") &&
			    strcmp(optarg, "note")) {
				fprintf(stderr, "irqcheck show: --severity is "
						"error, warning or note.\n");
				return 2;
			}
			break;
		case OPT_FORMAT:
			format = optarg;
			break;
		case OPT_DIFF:
			diff = true;
			break;
		case OPT_SUPP:
			flt.suppressed = true;
			break;
		case OPT_UNPROVEN:
			flt.unproven = true;
			break;
		case 'h':
			fputs(show_usage, stdout);
			return 0;
		default:
			fputs(show_usage, stderr);
			return 2;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		fprintf(stderr, "irqcheck show: --format is text or json.\n");
		return 2;
	}
	json = !strcmp(format, "json");
	if (diff && (argc - optind != 2 || !parse_run(argv[optind], &a) ||
		     !parse_run(argv[optind + 1], &b))) {
		fprintf(stderr, "irqcheck show: --diff takes two run numbers.\n");
		return 2;
	}
	if (!diff && optind != argc) {
		fprintf(stderr, "irqcheck show: unexpected argument '%s'.\n",
			argv[optind]);
		return 2;
	}
	if (!settle_collections(db_path, &err))
		goto fail;
	s = store_open(db_path, false, &err);
	if (!s)
		goto fail;
	if (diff) {
		long long r[2] = { a, b };
		for (i = 0; i < 2; i++)
			if (!store_run_exists(s, r[i])) {
				err = xasprintf("%s has no finished run %lld",
						db_path, r[i]);
				store_close(s);
				goto fail;
			}
		status = show_diff(s, a, b, &flt, json, &err);
		store_close(s);
		if (status == 2)
			goto fail;
		return status;
	}
	if (!run)
		run = store_last_run(s);
	if (!run || !store_run_exists(s, run)) {
		err = run ? xasprintf("%s has no finished run %lld", db_path, run)
			  : xasprintf("%s has no finished run yet", db_path);
		store_close(s);
		goto fail;
	}
	if (!store_load_run(s, run, true, &all, &err)) {
		store_close(s);
		goto fail;
	}
	if (json) {
		json_t *root = json_object(), *arr = json_array();
		for (i = 0; i < all.n; i++)
			if (keep(&flt, &all.items[i])) {
				json_array_append_new(arr, report_json_finding(&all.items[i]));
				shown++;
			}
		json_object_set_new(root, "run", json_integer(run));
		json_object_set_new(root, "findings", arr);
		json_object_set_new(root, "files_not_analysed",
				    report_json_unanalysed(&all));
		report_json_print(stdout, root);
	} else {
		for (i = 0; i < all.n; i++)
			if (keep(&flt, &all.items[i])) {
				report_text_finding(stdout, &all.items[i].f);
				shown++;
			}
		printf("irqcheck: run %lld: %zu findings shown\n", run, shown);
	}
	/* a run that could not see all its code must not look complete */
	if (all.nunanalysed) {
		fprintf(stderr,
			"irqcheck: run %lld: %zu file%s not analysed, its "
			"findings may be missing:\n",
			run, all.nunanalysed, all.nunanalysed == 1 ? "" : "s");
		for (i = 0; i < all.nunanalysed; i++) {
			fputs("  ", stderr);
			report_text_path(stderr, all.unanalysed[i].path);
			fprintf(stderr, " (%s): %s\n", all.unanalysed[i].status,
				all.unanalysed[i].reason);
		}
	}
	status = all.nunanalysed ? 2 : shown ? 1 : 0;
	stored_findings_release(&all);
	store_close(s);
	return status;
fail:
	fprintf(stderr, "irqcheck show: %s.\n", err);
	free(err);
	return 2;
}
