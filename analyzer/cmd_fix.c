/* irqcheck fix: validated Coccinelle patches for the findings of a
 * recorded run (see fix/fix.h), written one per driver in git
 * format-patch form; what became of every finding is printed and stored
 * with the run, so reports show the patch or why there is none. */
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check_list.h"
#include "commands.h"
#include "datadir.h"
#include "settle.h"
#include "store/hash.h"
#include "fix/fix.h"
#include "frontend/pci_core.h"
#include "gate/git.h"

static const char fix_usage[] =
	"usage: irqcheck fix --kernel SRC [--build OBJ] --out DIR [options]\n"
	"       irqcheck fix --out DIR [options] -- COMPILER-ARGS\n"
	"\n"
	"  --out DIR          where the validated patches are written\n"
	"  --rule R           only findings of rule R\n"
	"  --file GLOB        only findings in files matching GLOB\n"
	"  --target-api API   managed (default): convert to\n"
	"                     pcim_alloc_irq_vectors(); legacy: the patch that\n"
	"                     is right for a tree without it (6.12)\n"
	"  --convert          fix leaks of unmanaged drivers by converting them\n"
	"                     to pcim_enable_device() + pcim_alloc_irq_vectors()\n"
	"                     and dropping the releases (managed target only)\n"
	"  --from ADDR        the From: line (default: git config user.name\n"
	"                     and user.email)\n"
	"  --signoff          add Signed-off-by: for the From: person (only\n"
	"                     when you can certify the DCO for the patches)\n"
	"  --hybrid-rule R    present or gone, as the run was scanned with\n"
	"                     (default: read from the tree, as scan does)\n"
	"  --db FILE          the store (default: irqcheck.db)\n"
	"  --run N            the run whose findings to fix (default: last)\n"
	"  --rules FILE       as for scan\n"
	"  --timings          print where the time went\n"
	"  -j N               N files at once, for spatch and the re-scan\n"
	"                     (default: number of cores)\n"
	"\n"
	"Runs spatch with cocci/<rule>.cocci on a scratch copy of each file with\n"
	"findings. A patch is written only when it applies to the tree, a\n"
	"re-scan of the patched driver no longer reports the finding and\n"
	"reports nothing new, also with the PCI core's hybrid devres rule gone\n"
	"(the tree's own semantics come from drivers/pci/msi/msi.c), and (with\n"
	"a build directory: --build, or a tree prepared in place) the object\n"
	"compiles with no new warning. Patches\n"
	"are named from their subjects, as git format-patch names them. The\n"
	"tree is never written. spatch runs its Python with /usr/bin/python3\n"
	"(IRQCHECK_SPATCH_PYTHON: another; empty: spatch's own choice).\n"
	"Exit status: 0 done, 2 could not run.\n";

/* The Python interpreter spatch is told to use. Asked nothing, spatch
 * runs "python3" from PATH to find its library, once per semantic patch
 * run: where that is a wrapper (pyenv's shim starts a few dozen shells)
 * it costs more than the semantic patch. Debian's python3 is the one
 * Debian's spatch is built for. IRQCHECK_SPATCH_PYTHON overrides it;
 * set empty, spatch looks for itself. */
static const char *spatch_python(void)
{
	const char *env = getenv("IRQCHECK_SPATCH_PYTHON");

	if (env)
		return *env ? env : NULL;
	return access("/usr/bin/python3", X_OK) ? NULL : "/usr/bin/python3";
}

/* $IRQCHECK_COCCI, else the installed share/irqcheck/cocci beside the
 * binary, else cocci/ of the source tree (datadir.h). */
static char *cocci_dir(void)
{
	return data_dir("cocci", "IRQCHECK_COCCI");
}

static char *default_from(const char *tree)
{
	const char *name_args[] = { "config", "user.name", NULL };
	const char *mail_args[] = { "config", "user.email", NULL };
	char *name = NULL, *mail = NULL, *err = NULL, *from;

	if (git_run(tree, name_args, &name, &err) &&
	    git_run(tree, mail_args, &mail, &err) && *name && *mail) {
		name[strcspn(name, "\n")] = '\0';
		mail[strcspn(mail, "\n")] = '\0';
		from = xasprintf("%s <%s>", name, mail);
	} else {
		from = xstrdup("irqcheck <irqcheck@localhost>");
	}
	free(name);
	free(mail);
	free(err);
	return from;
}

