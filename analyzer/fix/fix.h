/* irqcheck fix: for the findings of a recorded run, run the semantic patch
 * of each finding's rule (cocci/<rule>.cocci) with spatch on a scratch
 * copy of its file, and offer the result only once it is validated: the
 * patch applies to the tree, a re-scan of the patched driver no longer
 * reports the finding and reports nothing new, and, with a kernel build
 * directory, the patched object compiles without new warnings. Validated
 * patches are written one per driver in git format-patch form; every
 * finding gets an outcome saying why it got a patch or not. The scanned
 * tree is never written. */
#ifndef IRQCHECK_FIX_H
#define IRQCHECK_FIX_H

#include <pthread.h>

#include "scan.h"
#include "store/store.h"

struct fix_options {
	const struct scan_options *scan; /* flags, rules, jobs of the re-scan */
	const char *tree;      /* what the findings' paths are relative to */
	const char *build;     /* a prepared kernel build directory, or NULL */
	const char *cocci_dir; /* where the semantic patches are */
	/* the interpreter spatch runs the Python parts of the semantic
	 * patches with (its --python), or NULL: spatch's own lookup */
	const char *spatch_python;
	const char *out_dir;   /* where validated patches are written */
	const char *from;      /* "Name <address>" for the From: line */
	const char *version;   /* irqcheck's, for the patch trailer */
	bool managed;	       /* target the pcim_alloc_irq_vectors() API */
	bool convert;	       /* fix leaks of unmanaged drivers by making
				  them managed (needs `managed`) */
	bool signoff;	       /* Signed-off-by: the From: person */
	bool progress;
	/* the rules with the PCI core's hybrid rule gone, to validate each
	 * patch against too (NULL: the scan's rules already are) */
	const struct ruleset *gone_rules;
	/* the recorded run's results, for the re-scan of the unpatched tree
	 * under the scan's rules: the files it analysed as they are now come
	 * from the store (scan_options.before_analysis), or NULL */
	bool (*reuse)(void *ctx, struct scan_result *res, char **err);
	void *reuse_ctx;
};

/* What became of one finding. */
struct fix_outcome {
	const struct stored_finding *finding;
	const char *semantic_patch; /* NULL when no rule applies */
	bool validated;
	char *validation;   /* what was checked, or why it was refused */
	char *patch;	    /* the patch text (also for a refused one that
			       was made), or NULL */
	char *patch_file;   /* where a validated patch was written */
};

struct fix_result {
	struct fix_outcome *items;
	size_t n, cap;
	size_t patches; /* files written */
	double seconds;
	/* where the time went: the semantic patches, the re-scans (the
	 * tree under the scan's rules, the patched tree under those and
	 * with the hybrid rule gone in one parse, the tree with the rule
	 * gone where the patched one reports), the compile checks, the
	 * patch files */
	double spatch_seconds, rescan_seconds[3], compile_seconds,
	    write_seconds;
};

/* The semantic patch that fixes findings of `rule`, or NULL. */
const char *fix_semantic_patch(const char *rule);
/* The rule whose recipe uses the semantic patch `cocci` and that it is
 * named after ("double-free" for "double-free.cocci"), or NULL. */
const char *fix_rule_named_by(const char *cocci);

/* Works through `findings` (those the user selected). False and *err when
 * nothing could be done at all (spatch missing, a dirty tree, an output
 * directory that cannot be written); then nothing was written. */
bool fix_run(const struct fix_options *opt,
	     const struct stored_findings *findings, struct fix_result *res,
	     char **err);
void fix_result_release(struct fix_result *res);

/* The patch mail of one file (mail.c). */
struct fix_mail {
	const char *tree, *rel, *from, *version;
	const char *diff;	   /* unified diff, a/ and b/ paths */
	const char *diffstat;	   /* git apply --stat of it */
	const struct stored_finding *const *fixed; /* findings it clears */
	size_t nfixed;
	const char *semantic_patch;
	/* every semantic patch that changed the file, semantic_patch first */
	const char *const *used;
	size_t nused;
	bool managed, convert;
	/* managed target, where an allocation stays as it is and gets an
	 * explicit release (the managed allocator cannot express it) */
	bool managed_fallback;
	/* managed target, where the patch keeps a release the driver makes
	 * before it goes on without the vectors (validate.c) */
	bool keeps_release;
	/* and one in the .shutdown callback (MSI off before kexec) */
	bool keeps_shutdown_release;
	const char *checks;	    /* what validation found */
	const char *subject;	    /* fix_mail_subject()'s, for the text */
	bool signoff;		    /* a Signed-off-by: line for `from` */
};
/* True when a line the unified diff removes releases vectors. */
bool fix_diff_removes_release(const char *diff);
/* The subject without "[PATCH] " ("dmaengine: plx_dma: Use ..."); it
 * reads the tree's git log once. Caller frees. */
char *fix_mail_subject(const struct fix_mail *m);
/* The whole mail, with m->subject as its subject. */
char *fix_mail_text(const struct fix_mail *m);
/* The subject prefix for a file: the usual one of its recent git log
 * subjects when the tree is a repository, else one made from its path. */
char *fix_subject_prefix(const char *tree, const char *rel);

/* patched with each line that is not a line of original and runs past 80
 * columns broken after a comma, the rest aligned under its open
 * parenthesis, and the unchanged continuation lines of a changed line
 * that leaves a parenthesis open (a call renamed to a longer name) moved
 * under it again when they were up to 4 columns short of it (wrap.c).
 * Caller frees. */
char *fix_wrap_added_lines(const char *original, const char *patched);

/* The patched text without the comments right above allocations it
 * switched to pcim_alloc_irq_vectors() (not in original) that tell of
 * the implicit release, or of the paragraphs of a block comment that do
 * (comments.c). Caller frees. */
char *fix_drop_release_comments(const char *original, const char *patched);
/* patched without a return statement that directly follows another return
 * at the same indentation (blank lines between), where original has no
 * such pair: the removal of an unwind label left it unreachable
 * (comments.c). Caller frees. */
char *fix_drop_dead_returns(const char *original, const char *patched);
/* patched with a label left right above another (a removal emptied it),
 * where original has no such pair, gone and its gotos in that function
 * sent to the lower one (comments.c). Caller frees. */
char *fix_merge_stacked_labels(const char *original, const char *patched);
/* The three above in turn: what a managed conversion leaves behind,
 * dropped (comments.c). Caller frees. */
char *fix_tidy_conversion(const char *original, const char *patched);

/* The line that line `old` of the original is in the patched file of a
 * unified diff (hunks "@@ -a,b +c,d @@"), or 0 when the diff removed it
 * (hunks.c). */
unsigned fix_patched_line(const char *diff, unsigned old);
/* The same, but for a line the diff replaced (removed with lines added
 * right after it, the way a rewritten call shows) the first line added
 * in its place; 0 when removed with nothing in its place. */
unsigned fix_rewritten_line(const char *diff, unsigned old);

/* Compiles the patched copy of rel with the build directory's own command
 * for the object, and the original with the same command, into scratch (a
 * directory of its own: several checks run at once); NULL when the copy
 * compiles with no warning the original does not have, else the reason.
 * make_lock is held while kbuild's make writes a missing command file
 * (compile.c). An object the configuration does not build is built with
 * the CONFIG_ symbols that keep it out set to m on make's command line;
 * *forced then names them (caller frees), else stays NULL. */
char *fix_compile_check(const char *tree, const char *build, const char *rel,
			const char *patched, const char *scratch,
			pthread_mutex_t *make_lock, char **forced);

#endif
