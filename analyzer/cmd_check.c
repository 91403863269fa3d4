/* irqcheck check: the checker kbuild runs once per object, as it runs
 * sparse (make C=1 CHECK="irqcheck check"). kbuild gives it CHECKFLAGS,
 * the object's own compiler flags and the C file last; it parses the file
 * with those flags, prints the file's findings gcc-style on stderr, and
 * adds the file to its tree's collection in the store ($IRQCHECK_DB, else
 * irqcheck.db in the directory make runs it from: the build directory).
 * What a file's module mates change is worked out when the store is next
 * read (settle.h): then `irqcheck show` lists the findings a scan of the
 * same files would print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check_list.h"
#include "commands.h"
#include "frontend/abspath.h"
#include "frontend/prefilter.h"
#include "reports/text.h"
#include "scan.h"
#include "store/hash.h"
#include "store/store.h"

static const char check_usage[] =
    "usage: irqcheck check [--db FILE | --no-db] [--show-unproven]\n"
    "                      [--no-prefilter] COMPILER-ARGS... FILE.c\n"
    "\n"
    "The checker for kbuild: make C=1 CHECK=\"irqcheck check\" checks each\n"
    "C file the build compiles, make C=2 every C file of the build, with\n"
    "the flags kbuild computed for it (options it does not need are\n"
    "dropped). The file's findings go to standard error, gcc-style; the\n"
    "file joins the collection of its source tree in the store\n"
    "($IRQCHECK_DB, else irqcheck.db in the directory make runs it from).\n"
    "The next 'irqcheck show' (or report, baseline, fix) settles the\n"
    "collection: the findings that need a module's other files are worked\n"
    "out then, and it shows the whole build's findings.\n"
    "\n"
    "  --db FILE         the store (overrides $IRQCHECK_DB)\n"
    "  --no-db           record nothing\n"
    "  --show-unproven   also print findings whose path the analysis could\n"
    "                    not show feasible\n"
    "  --no-prefilter    parse the file even when it names no interrupt\n"
    "                    API (by default such a file is recorded as\n"
    "                    checked but not parsed, as a scan skips it)\n"
    "\n"
    "Exit status: 0 the file was analysed (with or without\n"
    "findings: they are warnings, as sparse's are), 1 it could not be\n"
    "analysed (it did not parse, or the analyser crashed on it), 2 bad\n"
    "arguments or a store that cannot be written.\n";

struct check_request {
	const char *db_path;
	bool show_unproven;
	bool parse_all; /* --no-prefilter */
	int first_arg; /* argv index of the first compiler argument */
	char *file;    /* the C file, absolute */
	char *tree;    /* its source tree (or the current directory) */
	char *display; /* the file relative to tree */
};

/* The options of irqcheck itself come first; the rest is kbuild's. */
static int read_options(int argc, char **argv, struct check_request *rq)
{
	const char *env = getenv("IRQCHECK_DB");
	int i;

	rq->db_path = env && *env ? env : "irqcheck.db";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(check_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			rq->db_path = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			rq->db_path = argv[i] + 5;
		} else if (!strcmp(argv[i], "--no-db")) {
			rq->db_path = NULL;
		} else if (!strcmp(argv[i], "--show-unproven")) {
			rq->show_unproven = true;
		} else if (!strcmp(argv[i], "--no-prefilter")) {
			rq->parse_all = true;
		} else {
			break;
		}
	}
	rq->first_arg = i;
	return -1;
}

/* The file is the last argument, as kbuild passes $<. */
static bool find_file(int argc, char **argv, struct check_request *rq,
		      char **err)
{
	const char *last = argc > rq->first_arg ? argv[argc - 1] : NULL;
	size_t len = last ? strlen(last) : 0;
	char *root;

	if (!last || len < 3 || strcmp(last + len - 2, ".c")) {
		*err = xstrdup("the last argument must be the C file to check, "
			       "as kbuild's CHECK gives it (see 'irqcheck "
			       "check --help')");
		return false;
	}
	rq->file = path_real(last);
	if (!rq->file || !path_is_file(rq->file)) {
		*err = xasprintf("%s: no such file", last);
		return false;
	}
	root = path_ancestor_with(rq->file, "include/linux/pci.h");
	rq->tree = root ? root : getcwd(NULL, 0);
	len = strlen(rq->tree);
	rq->display = xstrdup(!strncmp(rq->file, rq->tree, len) &&
				      rq->file[len] == '/'
				  ? rq->file + len + 1
				  : rq->file);
	return true;
}

/* kbuild's arguments as libclang takes them: relative paths are relative
 * to the directory make runs the checker in; GCC's and sparse's own
 * options are dropped. */
