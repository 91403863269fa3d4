/* irqcheck baseline: accept the findings of a run as they are (save), and
 * report only the findings of a run that the accepted set lacks (check),
 * matched by fingerprint. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "settle.h"
#include "reports/text.h"
#include "store/store.h"

static const char baseline_usage[] =
	"usage: irqcheck baseline save|check [--db FILE] [--run N]\n"
	"\n"
	"  save    accept every finding of the run (default: the last one)\n"
	"  check   print the findings of the run not in the baseline; exit 1\n"
	"          when there is one\n";

int cmd_baseline(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = "irqcheck.db", *action;
	long long run = 0;
	struct store *s;
	char *err = NULL;
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 'r':
			if (!parse_count(optarg, LLONG_MAX, &run)) {
				fprintf(stderr,
					"irqcheck baseline: --run takes a "
					"run number, not '%s'.\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			fputs(baseline_usage, stdout);
			return 0;
		default:
			fputs(baseline_usage, stderr);
			return 2;
		}
	}
	if (argc - optind != 1 || (strcmp(argv[optind], "save") &&
				   strcmp(argv[optind], "check"))) {
		fputs(baseline_usage, stderr);
		return 2;
	}
	action = argv[optind];
	if (!settle_collections(db_path, &err))
		goto fail;
	s = store_open(db_path, !strcmp(action, "save"), &err);
	if (!s)
		goto fail;
	if (!run)
		run = store_last_run(s);
	if (!run || !store_run_exists(s, run)) {
		err = xasprintf("%s has no finished run%s", db_path,
				run ? " with that number" : " yet");
		store_close(s);
		goto fail;
	}
	if (!strcmp(action, "save")) {
		size_t saved;
		if (!store_baseline_save(s, run, &saved, &err)) {
			store_close(s);
			goto fail;
		}
		printf("irqcheck: baseline holds the %zu findings of run %lld\n",
		       saved, run);
	} else {
		struct stored_findings all;
		size_t i, fresh = 0;
		if (!store_load_run(s, run, true, &all, &err)) {
			store_close(s);
			goto fail;
		}
		for (i = 0; i < all.n; i++)
			if (finding_counts(&all.items[i].f) &&
			    !store_baseline_has(s, all.items[i].fingerprint)) {
				report_text_finding(stdout, &all.items[i].f);
				fresh++;
			}
		printf("irqcheck: run %lld: %zu findings not in the baseline\n",
		       run, fresh);
		status = fresh ? 1 : 0;
		stored_findings_release(&all);
	}
	store_close(s);
	return status;
fail:
	fprintf(stderr, "irqcheck baseline: %s.\n", err);
	free(err);
	return 2;
}
