/* The gate (see gate.h). */
#include "gate/gate.h"
#include "checks/check_list.h"
#include "frontend/prefilter.h"
#include "store/hash.h"
#include "gate/git.h"
#include "overlay.h"

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

static void add_unique(struct strvec *v, const char *s)
{
	if (!strvec_has(v, s))
		strvec_push(v, s);
}

/* One side of the range: an overlay holding, at their paths, the C files
 * and headers whose content at `rev` differs from the work tree's. */
struct side {
	const struct gate_options *opt;
	const char *rev;
	struct overlay ov;
};

static bool is_source(const char *path)
{
	return ends_with(path, ".c") || ends_with(path, ".h");
}

static bool side_prepare(struct side *sd, char **err)
{
	const char *args[] = { "diff", "--name-only", "--no-renames", sd->rev,
			       NULL };
	char *out = NULL, *line, *save = NULL;

	if (!overlay_create(&sd->ov, sd->opt->tree, "gate", err))
		return false;
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
		dest = path_join(sd->ov.scratch, line);
		if (git_show_to_file(sd->opt->repo, sd->rev, line, dest)) {
			free(overlay_add(&sd->ov, line));
		} else {
			overlay_add_absent(&sd->ov, line);
		}
		free(dest);
	}
	free(out);
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
			char *d = path_dirname(p);
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
			    prefilter_file_verdict(&pf, found.v[j]) !=
				PREFILTER_SKIP)
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
					if (prefilter_file_verdict(
						&pf, found.v[j]) !=
					    PREFILTER_SKIP)
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

/* A store with a finished run of the tree: a side's files whose content,
 * flags and headers there are as in that run take its results. */
struct side_reuse {
	struct store *store;
	struct run_info run;
	struct reuse_view view;
};

static bool reuse_from_store(void *data, struct scan_result *res, char **err)
{
	struct side_reuse *r = data;

	return store_plan_reuse_viewed(r->store, &r->run, &r->view, res, err);
}

/* store: the store with a run of the tree, or NULL; rules_hash: the
 * identity of the analysis, to find that run. */
static bool analyse_side(const struct gate_options *opt, struct side *sd,
			 const struct strvec *files, struct store *store,
			 const char *rules_hash, struct stored_findings *out,
			 size_t *failures, size_t *reused, char **err)
{
	struct scan_options so = *opt->scan;
	struct scan_result res;
	struct side_reuse r = {.store = store};
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!files->n)
		return true;
	so.paths = (const char *const *)files->v;
	so.npaths = files->n;
	so.prefilter = false;
	so.before_analysis = NULL;
	so.record_headers = false;
	so.adjust_file = overlay_adjust_file;
	so.adjust_ctx = &sd->ov;
	if (store) {
		r.run.tree = opt->tree;
		r.run.rules_hash = rules_hash;
		r.view.content_of = overlay_content_of;
		r.view.tree_args = overlay_tree_args;
		r.view.ctx = &sd->ov;
		so.before_analysis = reuse_from_store;
		so.hook_ctx = &r;
	}
	if (!scan_run(&so, &res, err))
		return false;
	*reused = res.nreused;
	*failures = 0;
	for (i = 0; i < res.nfiles; i++)
		*failures += scan_file_failed(&res.files[i]) &&
			     !res.files[i].not_built;
	overlay_unmap_findings(&sd->ov, &res);
	stored_findings_from_scan(&res, out);
	scan_result_release(&res);
	return true;
}

bool gate_run(const struct gate_options *opt, struct gate_result *res,
	      char **err)
{
	struct side sides[2] = { { opt, opt->base, { 0 } },
				 { opt, opt->head, { 0 } } };
	double t0 = monotonic_seconds();
	struct store *store = NULL;
	char rules_hash[HASH_HEX_LEN + 1] = "";
	bool ok;

	memset(res, 0, sizeof(*res));
	ok = git_changed_paths(opt->repo, opt->base, opt->head, &res->changed,
			       err) &&
	     side_prepare(&sides[0], err) && side_prepare(&sides[1], err);
	if (ok)
		affected_files(opt, &res->changed, res, sides);
	if (ok && opt->db_path && access(opt->db_path, F_OK) == 0) {
		/* a store that cannot be read only costs the reuse */
		char *ignored = NULL;
		store = store_open(opt->db_path, false, &ignored);
		free(ignored);
		hash_analysis_identity(
		    opt->scan->rules->path,
		    check_default_mask() | opt->scan->extra_checks,
		    opt->scan->rules->hybrid_gone, rules_hash);
	}
	ok = ok &&
	     analyse_side(opt, &sides[0], &res->analysed, store, rules_hash,
			  &res->base, &res->base_parse_failures,
			  &res->base_reused, err) &&
	     analyse_side(opt, &sides[1], &res->analysed, store, rules_hash,
			  &res->head, &res->head_parse_failures,
			  &res->head_reused, err);
	store_close(store);
	overlay_release(&sides[0].ov, "gate");
	overlay_release(&sides[1].ov, "gate");
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
