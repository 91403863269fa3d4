/* Parts of the fix pipeline shared by its files: one file with findings
 * to fix, the recipes that patch it (recipes.c), and the judgements of
 * its patch's re-scans (validate.c). */
#ifndef IRQCHECK_FIX_INTERNAL_H
#define IRQCHECK_FIX_INTERNAL_H

#include "fix/fix.h"
#include "overlay.h"

/* One file with findings to fix. */
struct fix_file {
	char *rel;
	size_t *targets; /* indices into the result's outcomes */
	size_t ntargets, cap;
	char *original; /* its content in the tree */
	char *copy;	/* the patched copy, in the overlay */
	char *diff, *diffstat;
	char *refused;		 /* why the file's patch is not offered */
	struct strvec used;	 /* semantic patches that changed it */
	bool adds_release;	 /* a semantic patch added a release */
	bool adds_devres_action; /* one registered a devres release */
	bool managed_fallback;	 /* managed target, legacy patch (recipes.c) */
	size_t cleared;		 /* targets the re-scan no longer reports */
	/* "LINE WHY": the releases hybrid-double-free.cocci kept, by their
	 * line in the tree's file, and why (fallback, goes-on, shutdown,
	 * other) */
	struct strvec kept_lines;
	/* positions in targets of the releases the managed conversion left
	 * in place (validate.c, note_kept_releases()) */
	size_t *kept, nkept, keptcap;
	char *checks;
	char *forced; /* CONFIG_X=m ... the compile check set, or NULL */
};

/* Settles one finding's outcome. */
void fix_outcome_set(struct fix_outcome *o, bool validated, const char *why);
/* Puts rewrite(original, copy) in the file's copy (the lines the
 * semantic patches added wrapped, the comments they made false dropped);
 * refuses the file when it cannot write it. */
void fix_rewrite_copy(struct fix_file *ff,
		      char *(*rewrite)(const char *original,
				       const char *patched));
/* Refuses the file's patch with why (taken; the first reason stays), and
 * puts the tree's content back in its copy for the re-scan. */
void fix_refuse(struct fix_file *ff, char *why);

/* A semantic patch and the rule it fixes (recipes.c). */
struct fix_recipe {
	const char *rule, *cocci;
	bool managed_only; /* needs pcim_alloc_irq_vectors() in the tree */
	bool pass_lines;   /* told the lines of the findings */
	bool takes_managed; /* -D managed selects the managed conversion */
	bool convert;	     /* -D convert: the --convert recipe (lines=all) */
	/* told each finding's line with the line its message names after
	 * pair_marker, as -D <pair_arg>=L:M,... (the request a leaking
	 * return leaves attached, the first of two releases) */
	const char *pair_arg, *pair_marker;
	/* managed_only: why there is no patch for a tree without the
	 * managed allocator */
	const char *legacy_reason;
	/* on the managed target, also told the line the message of a finding
	 * of also_rule names after also_marker (the allocation a
	 * hybrid-double-free release undoes, whose allocator the conversion
	 * changes too: pci_enable_msi(), which the name-only switch of
	 * hybrid-double-free.cocci leaves) */
	const char *also_rule, *also_marker;
	/* on the managed target, when the conversion changes nothing: the
	 * legacy target's patch (an allocation the managed allocator
	 * cannot express, such as a struct msix_entry table, gets an
	 * explicit release) */
	bool legacy_fallback;
};

/* The recipe for a finding of rule (with --convert, its conversion when
 * it has one), or NULL. */
const struct fix_recipe *fix_recipe_for(const char *rule, bool convert);
/* Runs the semantic patches of the file's findings on its copy, in the
 * recipes' order; refuses the file when they fail or change nothing. */
void fix_run_semantic_patches(const struct fix_options *opt,
			      struct fix_result *res, struct fix_file *ff);
/* The unified diff (a/ and b/ labels) of the file's copy against the
 * tree, or NULL when they are the same or diff failed. */
char *fix_copy_diff(const struct fix_options *opt, const struct fix_file *ff);

/* Compares the re-scans for one file under the tree's semantics: refuses
 * it when something new appears in it or its module; marks each target
 * cleared or not and counts the cleared ones in *cleared. */
void fix_judge_rescan(const struct fix_options *opt, struct fix_result *res,
		      struct fix_file *ff, const struct stored_findings *before,
		      const struct stored_findings *after,
		      const struct strvec *modules, size_t *cleared);
/* Whether the target at position t of ff is a release the managed
 * conversion left in place, which the patch does not clear. */
bool fix_file_keeps(const struct fix_file *ff, size_t t);
/* Why hybrid-double-free.cocci kept the release at line (of the tree's
 * file): "fallback", "goes-on", "shutdown", or NULL when it did not say
 * it needs it (other, or not kept by it). */
const char *fix_kept_because(const struct fix_file *ff, unsigned line);
/* The same with the PCI core's hybrid rule gone: nothing new, and no
 * leak left of an implicit-devres-release allocation it clears. */
void fix_judge_without_hybrid_rule(struct fix_result *res, struct fix_file *ff,
				   const struct stored_findings *before,
				   const struct stored_findings *after,
				   const struct strvec *modules);

/* The patched files and the other candidate files of their directories
 * (their modules' other parts): what a re-scan covers (rescan.c). */
void fix_rescan_paths(const struct fix_options *opt, struct fix_file *files,
		      size_t nfiles, struct strvec *out);
/* The paths in a directory where `found` has a finding. */
void fix_paths_with_findings(const struct strvec *paths,
			     const struct stored_findings *found,
			     struct strvec *out);
/* Scans paths under rules, with ov's patched copies when ov is given (the
 * unpatched side under the scan's rules from the store when it can);
 * modules, when given, gets "file\tmodule" lines. */
bool fix_rescan(const struct fix_options *opt, const struct ruleset *rules,
		const struct strvec *paths, struct overlay *ov,
		struct stored_findings *out, struct strvec *modules,
		const struct ruleset *twin_rules,
		struct stored_findings *twin_out, char **err);

#endif
