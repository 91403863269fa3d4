/* Scan driver (see scan.h). */
#include "scan.h"
#include "engine/engine.h"
#include "checks/check_list.h"
#include "engine/summary.h"
#include "frontend/prefilter.h"
#include "frontend/shared_headers.h"
#include "frontend/tolerant.h"
#include "scan_internal.h"
#include "suppress.h"

#include <clang-c/Index.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- per-file analysis ----------------------------------------------- */

/* Tolerant mode keeps the host's headers out (frontend/tolerant.c). */
static void add_own_includes(struct scan_file *f)
{
	if (!f->no_flags)
		tolerant_add_includes(f->path, &f->args);
}

void scan_analyse_tu(const struct ruleset *rules, void *tu_ptr,
		     struct scan_file *f)
{
	CXTranslationUnit tu = tu_ptr;
	const struct check *checks[sizeof(unsigned long) * 8];
	struct tu_ctx ctx = { .tu = tu, .rules = rules, .out = &f->findings,
			      .checks = checks };
	ctx.nchecks = check_select(f->checks_on ? f->checks_on
						: check_default_mask(),
				   checks);
	if (f->link.table)
		ctx.module = &f->link;
	struct error_lines errors = { 0 };
	unsigned n = clang_getNumDiagnostics(tu), i;
	bool header_error = false;
	CXString main_name = clang_getTranslationUnitSpelling(tu);
	CXFile main_file = clang_getFile(tu, clang_getCString(main_name));

