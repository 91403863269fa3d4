/* Reading the store: runs, their findings with paths, and the baseline
 * (see store.h). */
#include "checks/check_list.h"
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

static enum severity severity_of(const char *name)
{
	if (!strcmp(name, "error"))
		return SEV_ERROR;
	if (!strcmp(name, "warning"))
		return SEV_WARNING;
	return SEV_NOTE;
}

void store_load_steps(struct store *s, int64_t finding_id, struct finding *f)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT path, line, col, text FROM steps "
				      "WHERE finding_id = ?1 ORDER BY seq");
	size_t cap = 0;

	if (!st)
		return;
	sqlite3_bind_int64(st, 1, finding_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct finding_step step;
		step.file = xstrdup((const char *)sqlite3_column_text(st, 0));
		step.line = (unsigned)sqlite3_column_int(st, 1);
		step.col = (unsigned)sqlite3_column_int(st, 2);
		step.text = xstrdup((const char *)sqlite3_column_text(st, 3));
		ARRAY_PUSH(f->steps, f->nsteps, cap, step);
	}
	sqlite3_finalize(st);
}

void store_row_to_finding(sqlite3_stmt *st, int first, struct finding *f)
{
	const unsigned char *sup;

	memset(f, 0, sizeof(*f));
	f->rule = check_static_id((const char *)sqlite3_column_text(st, first));
	f->severity = severity_of((const char *)sqlite3_column_text(st, first + 1));
	f->file = xstrdup((const char *)sqlite3_column_text(st, first + 2));
	f->line = (unsigned)sqlite3_column_int(st, first + 3);
	f->col = (unsigned)sqlite3_column_int(st, first + 4);
	f->function = xstrdup((const char *)sqlite3_column_text(st, first + 5));
	f->message = xstrdup((const char *)sqlite3_column_text(st, first + 6));
	sup = sqlite3_column_text(st, first + 7);
	f->suppressed = sup ? xstrdup((const char *)sup) : NULL;
	sup = sqlite3_column_text(st, first + 8);
	f->unproven = sup ? xstrdup((const char *)sup) : NULL;
}

/* ---- reading ----------------------------------------------------------- */

int64_t store_last_run(struct store *s)
{
	bool ok;

	return store_query_int(s, "SELECT coalesce(max(id), 0) FROM runs WHERE "
			    "finished IS NOT NULL", &ok);
}

bool store_run_exists(struct store *s, int64_t run)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT 1 FROM runs WHERE id = ?1 AND "
				      "finished IS NOT NULL");
	bool found = false;

	if (st) {
		sqlite3_bind_int64(st, 1, run);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

/* The status names the store and the reports use, as static text: a
 * fault's own name (isolate_fault_name()), else "parse-errors". */
static const char *status_name(const char *stored)
{
	static const enum file_fault_kind faults[] = {FAULT_CRASHED,
						      FAULT_TIMED_OUT};
	size_t i;

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (!strcmp(stored, isolate_fault_name(faults[i])))
			return isolate_fault_name(faults[i]);
	return "parse-errors";
}

void stored_findings_add_unanalysed(struct stored_findings *l,
				    const char *path, const char *status,
				    const char *reason)
{
	struct unanalysed_file u = { xstrdup(path), status_name(status),
				     xstrdup(reason ? reason : "") };

	ARRAY_PUSH(l->unanalysed, l->nunanalysed, l->cap_unanalysed, u);
}

static bool load_unanalysed(struct store *s, int64_t run,
			    struct stored_findings *out, char **err)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT path, status, first_error FROM files WHERE run_id = ?1 "
	       "AND (status != 'analysed' OR (parse_errors > 0 AND "
	       "not_built = 0)) ORDER BY path");

	if (!st) {
		*err = store_db_error(s, "reading the files of the run");
		return false;
	}
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW)
		stored_findings_add_unanalysed(
		    out, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return true;
}

bool store_load_run(struct store *s, int64_t run, bool with_steps,
		    struct stored_findings *out, char **err)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT f.id, f.fingerprint, f.rule, f.severity, f.path, "
	    "f.line, f.col, f.function, f.message, f.suppressed, "
	    "f.unproven, (SELECT patch FROM fixes WHERE finding_id = f.id AND "
	    "validated = 1 ORDER BY id LIMIT 1), "
	    "(SELECT validation FROM fixes WHERE finding_id = f.id AND "
	    "validated = 0 ORDER BY id DESC LIMIT 1) "
	    "FROM findings f JOIN files ON f.file_id = files.id "
	    "WHERE files.run_id = ?1 AND f.is_note = 0 "
	    "ORDER BY f.path, f.line, f.col, f.rule");

	memset(out, 0, sizeof(*out));
	if (!st) {
		*err = store_db_error(s, "reading findings");
		return false;
	}
	sqlite3_bind_int64(st, 1, run);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct stored_finding x = { 0 };
		store_row_to_finding(st, 2, &x.f);
		if (out->n) {
			/* made by two files' analyses: once */
			const struct finding *p = &out->items[out->n - 1].f;
			if (p->line == x.f.line && p->col == x.f.col &&
			    !strcmp(p->rule, x.f.rule) &&
			    !strcmp(p->file, x.f.file)) {
				finding_release(&x.f);
				continue;
			}
		}
		x.fingerprint = xstrdup((const char *)sqlite3_column_text(st, 1));
		x.suppressed = x.f.suppressed ? xstrdup(x.f.suppressed) : NULL;
		if (sqlite3_column_type(st, 11) != SQLITE_NULL)
			x.fix =
			    xstrdup((const char *)sqlite3_column_text(st, 11));
		else if (sqlite3_column_type(st, 12) != SQLITE_NULL)
			x.fix_refused =
			    xstrdup((const char *)sqlite3_column_text(st, 12));
		if (with_steps)
			store_load_steps(s, sqlite3_column_int64(st, 0), &x.f);
		ARRAY_PUSH(out->items, out->n, out->cap, x);
	}
	sqlite3_finalize(st);
	return load_unanalysed(s, run, out, err);
}

