/* The fix pipeline (see fix.h). */
#include "fix/fix.h"
#include "fix/fix_internal.h"
#include "gate/git.h"
#include "overlay.h"
#include "process.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fix_outcome_set(struct fix_outcome *o, bool validated, const char *why)
{
	free(o->validation);
	o->validated = validated;
	o->validation = xstrdup(why);
}

static bool write_whole_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok;
}

void fix_refuse(struct fix_file *ff, char *why)
{
	if (!ff->refused)
		ff->refused = why;
	else
		free(why);
	/* the re-scan reads the tree's content for it again */
	if (ff->copy)
		write_whole_file(ff->copy, ff->original);
}

/* The unified diff of the copy against the tree, and whether it
 * applies there. */
static void make_diff(const struct fix_options *opt, struct fix_file *ff,
		      const char *scratch, size_t index)
{
	char *dfile = xasprintf("%s/fix-%zu.diff", scratch, index);
	char *diff = fix_copy_diff(opt, ff);

	if (!diff) {
		fix_refuse(ff, xstrdup("diff could not compare the patched copy "
				       "with the tree"));
	} else if (!write_whole_file(dfile, diff)) {
		fix_refuse(ff, xasprintf("cannot write %s", dfile));
		free(diff);
	} else {
		const char *check[] = { "git", "apply", "--check", dfile, NULL };
		const char *stat[] = { "git", "apply", "--stat", dfile, NULL };
		struct process_output pc, ps;
		ff->diff = diff;
		if (!process_run(opt->tree, check, NULL, &pc)) {
			char *first = process_first_error_line(&pc, "git apply");
			fix_refuse(ff, xasprintf("the patch does not apply to the "
						 "tree (git apply --check: %s)",
						 first));
			free(first);
		}
		if (process_run(opt->tree, stat, NULL, &ps)) {
			size_t n = strlen(ps.out);
			while (n && ps.out[n - 1] == '\n')
				ps.out[--n] = '\0';
			ff->diffstat = ps.out;
			ps.out = NULL;
		}
		free(pc.out);
		free(pc.err);
		free(ps.out);
		free(ps.err);
	}
	free(dfile);
}

void fix_rewrite_copy(struct fix_file *ff,
		      char *(*rewrite)(const char *original,
				       const char *patched))
{
	size_t len;
	char *patched = read_file(ff->copy, &len), *rewritten;

	if (!patched)
		return;
	rewritten = rewrite(ff->original, patched);
	if (strcmp(rewritten, patched) &&
	    !write_whole_file(ff->copy, rewritten))
		fix_refuse(ff, xstrdup("cannot write the patched copy"));
	free(rewritten);
	free(patched);
}

/* Runs fn(ctx, i) for i in [0, n), `jobs` at once; progress(ctx, i) after
 * each, under the queue's lock. */
struct fix_queue {
	pthread_mutex_t lock;
	size_t n, next;
	void (*fn)(void *ctx, size_t i);
	void (*progress)(void *ctx, size_t i);
	void *ctx;
};

static void *fix_worker(void *arg)
{
	struct fix_queue *q = arg;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&q->lock);
		i = q->next++;
		pthread_mutex_unlock(&q->lock);
		if (i >= q->n)
			break;
		q->fn(q->ctx, i);
		if (q->progress) {
			pthread_mutex_lock(&q->lock);
			q->progress(q->ctx, i);
			pthread_mutex_unlock(&q->lock);
		}
	}
	return NULL;
}

static void fix_in_parallel(size_t n, int jobs, void (*fn)(void *, size_t),
			    void (*progress)(void *, size_t), void *ctx)
{
	struct fix_queue q = { .n = n, .fn = fn, .progress = progress,
			       .ctx = ctx };
	pthread_t *threads;
	int t;

	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > n)
		jobs = n ? (int)n : 1;
	pthread_mutex_init(&q.lock, NULL);
	threads = xcalloc((size_t)jobs, sizeof(*threads));
	for (t = 0; t < jobs; t++)
		if (pthread_create(&threads[t], NULL, fix_worker, &q))
			break;
	if (!t)
		fix_worker(&q);
	while (t-- > 0)
		pthread_join(threads[t], NULL);
	free(threads);
	pthread_mutex_destroy(&q.lock);
}