	for (i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
		if (sev >= CXDiagnostic_Error && f->tolerant &&
		    tolerant_error(d, &f->unresolved)) {
			clang_disposeDiagnostic(d);
			continue;
		}
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
			CXFile file = NULL;
			clang_getExpansionLocation(loc, &file, &line, NULL,
						   NULL);
			/* where the error is expanded decides: a macro from a
			 * header that goes wrong in the main file is the main
			 * file's error; so is one with no place ("too many
			 * errors") */
			if (!file || clang_File_isEqual(file, main_file))
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
		clang_disposeString(main_name);
		return;
	}
	ctx.main_file = clang_getCString(main_name);
	cfg_env_init(&ctx.cfg_env, tu, rules, &ctx.arena);
	summary_analyze_tu(&ctx, &errors);
	module_exports_collect(&ctx, &f->next_exports);
	cfg_env_release(&ctx.cfg_env);
	summary_free_all(&ctx);
	clang_disposeString(main_name);
	if (f->unresolved.n) {
		struct finding note = { .rule = "irqcheck", .severity = SEV_NOTE };
		struct strbuf sb;
		size_t k;
		sb_init(&sb);
		for (k = 0; k < f->unresolved.n; k++)
			sb_addf(&sb, "%s%s", k ? ", " : "", f->unresolved.v[k]);
		note.file = xstrdup(f->display);
		note.line = 1;
		note.col = 1;
		note.function = xstrdup("");
		note.message = xasprintf("analysed in tolerant mode: not found or "
					 "not declared: %s", sb.buf);
		sb_release(&sb);
		finding_list_push(&f->notes, &note);
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

static void copy_strvec(struct strvec *to, const struct strvec *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		strvec_push(to, from->v[i]);
}

/* A file that could not be parsed is that to its twin as well. */
static void copy_parse_failure(const struct scan_file *f,
			       struct scan_file *twin)
{
	twin->parse_failed = f->parse_failed;
	twin->fault = f->fault;
	twin->first_error = f->first_error ? xstrdup(f->first_error) : NULL;
}

/* Parses f and analyses it under the scan's rules, and under the twin's
 * into twin when there is one (the same file, one parse for both). */
static void parse_and_analyse(CXIndex index, const struct scan_options *opt,
			      struct scan_file *f, size_t fi,
			      struct scan_file *twin)
{
	CXTranslationUnit tu;
	unsigned options = CXTranslationUnit_KeepGoing |
			   CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
	const struct strvec *shared;
	double t0 = monotonic_seconds(), t1, t2;

	tu = scan_parse_file(index, opt, f, fi, options, &shared);
	if (!tu) {
		if (twin)
			copy_parse_failure(f, twin);
		return;
	}
	t1 = monotonic_seconds();
	f->parse_seconds += t1 - t0;
	if (opt->record_headers && !f->headers.n)
		scan_record_headers(tu, shared, f);
	if (twin)
		copy_strvec(&twin->unresolved, &f->unresolved);
	scan_analyse_tu(opt->rules, tu, f);
	if (twin)
		scan_analyse_tu(opt->twin_rules, tu, twin);
	t2 = monotonic_seconds();
	f->analyse_seconds += t2 - t1;
	clang_disposeTranslationUnit(tu);
	f->dispose_seconds += monotonic_seconds() - t2;
	rename_main_file(f);
	if (twin)
		rename_main_file(twin);
}

/* ---- workers ------------------------------------------------------------ */

struct work_queue {
	pthread_mutex_t lock;
	/* held shared by each file's analysis, and exclusively by a file
	 * to be analysed alone (isolate_alone()) */
	pthread_rwlock_t alone;
	const struct scan_options *opt;
	struct scan_file *files;
	struct scan_file *twins; /* the twin scan's files, or NULL */
	size_t *order; /* indices into files of the ones to analyse */
	size_t nfiles, next, done;
	const char *phase; /* shown before the progress count */
};

static void draw_progress(struct work_queue *q, const char *name)
{
	fprintf(stderr, "\r\033[K%s[%zu/%zu] %.60s", q->phase, q->done,
		q->nfiles, name);
	fflush(stderr);
}

/* One file, told to the watching parent, alone when it must be. */
static void analyse_one(CXIndex index, struct work_queue *q, size_t i)
{
	struct isolation *iso = q->opt->isolation;
	struct scan_file *f = &q->files[i];
	struct scan_file *twin = q->twins ? &q->twins[i] : NULL;
	bool alone = isolate_alone(iso, f->display);

	if (alone)
		pthread_rwlock_wrlock(&q->alone);
	else
		pthread_rwlock_rdlock(&q->alone);
	isolate_file_started(iso, f->display);
	parse_and_analyse(index, q->opt, f, i, twin);
	isolate_file_ended(iso, f->display);
	pthread_rwlock_unlock(&q->alone);
}

static void *worker(void *arg)
{
	struct work_queue *q = arg;
	/* the declarations of shared headers are not the file's own: the
	 * analysis visits what the main file declares */
	CXIndex index = clang_createIndex(1, 0);

	for (;;) {
		size_t i;
		pthread_mutex_lock(&q->lock);
		i = q->next < q->nfiles ? q->order[q->next++] : (size_t)-1;
		pthread_mutex_unlock(&q->lock);
		if (i == (size_t)-1)
			break;
		analyse_one(index, q, i);
		pthread_mutex_lock(&q->lock);
		q->done++;
		if (q->opt->progress)
			draw_progress(q, q->files[i].display);
		pthread_mutex_unlock(&q->lock);
	}
	clang_disposeIndex(index);
	return NULL;
}

/* Analyses files[order[0..n)] on the worker threads. */
static void run_workers(const struct scan_options *opt, struct scan_file *files,
			struct scan_file *twins, size_t *order, size_t n,
			const char *phase)
{
	struct work_queue q = { .opt = opt, .files = files, .twins = twins,
				.order = order, .nfiles = n, .phase = phase };
	int jobs = opt->jobs > 0 ? opt->jobs : 1, t;
	pthread_t *threads;

	if (!n)
		return;
	pthread_mutex_init(&q.lock, NULL);
	{
		/* a file to be analysed alone must not wait for the queue
		 * to drain: a waiting writer goes before new readers */
		pthread_rwlockattr_t attr;
		pthread_rwlockattr_init(&attr);
		pthread_rwlockattr_setkind_np(
		    &attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&q.alone, &attr);
		pthread_rwlockattr_destroy(&attr);
	}
	if (jobs > (int)n)
		jobs = (int)n;
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
	pthread_rwlock_destroy(&q.alone);
	if (opt->progress)
		fputs("\r\033[K", stderr);
}

/* ---- cross-file rounds ------------------------------------------------ */

char *scan_file_module(const struct scan_file *f)
{
	static const char def[] = "-DKBUILD_MODNAME=";
	size_t i;

	for (i = 0; i < f->args.n; i++) {
		const char *a = f->args.v[i];
		if (!strncmp(a, def, sizeof(def) - 1)) {
			struct strbuf sb;
			sb_init(&sb);
			for (a += sizeof(def) - 1; *a; a++)
				if (*a != '"' && *a != '\'' && *a != '\\')
					sb_add(&sb, a, 1);
			if (sb.len)
				return sb_detach(&sb);
			sb_release(&sb);
		}
	}
	{
		/* the directory as shown: the gate reads some files from a
		 * scratch copy, and they stay in their module */
		const char *slash = strrchr(f->display, '/');
		return slash ? xstrndup(f->display,
					(size_t)(slash - f->display))
			     : xstrdup(".");
	}
}

static void take_next_exports(struct scan_file *f)
{
	bool same = module_exports_equal(&f->exports, &f->next_exports);

	module_exports_release(&f->exports);
	f->exports = f->next_exports;
	memset(&f->next_exports, 0, sizeof(f->next_exports));
	f->exports.changed = !same;
}

struct driver_probe {
	const struct strvec *globals;
	bool found;
};

static bool has_name(const struct strvec *v, const char *name)
{
	size_t i;

	for (i = 0; name && i < v->n; i++)
		if (!strcmp(v->v[i], name))
			return true;
	return false;
}

static void driver_defined_here(const struct driver_callbacks *d, void *data)
{
	struct driver_probe *p = data;

	p->found |= has_name(p->globals, d->probe) ||
		    has_name(p->globals, d->remove) ||
		    has_name(p->globals, d->shutdown);
}

static void driver_managed(const struct driver_callbacks *d, void *data)
{
	*(bool *)data |= d->management == PROBE_LEAVES_MANAGED;
}

/* Whether another file of the module changes what this file's analysis
 * would say: it calls a summary another file exports (in later rounds,
 * one that changed), another file calls one of its summaries (so they
 * are no longer roots), or a driver structure elsewhere names one of its
 * functions. */
static bool needs_cross_file_analysis(const struct scan_file *f,
				      unsigned round)
{
	const struct module_exports *ex = &f->exports;
	size_t i;

	for (i = 0; i < ex->external_calls.n; i++) {
		const struct module_file *m =
			module_find_file(&f->link, ex->external_calls.v[i]);
		if (m && (round == 1 || m->exports->changed))
			return true;
	}
	if (round > 1)
		return false;
	for (i = 0; i < ex->nsummaries; i++)
		if (module_called_elsewhere(&f->link, ex->summaries[i]->sum.name))
			return true;
	{
		struct driver_probe p = { &ex->globals, false };
		bool managed = false;
		module_each_driver(&f->link, driver_defined_here, &p);
		if (p.found)
			return true;
		/* what callbacks_see_managed_device() reads of the module:
		 * nothing once the file calls a managed allocator; else the
		 * module's allocators, and for a file without a driver
		 * structure of its own the probe()s of the others */
		if (ex->allocators & ALLOCATES_MANAGED)
			return false;
		if (ex->ndrivers)
			return module_allocators(&f->link) != 0;
		module_each_driver(&f->link, driver_managed, &managed);
		return managed;
	}
}

static void reset_results(struct scan_file *f)
{
	strvec_free(&f->unresolved);
	finding_list_release(&f->findings);
	finding_list_release(&f->notes);
	free(f->first_error);
	f->first_error = NULL;
	f->nerrors = 0;
	f->parse_failed = false;
	f->fault = FAULT_NONE;
}

#define MAX_CROSS_FILE_ROUNDS 6

/* Re-analyses the files that link to other files of their module until
 * no exported summary changes (a bounded fixed point). */
/* A stored file's results no longer hold: it is analysed again. Its
 * loaded exports are what the last run stored. */
static void stop_reusing(struct scan_result *res, struct scan_file *f)
{
	module_exports_copy(&f->last_exports, &f->exports,
				    check_static_id);
	f->reused = false;
	res->nreused--;
}

static void note_differences(struct scan_file *f)
{
	f->exports.differs = !f->reused &&
			     !module_exports_equal(&f->last_exports, &f->exports);
}

/* Re-analyses the files that link to other files of their module until
 * no exported summary changes (a bounded fixed point). Files whose stored
 * results were reused join when a file they call, or that calls them, now
 * offers something else than in the last run. */
static void run_cross_file_rounds(const struct scan_options *opt,
				  struct scan_result *res)
{
	struct module_file *mf = xcalloc(res->nfiles + 1, sizeof(*mf));
	struct module_table table;
	size_t *order = xcalloc(res->nfiles + 1, sizeof(*order));
	size_t i, n = 0, norder;
	unsigned round;

	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		if (!f->reused)
			take_next_exports(f);
		note_differences(f);
		if (scan_file_failed(f))
			continue;
		f->module = scan_file_module(f);
		mf[n].path = f->path;
		mf[n].module = f->module;
		mf[n].exports = &f->exports;
		mf[n].last = &f->last_exports;
		n++;
	}
	module_table_build(&table, mf, n);
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		if (f->module) {
			f->link.table = &table;
			f->link.path = f->path;
			f->link.module = f->module;
		}
	}
	for (round = 1; round <= MAX_CROSS_FILE_ROUNDS; round++) {
		norder = 0;
		for (i = 0; i < res->nfiles; i++)
			if (res->files[i].module && !res->files[i].reused &&
			    needs_cross_file_analysis(&res->files[i], round))
				order[norder++] = i;
		if (!norder)
			for (i = 0; i < res->nfiles; i++)
				if (res->files[i].module && res->files[i].reused &&
				    module_touches_difference(&res->files[i].link,
							      &res->files[i].exports))
					order[norder++] = i;
		if (!norder) {
			res->unsettled = false;
			break;
		}
		res->rounds = round;
		res->nreanalysed += norder;
		for (i = 0; i < norder; i++) {
			struct scan_file *f = &res->files[order[i]];
			if (f->reused)
				stop_reusing(res, f);
			reset_results(f);
			f->analyses++;
		}
		run_workers(opt, res->files, NULL, order, norder,
			    "cross-file ");
		for (i = 0; i < res->nfiles; i++)
			res->files[i].exports.changed = false;
		res->unsettled = false;
		for (i = 0; i < norder; i++) {
			take_next_exports(&res->files[order[i]]);
			note_differences(&res->files[order[i]]);
			res->unsettled |= res->files[order[i]].exports.changed;
		}
	}
	for (i = 0; i < res->nfiles; i++)
		memset(&res->files[i].link, 0, sizeof(res->files[i].link));
	module_table_release(&table);
	free(mf);
	free(order);
}

