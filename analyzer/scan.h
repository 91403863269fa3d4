/* A scan: choose the files, prefilter them, parse each with libclang on N
 * worker threads (one CXIndex each), analyse it, and collect the findings
 * in file order so that output does not depend on scheduling. */
#ifndef IRQCHECK_SCAN_H
#define IRQCHECK_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/module.h"
#include "findings.h"
#include "frontend/flags.h"
#include "isolate.h"
#include "ruleset.h"

struct scan_file {
	char *path;    /* absolute */
	char *display; /* as shown to the user */
	struct strvec args;
	bool no_flags;	  /* the compile database has no entry */
	bool not_built;	  /* the kernel configuration does not build it */
	bool parse_failed; /* libclang could not parse it at all */
	enum file_fault_kind fault; /* an earlier try crashed or timed out on
				       it: not analysed (isolate.h) */
	unsigned nerrors;
	char *first_error;
	struct finding_list findings;
	struct finding_list notes;
	/* the module it links into (KBUILD_MODNAME, else its directory),
	 * what its last analysis offers the module's other files, and the
	 * view of those files a cross-file re-analysis gets */
	char *module;
	struct module_exports exports, next_exports;
	struct module_exports last_exports; /* as the last run stored them */
	struct module_link link;
	unsigned analyses; /* 1 + the cross-file re-analyses */
	/* inline suppressions met in the file (suppress.h) */
	struct suppression *suppressions;
	size_t nsuppressions;
	bool suppressions_read;
	/* for the store: what the results depend on */
	char content_hash[65], flags_hash[65];
	struct strvec headers; /* included files, as libclang names them */
	bool reused;	       /* results come from the last run */
	unsigned long checks_on; /* the checks that run on it */
	bool tolerant;		 /* parse in tolerant mode */
	struct strvec unresolved; /* tolerant mode: what was missing */
	long long prev_id;     /* its row in the last run, or 0 */
	/* where its time went (all rounds): libclang's parse, irqcheck's
	 * analysis of the tree, disposing of it */
	double parse_seconds, analyse_seconds, dispose_seconds;
	/* its last parse: why it did not use the scan's shared headers
	 * (NULL when it did, or none were planned) */
	const char *parse_alone;
	bool on_shared_headers;
};

struct suppression;
struct scan_result;
struct shared_headers;

struct scan_options {
	struct flag_source *flags;
	const struct ruleset *rules;
	const char *const *paths; /* files or directories */
	size_t npaths;
	int jobs;
	bool progress;	 /* draw a progress line on stderr */
	bool prefilter;	 /* false: parse every file given */
	bool list_only;	 /* choose files and flags, parse nothing */
	bool record_headers; /* fill scan_file.headers */
	unsigned long extra_checks; /* checks off by default to run too */
	bool tolerant; /* missing headers and the names they would declare
			  are not parse errors (a tree that cannot be
			  prepared); see scan_analyse_tu() */
	/* called once files and flags are known, before any is analysed:
	 * may mark files reused (their results filled in); false stops the
	 * scan with *err */
	bool (*before_analysis)(void *ctx, struct scan_result *res,
				char **err);
	void *hook_ctx;
	/* called for each file once its flags are known: may point it at
	 * other content (f->path) and change its arguments; false drops it */
	bool (*adjust_file)(void *ctx, struct scan_file *f);
	void *adjust_ctx;
	/* when twin is set, each parsed file is analysed under twin_rules
	 * as well, into *twin (a result of the same files, released by the
	 * caller): two rule sets for one parse. Not with before_analysis. */
	const struct ruleset *twin_rules;
	struct scan_result *twin;
	/* the watching parent, when the command runs isolated (NULL: not) */
	struct isolation *isolation;
	/* parse the kernel headers once for the files that agree on them
	 * (frontend/shared_headers.h); scan.c plans them per scan */
	bool share_headers;
	struct shared_headers *shared_headers;
};

struct scan_result {
	struct scan_file *files;
	size_t nfiles;	      /* candidates, parsed */
	size_t nconsidered;   /* .c files looked at by the prefilter */
	size_t nreanalysed;   /* analyses repeated with other files' summaries */
	size_t nreused;	      /* files whose stored results were reused */
	unsigned rounds;      /* cross-file rounds run */
	bool unsettled;	      /* the last round still changed a summary */
	double seconds;
	/* building the shared headers: seconds, and sets built */
	double shared_headers_seconds;
	unsigned shared_header_sets;
};

/* Appends the .c files under dir (recursively, unsorted). */
void scan_list_c_files(const char *dir, struct strvec *out);

/* The module a file links into: KBUILD_MODNAME from its flags, else its
 * directory. Caller frees. */
char *scan_file_module(const struct scan_file *f);

/* Every finding of the scan once (a finding two callers' analyses made
 * is in two lists), sorted by file, line, column and rule. Caller frees
 * the array, not the findings. */
size_t scan_unique_findings(const struct scan_result *res,
			    const struct finding ***out);
/* Their order, for qsort() and bsearch() over arrays of pointers. */
int scan_compare_findings(const void *a, const void *b);

/* A file did not parse: parse_failed or errors. */
bool scan_file_failed(const struct scan_file *f);

/* Runs the scan. Returns false with one sentence in *err when it cannot
 * start (no such path, no files). */
bool scan_run(const struct scan_options *opt, struct scan_result *res,
	      char **err);
void scan_result_release(struct scan_result *res);

/* Ends a scan whose files were analysed elsewhere, one at a time (irqcheck
 * check): res holds them as just analysed (results and next_exports, with
 * analyses == 1; those with analyses == 0 are analysed first), and the
 * cross-file rounds run as at the end of scan_run(). opt needs rules,
 * jobs and isolation only. */
void scan_settle(const struct scan_options *opt, struct scan_result *res);


/* Analyses one already-parsed translation unit into f (used by scan_run
 * and by the tests). */
void scan_analyse_tu(const struct ruleset *rules, void *tu,
		     struct scan_file *f);

#endif