/* The store and the run identity a re-scan of unpatched files reuses. */
struct fix_reuse {
	struct store *store;
	const struct run_info *run;
};

static bool plan_reuse_from_store(void *data, struct scan_result *res,
				  char **err)
{
	struct fix_reuse *r = data;

	return store_plan_reuse(r->store, r->run, res, err);
}

/* "N with reason" lines, most frequent first. */
static void print_refusals(const struct fix_result *r)
{
	struct strvec reasons = { 0 };
	size_t *counts = NULL, cap = 0, n = 0, i, j;

	for (i = 0; i < r->n; i++) {
		const char *why = r->items[i].validation;
		if (r->items[i].validated || !why)
			continue;
		for (j = 0; j < reasons.n && strcmp(reasons.v[j], why); j++)
			;
		if (j == reasons.n) {
			strvec_push(&reasons, why);
			ARRAY_PUSH(counts, n, cap, 0);
		}
		counts[j]++;
	}
	while (reasons.n) {
		size_t best = 0;
		for (j = 1; j < reasons.n; j++)
			if (counts[j] > counts[best])
				best = j;
		if (!counts[best])
			break;
		printf("  %4zu  %s\n", counts[best], reasons.v[best]);
		counts[best] = 0;
	}
	strvec_free(&reasons);
	free(counts);
}

static bool record(struct store *s, long long run, const struct fix_result *r,
		   char **err)
{
	struct store_fix *rows;
	size_t i;
	bool ok;

	rows = xcalloc(r->n + 1, sizeof(*rows));
	for (i = 0; i < r->n; i++) {
		rows[i].fingerprint = r->items[i].finding->fingerprint;
		rows[i].semantic_patch = r->items[i].semantic_patch;
		rows[i].patch = r->items[i].patch;
		rows[i].validation = r->items[i].validation;
		rows[i].validated = r->items[i].validated;
	}
	ok = store_record_fixes(s, run, rows, r->n, err);
	free(rows);
	return ok;
}