/* ---- findings across files ------------------------------------------- */

static int compare_files_by_path(const void *a, const void *b)
{
	return strcmp((*(struct scan_file *const *)a)->path,
		      (*(struct scan_file *const *)b)->path);
}

static struct scan_file *file_by_path(struct scan_file **sorted, size_t n,
				      const char *path)
{
	struct scan_file key = { .path = (char *)path }, *kp = &key, **hit;

	hit = bsearch(&kp, sorted, n, sizeof(*sorted), compare_files_by_path);
	return hit ? *hit : NULL;
}

static void rename_to_display(struct scan_file **sorted, size_t n, char **p)
{
	struct scan_file *f = *p ? file_by_path(sorted, n, *p) : NULL;

	if (f) {
		free(*p);
		*p = xstrdup(f->display);
	}
}

/* Paths are shown as the user gave them. A finding stays in the list of
 * the file whose analysis made it, even when it is located in another
 * file (a helper's failing return that its caller's analysis decided):
 * the store reuses results per analysed file. Reports show each place
 * once (scan_unique_findings). */
static void rename_findings(struct scan_result *res)
{
	struct scan_file **sorted = xcalloc(res->nfiles + 1, sizeof(*sorted));
	size_t i, j, k;

	for (i = 0; i < res->nfiles; i++)
		sorted[i] = &res->files[i];
	qsort(sorted, res->nfiles, sizeof(*sorted), compare_files_by_path);
	for (i = 0; i < res->nfiles; i++) {
		struct finding_list *l = &res->files[i].findings;
		for (j = 0; j < l->n; j++) {
			struct finding *x = &l->items[j];
			rename_to_display(sorted, res->nfiles, &x->file);
			for (k = 0; k < x->nsteps; k++)
				rename_to_display(sorted, res->nfiles,
						  &x->steps[k].file);
		}
		finding_list_sort(l);
	}
	free(sorted);
}

