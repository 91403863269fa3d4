/* irqcheck scan: the main job. Chooses the flag source (-p, --kernel, or
 * plain files with compiler arguments after --), runs the scan (reusing
 * what the store says is unchanged), records it as a run in the store and
 * prints gcc-style findings and a summary. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check_list.h"
#include "commands.h"
#include "frontend/freebsd_tree.h"
#include "frontend/pci_core.h"
#include "reports/json.h"
#include "reports/sarif.h"
#include "reports/text.h"
#include "scan.h"
#include "store/hash.h"
#include "store/store.h"

static const char scan_usage[] =
    "usage: irqcheck scan [options] [PATH...] [-- COMPILER-ARGS...]\n"
    "\n"
    "  -p DIR            read flags from DIR/compile_commands.json\n"
    "  --kernel SRC      a prepared kernel source tree (default paths:\n"
    "                    drivers/ and sound/; a FreeBSD tree's: sys/dev/\n"
    "                    and sys/net/)\n"
    "  --build OBJ       its build directory (make O=OBJ)\n"
    "  --rules FILE      rule pack (default: rules/linux-pci.rules, or\n"
    "                    rules/freebsd-pci.rules for a FreeBSD tree or file)\n"
    "  -j N              parse N files at once (default: number of cores)\n"
    "  --no-prefilter    parse every file, not only those naming an API\n"
    "  --no-progress     no progress line on a terminal\n"
    "  --no-shared-headers  parse every file's kernel headers on its own,\n"
    "                    not once for the files that agree on them\n"
    "  --timings         print where the time went: libclang's parse,\n"
    "                    irqcheck's analysis, disposal (summed over workers)\n"
    "  --print-commands  print the clang command for each file that would\n"
    "                    be parsed, and parse nothing\n"
    "  --db FILE         record the run in FILE and reuse its results for\n"
    "                    unchanged files (default: irqcheck.db here)\n"
    "  --no-db           record nothing, reuse nothing\n"
    "  --tolerant        a tree without its headers: missing includes and\n"
    "                    the names they declare are not parse errors; the\n"
    "                    rest is analysed, and each such file says so\n"
    "  --enable RULE     also run a rule that is off by default\n"
    "                    (shutdown-leak)\n"
    "  --format F        text (default), json or sarif on standard output;\n"
    "                    files that did not parse and the summary go to\n"
    "                    standard error\n"
    "  --file-timeout S  stop the analysis of a file after S seconds and\n"
    "                    go on without it (default 600; 0: no limit); a\n"
    "                    file that crashes the analyser is left out too\n"
    "  --show-unproven   also print the findings whose path the analysis\n"
    "                    could not show feasible (text; json always has\n"
    "                    them, marked; sarif never)\n"
    "  --hybrid-rule R   present or gone: whether the PCI core's devres\n"
    "                    releases the vectors of pci_alloc_irq_vectors(),\n"
    "                    pci_enable_msi() and pci_enable_msix_range() on a\n"
    "                    device enabled with pcim_enable_device() (default:\n"
    "                    read from --kernel's drivers/pci/msi/msi.c, else\n"
    "                    present). Gone: relying on it is a leak\n"
    "                    (error-path-leak, remove-leak), and releasing them\n"
    "                    is no hybrid-double-free\n"
    "\n"
    "Without -p or --kernel the PATHs are C files or directories parsed\n"
    "with the arguments after --. Exit status: 0 no findings, 1 findings,\n"
    "2 could not run or a file did not parse.\n";

static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/* One shell command per file: clang with the same arguments irqcheck
 * gives libclang (for measuring the parse floor, or reproducing). */
static void print_commands(const struct scan_result *res)
{
	size_t i, j;

	for (i = 0; i < res->nfiles; i++) {
		const struct scan_file *f = &res->files[i];
		if (f->no_flags)
			continue;
		fputs("clang -fsyntax-only", stdout);
		for (j = 0; j < f->args.n; j++) {
			putchar(' ');
			print_quoted(f->args.v[j]);
		}
		putchar(' ');
		print_quoted(f->path);
		putchar('\n');
	}
}

