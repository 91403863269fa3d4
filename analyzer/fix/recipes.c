/* The recipes of fix: which semantic patch fixes which rule, with what
 * it is told (the findings' lines, where earlier semantic patches have
 * moved them), and their spatch runs on a file's copy. */
#include "fix/fix.h"
#include "fix/fix_internal.h"
#include "process.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which semantic patch fixes which rule. */
static const struct fix_recipe recipes[] = {
	/* never a patch that leaves the driver leaning on the hybrid rule:
	 * without pcim_alloc_irq_vectors() the explicit release stays */
	{ .rule = "hybrid-double-free", .cocci = "hybrid-double-free.cocci",
	  .takes_managed = true, .pass_lines = true, .managed_only = true,
	  .legacy_reason = "no patch for a tree without "
			   "pcim_alloc_irq_vectors(): the explicit release is "
			   "the one the driver needs once the PCI core drops "
			   "the hybrid rule, and the second release devres "
			   "makes while the rule stands is harmless (it finds "
			   "nothing enabled)" },
	/* without pcim_alloc_irq_vectors(): a devres action that releases
	 * them, right in both worlds */
	{ .rule = "implicit-devres-release",
	  .cocci = "implicit-devres-release.cocci", .takes_managed = true,
	  .pass_lines = true, .also_rule = "hybrid-double-free",
	  .also_marker = "unmanaged allocator (line ",
	  .legacy_fallback = true },
	{ .rule = "free-with-handlers", .cocci = "free-with-handlers.cocci",
	  .pass_lines = true },
	{ .rule = "error-path-leak", .cocci = "error-path-leak.cocci",
	  .pass_lines = true },
	{ .rule = "wrong-handler-free", .cocci = "wrong-handler-free.cocci",
	  .pass_lines = true },
	{ .rule = "irq-handler-leak", .cocci = "irq-handler-leak.cocci",
	  .pair_arg = "handlers", .pair_marker = "requested at line " },
	{ .rule = "double-free", .cocci = "double-free.cocci",
	  .pair_arg = "pairs", .pair_marker = "already released at line " },
	{ .rule = "handler-double-free", .cocci = "handler-double-free.cocci",
	  .pass_lines = true },
	/* remove() whose last test tears down on one way only: the
	 * teardown on both. No recipe adds a release of its own to
	 * remove(): a review of 14 such patches found them all wrong (the
	 * remove() released through a callee) */
	{ .rule = "remove-leak", .cocci = "remove-leak.cocci",
	  .pass_lines = true },
	{ .rule = "shutdown-leak", .cocci = "remove-leak.cocci",
	  .pass_lines = true },
	{ .rule = "mismatched-release", .cocci = "mismatched-release.cocci",
	  .pass_lines = true },
	{ .rule = "use-after-free", .cocci = "use-after-free.cocci",
	  .pair_arg = "pairs", .pair_marker = "released at line " },
	/* --convert: leaks of unmanaged drivers fixed by making them
	 * managed */
	{ .rule = "error-path-leak", .cocci = "hybrid-double-free.cocci",
	  .managed_only = true, .takes_managed = true, .convert = true },
	{ .rule = "remove-leak", .cocci = "hybrid-double-free.cocci",
	  .managed_only = true, .takes_managed = true, .convert = true },
};
#define NRECIPES (sizeof(recipes) / sizeof(recipes[0]))

const struct fix_recipe *fix_recipe_for(const char *rule, bool convert)
{
	size_t i;

	for (i = 0; i < NRECIPES; i++)
		if (!strcmp(recipes[i].rule, rule) &&
		    recipes[i].convert == convert)
			return &recipes[i];
	return convert ? fix_recipe_for(rule, false) : NULL;
}

const char *fix_semantic_patch(const char *rule)
{
	const struct fix_recipe *r = fix_recipe_for(rule, false);

	return r ? r->cocci : NULL;
}

const char *fix_rule_named_by(const char *cocci)
{
	size_t i, n = strcspn(cocci, ".");

	for (i = 0; i < NRECIPES; i++)
		if (!recipes[i].convert && !strcmp(recipes[i].cocci, cocci) &&
		    strlen(recipes[i].rule) == n &&
		    !strncmp(recipes[i].rule, cocci, n))
			return recipes[i].rule;
	return NULL;
}

static void push_list_arg(struct strvec *argv, const char *name,
			  const struct strvec *items)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_addf(&sb, "%s=", name);
	for (i = 0; i < items->n; i++)
		sb_addf(&sb, "%s%s", i ? "," : "", items->v[i]);
	if (!items->n)
		sb_adds(&sb, "none");
	strvec_push(argv, "-D");
	strvec_push(argv, sb.buf);
	sb_release(&sb);
}

/* Whether one of the file's findings is of the rule. */
static bool file_has_rule(const struct fix_result *res,
			  const struct fix_file *ff, const char *rule)
{
	size_t t;

	for (t = 0; t < ff->ntargets; t++)
		if (!strcmp(res->items[ff->targets[t]].finding->f.rule, rule))
			return true;
	return false;
}

/* A leak in a file that releases with the wrong family is that
 * release's doing: the release of the right family fixes both, and a
 * release added for the leak would be a second one. */