int scan_compare_findings(const void *a, const void *b)
{
	const struct finding *x = *(const struct finding *const *)a;
	const struct finding *y = *(const struct finding *const *)b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

size_t scan_unique_findings(const struct scan_result *res,
			    const struct finding ***out)
{
	const struct finding **all = NULL;
	size_t n = 0, cap = 0, i, j, kept = 0;

	for (i = 0; i < res->nfiles; i++)
		for (j = 0; j < res->files[i].findings.n; j++)
			ARRAY_PUSH(all, n, cap, &res->files[i].findings.items[j]);
	if (n)
		qsort(all, n, sizeof(*all), scan_compare_findings);
	for (i = 0; i < n; i++)
		if (!kept || scan_compare_findings(&all[kept - 1], &all[i]))
			all[kept++] = all[i];
	*out = all;
	return kept;
}

/* The twin scan's files: the same files with the same arguments, not
 * analysed yet. */
static void make_twin(const struct scan_result *res, struct scan_result *twin)
{
	size_t i;

	memset(twin, 0, sizeof(*twin));
	twin->files = xcalloc(res->nfiles + 1, sizeof(*twin->files));
	twin->nfiles = res->nfiles;
	twin->nconsidered = res->nconsidered;
	for (i = 0; i < res->nfiles; i++) {
		const struct scan_file *f = &res->files[i];
		struct scan_file *t = &twin->files[i];
		t->path = xstrdup(f->path);
		t->display = xstrdup(f->display);
		copy_strvec(&t->args, &f->args);
		t->no_flags = f->no_flags;
		t->not_built = f->not_built;
		t->checks_on = f->checks_on;
		t->tolerant = f->tolerant;
	}
}

/* What follows the files' first analyses: the cross-file rounds, paths
 * as the user gave them, inline suppressions. */
static void finish_analyses(const struct scan_options *opt,
			    struct scan_result *res)
{
	run_cross_file_rounds(opt, res);
	rename_findings(res);
	suppress_apply(res);
}

/* The groups of files that share their headers' parse, or NULL: off, or
 * too few files to share. A tree without <linux/pci.h> builds none, and
 * its files say so under --timings. */
static struct shared_headers *
plan_shared_headers(const struct scan_options *opt, struct scan_result *res)
{
	const struct strvec **args;
	struct shared_headers *sh;
	size_t i;

	if (!opt->share_headers || res->nfiles < SHARED_HEADERS_MIN_GROUP)
		return NULL;
	args = xcalloc(res->nfiles, sizeof(*args));
	for (i = 0; i < res->nfiles; i++)
		args[i] = &res->files[i].args;
	sh = shared_headers_plan((const struct strvec *const *)args,
				 res->nfiles, SHARED_HEADERS_MIN_GROUP,
				 opt->isolation ? opt->isolation->scratch
						: NULL);
	free(args);
	return sh;
}

/* Analyses the files that have no results yet (neither reused from the
 * store nor analysed by irqcheck check), then finishes the scan, and its
 * twin's when there is one: the twin's first analyses share the parse,
 * its cross-file rounds (which depend on its own rules) parse again, on
 * the same shared headers. */
static void analyse_and_finish(const struct scan_options *opt,
			       struct scan_result *res)
{
	size_t i, n = 0, *order = xcalloc(res->nfiles + 1, sizeof(*order));
	struct scan_result *twin = opt->twin;

	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		if (f->reused) {
			res->nreused++;
			continue;
		}
		if (f->analyses)
			continue;
		order[n++] = i;
		f->analyses = 1;
		if (twin)
			twin->files[i].analyses = 1;
	}
	{
		struct scan_options shared = *opt;
		shared.shared_headers = plan_shared_headers(opt, res);
		run_workers(&shared, res->files, twin ? twin->files : NULL,
			    order, n, "");
		free(order);
		finish_analyses(&shared, res);
		if (twin) {
			struct scan_options alone = shared;
			alone.rules = opt->twin_rules;
			alone.twin_rules = NULL;
			alone.twin = NULL;
			finish_analyses(&alone, twin);
		}
		res->shared_headers_seconds = shared_headers_build_seconds(
		    shared.shared_headers, &res->shared_header_sets);
		shared_headers_free(shared.shared_headers);
	}
}