int cmd_fix(int argc, char **argv)
{
	enum { OPT_KERNEL = 256, OPT_BUILD, OPT_OUT, OPT_RULE, OPT_FILE,
	       OPT_TARGET, OPT_FROM, OPT_DB, OPT_RUN, OPT_RULES, OPT_CONVERT,
	       OPT_SIGNOFF, OPT_HYBRID, OPT_TIMINGS };
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "build", required_argument, NULL, OPT_BUILD },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "file", required_argument, NULL, OPT_FILE },
		{ "target-api", required_argument, NULL, OPT_TARGET },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "db", required_argument, NULL, OPT_DB },
		{ "run", required_argument, NULL, OPT_RUN },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "convert", no_argument, NULL, OPT_CONVERT },
		{ "signoff", no_argument, NULL, OPT_SIGNOFF },
		{ "hybrid-rule", required_argument, NULL, OPT_HYBRID },
		{ "timings", no_argument, NULL, OPT_TIMINGS },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kernel = NULL, *build = NULL, *out = NULL, *rule = NULL,
		   *glob = NULL, *target = "managed", *from = NULL,
		   *db = "irqcheck.db", *rules_arg = NULL, *python = NULL;
	char *err = NULL, *tree = NULL, *run_tree = NULL, *started = NULL,
	     *rules_path = NULL, *cocci = NULL, *from_default = NULL,
	     *run_source = NULL;
	long long run = 0;
	long long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c, dashdash = argc, i, status = 2;
	struct store *s = NULL;
	struct stored_findings all = { 0 }, chosen = { 0 };
	struct scan_options so = {.prefilter = false, .share_headers = true};
	struct flag_source flags;
	bool flags_open = false, convert = false, signoff = false,
	     hybrid_given = false, timings = false;
	enum hybrid_rule hybrid = HYBRID_UNKNOWN;
	struct ruleset *rules = NULL;
	struct fix_options fo;
	struct fix_result r = { 0 };
	struct pci_core core = { .hybrid = HYBRID_UNKNOWN };
	struct ruleset gone;
	struct run_info reuse_run;
	struct fix_reuse reuse;
	char rules_hash[HASH_HEX_LEN + 1];
	size_t k;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dashdash = i;
			break;
		}
	optind = 1;
	while ((c = getopt_long(dashdash, argv, "j:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_KERNEL: kernel = optarg; break;
		case OPT_BUILD: build = optarg; break;
		case OPT_OUT: out = optarg; break;
		case OPT_RULE:
			if (!check_find(optarg)) {
				err = xasprintf(
				    "there is no rule '%s'; 'irqcheck "
				    "explain' lists them",
				    optarg);
				goto out;
			}
			rule = optarg;
			break;
		case OPT_FILE: glob = optarg; break;
		case OPT_TARGET: target = optarg; break;
		case OPT_FROM: from = optarg; break;
		case OPT_DB: db = optarg; break;
		case OPT_RULES: rules_arg = optarg; break;
		case OPT_CONVERT: convert = true; break;
		case OPT_SIGNOFF: signoff = true; break;
		case OPT_TIMINGS: timings = true; break;
		case OPT_HYBRID:
			if (!pci_core_parse_hybrid(optarg, &hybrid)) {
				err = xstrdup("--hybrid-rule is present or gone");
				goto out;
			}
			hybrid_given = true;
			break;
		case OPT_RUN:
			if (!parse_count(optarg, LLONG_MAX, &run)) {
				err = xasprintf("--run takes a run number, not "
						"\"%s\"",
						optarg);
				goto out;
			}
			break;
		case 'j':
			if (!parse_count(optarg, 256, &jobs)) {
				err = xstrdup("-j takes a number from 1 to 256");
				goto out;
			}
			break;
		case 'h':
			fputs(fix_usage, stdout);
			return 0;
		default:
			fputs(fix_usage, stderr);
			return 2;
		}
	}
	if (optind < dashdash) {
		err = xasprintf("unexpected argument \"%s\": fix works on the "
				"findings of a recorded run (--file GLOB selects "
				"files)",
				argv[optind]);
		goto out;
	}
	if (!out) {
		err = xstrdup("give --out DIR, where the patches go");
		goto out;
	}
	if (strcmp(target, "managed") && strcmp(target, "legacy")) {
		err = xstrdup("--target-api is managed or legacy");
		goto out;
	}
	if (build && !kernel) {
		err = xstrdup("--build needs --kernel");
		goto out;
	}
	if (convert && strcmp(target, "managed")) {
		err = xstrdup("--convert makes drivers use pcim_alloc_irq_vectors(), "
			      "so it needs --target-api=managed");
		goto out;
	}
	if (access(db, F_OK)) {
		err = xasprintf("there is no store %s: run irqcheck scan first",
				db);
		goto out;
	}
	if (!settle_collections(db, &err))
		goto out;
	/* writable: the re-scan's reuse keeps its hash cache there, and the
	 * outcomes are recorded with the run */
	s = store_open(db, true, &err);
	if (!s)
		goto out;
	if (!run)
		run = store_last_run(s);
	if (!run || !store_run_exists(s, run)) {
		err = run ? xasprintf("%s has no finished run %lld", db, run)
			  : xasprintf("%s has no finished run", db);
		goto out;
	}
	store_run_info(s, run, &run_tree, &started, &run_source);
	if (!kernel && run_source && !strcmp(run_source, "kernel")) {
		/* its flags came from the tree's Makefiles and build
		 * directory: without them nothing would parse as it did */
		err = xasprintf("run %lld scanned the kernel tree %s: give "
				"--kernel %s, and --build with the build "
				"directory it was scanned with, if any",
				run, run_tree, run_tree);
		goto out;
	}
	tree = kernel ? path_real(kernel) : getcwd(NULL, 0);
	if (!tree || !run_tree || strcmp(tree, run_tree)) {
		err = xasprintf("run %lld scanned %s, not %s: fix needs the tree "
				"the run scanned",
				run, run_tree ? run_tree : "?",
				kernel ? kernel : "the current directory");
		goto out;
	}
	if (kernel)
		pci_core_read(tree, &core);
	if (kernel && !strcmp(target, "managed") && !core.managed_allocator) {
		err = xasprintf("%s has no pcim_alloc_irq_vectors() "
				"(include/linux/pci.h), so the conversion to the "
				"managed API would not build: give "
				"--target-api=legacy for the patches that are "
				"right for this tree",
				kernel);
		goto out;
	}
	if (!store_load_run(s, run, true, &all, &err))
		goto out;
	for (k = 0; k < all.n; k++) {
		struct stored_finding *x = &all.items[k];
		if ((rule && strcmp(x->f.rule, rule)) ||
		    (glob && fnmatch(glob, x->f.file, 0)))
			continue;
		ARRAY_PUSH(chosen.items, chosen.n, chosen.cap, *x);
	}
	if (!chosen.n) {
		err = xasprintf("run %lld has no finding%s%s%s%s to fix", run,
				rule ? " of " : "", rule ? rule : "",
				glob ? " in " : "", glob ? glob : "");
		goto out;
	}
	rules_path = rules_arg ? xstrdup(rules_arg)
			       : xasprintf("%s/linux-pci.rules", rules_dir());
	rules = ruleset_load(rules_path, &err);
	if (!rules)
		goto out;
	/* the semantics the run was scanned with (the tree's), and the ones
	 * every patch meets once the PCI core drops the hybrid rule */
	if (hybrid_given)
		core.hybrid = hybrid;
	rules->hybrid_gone = core.hybrid == HYBRID_GONE;
	gone = *rules;
	gone.hybrid_gone = true;
	if (!flags_open_tree_or_plain(&flags, kernel, build, argv + dashdash + 1,
				      dashdash < argc
					      ? (size_t)(argc - dashdash - 1)
					      : 0,
				      &err))
		goto out;
	flags_open = true;
	so.flags = &flags;
	so.rules = rules;
	so.jobs = (int)jobs;
	cocci = cocci_dir();
	python = spatch_python();
	if (python && access(python, X_OK)) {
		err = xasprintf("IRQCHECK_SPATCH_PYTHON is %s, which cannot "
				"be run",
				python);
		goto out;
	}
	from_default = from ? NULL : default_from(tree);
	hash_analysis_identity(rules->path, check_default_mask(),
			       rules->hybrid_gone, rules_hash);
	reuse_run = (struct run_info){ .tree = tree, .rules_hash = rules_hash };
	reuse = (struct fix_reuse){ .store = s, .run = &reuse_run };
	fo = (struct fix_options){
		.scan = &so, .tree = tree,
		/* a tree prepared in place is its own build directory */
		.build = build ? build : kernel ? flags.kernel.obj : NULL,
		.cocci_dir = cocci, .out_dir = out,
		.spatch_python = python,
		.from = from ? from : from_default,
		.version = IRQCHECK_VERSION,
		.managed = !strcmp(target, "managed"),
		.convert = convert,
		.signoff = signoff,
		.progress = isatty(2),
		.gone_rules = rules->hybrid_gone ? NULL : &gone,
		.reuse = plan_reuse_from_store, .reuse_ctx = &reuse,
	};
	if (!fix_run(&fo, &chosen, &r, &err))
		goto out;
	for (k = 0; k < r.n; k++) {
		const struct fix_outcome *o = &r.items[k];
		printf("%s: %s:%u: [%s] %s\n",
		       o->validated ? "patched" : "no patch", o->finding->f.file,
		       o->finding->f.line, o->finding->f.rule,
		       o->validated ? o->patch_file : o->validation);
	}
	{
		size_t validated = 0;
		for (k = 0; k < r.n; k++)
			validated += r.items[k].validated;
		printf("irqcheck fix: %zu findings, %zu with a validated patch "
		       "(%zu patch files in %s), %zu without, %.1f s\n",
		       r.n, validated, r.patches, out, r.n - validated,
		       r.seconds);
		fflush(stdout);
		if (timings)
			fprintf(stderr,
				"irqcheck fix: timings: semantic patches %.1f s, "
				"re-scans %.1f s (before), %.1f s (after, "
				"with the hybrid rule and without), %.1f s "
				"(before, without it), compile checks %.1f s, "
				"patch files %.1f s\n",
				r.spatch_seconds, r.rescan_seconds[0],
				r.rescan_seconds[1], r.rescan_seconds[2],
				r.compile_seconds,
				r.write_seconds);
		if (validated < r.n) {
			printf("why not:\n");
			print_refusals(&r);
		}
	}
	if (!record(s, run, &r, &err))
		goto out;
	status = 0;
out:
	if (err) {
		fprintf(stderr, "irqcheck fix: %s.\n", err);
		free(err);
	}
	fix_result_release(&r);
	free(chosen.items); /* the items belong to `all` */
	stored_findings_release(&all);
	if (flags_open)
		flags_close(&flags);
	ruleset_free(rules);
	store_close(s);
	free(tree);
	free(run_tree);
	free(started);
	free(run_source);
	free(rules_path);
	free(cocci);
	free(from_default);
	return status;
}
