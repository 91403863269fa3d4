/* Planning the reuse of stored results before a scan (see store.h). */
#include "checks/check_list.h"
#include "engine/module.h"
#include "store/store_internal.h"

#include <errno.h>
#include <search.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- reuse ----------------------------------------------------------- */

/* The last finished run with these rules and this binary, of tree when
 * one is given. */
static int64_t last_run_for(struct store *s, const char *rules_hash,
			    const char *tree)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT id FROM runs WHERE finished IS NOT NULL AND "
	       "rules_hash = ?1 AND tool_version = ?2 AND "
	       "(?3 IS NULL OR tree = ?3) ORDER BY id DESC LIMIT 1");
	int64_t id = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, rules_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, IRQCHECK_VERSION, -1, SQLITE_STATIC);
	if (tree)
		sqlite3_bind_text(st, 3, tree, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* The headers recorded for a file still have the hashes they had. */
static bool headers_unchanged(struct store *s, int64_t headers_id,
			      const struct reuse_view *view)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT entries FROM header_sets "
				      "WHERE id = ?1");
	bool same = false;

	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, headers_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char *entries = xstrdup((const char *)sqlite3_column_text(st, 0));
		char *line, *save = NULL, now[HASH_HEX_LEN + 1];
		same = true;
		for (line = strtok_r(entries, "\n", &save); line && same;
		     line = strtok_r(NULL, "\n", &save)) {
			char *tab = strrchr(line, '\t');
			if (!tab)
				same = false;
			else {
				char *at;
				*tab = '\0';
				at = view ? view->content_of(view->ctx, line)
					  : xstrdup(line);
				same = at && store_content_hash(s, at, now) &&
				       !strcmp(now, tab + 1);
				free(at);
			}
		}
		free(entries);
	}
	sqlite3_finalize(st);
	return same;
}

/* Fills a reused file's results from its row in the last run. */
void store_load_file_results(struct store *s, int64_t file_id,
			     struct scan_file *f)
{
	sqlite3_stmt *st = store_prepare(
		s, "SELECT id, is_note, " FINDING_COLUMNS " FROM findings "
		   "WHERE file_id = ?1 ORDER BY id");

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, file_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct finding x;
		store_row_to_finding(st, 2, &x);
		if (!strcmp(x.rule, SUPPRESSION_RULE)) {
			finding_release(&x); /* made again from the source */
			continue;
		}
		store_load_steps(s, sqlite3_column_int64(st, 0), &x);
		finding_list_push(sqlite3_column_int(st, 1) ? &f->notes
							    : &f->findings,
				  &x);
	}
	sqlite3_finalize(st);
	st = store_prepare(s, "SELECT parse_errors, first_error FROM files "
			"WHERE id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, file_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const unsigned char *e = sqlite3_column_text(st, 1);
			f->nerrors = (unsigned)sqlite3_column_int(st, 0);
			f->first_error = e ? xstrdup((const char *)e) : NULL;
		}
		sqlite3_finalize(st);
	}
}

/* The summaries and links a file of the last run offered its module. */
void store_load_exports(struct store *s, int64_t file_id,
			struct module_exports *ex)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT summary FROM functions WHERE "
				      "file_id = ?1 ORDER BY id");

	module_exports_release(ex);
	while (st && (sqlite3_bind_int64(st, 1, file_id), true) &&
	       sqlite3_step(st) == SQLITE_ROW) {
		struct portable_summary *p = module_summary_from_json(
			(const char *)sqlite3_column_text(st, 0),
			check_static_id);
		if (p)
			ARRAY_PUSH(ex->summaries, ex->nsummaries,
				   ex->cap_summaries, p);
	}
	sqlite3_finalize(st);
	st = store_prepare(s, "SELECT links FROM files WHERE id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, file_id);
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL)
			module_links_from_json(
				(const char *)sqlite3_column_text(st, 0), ex);
		sqlite3_finalize(st);
	}
}