static void drop_last_file(struct scan_result *res)
{
	struct scan_file *f = &res->files[--res->nfiles];

	free(f->path);
	free(f->display);
	strvec_free(&f->args);
	memset(f, 0, sizeof(*f));
}

/* Adds a file to the scan with its compiler flags; false when the
 * caller's adjust_file() leaves it out. */
static bool add_scan_file(const struct scan_options *opt,
			  struct scan_result *res, const char *abs,
			  const char *given)
{
	struct scan_file *f = &res->files[res->nfiles++];
	const char *rel;

	f->path = xstrdup(abs);
	f->display = scan_display_name(opt, abs, given);
	rel = opt->flags->kind == FLAGS_KERNEL ? f->display : f->path;
	f->no_flags =
	    !flags_for_file(opt->flags, f->path, rel, &f->args, &f->not_built);
	strvec_push(&f->args, "-w");
	f->checks_on = check_default_mask() | opt->extra_checks;
	f->tolerant = opt->tolerant;
	if (f->tolerant) { /* every error counted, none fatal */
		size_t k;
		strvec_push(&f->args, "-ferror-limit=0");
		add_own_includes(f);
		/* what the pack says the missing headers declare */
		for (k = 0; k < opt->rules->tolerant_defines.n; k++)
			strvec_pushf(&f->args, "-D%s",
				     opt->rules->tolerant_defines.v[k]);
	}
	if (opt->adjust_file && !opt->adjust_file(opt->adjust_ctx, f)) {
		drop_last_file(res);
		return false;
	}
	return true;
}

