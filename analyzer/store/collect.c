/* The collections of irqcheck check (see store.h): each file kbuild
 * checked joins its tree's collection, and the readers load a changed
 * collection back as a scan to settle it into a finished run. */
#include "checks/check_list.h"
#include "store/store_internal.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *args_json(const struct strvec *args)
{
	json_t *a = json_array();
	char *text;
	size_t i;

	for (i = 0; i < args->n; i++)
		json_array_append_new(a, json_string(args->v[i]));
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

static bool args_from_json(const char *text, struct strvec *out)
{
	json_t *a = json_loads(text, 0, NULL), *v;
	size_t i;
	bool ok = json_is_array(a);

	json_array_foreach(ok ? a : NULL, i, v)
	{
		if (!json_is_string(v)) {
			ok = false;
			break;
		}
		strvec_push(out, json_string_value(v));
	}
	json_decref(a);
	return ok;
}

/* The collection of tree, made when there is none. In a transaction. */
static int64_t collection_of(struct store *s, const struct run_info *run)
{
	sqlite3_stmt *st = store_prepare(
		s, "SELECT run_id FROM collections WHERE tree = ?1");
	int64_t id = 0;
	char *now;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, run->tree, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (id)
		return id;
	now = store_now_text();
	st = store_prepare(s, "INSERT INTO runs (tree, flags_source, rules_hash, "
			      "tool_version, started) VALUES (?1, 'check', "
			      "?2, ?3, ?4)");
	if (st) {
		sqlite3_bind_text(st, 1, run->tree, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, run->rules_hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, IRQCHECK_VERSION, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_DONE)
			id = sqlite3_last_insert_rowid(s->db);
		sqlite3_finalize(st);
	}
	free(now);
	st = id ? store_prepare(s, "INSERT INTO collections (run_id, tree) "
				   "VALUES (?1, ?2)")
		: NULL;
	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, run->tree, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			id = 0;
		sqlite3_finalize(st);
	}
	return id;
}

static bool step_done(sqlite3_stmt *st)
{
	bool ok = st && sqlite3_step(st) == SQLITE_DONE;

	sqlite3_finalize(st);
	return ok;
}

static bool collect_in_transaction(struct store *s, const struct run_info *run,
				   const char *display,
				   const struct strvec *args,
				   const struct scan_file *f)
{
	int64_t id = collection_of(s, run);
	sqlite3_stmt *st;
	char *json, *now;
	bool ok;

	if (!id)
		return false;
	/* what an earlier check of the file left goes, with its findings */
	st = store_prepare(s, "DELETE FROM files WHERE run_id = ?1 AND path = ?2");
	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, display, -1, SQLITE_STATIC);
	}
	if (!step_done(st))
		return false;
	if (f) {
		struct scan_result one = { .files = (struct scan_file *)f,
					   .nfiles = 1 };
		struct run_prints fp;
		store_run_prints_make(&one, &fp);
		ok = store_record_file(s, id, f, &fp);
		store_run_prints_release(&fp);
		if (!ok)
			return false;
	}
	json = args_json(args);
	now = store_now_text();
	st = store_prepare(s, "INSERT OR REPLACE INTO checked_files (run_id, "
			      "path, args, rules_hash, analysed, checked) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, display, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, run->rules_hash, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, f != NULL);
		sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	}
	ok = step_done(st);
	free(json);
	free(now);
	if (!ok)
		return false;
	st = store_prepare(s, "UPDATE collections SET generation = generation "
			      "+ 1 WHERE run_id = ?1");
	if (st)
		sqlite3_bind_int64(st, 1, id);
	return step_done(st) && store_write_hash_cache(s);
}

