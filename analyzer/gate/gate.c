/* The gate (see gate.h). */
#include "gate/gate.h"
#include "frontend/prefilter.h"
#include "gate/git.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static bool has(const struct strvec *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

static void add_unique(struct strvec *v, const char *s)
{
	if (!has(v, s))
		strvec_push(v, s);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
}

/* One side of the range: a scratch directory holding, at their paths,
 * the C files and headers whose content at `rev` differs from the work
 * tree's. */
struct side {
	const struct gate_options *opt;
	const char *rev;
	char *scratch;
	struct strvec overlaid; /* paths present in scratch */
	struct strvec absent;	/* paths that do not exist at rev */
	struct strvec overlay_dirs; /* dirs (relative) holding overlaid
				       headers */
};

static bool is_source(const char *path)
{
	return ends_with(path, ".c") || ends_with(path, ".h");
}

static bool side_prepare(struct side *sd, char **err)
{
	const char *args[] = { "diff", "--name-only", "--no-renames", sd->rev,
			       NULL };
	char *out = NULL, *line, *save = NULL, tmpl[] = "/tmp/irqcheck-gate-XXXXXX";
	char *tmp = mkdtemp(tmpl);

	if (!tmp) {
		*err = xasprintf("cannot make a scratch directory: %s",
				 strerror(errno));
		return false;
	}
	sd->scratch = xstrdup(tmp);
	/* work tree (with uncommitted changes) against rev */
	if (!git_run(sd->opt->repo, args, &out, err)) {
		free(out);
		return false;
	}
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *dest;
		if (!is_source(line))
			continue;
		dest = path_join(sd->scratch, line);
		if (git_show_to_file(sd->opt->repo, sd->rev, line, dest)) {
			strvec_push(&sd->overlaid, line);
			if (ends_with(line, ".h")) {
				char *d = dir_of(line);
				add_unique(&sd->overlay_dirs, d);
				free(d);
			}
		} else {
			strvec_push(&sd->absent, line);
		}
		free(dest);
	}
	free(out);
	return true;
}

static void side_release(struct side *sd)
{
	if (sd->scratch) {
		char *cmd = xasprintf("rm -rf '%s'", sd->scratch);
		if (system(cmd) != 0)
			fprintf(stderr, "irqcheck gate: could not remove %s\n",
				sd->scratch);
		free(cmd);
	}
	free(sd->scratch);
	strvec_free(&sd->overlaid);
	strvec_free(&sd->absent);
	strvec_free(&sd->overlay_dirs);
}

/* Points a file at its content at this side's revision, and puts the
 * scratch copy of a header directory before the tree's own. */
static bool adjust_for_side(void *data, struct scan_file *f)
{
	struct side *sd = data;
	const char *tree = sd->opt->tree;
	size_t tl = strlen(tree), i, j;
	struct strvec args = { 0 };
	char *dir;

	if (has(&sd->absent, f->display))
		return false;
	dir = dir_of(f->display);
	for (i = 0; i < f->args.n; i++) {
		const char *a = f->args.v[i];
		/* -I<tree>/sub, or -Isub relative to the tree (the gate runs
		 * from its top) */
		bool in_tree = !strncmp(a, "-I", 2) &&
			       ((!strncmp(a + 2, tree, tl) &&
				 (a[2 + tl] == '/' || !a[2 + tl])) ||
				(a[2] && a[2] != '/'));
		if (in_tree) {
			const char *sub = a[2] != '/' ? a + 2
					  : a[2 + tl] ? a + 3 + tl
						      : "";
			for (j = 0; j < sd->overlay_dirs.n; j++) {
				const char *od = sd->overlay_dirs.v[j];
				size_t sl = strlen(sub);
				if (!strncmp(od, sub, sl) &&
				    (!sl || od[sl] == '/' || !od[sl])) {
					strvec_pushf(&args, "-I%s/%s", sd->scratch,
						     sub);
					break;
				}
			}
		}
		strvec_push(&args, a);
	}
	/* the file's own directory in the tree, for "local.h" includes of
	 * a file read from the scratch copy */
	if (has(&sd->overlaid, f->display)) {
		char *p = path_join(sd->scratch, f->display);
		strvec_pushf(&args, "-iquote%s/%s", sd->scratch, dir);
		strvec_pushf(&args, "-iquote%s/%s", tree, dir);
		free(f->path);
		f->path = p;
	}
	strvec_free(&f->args);
	f->args = args;
	free(dir);
	return true;
}

/* The files whose findings the range can change. */
static void affected_files(const struct gate_options *opt,
			   const struct strvec *changed, struct gate_result *res,
			   struct side *sides)
{
	struct prefilter pf;
	struct strvec dirs = { 0 }, headers = { 0 };
	size_t i, j;
	struct store *store = NULL;
	char *ignored = NULL;
	bool know_includers = true;