static void compiler_args(int argc, char **argv,
			  const struct check_request *rq, struct strvec *out)
{
	char *cwd = getcwd(NULL, 0);

	flags_filter_gcc((const char *const *)argv + rq->first_arg,
			 (size_t)(argc - 1 - rq->first_arg), out);
	flags_absolute_paths(out, cwd ? cwd : ".");
	free(cwd);
}

static bool name_in_tree(void *data, struct scan_file *f)
{
	const struct check_request *rq = data;

	free(f->display);
	f->display = xstrdup(rq->display);
	return true;
}

static int record(const struct check_request *rq, const struct ruleset *rules,
		  const struct strvec *args, const struct scan_file *f)
{
	struct store *store;
	struct run_info run = { .tree = rq->tree, .flags_source = "check" };
	char rules_hash[HASH_HEX_LEN + 1], *err = NULL;
	bool ok;

	if (!rq->db_path)
		return 0;
	store = store_open(rq->db_path, true, &err);
	if (!store) {
		fprintf(stderr, "irqcheck check: %s.\n", err);
		free(err);
		return 2;
	}
	hash_analysis_identity(rules->path, check_default_mask(),
			       rules->hybrid_gone, rules_hash);
	run.rules_hash = rules_hash;
	ok = store_collect_file(store, &run, rq->display, args, f, &err);
	store_close(store);
	if (!ok) {
		fprintf(stderr, "irqcheck check: %s.\n", err);
		free(err);
		return 2;
	}
	return 0;
}

static int analyse(const struct check_request *rq, const struct ruleset *rules,
		   struct strvec *args, struct isolation *iso)
{
	struct flag_source flags;
	struct scan_options opt = { .rules = rules, .jobs = 1,
				    .record_headers = rq->db_path != NULL,
				    .isolation = iso };
	const char *paths[1] = { rq->file };
	struct scan_result res;
	char *err = NULL;
	size_t i;
	int status;

	flags_open_plain(&flags);
	for (i = 0; i < args->n; i++)
		strvec_push(&flags.extra, args->v[i]);
	opt.flags = &flags;
	opt.paths = paths;
	opt.npaths = 1;
	opt.adjust_file = name_in_tree;
	opt.adjust_ctx = (void *)rq;
	if (!scan_run(&opt, &res, &err) || res.nfiles != 1) {
		fprintf(stderr, "irqcheck check: %s: %s.\n", rq->display,
			err ? err : "it was not analysed");
		free(err);
		flags_close(&flags);
		return 2;
	}
	report_text_findings(stderr, &res, rq->show_unproven);
	if (scan_file_failed(&res.files[0]))
		fprintf(stderr, "irqcheck check: %s: could not be analysed: %s\n",
			rq->display,
			res.files[0].first_error ? res.files[0].first_error
						 : "it did not parse");
	status = record(rq, rules, &res.files[0].args, &res.files[0]);
	if (!status && scan_file_failed(&res.files[0]))
		status = 1;
	scan_result_release(&res);
	flags_close(&flags);
	return status;
}

static int check_command(int argc, char **argv, struct isolation *iso)
{
	struct check_request rq = { 0 };
	struct strvec args = { 0 };
	struct ruleset *rules = NULL;
	struct prefilter pf;
	char *err = NULL, *path;
	int status = read_options(argc, argv, &rq);

	if (status >= 0)
		return status;
	if (!find_file(argc, argv, &rq, &err))
		goto fail;
	path = xasprintf("%s/linux-pci.rules", rules_dir());
	rules = ruleset_load(path, &err);
	free(path);
	if (!rules)
		goto fail;
	isolate_set_budget(iso, ISOLATE_DEFAULT_BUDGET);
	compiler_args(argc, argv, &rq, &args);
	prefilter_init(&pf, rules);
	/* a companion is parsed too: the settling of the collection needs
	 * what its probe() leaves, and kbuild hands over one file at a
	 * time */
	if (rq.parse_all ||
	    prefilter_file_verdict(&pf, rq.file) != PREFILTER_SKIP) {
		status = analyse(&rq, rules, &args, iso);
	} else {
		/* the same choice as a scan's: nothing to parse */
		strvec_push(&args, "-w");
		status = record(&rq, rules, &args, NULL);
	}
	prefilter_release(&pf);
	strvec_free(&args);
	ruleset_free(rules);
	free(rq.file);
	free(rq.tree);
	free(rq.display);
	return status;
fail:
	fprintf(stderr, "irqcheck check: %s.\n", err);
	free(err);
	ruleset_free(rules);
	free(rq.file);
	free(rq.tree);
	free(rq.display);
	return 2;
}

int cmd_check(int argc, char **argv)
{
	return isolate_command(check_command, "check", argc, argv);
}