bool store_collect_file(struct store *s, const struct run_info *run,
			const char *display, const struct strvec *args,
			const struct scan_file *f, char **err)
{
	if (!store_exec(s, "BEGIN IMMEDIATE", "adding the checked file", err))
		return false;
	if (!collect_in_transaction(s, run, display, args, f)) {
		*err = store_db_error(s, "adding the checked file");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return store_exec(s, "COMMIT", "adding the checked file", err);
}

bool store_unsettled_collections(struct store *s, int64_t **ids, size_t *n,
				 char **err)
{
	sqlite3_stmt *st = store_prepare(
		s, "SELECT run_id FROM collections WHERE generation > settled "
		   "ORDER BY run_id");
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	if (!st) {
		*err = store_db_error(s, "looking for checked files");
		return false;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		ARRAY_PUSH(*ids, *n, cap, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return true;
}

/* The names of the headers a stored file included. */
static void load_header_names(struct store *s, int64_t headers_id,
			      struct strvec *out)
{
	sqlite3_stmt *st = store_prepare(
		s, "SELECT entries FROM header_sets WHERE id = ?1");
	char *entries, *line, *save = NULL;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, headers_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		entries = xstrdup((const char *)sqlite3_column_text(st, 0));
		for (line = strtok_r(entries, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *tab = strrchr(line, '\t');
			if (tab)
				*tab = '\0';
			strvec_push(out, line);
		}
		free(entries);
	}
	sqlite3_finalize(st);
}

static enum file_fault_kind fault_of(const char *status)
{
	if (!strcmp(status, "crashed"))
		return FAULT_CRASHED;
	if (!strcmp(status, "timed-out"))
		return FAULT_TIMED_OUT;
	return FAULT_NONE;
}

static bool load_collected_file(struct store *s, sqlite3_stmt *row,
				const char *tree, const char *rules_hash,
				struct scan_file *f)
{
	int64_t file_id = sqlite3_column_int64(row, 0);
	const char *status = (const char *)sqlite3_column_text(row, 6);
	bool same_rules =
		!strcmp((const char *)sqlite3_column_text(row, 5), rules_hash);

	f->display = xstrdup((const char *)sqlite3_column_text(row, 1));
	f->path = path_join(tree, f->display);
	if (!args_from_json((const char *)sqlite3_column_text(row, 2),
			    &f->args))
		return false;
	snprintf(f->content_hash, sizeof(f->content_hash), "%s",
		 (const char *)sqlite3_column_text(row, 3));
	snprintf(f->flags_hash, sizeof(f->flags_hash), "%s",
		 (const char *)sqlite3_column_text(row, 4));
	f->checks_on = check_default_mask();
	if (!same_rules)
		return true; /* analysed again by the settling */
	f->analyses = 1;
	f->fault = fault_of(status);
	f->parse_failed = f->fault != FAULT_NONE;
	store_load_file_results(s, file_id, f);
	if (f->parse_failed && f->nerrors)
		f->nerrors--; /* the store counts a failure as one error */
	store_load_exports(s, file_id, &f->next_exports);
	if (sqlite3_column_type(row, 7) != SQLITE_NULL)
		load_header_names(s, sqlite3_column_int64(row, 7), &f->headers);
	return true;
}

bool store_load_collection(struct store *s, int64_t id,
			   const char *rules_hash, struct scan_result *res,
			   char **tree, int64_t *generation, char **err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	bool ok = true, read;

	memset(res, 0, sizeof(*res));
	*tree = NULL;
	/* one snapshot: checks that land meanwhile wait for the next
	 * settling */
	if (!store_exec(s, "BEGIN", "reading the checked files", err))
		return false;
	st = store_prepare(s, "SELECT tree, generation FROM collections WHERE "
			      "run_id = ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*tree = xstrdup((const char *)sqlite3_column_text(st, 0));
			*generation = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	st = store_prepare(s, "SELECT count(*) FROM checked_files WHERE "
			      "run_id = ?1");
	read = st && (sqlite3_bind_int64(st, 1, id), true) &&
	       sqlite3_step(st) == SQLITE_ROW;
	if (read)
		res->nconsidered = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = store_prepare(
		s, "SELECT f.id, f.path, c.args, f.content_hash, f.flags_hash, "
		   "c.rules_hash, f.status, f.headers_id FROM files f JOIN "
		   "checked_files c ON c.run_id = f.run_id AND c.path = f.path "
		   "WHERE f.run_id = ?1 ORDER BY f.path");
	if (!st || !*tree || !read) {
		sqlite3_finalize(st);
		*err = store_db_error(s, "reading the checked files");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		free(*tree);
		*tree = NULL;
		return false;
	}
	sqlite3_bind_int64(st, 1, id);
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		struct scan_file f = { 0 };
		ok = load_collected_file(s, st, *tree, rules_hash, &f);
		ARRAY_PUSH(res->files, res->nfiles, cap, f);
	}
	sqlite3_finalize(st);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (!ok) {
		*err = xasprintf("%s: the compiler arguments of a checked file "
				 "are not a JSON list of strings",
				 s->path);
		scan_result_release(res);
		free(*tree);
		*tree = NULL;
	}
	return ok;
}

bool store_collection_settled(struct store *s, int64_t id,
			      int64_t generation, char **err)
{
	sqlite3_stmt *st = store_prepare(
		s, "UPDATE collections SET settled = max(settled, ?2) WHERE "
		   "run_id = ?1");

	if (st) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, generation);
	}
	if (step_done(st))
		return true;
	*err = store_db_error(s, "marking the checked files settled");
	return false;
}
