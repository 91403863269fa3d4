/* The SQLite store: one database per user (irqcheck.db by default) holding
 * every run, the files each analysed or reused, their findings with paths
 * and fingerprints, the summaries the files offer their module, the
 * suppressions met, and the accepted baseline. Opening checks what the
 * file is (an irqcheck database of a known schema version, or nothing
 * yet) and migrates it forward; all writes of a run happen in
 * transactions from one thread, and a run is visible to readers only
 * once it is marked finished. Errors come back as one sentence. */
#ifndef IRQCHECK_STORE_H
#define IRQCHECK_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "scan.h"

#define STORE_SCHEMA_VERSION 6

struct store;

/* Opens path, creating and migrating it when `write`. NULL and *err on
 * failure (not a database, another program's, a newer schema, cannot be
 * written). */
struct store *store_open(const char *path, bool write, char **err);
void store_close(struct store *s);
int store_user_version(struct store *s);

/* What a run was made of. */
struct run_info {
	const char *tree, *flags_source, *rules_hash;
	char *revision; /* filled by store_begin_run from git, may be NULL */
};

/* Prepares reuse before a scan: for every file of res whose content,
 * flags, headers and rule pack are as in the last finished run (same tool
 * version), marks it reusable; a module with one file that is not keeps
 * none (its summaries would change). Reusable files get their findings
 * loaded and are skipped by the analysis. */
bool store_plan_reuse(struct store *s, const struct run_info *run,
		      struct scan_result *res, char **err);

/* How a scan that reads some files from a scratch overlay (a side of the
 * gate) stands for the tree: the file holding what a tree path holds on
 * this side (NULL when it has no such file; caller frees), and a file's
 * arguments as a scan of the tree would give them. */
struct reuse_view {
	char *(*content_of)(void *ctx, const char *tree_path);
	void (*tree_args)(void *ctx, const struct scan_file *f,
			  struct strvec *out);
	void *ctx;
};
/* store_plan_reuse() for such a scan: the last finished run must be of
 * run->tree, and what is compared is what the view says stands for it. */
bool store_plan_reuse_viewed(struct store *s, const struct run_info *run,
			     const struct reuse_view *view,
			     struct scan_result *res, char **err);

/* Records a finished scan as a new run, in transactions per batch of
 * files; the run becomes visible at the end. */
bool store_record_run(struct store *s, const struct run_info *run,
		      const struct scan_result *res, double started,
		      int64_t *run_id, char **err);

/* irqcheck check (kbuild's CHECK, once per object) adds each file to the
 * collection of its tree (run->tree), made on first use: its compiler
 * arguments, and, when it was analysed (f not NULL: a one-file scan), its
 * own results, replacing what an earlier check of it left. One
 * transaction: concurrent checks under make -j wait for each other. */
bool store_collect_file(struct store *s, const struct run_info *run,
			const char *display, const struct strvec *args,
			const struct scan_file *f, char **err);
/* The collections holding checks made since they were last settled. */
bool store_unsettled_collections(struct store *s, int64_t **ids, size_t *n,
				 char **err);
/* A collection's analysed files as a scan that has just analysed them
 * alone (results, the summaries they offer, arguments), ready for the
 * cross-file rounds; a file that another rule pack or binary analysed
 * (its rules hash is not rules_hash) comes with no results and
 * analyses == 0. *tree and *generation say what was loaded. */
bool store_load_collection(struct store *s, int64_t id,
			   const char *rules_hash, struct scan_result *res,
			   char **tree, int64_t *generation, char **err);
/* The collection's checks up to generation are in a finished run. */
bool store_collection_settled(struct store *s, int64_t id,
			      int64_t generation, char **err);

/* The tree a run scanned (what its relative paths are relative to), when
 * it started and, unless flags_source is NULL, where its flags came from
 * ("kernel", "compdb" or "plain"). Caller frees them. */
bool store_run_info(struct store *s, int64_t run, char **tree, char **started,
		    char **flags_source);
/* The files that included `header` (an absolute path) in the last
 * finished run of `tree`; false when the store has no run of it. */
bool store_includers(struct store *s, const char *tree, const char *header,
		     struct strvec *out);
/* The last finished run, or 0. */
int64_t store_last_run(struct store *s);
bool store_run_exists(struct store *s, int64_t run);

/* A finding as stored (for show, diff and baseline). */
struct stored_finding {
	struct finding f;
	char *fingerprint;
	char *suppressed;
	char *fix; /* a validated patch for it, when one was generated */
	char *fix_refused; /* else why irqcheck fix offered none, when it
			      was run */
};
/* A file of a run whose findings cannot be trusted to be all there: the
 * analyser crashed on it, it took too long, or it did not parse (files
 * the configuration does not build are not listed). */
struct unanalysed_file {
	char *path;
	const char *status; /* "crashed", "timed-out" or "parse-errors" */
	char *reason;	    /* the first error, or why it was left out */
};

struct stored_findings {
	struct stored_finding *items;
	size_t n, cap;
	struct unanalysed_file *unanalysed;
	size_t nunanalysed, cap_unanalysed;
};
/* Adds a file to l->unanalysed; status as the store spells it ("crashed",
 * "timed-out"; anything else is "parse-errors"). */
void stored_findings_add_unanalysed(struct stored_findings *l,
				    const char *path, const char *status,
				    const char *reason);
/* The findings of a scan in the stored form, with their fingerprints
 * (what scan --format json|sarif writes without a database). */
void stored_findings_from_scan(const struct scan_result *res,
			       struct stored_findings *out);
/* Findings (not notes) of a run, ordered by file, line, rule. */
bool store_load_run(struct store *s, int64_t run, bool with_steps,
		    struct stored_findings *out, char **err);
void stored_findings_release(struct stored_findings *l);
/* True when an unsuppressed finding of l has the fingerprint. */
bool stored_findings_has(const struct stored_findings *l, const char *fp);
/* The findings of `from` that `keep` accepts (NULL: the unsuppressed
 * ones) and whose fingerprint no unsuppressed finding of `other` has: new
 * or fixed between two sets. *out points into from; caller frees it. */
void stored_findings_missing(const struct stored_findings *from,
			     const struct stored_findings *other,
			     bool (*keep)(const void *ctx,
					  const struct stored_finding *x),
			     const void *ctx,
			     const struct stored_finding ***out, size_t *n);

/* What irqcheck fix made of one finding (identified by fingerprint in a
 * run). */
struct store_fix {
	const char *fingerprint, *semantic_patch, *patch, *validation;
	bool validated;
};
bool store_record_fixes(struct store *s, int64_t run,
			const struct store_fix *fixes, size_t n, char **err);

bool store_baseline_save(struct store *s, int64_t run, size_t *saved,
			 char **err);
/* True when the fingerprint is in the baseline. */
bool store_baseline_has(struct store *s, const char *fingerprint);

/* The fingerprint of a finding: rule, file, function and the API calls
 * named on its path and in its message, not line numbers. */
void store_fingerprint(const struct finding *f, char *out);

#endif