/* Companion files (prefilter.h) whose module has a file in the scan join
 * it; the others are left out, as files the prefilter skips. */
static void add_companions(const struct scan_options *opt,
			   struct scan_result *res,
			   const struct strvec *companions,
			   const struct strvec *given)
{
	struct strvec modules = {0};
	size_t i;

	if (!companions->n)
		return;
	for (i = 0; i < res->nfiles; i++) {
		char *m = scan_file_module(&res->files[i]);
		if (!strvec_has(&modules, m))
			strvec_push(&modules, m);
		free(m);
	}
	for (i = 0; i < companions->n; i++) {
		char *m;
		if (!add_scan_file(opt, res, companions->v[i], given->v[i]))
			continue;
		m = scan_file_module(&res->files[res->nfiles - 1]);
		if (!strvec_has(&modules, m))
			drop_last_file(res);
		free(m);
	}
	strvec_free(&modules);
}

bool scan_run(const struct scan_options *opt, struct scan_result *res,
	      char **err)
{
	struct strvec abs = { 0 }, given = { 0 };
	struct strvec companions = {0}, companions_given = {0};
	struct prefilter pf;
	double t0 = monotonic_seconds();
	size_t i;

	memset(res, 0, sizeof(*res));
	if (opt->twin)
		memset(opt->twin, 0, sizeof(*opt->twin));
	if (opt->twin && opt->before_analysis) {
		/* reused results have no twin */
		*err = xstrdup("internal error: a twin scan cannot reuse "
			       "stored results");
		return false;
	}
	if (!scan_collect_files(opt, &abs, &given, err))
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
		enum prefilter_verdict v =
		    opt->prefilter ? prefilter_file_verdict(&pf, abs.v[i])
				   : PREFILTER_PARSE;
		if (v == PREFILTER_PARSE)
			add_scan_file(opt, res, abs.v[i], given.v[i]);
		else if (v == PREFILTER_COMPANION) {
			strvec_push(&companions, abs.v[i]);
			strvec_push(&companions_given, given.v[i]);
		}
	}
	add_companions(opt, res, &companions, &companions_given);
	strvec_free(&companions);
	strvec_free(&companions_given);
	prefilter_release(&pf);
	strvec_free(&abs);
	strvec_free(&given);

	if (opt->list_only) {
		res->seconds = monotonic_seconds() - t0;
		return true;
	}
	if (opt->before_analysis &&
	    !opt->before_analysis(opt->hook_ctx, res, err))
		return false;
	if (opt->twin)
		make_twin(res, opt->twin);
	analyse_and_finish(opt, res);
	res->seconds = monotonic_seconds() - t0;
	if (opt->twin)
		opt->twin->seconds = res->seconds;
	return true;
}

void scan_settle(const struct scan_options *opt, struct scan_result *res)
{
	double t0 = monotonic_seconds();

	analyse_and_finish(opt, res);
	res->seconds = monotonic_seconds() - t0;
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
		free(f->module);
		suppressions_free(f->suppressions, f->nsuppressions);
		strvec_free(&f->unresolved);
		strvec_free(&f->headers);
		module_exports_release(&f->exports);
		module_exports_release(&f->next_exports);
		module_exports_release(&f->last_exports);
	}
	free(res->files);
	memset(res, 0, sizeof(*res));
}
