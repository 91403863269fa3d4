/* irqcheck gate: does a range of commits, or a patch series, add a vector
 * ownership bug? Reports the findings new at the head (and the ones the
 * range fixes) by fingerprint, as text, JSON, SARIF or an email reply. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "gate/gate.h"
#include "gate/git.h"
#include "reports/email.h"
#include "reports/json.h"
#include "reports/sarif.h"
#include "reports/text.h"

static const char gate_usage[] =
	"usage: irqcheck gate --kernel SRC [--build OBJ] --base REV [--head REV]\n"
	"       irqcheck gate --kernel SRC [--build OBJ] --series DIR|FILE.mbox\n"
	"                     [--base REV]\n"
	"       irqcheck gate --base REV [--head REV] [PATH...] -- COMPILER-ARGS\n"
	"\n"
	"  --base REV        the commit the range or series starts from\n"
	"                    (default with --series: HEAD)\n"
	"  --head REV        its end (default: HEAD)\n"
	"  --series S        a directory of patch files or an mbox, applied on\n"
	"                    --base without touching the work tree\n"
	"  --format F        text (default), json, sarif or email\n"
	"  --db FILE         a store with a run of this tree, to find the files\n"
	"                    that include a changed header (default:\n"
	"                    irqcheck.db here); without one every candidate\n"
	"                    file is analysed\n"
	"  --rules FILE, -j N, --no-progress   as for scan\n"
	"\n"
	"The tree must be the top of a git repository. Exit status: 0 no new\n"
	"error or warning (new notes are listed, they do not fail the gate),\n"
	"1 new ones, 2 could not run.\n";

struct diff_ctx {
	const char *repo, *base, *head;
};

static char *diff_of(void *data, const char *path)
{
	struct diff_ctx *d = data;

	return git_diff_path(d->repo, d->base, d->head, path);
}

static void print_text(const struct gate_result *r, const char *base,
		       const char *head)
{
	size_t i;

	for (i = 0; i < r->nadded; i++) {
		fputs("new: ", stdout);
		report_text_finding(stdout, &r->added[i]->f);
	}
	for (i = 0; i < r->nadded_notes; i++)
		printf("new note: %s:%u:%u: %s [%s]\n", r->added_notes[i]->f.file,
		       r->added_notes[i]->f.line, r->added_notes[i]->f.col,
		       r->added_notes[i]->f.message, r->added_notes[i]->f.rule);
	for (i = 0; i < r->nfixed; i++)
		printf("fixed: %s:%u:%u: %s [%s]\n", r->fixed[i]->f.file,
		       r->fixed[i]->f.line, r->fixed[i]->f.col,
		       r->fixed[i]->f.message, r->fixed[i]->f.rule);
	printf("irqcheck gate: %.12s..%.12s: %zu files changed, %zu analysed "
	       "at each end%s, %zu new, %zu new notes, %zu fixed, %.1f s\n",
	       base, head, r->changed.n, r->analysed.n,
	       r->all_candidates ? " (a header changed and no store knows "
				   "its includers: every candidate)"
				 : "",
	       r->nadded, r->nadded_notes, r->nfixed, r->seconds);
	if (r->base_reused || r->head_reused)
		printf("irqcheck gate: results from the store's run of the "
		       "tree: %zu files at the base, %zu at the head\n",
		       r->base_reused, r->head_reused);
}

static void as_list(const struct stored_finding *const *items, size_t n,
		    struct stored_findings *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++)
		ARRAY_PUSH(out->items, out->n, out->cap, *items[i]);
}

static int gate_command(int argc, char **argv, struct isolation *iso)
{
	enum { OPT_KERNEL = 256, OPT_BUILD, OPT_BASE, OPT_HEAD, OPT_SERIES,
	       OPT_FORMAT, OPT_DB, OPT_RULES, OPT_NOPROG };
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "build", required_argument, NULL, OPT_BUILD },
		{ "base", required_argument, NULL, OPT_BASE },
		{ "head", required_argument, NULL, OPT_HEAD },
		{ "series", required_argument, NULL, OPT_SERIES },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "db", required_argument, NULL, OPT_DB },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "no-progress", no_argument, NULL, OPT_NOPROG },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const default_paths[] = { "drivers", "sound" };
	const char *kernel = NULL, *build = NULL, *base = NULL, *head = NULL,
		   *series = NULL, *format = "text", *db = "irqcheck.db";
	char *rules_path = NULL, *err = NULL, *repo = NULL, *tree = NULL,
	     *base_id = NULL, *head_id = NULL, *cwd = NULL;
	struct scan_options so = {.prefilter = false, .share_headers = true};
	struct flag_source flags;
	struct gate_options go;
	struct gate_result r;
	struct ruleset *rules = NULL;
	bool flags_open = false;
	long long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c, dashdash = argc, i, status = 2;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dashdash = i;
			break;
		}
	so.progress = isatty(2);
	optind = 1;
	while ((c = getopt_long(dashdash, argv, "j:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_KERNEL: kernel = optarg; break;
		case OPT_BUILD: build = optarg; break;
		case OPT_BASE: base = optarg; break;
		case OPT_HEAD: head = optarg; break;
		case OPT_SERIES: series = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_DB: db = optarg; break;
		case OPT_RULES:
			free(rules_path);
			rules_path = xstrdup(optarg);
			break;
		case OPT_NOPROG: so.progress = false; break;
		case 'j':
			if (!parse_count(optarg, 256, &jobs)) {
				fprintf(stderr, "irqcheck gate: -j takes a number "
						"from 1 to 256.\n");
				free(rules_path);
				return 2;
			}
			break;
		case 'h':
			fputs(gate_usage, stdout);
			free(rules_path);
			return 0;
		default:
			fputs(gate_usage, stderr);
			free(rules_path);
			return 2;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "sarif") && strcmp(format, "email")) {
		err = xstrdup("--format is text, json, sarif or email");
		goto out;
	}
	if (series && head) {
		err = xstrdup("--series and --head exclude each other");
		goto out;
	}
	if (!series && !base) {
		err = xstrdup("give --base REV (and --head REV), or --series");
		goto out;
	}
	if (build && !kernel) {
		err = xstrdup("--build needs --kernel");
		goto out;
	}
	if (series && access(series, F_OK)) {
		err = errno == ENOENT
			  ? xasprintf("the series %s does not exist", series)
			  : xasprintf("cannot read the series %s: %s", series,
				      strerror(errno));
		goto out;
	}
	/* the repository and its top, which display paths are relative to */
	cwd = getcwd(NULL, 0);
	repo = git_toplevel(kernel ? kernel : cwd ? cwd : ".");
	if (!repo) {
		err = xasprintf("%s is not in a git repository", kernel ? kernel
									 : "the current directory");
		goto out;
	}
	tree = kernel ? path_real(kernel) : xstrdup(repo);
	if (!tree || strcmp(tree, repo)) {
		err = xasprintf("%s must be the top of its git repository (%s)",
				kernel ? kernel : "the current directory", repo);
		goto out;
	}
	if (!kernel && chdir(repo)) {
		err = xasprintf("cannot enter %s", repo);
		goto out;
	}
	base_id = git_commit(repo, base ? base : "HEAD");
	if (!base_id) {
		err = xasprintf("%s is not a commit of %s", base ? base : "HEAD",
				repo);
		goto out;
	}
	if (series) {
		head_id = git_apply_series(repo, base_id, series, &err);
		if (!head_id)
			goto out;
	} else {
		head_id = git_commit(repo, head ? head : "HEAD");
		if (!head_id) {
			err = xasprintf("%s is not a commit of %s",
					head ? head : "HEAD", repo);
			goto out;
		}
	}
	if (!rules_path)
		rules_path = xasprintf("%s/linux-pci.rules", rules_dir());
	rules = ruleset_load(rules_path, &err);
	if (!rules)
		goto out;
	if (!flags_open_tree_or_plain(&flags, kernel, build, argv + dashdash + 1,
				      dashdash < argc
					      ? (size_t)(argc - dashdash - 1)
					      : 0,
				      &err))
		goto out;
	flags_open = true;
	so.flags = &flags;
	so.rules = rules;
	so.isolation = iso;
	isolate_set_budget(iso, ISOLATE_DEFAULT_BUDGET);
	so.jobs = (int)jobs;
	if (optind < dashdash) {
		so.paths = (const char *const *)argv + optind;
		so.npaths = (size_t)(dashdash - optind);
	} else if (kernel) {
		so.paths = default_paths;
		so.npaths = 2;
	} else {
		static const char *const here[] = { "." };
		so.paths = here;
		so.npaths = 1;
	}
	go.scan = &so;
	go.repo = repo;
	go.tree = tree;
	go.base = base_id;
	go.head = head_id;
	{
		/* the store is named from where irqcheck was started */
		char *db_abs = db[0] == '/' || !cwd ? xstrdup(db)
						     : path_join(cwd, db);
		go.db_path = db_abs;
		if (!gate_run(&go, &r, &err)) {
			free(db_abs);
			goto out;
		}
		free(db_abs);
	}
	if (!strcmp(format, "text")) {
		print_text(&r, base_id, head_id);
	} else if (!strcmp(format, "email")) {
		struct diff_ctx d = { repo, base_id, head_id };
		report_email(stdout, r.added, r.nadded, r.nfixed, diff_of, &d);
	} else {
		struct stored_findings added, fixed;
		as_list(r.added, r.nadded, &added);
		as_list(r.fixed, r.nfixed, &fixed);
		if (!strcmp(format, "sarif")) {
			struct sarif_run meta = { rules_dir(), tree };
			report_json_print(stdout, report_sarif(&added, &meta));
		} else {
			json_t *root = json_object(), *na = json_array(),
			       *fa = json_array();
			size_t k;
			json_t *nn = json_array();
			for (k = 0; k < added.n; k++)
				json_array_append_new(na, report_json_finding(&added.items[k]));
			for (k = 0; k < r.nadded_notes; k++)
				json_array_append_new(nn, report_json_finding(r.added_notes[k]));
			for (k = 0; k < fixed.n; k++)
				json_array_append_new(fa, report_json_finding(&fixed.items[k]));
			json_object_set_new(root, "base", json_string(base_id));
			json_object_set_new(root, "head", json_string(head_id));
			json_object_set_new(root, "new", na);
			json_object_set_new(root, "new_notes", nn);
			json_object_set_new(root, "fixed", fa);
			report_json_print(stdout, root);
		}
		free(added.items);
		free(fixed.items);
	}
	status = r.nadded ? 1 : 0;
	if (r.head_parse_failures) {
		fprintf(stderr, "irqcheck gate: %zu file%s did not parse or "
				"could not be analysed at the head; their "
				"findings are not compared.\n",
			r.head_parse_failures,
			r.head_parse_failures == 1 ? "" : "s");
		status = 2;
	}
	gate_result_release(&r);
out:
	if (status == 2 && err)
		fprintf(stderr, "irqcheck gate: %s.\n", err);
	free(err);
	free(rules_path);
	free(repo);
	free(tree);
	free(base_id);
	free(head_id);
	free(cwd);
	if (flags_open)
		flags_close(&flags);
	ruleset_free(rules);
	return status;
}

int cmd_gate(int argc, char **argv)
{
	return isolate_command(gate_command, "gate", argc, argv);
}