static bool leak_of_mismatch(const struct fix_result *res,
			     const struct fix_file *ff, const char *rule)
{
	return (!strcmp(rule, "error-path-leak") ||
		!strcmp(rule, "remove-leak")) &&
	       file_has_rule(res, ff, "mismatched-release");
}

/* The unified diff (a/ and b/ labels) of the file's copy against the
 * tree, or NULL when they are the same or diff failed. */
char *fix_copy_diff(const struct fix_options *opt, const struct fix_file *ff)
{
	char *orig = path_join(opt->tree, ff->rel);
	char *la = xasprintf("a/%s", ff->rel), *lb = xasprintf("b/%s", ff->rel);
	const char *argv[] = { "diff", "-up", "--label", la, "--label", lb,
			       orig, ff->copy, NULL };
	struct process_output po;
	char *diff = NULL;

	process_run(NULL, argv, NULL, &po);
	if (po.status == 1 && po.out && *po.out) {
		diff = po.out;
		po.out = NULL;
	}
	free(po.out);
	free(po.err);
	free(orig);
	free(la);
	free(lb);
	return diff;
}

/* Line `old` of the file in the tree where it is in the copy now, by
 * moved (the copy's diff after the semantic patches run so far, NULL
 * when none changed it): 0 when it was removed. */
static unsigned current_line(const char *moved, unsigned old)
{
	return moved ? fix_patched_line(moved, old) : old;
}

/* On the managed target, the line a finding of the recipe's also_rule
 * names after its also_marker (the allocation a hybrid-double-free
 * release undoes), else 0. */
static unsigned also_line(const struct fix_options *opt,
			  const struct fix_recipe *r, const struct finding *f)
{
	const char *at;

	if (!opt->managed || !r->also_rule || strcmp(f->rule, r->also_rule) ||
	    !(at = strstr(f->message, r->also_marker)))
		return 0;
	return (unsigned)strtoul(at + strlen(r->also_marker), NULL, 10);
}

/* Records the "irqcheck-kept-release LINE WHY" lines a semantic patch
 * printed (hybrid-double-free.cocci: the releases it kept and why) in
 * ff->kept_lines as "LINE WHY". */
static void note_kept_lines(struct fix_file *ff, const char *out)
{
	static const char tag[] = "irqcheck-kept-release ";
	const char *line;

	for (line = out; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, tag, sizeof(tag) - 1))
			strvec_pushf(&ff->kept_lines, "%.*s",
				     (int)strcspn(line + sizeof(tag) - 1,
						  "\n"),
				     line + sizeof(tag) - 1);
}

/* One spatch run of recipe r on the file's copy, told `lines`, with the
 * managed conversion when managed: whether it changed the copy (false
 * with the file refused when Coccinelle failed). */
static bool run_recipe(const struct fix_options *opt, struct fix_file *ff,
		       const struct fix_recipe *r, const struct strvec *lines,
		       bool managed)
{
	struct strvec argv = { 0 };
	struct process_output po;
	char *before, *after, *sp = path_join(opt->cocci_dir, r->cocci);
	size_t len;
	bool changed = false;

	strvec_push(&argv, "spatch");
	if (opt->spatch_python) {
		strvec_push(&argv, "--python");
		strvec_push(&argv, opt->spatch_python);
	}
	strvec_push(&argv, "--sp-file");
	strvec_push(&argv, sp);
	strvec_push(&argv, "--very-quiet");
	strvec_push(&argv, "--in-place");
	strvec_push(&argv, "--no-includes");
	strvec_push(&argv, "--timeout");
	strvec_push(&argv, "120");
	strvec_push(&argv, "-D");
	strvec_push(&argv, "patch");
	if (managed && r->takes_managed) {
		strvec_push(&argv, "-D");
		strvec_push(&argv, "managed");
	}
	if (r->convert) {
		strvec_push(&argv, "-D");
		strvec_push(&argv, "convert");
		strvec_push(&argv, "-D");
		strvec_push(&argv, "lines=all");
	}
	if (r->pass_lines)
		push_list_arg(&argv, "lines", lines);
	if (r->pair_arg)
		push_list_arg(&argv, r->pair_arg, lines);
	strvec_push(&argv, ff->copy);
	ARRAY_PUSH(argv.v, argv.n, argv.cap, NULL);
	argv.n--;
	before = read_file(ff->copy, &len);
	if (!process_run(NULL, (const char *const *)argv.v, NULL, &po) ||
	    strstr(po.err, "EXN:") || strstr(po.err, "parse error")) {
		char *first = strstr(po.err, "timeout")
				      ? xstrdup("it timed out after 120 s")
				      : process_first_error_line(&po, "spatch");
		fix_refuse(ff, xasprintf("Coccinelle could not apply cocci/%s "
					 "to it: %s",
					 r->cocci, first));
		free(first);
	} else {
		after = read_file(ff->copy, &len);
		changed = before && after && strcmp(before, after);
		free(after);
		/* the releases it kept, by their line in the tree's file
		 * (while no earlier semantic patch has moved them) */
		if (before && ff->original && !strcmp(before, ff->original))
			note_kept_lines(ff, po.out);
	}
	free(before);
	free(po.out);
	free(po.err);
	free(sp);
	strvec_free(&argv);
	return changed;
}