struct module_state {
	char *module;
	bool lost_file; /* a file of the last run is gone */
};

bool store_plan_reuse(struct store *s, const struct run_info *run,
		      struct scan_result *res, char **err)
{
	return store_plan_reuse_viewed(s, run, NULL, res, err);
}

bool store_plan_reuse_viewed(struct store *s, const struct run_info *run,
			     const struct reuse_view *view,
			     struct scan_result *res, char **err)
{
	int64_t last;
	sqlite3_stmt *st;
	struct module_state *mods = NULL;
	size_t nmods = 0, capmods = 0, i, j;
	char **module_of_file = xcalloc(res->nfiles + 1, sizeof(char *));

	store_load_hash_cache(s);
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		if (!store_content_hash(s, f->path, f->content_hash)) {
			*err = xasprintf("%s: cannot be read: %s", f->display,
					 strerror(errno));
			free(module_of_file);
			return false;
		}
		if (view) {
			struct strvec args = {0};
			view->tree_args(view->ctx, f, &args);
			hash_strvec(&args, f->flags_hash);
			strvec_free(&args);
		} else {
			hash_strvec(&f->args, f->flags_hash);
		}
	}
	last = last_run_for(s, run->rules_hash, view ? run->tree : NULL);
	st = last ? store_prepare(s, "SELECT id, content_hash, flags_hash, headers_id "
			       "FROM files WHERE run_id = ?1 AND path = ?2")
		  : NULL;
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		bool reusable = false;
		module_of_file[i] = scan_file_module(f);
		if (st) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, last);
			sqlite3_bind_text(st, 2, f->display, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW) {
				f->prev_id = sqlite3_column_int64(st, 0);
				reusable =
				    !strcmp((const char *)sqlite3_column_text(
						st, 1),
					    f->content_hash) &&
				    !strcmp((const char *)sqlite3_column_text(
						st, 2),
					    f->flags_hash) &&
				    sqlite3_column_type(st, 3) != SQLITE_NULL &&
				    headers_unchanged(
					s, sqlite3_column_int64(st, 3), view);
			}
		}
		for (j = 0; j < nmods; j++)
			if (!strcmp(mods[j].module, module_of_file[i]))
				break;
		if (j == nmods) {
			struct module_state m = { module_of_file[i], false };
			ARRAY_PUSH(mods, nmods, capmods, m);
		}
		f->reused = reusable;
	}
	sqlite3_finalize(st);
	/* a file of the last run's module that is gone changes the module */
	st = last ? store_prepare(s, "SELECT module, path FROM files WHERE run_id = ?1")
		  : NULL;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		const char *p = (const char *)sqlite3_column_text(st, 1);
		bool present = false;
		for (j = 0; j < nmods && strcmp(mods[j].module, m); j++)
			;
		if (j == nmods || mods[j].lost_file)
			continue;
		for (i = 0; i < res->nfiles && !present; i++)
			present = !strcmp(res->files[i].display, p);
		if (!present)
			mods[j].lost_file = true;
	}
	sqlite3_finalize(st);
	/* Files are reused one by one; the cross-file rounds bring back
	 * the ones whose module mates now offer something else. A module
	 * that lost a file is analysed whole (what the file offered is
	 * gone, and nothing records who used it). */
	for (i = 0; i < res->nfiles; i++) {
		struct scan_file *f = &res->files[i];
		for (j = 0; j < nmods; j++)
			if (!strcmp(mods[j].module, module_of_file[i]))
				break;
		if (f->reused && mods[j].lost_file)
			f->reused = false;
		if (f->prev_id)
			store_load_exports(s, f->prev_id,
				     f->reused ? &f->exports : &f->last_exports);
		if (f->reused)
			store_load_file_results(s, f->prev_id, f);
	}
	for (i = 0; i < res->nfiles; i++)
		free(module_of_file[i]);
	free(module_of_file);
	free(mods);
	return true;
}