static int fix_jobs(const struct fix_options *opt)
{
	return opt->scan && opt->scan->jobs > 0 ? opt->scan->jobs : 1;
}

/* The semantic patches and the diff of every file: each is a spatch run
 * on its own scratch copy. */
struct spatch_stage {
	const struct fix_options *opt;
	struct fix_result *res;
	struct fix_file *files;
	size_t nfiles, done;
	const char *scratch;
};

static void spatch_one(void *arg, size_t i)
{
	struct spatch_stage *st = arg;
	struct fix_file *ff = &st->files[i];

	if (!ff->refused)
		fix_run_semantic_patches(st->opt, st->res, ff);
	if (!ff->refused && ff->used.n)
		fix_rewrite_copy(ff, fix_wrap_added_lines);
	if (!ff->refused)
		make_diff(st->opt, ff, st->scratch, i);
}

static void spatch_progress(void *arg, size_t i)
{
	struct spatch_stage *st = arg;

	st->done++;
	if (st->opt->progress)
		fprintf(stderr, "\rirqcheck fix: %zu/%zu %s\033[K", st->done,
			st->nfiles, st->files[i].rel);
}

static void fix_each_file(const struct fix_options *opt,
			  struct fix_result *res, struct fix_file *files,
			  size_t nfiles, const char *scratch)
{
	struct spatch_stage st = { .opt = opt, .res = res, .files = files,
				   .nfiles = nfiles, .scratch = scratch };

	fix_in_parallel(nfiles, fix_jobs(opt), spatch_one, spatch_progress,
			&st);
	if (opt->progress)
		fputs("\r\033[K", stderr);
}

/* The compile checks of the files still offered, each in its own scratch
 * directory; kbuild's make, run when an object has no command file yet,
 * one at a time in the build directory. */
struct compile_stage {
	const struct fix_options *opt;
	struct fix_file *files;
	const char *scratch;
	pthread_mutex_t make_lock;
};

static void compile_one_file(void *arg, size_t i)
{
	struct compile_stage *st = arg;
	struct fix_file *ff = &st->files[i];
	char *dir, *why;

	if (ff->refused)
		return;
	dir = xasprintf("%s/cc-%zu", st->scratch, i);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		fix_refuse(ff, xasprintf("cannot make %s: %s", dir,
					 strerror(errno)));
		free(dir);
		return;
	}
	why = fix_compile_check(st->opt->tree, st->opt->build, ff->rel,
				ff->copy, dir, &st->make_lock, &ff->forced);
	if (why)
		fix_refuse(ff, why);
	free(dir);
}

/* NNNN-<subject>.patch, the name git format-patch would give it: runs
 * of anything but letters, digits, '.' and '_' become one '-', and the
 * subject part is cut to 52 characters. */
static char *patch_name(const char *out_dir, size_t number,
			const char *subject)
{
	struct strbuf slug;
	const char *p;
	char *name;

	sb_init(&slug);
	for (p = subject; *p && slug.len < 52; p++) {
		if (isalnum((unsigned char)*p) || *p == '.' || *p == '_')
			sb_add(&slug, p, 1);
		else if (slug.len && slug.buf[slug.len - 1] != '-')
			sb_add(&slug, "-", 1);
	}
	while (slug.len && (slug.buf[slug.len - 1] == '-' ||
			    slug.buf[slug.len - 1] == '.'))
		slug.buf[--slug.len] = '\0';
	name = xasprintf("%s/%04zu-%s.patch", out_dir, number,
			 slug.len ? slug.buf : "irqcheck-fix");
	sb_release(&slug);
	return name;
}

/* Why the patch leaves the release of kept target o in place. */
static const char *kept_reason(const struct fix_file *ff,
			       const struct fix_outcome *o)
{
	const char *why = fix_kept_because(ff, o->finding->f.line);

	if (!why)
		return "the patch leaves this release in place (the semantic "
		       "patch could not drop it)";
	if (!strcmp(why, "shutdown"))
		return "the patch keeps this release: MSI must be off before "
		       "a kexec, and devres does not run at shutdown; it is "
		       "harmless in both worlds (devres finds nothing "
		       "enabled at detach)";
	return "the patch keeps this release: the driver goes on without "
	       "the vectors after it (it allocates them again, or it "
	       "carries on without them), an early release of the managed "
	       "vectors that is harmless in both worlds (devres finds "
	       "nothing enabled at detach)";
}