/* The lines recipe r is told: its findings' (with the line their
 * message names after its pair_marker), and on the managed target the
 * allocations its also_rule's findings name when also; where the
 * semantic patches run so far have moved them (moved: the copy's diff,
 * or NULL). */
static void recipe_lines(const struct fix_options *opt,
			 const struct fix_result *res,
			 const struct fix_file *ff, const struct fix_recipe *r,
			 const char *moved, bool also, struct strvec *lines)
{
	size_t t;

	for (t = 0; t < ff->ntargets; t++) {
		const struct finding *f = &res->items[ff->targets[t]].finding->f;
		const char *mark = r->pair_marker,
			   *at = mark ? strstr(f->message, mark) : NULL;
		if (fix_recipe_for(f->rule, opt->convert) != r) {
			unsigned line = also ? also_line(opt, r, f) : 0;
			line = line ? current_line(moved, line) : 0;
			if (line)
				strvec_pushf(lines, "%u", line);
			continue;
		}
		if (!mark)
			strvec_pushf(lines, "%u", current_line(moved, f->line));
		else if (at)
			strvec_pushf(lines, "%u:%lu", f->line,
				     strtoul(at + strlen(mark), NULL, 10));
	}
}

/* On the managed target, after recipe r's managed run (which changed
 * the copy when changed; moved: the copy's diff before it): the
 * findings of r whose line that run left as it was are allocations the
 * managed allocator cannot express (a struct msix_entry table); the
 * legacy run gives them the explicit release, told their lines only (an
 * allocation a kept release undoes needs none). Whether it changed the
 * copy. */
static bool legacy_fallback(const struct fix_options *opt,
			    const struct fix_result *res, struct fix_file *ff,
			    const struct fix_recipe *r, bool changed,
			    const char *moved)
{
	struct strvec all = { 0 }, left = { 0 };
	char *now = changed ? fix_copy_diff(opt, ff) : NULL;
	size_t i;
	bool done;

	recipe_lines(opt, res, ff, r, changed ? now : moved, false, &all);
	for (i = 0; i < all.n; i++)
		if (strcmp(all.v[i], "0"))
			strvec_push(&left, all.v[i]);
	done = left.n && run_recipe(opt, ff, r, &left, false);
	strvec_free(&all);
	strvec_free(&left);
	free(now);
	return done;
}

void fix_run_semantic_patches(const struct fix_options *opt,
			      struct fix_result *res, struct fix_file *ff)
{
	size_t r, t;
	bool changed = false;

	for (r = 0; r < NRECIPES && !ff->refused; r++) {
		const struct fix_recipe *rc = &recipes[r];
		struct strvec lines = { 0 };
		char *moved;
		bool managed = opt->managed, now;
		if (leak_of_mismatch(res, ff, rc->rule))
			continue;
		moved = changed ? fix_copy_diff(opt, ff) : NULL;
		recipe_lines(opt, res, ff, rc, moved, true, &lines);
		if (!lines.n) {
			free(moved);
			continue;
		}
		now = run_recipe(opt, ff, rc, &lines, managed);
		/* not beside a dropped release of the same driver: the
		 * release of the fallback's family would stay beside its
		 * devres action (ptdma's MSI-X) */
		if (!ff->refused && managed && rc->legacy_fallback &&
		    !strvec_has(&ff->used, "hybrid-double-free.cocci") &&
		    legacy_fallback(opt, res, ff, rc, now, moved)) {
			ff->managed_fallback = true;
			ff->adds_devres_action = true;
			now = true;
		}
		free(moved);
		strvec_free(&lines);
		if (!now)
			continue;
		/* the comments the conversion made false go, and the
		 * returns and labels an unwind label's removal left dead or
		 * empty */
		if (opt->managed && rc->takes_managed)
			fix_rewrite_copy(ff, fix_tidy_conversion);
		changed = true;
		strvec_push(&ff->used, rc->cocci);
		ff->adds_release = ff->adds_release ||
				   (rc->pass_lines && !rc->convert &&
				    !strcmp(rc->rule, "error-path-leak"));
		ff->adds_devres_action =
		    ff->adds_devres_action ||
		    (!managed && !strcmp(rc->rule, "implicit-devres-release"));
	}
	if (!ff->refused && !ff->used.n) {
		struct strbuf sb;
		sb_init(&sb);
		for (r = 0; r < NRECIPES; r++)
			for (t = 0; t < ff->ntargets; t++)
				if (fix_recipe_for(res->items[ff->targets[t]]
						       .finding->f.rule,
					       opt->convert) == &recipes[r]) {
					sb_addf(&sb, "%scocci/%s",
						sb.len ? ", " : "",
						recipes[r].cocci);
					break;
				}
		fix_refuse(ff, xasprintf("%s made no change to it (the code "
					 "does not have the shape the semantic "
					 "patch handles)",
					 sb.buf ? sb.buf : "the semantic patch"));
		sb_release(&sb);
	}
}