	prefilter_init(&pf, opt->scan->rules);
	for (i = 0; i < changed->n; i++) {
		const char *p = changed->v[i];
		if (ends_with(p, ".c")) {
			char *d = dir_of(p);
			add_unique(&res->analysed, p);
			add_unique(&dirs, d);
			free(d);
		} else if (ends_with(p, ".h")) {
			strvec_push(&headers, p);
		}
	}
	/* module mates: candidates in the directory of a changed file */
	for (i = 0; i < dirs.n; i++) {
		char *abs = path_join(opt->tree, dirs.v[i]);
		struct strvec found = { 0 };
		scan_list_c_files(abs, &found);
		for (j = 0; j < found.n; j++) {
			const char *rel = found.v[j] + strlen(opt->tree) + 1;
			if (!strchr(rel + strlen(dirs.v[i]) + 1, '/') &&
			    prefilter_file_matches(&pf, found.v[j]))
				add_unique(&res->analysed, rel);
		}
		strvec_free(&found);
		free(abs);
	}
	/* includers of a changed header: from the store's last run of the
	 * tree, else every candidate of the scan */
	if (headers.n) {
		if (opt->db_path && access(opt->db_path, F_OK) == 0)
			store = store_open(opt->db_path, false, &ignored);
		free(ignored);
		for (i = 0; i < headers.n && know_includers; i++) {
			char *abs = path_join(opt->tree, headers.v[i]);
			struct strvec inc = { 0 };
			know_includers = store &&
					 store_includers(store, opt->tree, abs, &inc);
			for (j = 0; j < inc.n; j++)
				add_unique(&res->analysed, inc.v[j]);
			strvec_free(&inc);
			free(abs);
		}
		store_close(store);
		if (!know_includers) {
			for (i = 0; i < opt->scan->npaths; i++) {
				char *abs = path_join(opt->tree, opt->scan->paths[i]);
				struct strvec found = { 0 };
				scan_list_c_files(abs, &found);
				for (j = 0; j < found.n; j++) {
					const char *rel = found.v[j] +
							  strlen(opt->tree) + 1;
					while (!strncmp(rel, "./", 2))
						rel += 2;
					if (prefilter_file_matches(&pf, found.v[j]))
						add_unique(&res->analysed, rel);
				}
				strvec_free(&found);
				free(abs);
			}
			res->all_candidates = true;
		}
	}
	(void)sides;
	prefilter_release(&pf);
	strvec_free(&dirs);
	strvec_free(&headers);
}

static bool analyse_side(const struct gate_options *opt, struct side *sd,
			 const struct strvec *files, struct stored_findings *out,
			 size_t *failures, char **err)
{
	struct scan_options so = *opt->scan;
	struct scan_result res;
	size_t i, j, k, sl = strlen(sd->scratch);

	memset(out, 0, sizeof(*out));
	if (!files->n)
		return true;
	so.paths = (const char *const *)files->v;
	so.npaths = files->n;
	so.prefilter = false;
	so.before_analysis = NULL;
	so.record_headers = false;
	so.adjust_file = adjust_for_side;
	so.adjust_ctx = sd;
	if (!scan_run(&so, &res, err))
		return false;
	*failures = 0;
	for (i = 0; i < res.nfiles; i++) {
		struct scan_file *f = &res.files[i];
		*failures += scan_file_failed(f) && !f->not_built;
		/* paths inside the scratch copy are shown as the tree's */
		for (j = 0; j < f->findings.n; j++) {
			struct finding *x = &f->findings.items[j];
			for (k = 0; k < x->nsteps; k++)
				if (!strncmp(x->steps[k].file, sd->scratch, sl) &&
				    x->steps[k].file[sl] == '/') {
					char *t = xstrdup(x->steps[k].file + sl + 1);
					free(x->steps[k].file);
					x->steps[k].file = t;
				}
		}
	}
	stored_findings_from_scan(&res, out);
	scan_result_release(&res);
	return true;
}

bool gate_run(const struct gate_options *opt, struct gate_result *res,
	      char **err)
{
	struct side sides[2] = { { opt, opt->base, NULL, { 0 }, { 0 }, { 0 } },
				 { opt, opt->head, NULL, { 0 }, { 0 }, { 0 } } };
	double t0 = monotonic_seconds();
	bool ok;

	memset(res, 0, sizeof(*res));
	ok = git_changed_paths(opt->repo, opt->base, opt->head, &res->changed,
			       err) &&
	     side_prepare(&sides[0], err) && side_prepare(&sides[1], err);
	if (ok)
		affected_files(opt, &res->changed, res, sides);
	ok = ok &&
	     analyse_side(opt, &sides[0], &res->analysed, &res->base,
			  &res->base_parse_failures, err) &&
	     analyse_side(opt, &sides[1], &res->analysed, &res->head,
			  &res->head_parse_failures, err);
	side_release(&sides[0]);
	side_release(&sides[1]);
	if (!ok)
		return false;
	stored_findings_missing(&res->head, &res->base, NULL, NULL, &res->added,
				&res->nadded);
	stored_findings_missing(&res->base, &res->head, NULL, NULL, &res->fixed,
				&res->nfixed);
	{
		/* notes do not fail the gate: move them aside */
		size_t i, kept = 0, cap = 0;
		for (i = 0; i < res->nadded; i++) {
			if (res->added[i]->f.severity == SEV_NOTE)
				ARRAY_PUSH(res->added_notes, res->nadded_notes,
					   cap, res->added[i]);
			else
				res->added[kept++] = res->added[i];
		}
		res->nadded = kept;
	}
	res->seconds = monotonic_seconds() - t0;
	return true;
}

void gate_result_release(struct gate_result *res)
{
	strvec_free(&res->changed);
	strvec_free(&res->analysed);
	stored_findings_release(&res->base);
	stored_findings_release(&res->head);
	free(res->added);
	free(res->added_notes);
	free(res->fixed);
	memset(res, 0, sizeof(*res));
}