/* Whether the patch keeps a target's release because of why (NULL: for
 * any reason hybrid-double-free.cocci stated). */
static bool keeps(const struct fix_result *res, const struct fix_file *ff,
		  const char *why)
{
	size_t i;

	for (i = 0; i < ff->nkept; i++) {
		const char *because = fix_kept_because(
		    ff, res->items[ff->targets[ff->kept[i]]].finding->f.line);
		if (because && (!why || !strcmp(because, why)))
			return true;
	}
	return false;
}

/* Writes the file's patch and settles its targets' outcomes. */
static bool offer(const struct fix_options *opt, struct fix_result *res,
		  struct fix_file *ff, char **err)
{
	const struct stored_finding **fixed = NULL;
	size_t nfixed = 0, cap = 0, i;
	struct fix_mail m;
	char *text, *name, *tmp, *subject;

	for (i = 0; i < ff->ntargets; i++) {
		struct fix_outcome *o = &res->items[ff->targets[i]];
		if (fix_file_keeps(ff, i) && !o->validation)
			fix_outcome_set(o, false, kept_reason(ff, o));
		if (!o->validation)
			ARRAY_PUSH(fixed, nfixed, cap, o->finding);
	}
	m = (struct fix_mail){
		.tree = opt->tree, .rel = ff->rel, .from = opt->from,
		.version = opt->version, .diff = ff->diff,
		.diffstat = ff->diffstat ? ff->diffstat : "",
		.fixed = fixed, .nfixed = nfixed,
		.semantic_patch = ff->used.v[0],
		.used = (const char *const *)ff->used.v, .nused = ff->used.n,
		.managed = opt->managed,
		.managed_fallback = ff->managed_fallback,
		.keeps_release = keeps(res, ff, "goes-on") ||
				 keeps(res, ff, "fallback"),
		.keeps_shutdown_release = keeps(res, ff, "shutdown"),
		.convert = opt->convert,
		.checks = ff->checks,
		.signoff = opt->signoff,
	};
	subject = fix_mail_subject(&m);
	m.subject = subject;
	text = fix_mail_text(&m);
	name = patch_name(opt->out_dir, res->patches + 1, subject);
	free(subject);
	tmp = xasprintf("%s.tmp", name);
	if (!write_whole_file(tmp, text) || rename(tmp, name)) {
		*err = xasprintf("cannot write %s: %s", name, strerror(errno));
		unlink(tmp);
		free(tmp);
		free(name);
		free(text);
		free(fixed);
		return false;
	}
	res->patches++;
	for (i = 0; i < ff->ntargets; i++) {
		struct fix_outcome *o = &res->items[ff->targets[i]];
		free(o->patch);
		o->patch = xstrdup(text);
		if (!o->validation) {
			fix_outcome_set(o, true, ff->checks);
			o->patch_file = xstrdup(name);
		}
	}
	free(tmp);
	free(name);
	free(text);
	free(fixed);
	return true;
}

/* Refuses every target of a refused file that has no outcome yet. */
static void settle_refused(struct fix_result *res, struct fix_file *ff)
{
	size_t i;

	for (i = 0; i < ff->ntargets; i++) {
		struct fix_outcome *o = &res->items[ff->targets[i]];
		if (!o->validation)
			fix_outcome_set(o, false, ff->refused);
		if (ff->diff && !o->patch)
			o->patch = xstrdup(ff->diff);
	}
}

/* Fails when the tree is a git repository with uncommitted changes to
 * one of the files (a patch made from them would not apply to what is
 * committed). */
static bool check_clean(const struct fix_options *opt, struct fix_file *files,
			size_t nfiles, char **err)
{
	char *top = git_toplevel(opt->tree), *real = path_real(opt->tree);
	bool ok = true;
	size_t i;

	if (top && real && !strcmp(top, real)) {
		for (i = 0; i < nfiles && ok; i++) {
			const char *args[] = { "status", "--porcelain", "--",
					       files[i].rel, NULL };
			char *out = NULL, *why = NULL;
			if (git_run(opt->tree, args, &out, &why) && out && *out) {
				*err = xasprintf("%s has uncommitted changes: "
						 "commit or stash them first, "
						 "fix writes patches against the "
						 "committed tree",
						 files[i].rel);
				ok = false;
			}
			free(out);
			free(why);
		}
	}
	free(top);
	free(real);
	return ok;
}

