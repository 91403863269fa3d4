/* Scan driver (see scan.h). */
#include "scan.h"
#include "engine/engine.h"
#include "engine/summary.h"
#include "frontend/prefilter.h"

#include <clang-c/Index.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *p;
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		p = path_join(dir, e->d_name);
		if (e->d_type == DT_DIR ||
		    (e->d_type == DT_UNKNOWN && path_is_dir(p)))
			walk_dir(p, out);
		else if (len > 2 && !strcmp(e->d_name + len - 2, ".c"))
			strvec_push(out, p);
		free(p);
	}
	closedir(d);
}

/* Resolves a user path: relative to the kernel tree in kernel mode. */
static char *resolve_path(const struct scan_options *opt, const char *p)
{
	if (opt->flags->kind == FLAGS_KERNEL && p[0] != '/') {
		char *in_tree = path_join(opt->flags->kernel.src, p);
		char *real = path_real(in_tree);
		free(in_tree);
		if (real)
			return real;
	}
	return path_real(p);
}

static char *display_name(const struct scan_options *opt, const char *abs,
			  const char *given)
{
	const char *root = NULL;
	size_t n;

	if (opt->flags->kind == FLAGS_KERNEL)
		root = opt->flags->kernel.src;
	else if (opt->flags->kind == FLAGS_COMPDB)
		root = opt->flags->db_dir;
	if (root) {
		n = strlen(root);
		if (!strncmp(abs, root, n) && abs[n] == '/')
			return xstrdup(abs + n + 1);
	}
	return xstrdup(given ? given : abs);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

static bool collect_files(const struct scan_options *opt, struct strvec *abs,
			  struct strvec *given, char **err)
{
	size_t i, j;
	struct strvec roots = { 0 };

	for (i = 0; i < opt->npaths; i++) {
		char *r = resolve_path(opt, opt->paths[i]);
		if (!r) {
			*err = xasprintf("%s: no such file or directory",
					 opt->paths[i]);
			strvec_free(&roots);
			return false;
		}
		strvec_push(&roots, r);
		free(r);
	}
	if (opt->flags->kind == FLAGS_COMPDB) {
		struct strvec all = { 0 };
		flags_compdb_files(opt->flags, &all);
		qsort(all.v, all.n, sizeof(char *), compare_strings);
		for (i = 0; i < all.n; i++) {
			bool keep = !roots.n;
			for (j = 0; j < roots.n && !keep; j++)
				keep = under(all.v[i], roots.v[j]);
			if (keep && (!abs->n || strcmp(abs->v[abs->n - 1], all.v[i]))) {
				strvec_push(abs, all.v[i]);
				strvec_push(given, all.v[i]);
			}
		}
		strvec_free(&all);
	} else {
		for (i = 0; i < roots.n; i++) {
			if (path_is_dir(roots.v[i])) {
				struct strvec found = { 0 };
				walk_dir(roots.v[i], &found);
				qsort(found.v, found.n, sizeof(char *),
				      compare_strings);
				for (j = 0; j < found.n; j++) {
					strvec_push(abs, found.v[j]);
					strvec_push(given, found.v[j]);
				}
				strvec_free(&found);
			} else {
				strvec_push(abs, roots.v[i]);
				strvec_push(given, opt->paths[i]);
			}
		}
	}
	strvec_free(&roots);
	return true;
}

/* ---- per-file analysis ----------------------------------------------- */

void scan_analyse_tu(const struct ruleset *rules, void *tu_ptr,
		     struct scan_file *f)
{
	CXTranslationUnit tu = tu_ptr;
	struct tu_ctx ctx = { .tu = tu, .rules = rules, .out = &f->findings };
	struct error_lines errors = { 0 };
	unsigned n = clang_getNumDiagnostics(tu), i;
	bool header_error = false;

	for (i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		if (sev >= CXDiagnostic_Error) {
			CXSourceLocation loc = clang_getDiagnosticLocation(d);
			unsigned line;
			f->nerrors++;
			if (!f->first_error) {
				CXString s = clang_formatDiagnostic(
					d, CXDiagnostic_DisplaySourceLocation |
						   CXDiagnostic_DisplayColumn);
				f->first_error = xstrdup(clang_getCString(s));
				clang_disposeString(s);
			}
			clang_getExpansionLocation(loc, NULL, &line, NULL, NULL);
			if (clang_Location_isFromMainFile(loc))
				ARRAY_PUSH(errors.lines, errors.n, errors.cap, line);
			else
				header_error = true;
		}
		clang_disposeDiagnostic(d);
	}
	if (header_error) {
		/* Broken declarations from a header can change the meaning
		 * of any function: analyse nothing rather than guess. */
		struct finding note = { .rule = "irqcheck", .severity = SEV_NOTE };
		note.file = xstrdup(f->display);
		note.line = 1;
		note.col = 1;
		note.function = xstrdup("");
		note.message = xstrdup("not analysed: a header it includes did "
				       "not parse");
		finding_list_push(&f->notes, &note);
		free(errors.lines);
		return;
	}
	{
		CXString main_name = clang_getTranslationUnitSpelling(tu);
		ctx.main_file = clang_getCString(main_name);
		cfg_env_init(&ctx.cfg_env, tu, rules, &ctx.arena);
		summary_analyze_tu(&ctx, &errors);
		cfg_env_release(&ctx.cfg_env);
		summary_free_all(&ctx);
		clang_disposeString(main_name);
	}
	for (i = 0; i < ctx.notes.n; i++)
		finding_list_push(&f->notes, &ctx.notes.items[i]);
	free(ctx.notes.items);
	engine_release_sites(&ctx);
	arena_free(&ctx.arena);
	free(errors.lines);
	finding_list_sort(&f->findings);
}

/* The path printed in findings is the one libclang gives; replace it by
 * the display name for the main file so output is stable. */
static void rename_main_file(struct scan_file *f)
{
	size_t i, j;
	struct finding_list *lists[2] = { &f->findings, &f->notes };
	size_t l;

	for (l = 0; l < 2; l++)
		for (i = 0; i < lists[l]->n; i++) {
			struct finding *x = &lists[l]->items[i];
			if (x->file && !strcmp(x->file, f->path)) {
				free(x->file);
				x->file = xstrdup(f->display);
			}
			for (j = 0; j < x->nsteps; j++)
				if (x->steps[j].file &&
				    !strcmp(x->steps[j].file, f->path)) {
					free(x->steps[j].file);
					x->steps[j].file = xstrdup(f->display);
				}
		}
}

static void parse_and_analyse(CXIndex index, const struct ruleset *rules,
			      struct scan_file *f)
{
	CXTranslationUnit tu = NULL;
	enum CXErrorCode rc;
	unsigned options = CXTranslationUnit_KeepGoing |
			   CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;

	if (f->no_flags) {
		f->parse_failed = true;
		f->first_error = xstrdup("the compilation database has no entry "
					 "for this file");
		return;
	}
	rc = clang_parseTranslationUnit2(index, f->path,
					 (const char *const *)f->args.v,
					 (int)f->args.n, NULL, 0, options, &tu);
	if (rc != CXError_Success || !tu) {
		f->parse_failed = true;
		f->first_error = xasprintf("libclang could not parse the file "
					   "(error %d)", (int)rc);
		return;
	}
	scan_analyse_tu(rules, tu, f);
	clang_disposeTranslationUnit(tu);
	rename_main_file(f);
}

/* ---- workers ------------------------------------------------------------ */

struct work_queue {
	pthread_mutex_t lock;
	const struct scan_options *opt;
	struct scan_file *files;
	size_t nfiles, next, done;
	double started;
};

static void draw_progress(struct work_queue *q, const char *name)
{
	fprintf(stderr, "\r\033[K[%zu/%zu] %.70s", q->done, q->nfiles, name);
	fflush(stderr);
}

static void *worker(void *arg)
{
	struct work_queue *q = arg;
	CXIndex index = clang_createIndex(0, 0);

	for (;;) {
		size_t i;
		pthread_mutex_lock(&q->lock);
		i = q->next < q->nfiles ? q->next++ : q->nfiles;
		pthread_mutex_unlock(&q->lock);
		if (i == q->nfiles)
			break;
		parse_and_analyse(index, q->opt->rules, &q->files[i]);
		pthread_mutex_lock(&q->lock);
		q->done++;
		if (q->opt->progress)
			draw_progress(q, q->files[i].display);
		pthread_mutex_unlock(&q->lock);
	}
	clang_disposeIndex(index);
	return NULL;
}

bool scan_run(const struct scan_options *opt, struct scan_result *res,
	      char **err)
{
	struct strvec abs = { 0 }, given = { 0 };
	struct prefilter pf;
	struct work_queue q = { .opt = opt };
	double t0 = now_seconds();
	pthread_t *threads;
	int jobs = opt->jobs > 0 ? opt->jobs : 1, t;
	size_t i;

	memset(res, 0, sizeof(*res));
	if (!collect_files(opt, &abs, &given, err))
		return false;
	if (!abs.n) {
		*err = xstrdup("no C files to scan under the given paths");
		strvec_free(&abs);
		strvec_free(&given);
		return false;
	}
	prefilter_init(&pf, opt->rules);
	res->nconsidered = abs.n;
	res->files = xcalloc(abs.n, sizeof(*res->files));
	for (i = 0; i < abs.n; i++) {
		struct scan_file *f;
		const char *rel;
		if (opt->prefilter && !prefilter_file_matches(&pf, abs.v[i]))
			continue;
		f = &res->files[res->nfiles++];
		f->path = xstrdup(abs.v[i]);
		f->display = display_name(opt, abs.v[i], given.v[i]);
		rel = opt->flags->kind == FLAGS_KERNEL ? f->display : f->path;
		f->no_flags = !flags_for_file(opt->flags, f->path, rel, &f->args,
					      &f->not_built);
		strvec_push(&f->args, "-w");
	}
	prefilter_release(&pf);
	strvec_free(&abs);
	strvec_free(&given);

	if (opt->list_only) {
		res->seconds = now_seconds() - t0;
		return true;
	}
	q.files = res->files;
	q.nfiles = res->nfiles;
	pthread_mutex_init(&q.lock, NULL);
	if (jobs > (int)q.nfiles)
		jobs = q.nfiles ? (int)q.nfiles : 1;
	threads = xcalloc((size_t)jobs, sizeof(*threads));
	for (t = 0; t < jobs; t++)
		if (pthread_create(&threads[t], NULL, worker, &q)) {
			jobs = t;
			break;
		}
	if (!jobs)
		worker(&q);
	for (t = 0; t < jobs; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	pthread_mutex_destroy(&q.lock);
	if (opt->progress && q.nfiles)
		fputs("\r\033[K", stderr);
	res->seconds = now_seconds() - t0;
	return true;
}

bool scan_file_failed(const struct scan_file *f)
{
	return f->parse_failed || f->nerrors;
}

void scan_result_release(struct scan_result *res)
{
	size_t i;

	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		free(f->path);
		free(f->display);
		free(f->first_error);
		strvec_free(&f->args);
		finding_list_release(&f->findings);
		finding_list_release(&f->notes);
	}
	free(res->files);
	memset(res, 0, sizeof(*res));
}