/* The pack a tree calls for: FreeBSD's when a path given, or a directory
 * above it, holds FreeBSD's PCI interface header (sys/dev/pci/pcivar.h),
 * or a file given includes it; Linux's otherwise. */
static const char *default_pack(char *const *paths, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char *root =
		    path_ancestor_with(paths[i], "sys/dev/pci/pcivar.h");
		size_t len;
		char *text;
		if (root) {
			free(root);
			return "freebsd-pci.rules";
		}
		text = path_is_file(paths[i]) ? read_file(paths[i], &len) : NULL;
		if (text && strstr(text, "<dev/pci/pcivar.h>")) {
			free(text);
			return "freebsd-pci.rules";
		}
		free(text);
	}
	return "linux-pci.rules";
}

struct reuse_ctx {
	struct store *store;
	const struct run_info *run;
};

static bool plan_reuse(void *data, struct scan_result *res, char **err)
{
	struct reuse_ctx *ctx = data;

	return store_plan_reuse(ctx->store, ctx->run, res, err);
}

static int scan_command(int argc, char **argv, struct isolation *iso)
{
	enum {
		OPT_KERNEL = 256,
		OPT_BUILD,
		OPT_RULES,
		OPT_NOPRE,
		OPT_NOPROG,
		OPT_PRINT,
		OPT_DB,
		OPT_NODB,
		OPT_FORMAT,
		OPT_ENABLE,
		OPT_TOLERANT,
		OPT_TIMINGS,
		OPT_NO_SHARED_HEADERS,
		OPT_UNPROVEN,
		OPT_TIMEOUT,
		OPT_HYBRID
	};
	static const struct option longopts[] = {
	    {"kernel", required_argument, NULL, OPT_KERNEL},
	    {"build", required_argument, NULL, OPT_BUILD},
	    {"rules", required_argument, NULL, OPT_RULES},
	    {"no-prefilter", no_argument, NULL, OPT_NOPRE},
	    {"no-progress", no_argument, NULL, OPT_NOPROG},
	    {"print-commands", no_argument, NULL, OPT_PRINT},
	    {"db", required_argument, NULL, OPT_DB},
	    {"no-db", no_argument, NULL, OPT_NODB},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"enable", required_argument, NULL, OPT_ENABLE},
	    {"tolerant", no_argument, NULL, OPT_TOLERANT},
	    {"timings", no_argument, NULL, OPT_TIMINGS},
	    {"no-shared-headers", no_argument, NULL, OPT_NO_SHARED_HEADERS},
	    {"show-unproven", no_argument, NULL, OPT_UNPROVEN},
	    {"file-timeout", required_argument, NULL, OPT_TIMEOUT},
	    {"hybrid-rule", required_argument, NULL, OPT_HYBRID},
	    {"jobs", required_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *compdb = NULL, *kernel = NULL, *build = NULL;
	const char *db_path = "irqcheck.db", *format = "text";
	bool timings = false, show_unproven = false, hybrid_given = false;
	enum hybrid_rule hybrid = HYBRID_UNKNOWN;
	struct pci_core core = { .hybrid = HYBRID_UNKNOWN };
	struct store *store = NULL;
	struct run_info run = { 0 };
	struct reuse_ctx reuse;
	char rules_hash[HASH_HEX_LEN + 1];
	char *tree_root = NULL;
	char *rules_path = NULL, *err = NULL;
	struct scan_options opt = {.prefilter = true, .share_headers = true};
	struct flag_source flags;
	struct scan_result res;
	struct ruleset *rules;
	static const char *const default_paths[] = { "drivers", "sound" };
	static const char *const freebsd_paths[] = { "sys/dev", "sys/net" };
	bool progress = isatty(2);
	long long jobs = sysconf(_SC_NPROCESSORS_ONLN),
		  budget = ISOLATE_DEFAULT_BUDGET;
	int c, dashdash = argc, i, status;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dashdash = i;
			break;
		}
	optind = 1;
	while ((c = getopt_long(dashdash, argv, "p:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			compdb = optarg;
			break;
		case 'j':
			if (!parse_count(optarg, 256, &jobs)) {
				fprintf(stderr, "irqcheck scan: -j takes a number "
						"from 1 to 256.\n");
				return 2;
			}
			break;
		case OPT_KERNEL:
			kernel = optarg;
			break;
		case OPT_BUILD:
			build = optarg;
			break;
		case OPT_RULES:
			free(rules_path);
			rules_path = xstrdup(optarg);
			break;
		case OPT_NOPRE:
			opt.prefilter = false;
			break;
		case OPT_NOPROG:
			progress = false;
			break;
		case OPT_NO_SHARED_HEADERS:
			opt.share_headers = false;
			break;
		case OPT_TIMINGS:
			timings = true;
			break;
		case OPT_UNPROVEN:
			show_unproven = true;
			break;
		case OPT_TIMEOUT:
			if (!strcmp(optarg, "0")) {
				budget = 0;
			} else if (!parse_count(optarg, 86400, &budget)) {
				fprintf(stderr,
					"irqcheck scan: --file-timeout "
					"takes seconds, from 0 (none) to "
					"86400.\n");
				free(rules_path);
				return 2;
			}
			break;
		case OPT_HYBRID:
			if (!pci_core_parse_hybrid(optarg, &hybrid)) {
				fprintf(stderr, "irqcheck scan: --hybrid-rule is "
						"present or gone.\n");
				free(rules_path);
				return 2;
			}
			hybrid_given = true;
			break;
		case OPT_PRINT:
			opt.list_only = true;
			break;
		case OPT_DB:
			db_path = optarg;
			break;
		case OPT_NODB:
			db_path = NULL;
			break;
		case OPT_TOLERANT:
			opt.tolerant = true;
			break;
		case OPT_ENABLE:
			if (!check_mask_of(optarg)) {
				fprintf(stderr, "irqcheck scan: '%s' is not a rule "
						"id; 'irqcheck explain' lists them.\n",
					optarg);
				free(rules_path);
				return 2;
			}
			opt.extra_checks |= check_mask_of(optarg);
			break;
		case OPT_FORMAT:
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "json") &&
			    strcmp(format, "sarif")) {
				fprintf(stderr, "irqcheck scan: --format is text, "
						"json or sarif.\n");
				free(rules_path);
				return 2;
			}
			break;
		case 'h':
			fputs(scan_usage, stdout);
			free(rules_path);
			return 0;
		default:
			fputs(scan_usage, stderr);
			free(rules_path);
			return 2;
		}
	}
	isolate_set_budget(iso, (unsigned)budget);
	opt.isolation = iso;
	if (compdb && kernel) {
		fprintf(stderr, "irqcheck scan: use either -p or --kernel, not "
				"both.\n");
		free(rules_path);
		return 2;
	}
	if (build && !kernel) {
		fprintf(stderr, "irqcheck scan: --build needs --kernel.\n");
		free(rules_path);
		return 2;
	}
	if (!rules_path && kernel && freebsd_tree_is(kernel))
		rules_path = xasprintf("%s/freebsd-pci.rules", rules_dir());
	if (!rules_path)
		rules_path = xasprintf("%s/%s", rules_dir(),
				       kernel || compdb
					       ? "linux-pci.rules"
					       : default_pack(argv + optind,
							      dashdash - optind));
	rules = ruleset_load(rules_path, &err);
	free(rules_path);
	if (!rules) {
		fprintf(stderr, "irqcheck scan: %s.\n", err);
		free(err);
		return 2;
	}
	/* the tree's PCI core decides what devres releases */
	if (kernel && !freebsd_tree_is(kernel))
		pci_core_read(kernel, &core);
	if (hybrid_given)
		core.hybrid = hybrid;
	rules->hybrid_gone = core.hybrid == HYBRID_GONE;
	if (compdb) {
		if (!flags_open_compdb(&flags, compdb, &err))
			goto fail;
	} else if (kernel) {
		if (!flags_open_kernel(&flags, kernel, build, &err))
			goto fail;
	} else {
		flags_open_plain(&flags);
		if (optind == dashdash) {
			err = xstrdup("nothing to scan: give files, -p DIR or "
				      "--kernel SRC");
			goto fail;
		}
		opt.prefilter = false;
	}
	for (i = dashdash + 1; i < argc; i++)
		strvec_push(&flags.extra, argv[i]);

	opt.flags = &flags;
	opt.rules = rules;
	opt.jobs = (int)jobs;
	opt.progress = progress;
	if (optind < dashdash) {
		opt.paths = (const char *const *)argv + optind;
		opt.npaths = (size_t)(dashdash - optind);
	} else if (kernel) {
		opt.paths = flags.kernel.freebsd ? freebsd_paths
						 : default_paths;
		opt.npaths = 2;
	}
	/* what relative paths in findings are relative to */
	tree_root = kernel ? path_real(kernel)
		    : compdb ? path_real(compdb)
			     : getcwd(NULL, 0);
	run.tree = tree_root;
	if (db_path && !opt.list_only) {
		store = store_open(db_path, true, &err);
		if (!store) {
			flags_close(&flags);
			goto fail;
		}
		hash_analysis_identity(rules->path,
				       check_default_mask() | opt.extra_checks,
				       rules->hybrid_gone, rules_hash);
		run.tree = tree_root;
		run.flags_source = kernel ? "kernel" : compdb ? "compdb" : "plain";
		run.rules_hash = rules_hash;
		reuse.store = store;
		reuse.run = &run;
		opt.before_analysis = plan_reuse;
		opt.hook_ctx = &reuse;
		opt.record_headers = true;
	}
	if (!scan_run(&opt, &res, &err)) {
		store_close(store);
		flags_close(&flags);
		goto fail;
	}
	if (opt.list_only) {
		print_commands(&res);
		scan_result_release(&res);
		flags_close(&flags);
		ruleset_free(rules);
		free(tree_root);
		return 0;
	}
	if (!strcmp(format, "text")) {
		report_text_findings(stdout, &res, show_unproven);
		report_text_summary(stderr, &res);
	} else {
		struct stored_findings all;
		stored_findings_from_scan(&res, &all);
		if (!strcmp(format, "json")) {
			report_json_findings(stdout, &all, 0, true);
		} else {
			struct sarif_run meta = { rules_dir(), run.tree };
			report_json_print(stdout, report_sarif(&all, &meta));
		}
		stored_findings_release(&all);
		report_text_summary(stderr, &res);
	}
	if ((kernel && !freebsd_tree_is(kernel)) || hybrid_given) {
		char *line = pci_core_describe(&core, hybrid_given);
		fprintf(stderr, "irqcheck: %s\n", line);
		free(line);
	}
	if (timings)
		report_text_timings(stderr, &res);
	status = report_count_parse_failures(&res) ? 2
		 : report_count_findings(&res)	    ? 1
						    : 0;
	if (store) {
		int64_t run_id;
		if (store_record_run(store, &run, &res, 0, &run_id, &err)) {
			fprintf(stderr,
				"irqcheck: recorded as run %lld in %s\n",
				(long long)run_id, db_path);
		} else {
			fprintf(stderr, "irqcheck scan: %s.\n", err);
			free(err);
			status = 2;
		}
		store_close(store);
	}
	scan_result_release(&res);
	flags_close(&flags);
	ruleset_free(rules);
	free(tree_root);
	return status;
fail:
	fprintf(stderr, "irqcheck scan: %s.\n", err);
	free(err);
	free(tree_root);
	ruleset_free(rules);
	return 2;
}

int cmd_scan(int argc, char **argv)
{
	return isolate_command(scan_command, "scan", argc, argv);
}