static bool prepare_out_dir(const char *dir, char **err)
{
	char *probe = path_join(dir, "x");

	path_make_parents(probe);
	free(probe);
	if (mkdir(dir, 0755) && errno != EEXIST) {
		*err = xasprintf("cannot make %s: %s", dir, strerror(errno));
		return false;
	}
	if (!path_is_dir(dir) || access(dir, W_OK)) {
		*err = xasprintf("cannot write patches into %s", dir);
		return false;
	}
	return true;
}

static void fix_files_release(struct fix_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(files[i].rel);
		free(files[i].targets);
		free(files[i].kept);
		strvec_free(&files[i].kept_lines);
		free(files[i].original);
		free(files[i].copy);
		free(files[i].diff);
		free(files[i].diffstat);
		free(files[i].refused);
		free(files[i].checks);
		free(files[i].forced);
		strvec_free(&files[i].used);
	}
	free(files);
}

/* Groups the findings that have a recipe into files; the others get
 * their outcome now. */
static void plan(const struct fix_options *opt,
		 const struct stored_findings *findings, struct fix_result *res,
		 struct fix_file **files, size_t *nfiles)
{
	size_t i, j, cap = 0;

	for (i = 0; i < findings->n; i++) {
		const struct stored_finding *x = &findings->items[i];
		const struct fix_recipe *r =
		    fix_recipe_for(x->f.rule, opt->convert);
		struct fix_outcome o = { .finding = x };
		if (!finding_counts(&x->f))
			continue;
		o.semantic_patch = r ? r->cocci : NULL;
		ARRAY_PUSH(res->items, res->n, res->cap, o);
		if (!r) {
			char *why = xasprintf("irqcheck has no semantic patch "
					      "for %s yet",
					      x->f.rule);
			fix_outcome_set(&res->items[res->n - 1], false, why);
			free(why);
			continue;
		}
		if (r->managed_only && !opt->managed) {
			fix_outcome_set(&res->items[res->n - 1], false,
					r->legacy_reason
					    ? r->legacy_reason
					    : "the semantic patch needs "
					      "pcim_alloc_irq_vectors(), which "
					      "this tree does not have");
			continue;
		}
		for (j = 0; j < *nfiles && strcmp((*files)[j].rel, x->f.file);
		     j++)
			;
		if (j == *nfiles) {
			struct fix_file ff = { .rel = xstrdup(x->f.file) };
			ARRAY_PUSH(*files, *nfiles, cap, ff);
		}
		ARRAY_PUSH((*files)[j].targets, (*files)[j].ntargets,
			   (*files)[j].cap, res->n - 1);
	}
}