void stored_findings_release(struct stored_findings *l)
{
	size_t i;

	for (i = 0; i < l->nunanalysed; i++) {
		free(l->unanalysed[i].path);
		free(l->unanalysed[i].reason);
	}
	free(l->unanalysed);

	for (i = 0; i < l->n; i++) {
		finding_release(&l->items[i].f);
		free(l->items[i].fingerprint);
		free(l->items[i].suppressed);
		free(l->items[i].fix);
		free(l->items[i].fix_refused);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- baseline ---------------------------------------------------------- */

bool store_baseline_save(struct store *s, int64_t run, size_t *saved,
			 char **err)
{
	struct stored_findings all;
	sqlite3_stmt *st;
	char *when = store_now_text();
	size_t i;
	bool ok;

	if (!store_load_run(s, run, false, &all, err)) {
		free(when);
		return false;
	}
	ok = store_exec(s, "BEGIN IMMEDIATE", "saving the baseline", err) &&
	     store_exec(s, "DELETE FROM baseline", "saving the baseline", err);
	st = ok ? store_prepare(s, "INSERT OR REPLACE INTO baseline (fingerprint, "
			     "rule, path, function, message, saved) VALUES "
			     "(?1, ?2, ?3, ?4, ?5, ?6)")
		: NULL;
	*saved = 0;
	for (i = 0; st && ok && i < all.n; i++) {
		const struct stored_finding *x = &all.items[i];
		if (!finding_counts(&x->f))
			continue;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, x->fingerprint, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, x->f.rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, x->f.file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, x->f.function, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, x->f.message, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, when, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		*saved += ok;
	}
	sqlite3_finalize(st);
	free(when);
	stored_findings_release(&all);
	if (!ok || !st || !store_exec(s, "COMMIT", "saving the baseline", err)) {
		if (!*err)
			*err = store_db_error(s, "saving the baseline");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

bool store_baseline_has(struct store *s, const char *fingerprint)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT 1 FROM baseline WHERE "
				      "fingerprint = ?1");
	bool found = false;

	if (st) {
		sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

bool store_run_info(struct store *s, int64_t run, char **tree, char **started,
		    char **flags_source)
{
	sqlite3_stmt *st =
	    store_prepare(s, "SELECT tree, started, flags_source "
			     "FROM runs WHERE id = ?1");
	bool found = false;

	*tree = *started = NULL;
	if (flags_source)
		*flags_source = NULL;
	if (st) {
		sqlite3_bind_int64(st, 1, run);
		if (sqlite3_step(st) == SQLITE_ROW) {
			*tree = xstrdup((const char *)sqlite3_column_text(st, 0));
			*started = xstrdup((const char *)sqlite3_column_text(st, 1));
			if (flags_source)
				*flags_source = xstrdup(
				    (const char *)sqlite3_column_text(st, 2));
			found = true;
		}
	}
	sqlite3_finalize(st);
	return found;
}

bool store_includers(struct store *s, const char *tree, const char *header,
		     struct strvec *out)
{
	sqlite3_stmt *st = store_prepare(
		s, "SELECT id FROM runs WHERE finished IS NOT NULL AND tree = ?1 "
		   "ORDER BY id DESC LIMIT 1");
	int64_t run = 0;
	char *needle;

	if (!st)
		return false;
	sqlite3_bind_text(st, 1, tree, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		run = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (!run)
		return false;
	st = store_prepare(s, "SELECT files.path FROM files JOIN header_sets h "
			      "ON files.headers_id = h.id WHERE files.run_id = ?1 "
			      "AND instr(h.entries, ?2) > 0");
	if (!st)
		return false;
	needle = xasprintf("%s\t", header);
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, needle, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		strvec_push(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	free(needle);
	return true;
}

bool stored_findings_has(const struct stored_findings *l, const char *fp)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (finding_counts(&l->items[i].f) &&
		    !strcmp(l->items[i].fingerprint, fp))
			return true;
	return false;
}

void stored_findings_missing(const struct stored_findings *from,
			     const struct stored_findings *other,
			     bool (*keep)(const void *ctx,
					  const struct stored_finding *x),
			     const void *ctx,
			     const struct stored_finding ***out, size_t *n)
{
	size_t i, cap = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < from->n; i++) {
		const struct stored_finding *x = &from->items[i];
		if ((keep ? keep(ctx, x) : finding_counts(&x->f)) &&
		    !stored_findings_has(other, x->fingerprint))
			ARRAY_PUSH(*out, *n, cap, x);
	}
}
