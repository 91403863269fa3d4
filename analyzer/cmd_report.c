/* irqcheck report: writes a recorded run as SARIF 2.1.0, JSON, or an HTML
 * site, from the store. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "settle.h"
#include "reports/html.h"
#include "reports/json.h"
#include "reports/sarif.h"
#include "store/store.h"

static const char report_usage[] =
	"usage: irqcheck report [--db FILE] [--run N] [--sarif FILE]\n"
	"                       [--json FILE] [--html DIR]\n"
	"\n"
	"  --db FILE     the store (default: irqcheck.db here)\n"
	"  --run N       a run (default: the last finished one)\n"
	"  --sarif FILE  SARIF 2.1.0 ('-' for standard output)\n"
	"  --json FILE   one object per finding ('-' for standard output)\n"
	"  --html DIR    a static site; open DIR/index.html\n";

static bool write_json_value(const char *path, json_t *v, char **err)
{
	FILE *out = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!out) {
		*err = xasprintf("cannot write %s", path);
		json_decref(v);
		return false;
	}
	report_json_print(out, v);
	if (out != stdout && fclose(out)) {
		*err = xasprintf("cannot write %s", path);
		return false;
	}
	return true;
}

/* The findings not suppressed inline (what the HTML lists; the unproven
 * ones behind a filter). */
static void unsuppressed(const struct stored_findings *all,
			     struct stored_findings *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < all->n; i++)
		if (!all->items[i].suppressed)
			ARRAY_PUSH(out->items, out->n, out->cap, all->items[i]);
	/* shared with all, which frees them */
	out->unanalysed = all->unanalysed;
	out->nunanalysed = all->nunanalysed;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "run", required_argument, NULL, 'r' },
		{ "sarif", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = "irqcheck.db", *sarif = NULL, *json = NULL,
		   *html = NULL;
	long long run = 0;
	struct stored_findings all;
	struct store *s;
	char *err = NULL, *tree = NULL, *started = NULL;
	int c;
	bool ok = true;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 'r':
			if (!parse_count(optarg, LLONG_MAX, &run)) {
				fprintf(stderr,
					"irqcheck report: --run takes a "
					"run number, not '%s'.\n",
					optarg);
				return 2;
			}
			break;
		case 's':
			sarif = optarg;
			break;
		case 'j':
			json = optarg;
			break;
		case 'H':
			html = optarg;
			break;
		case 'h':
			fputs(report_usage, stdout);
			return 0;
		default:
			fputs(report_usage, stderr);
			return 2;
		}
	}
	if (optind != argc || (!sarif && !json && !html)) {
		fputs(report_usage, stderr);
		return 2;
	}
	if (!settle_collections(db_path, &err))
		goto fail;
	s = store_open(db_path, false, &err);
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
	store_run_info(s, run, &tree, &started, NULL);
	if (!store_load_run(s, run, true, &all, &err)) {
		store_close(s);
		goto fail;
	}
	store_close(s);
	if (sarif) {
		struct sarif_run meta = { rules_dir(), tree };
		ok = write_json_value(sarif, report_sarif(&all, &meta), &err);
	}
	if (ok && json) {
		FILE *out = strcmp(json, "-") ? fopen(json, "w") : stdout;
		if (!out) {
			err = xasprintf("cannot write %s", json);
			ok = false;
		} else {
			report_json_findings(out, &all, run, true);
			if (out != stdout && fclose(out)) {
				err = xasprintf("cannot write %s", json);
				ok = false;
			}
		}
	}
	if (ok && html) {
		struct stored_findings shown;
		struct html_run meta = { run, tree, started, rules_dir() };
		unsuppressed(&all, &shown);
		ok = report_html(html, &shown, &meta, &err);
		free(shown.items);
		if (ok)
			printf("irqcheck: HTML report of run %lld: %s/index.html\n",
			       run, html);
	}
	stored_findings_release(&all);
	free(tree);
	free(started);
	if (!ok)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "irqcheck report: %s.\n", err);
	free(err);
	return 2;
}