bool fix_run(const struct fix_options *opt,
	     const struct stored_findings *findings, struct fix_result *res,
	     char **err)
{
	struct fix_file *files = NULL;
	size_t nfiles = 0, i, len;
	struct overlay ov = { 0 };
	struct stored_findings before = { 0 }, after = { 0 };
	struct stored_findings before_gone = { 0 }, after_gone = { 0 };
	struct strvec paths = { 0 }, modules = { 0 };
	double t0 = monotonic_seconds(), t;
	bool ok = true, any = false;

	memset(res, 0, sizeof(*res));
	if (!process_in_path("spatch")) {
		*err = xstrdup("spatch is not installed (Debian package "
			       "coccinelle); irqcheck fix needs it");
		return false;
	}
	plan(opt, findings, res, &files, &nfiles);
	if (!check_clean(opt, files, nfiles, err) ||
	    !prepare_out_dir(opt->out_dir, err) ||
	    !overlay_create(&ov, opt->tree, "fix", err)) {
		fix_files_release(files, nfiles);
		fix_result_release(res);
		return false;
	}
	for (i = 0; i < nfiles; i++) {
		struct fix_file *ff = &files[i];
		char *orig = path_join(opt->tree, ff->rel);
		ff->original = read_file(orig, &len);
		free(orig);
		if (!ff->original) {
			fix_refuse(ff, xasprintf("cannot read it: %s",
						 strerror(errno)));
			continue;
		}
		ff->copy = overlay_add(&ov, ff->rel);
		if (!write_whole_file(ff->copy, ff->original))
			fix_refuse(ff, xasprintf("cannot copy it to %s",
						     ov.scratch));
	}
	t = monotonic_seconds();
	fix_each_file(opt, res, files, nfiles, ov.scratch);
	res->spatch_seconds = monotonic_seconds() - t;
	for (i = 0; i < nfiles; i++)
		any = any || !files[i].refused;
	if (any) {
		fix_rescan_paths(opt, files, nfiles, &paths);
		t = monotonic_seconds();
		ok = fix_rescan(opt, opt->scan->rules, &paths, NULL, &before,
				NULL, NULL, NULL, err);
		res->rescan_seconds[0] = monotonic_seconds() - t;
		/* the patched tree under both semantics, one parse */
		t = monotonic_seconds();
		ok = ok && fix_rescan(opt, opt->scan->rules, &paths, &ov,
				      &after, &modules, opt->gone_rules,
				      &after_gone, err);
		res->rescan_seconds[1] = monotonic_seconds() - t;
		/* the unpatched side only where the patched one reports
		 * something: with nothing after, nothing is new and no leak
		 * is left (most patches) */
		t = monotonic_seconds();
		if (ok && opt->gone_rules) {
			struct strvec reported = { 0 };
			fix_paths_with_findings(&paths, &after_gone, &reported);
			if (reported.n)
				ok = fix_rescan(opt, opt->gone_rules,
						&reported, NULL, &before_gone,
						NULL, NULL, NULL, err);
			strvec_free(&reported);
		}
		res->rescan_seconds[2] = monotonic_seconds() - t;
	}
	for (i = 0; ok && i < nfiles; i++) {
		struct fix_file *ff = &files[i];
		if (ff->refused)
			continue;
		fix_judge_rescan(opt, res, ff, &before, &after, &modules,
				 &files[i].cleared);
		if (!ff->refused && opt->gone_rules)
			fix_judge_without_hybrid_rule(res, ff, &before_gone,
						      &after_gone, &modules);
	}
	t = monotonic_seconds();
	if (ok && opt->build) {
		struct compile_stage cs = { .opt = opt, .files = files,
					    .scratch = ov.scratch };
		pthread_mutex_init(&cs.make_lock, NULL);
		fix_in_parallel(nfiles, fix_jobs(opt), compile_one_file, NULL,
				&cs);
		pthread_mutex_destroy(&cs.make_lock);
	}
	res->compile_seconds = monotonic_seconds() - t;
	t = monotonic_seconds();
	for (i = 0; ok && i < nfiles; i++) {
		struct fix_file *ff = &files[i];
		size_t cleared = ff->cleared;
		char *compiled;
		if (ff->refused)
			continue;
		compiled = !opt->build
				   ? xstrdup("it was not compiled (no kernel "
					     "build directory)")
			   : ff->forced
				   ? xasprintf("the object compiles with no new "
					       "warning (built with %s on "
					       "make's command line: the "
					       "configuration leaves it out)",
					       ff->forced)
				   : xstrdup("the object compiles with no new "
					     "warning");
		ff->checks = xasprintf(
			"it applies to the tree (git apply --check), a re-scan "
			"of the patched driver no longer reports %s and reports "
			"nothing new%s%s, and %s",
			cleared == 1 ? "the finding" : "the findings",
			keeps(res, ff, NULL) ? " but the release it keeps, now "
					       "of managed vectors"
					     : "",
			opt->gone_rules ? " (nor once the PCI core drops its "
					  "hybrid devres rule)"
					: "",
			compiled);
		free(compiled);
		ok = offer(opt, res, ff, err);
	}
	for (i = 0; i < nfiles; i++)
		if (files[i].refused)
			settle_refused(res, &files[i]);
	stored_findings_release(&before);
	stored_findings_release(&after);
	stored_findings_release(&before_gone);
	stored_findings_release(&after_gone);
	strvec_free(&paths);
	strvec_free(&modules);
	overlay_release(&ov, "fix");
	fix_files_release(files, nfiles);
	res->write_seconds = monotonic_seconds() - t;
	res->seconds = monotonic_seconds() - t0;
	if (!ok)
		fix_result_release(res);
	return ok;
}

void fix_result_release(struct fix_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		free(res->items[i].validation);
		free(res->items[i].patch);
		free(res->items[i].patch_file);
	}
	free(res->items);
	memset(res, 0, sizeof(*res));
}
